"""Aiken export: the simplest format there is, one-line single-answer questions.

Aiken carries a one-line question text, up to 26 one-line options and the letter
of the key: nothing else. Multiple-answer questions are skipped; true/false
questions become two-option questions; line breaks are joined into spaces; and
each question says what it lost (explanation, whys, images, settings).
"""

from __future__ import annotations

from qbank.bank import Bank, BankQuestion
from qbank.exporters import ExportNote, ExportResult, Exporter, register
from qbank.exporters.parallel import each_question
from qbank.exporters.write import Output
from qbank.exporters.losses import SettingLosses, is_one_paragraph, local_images
from qbank.formats import aiken
from qbank.formats.gift import PHP_TRIM
from qbank.model import MULTIPLE, TRUE_FALSE


def one_line(text: str) -> tuple[str, bool]:
    """The text on one line, and whether joining its lines lost layout (paragraphs, lists, code)."""
    lines = [line.strip(PHP_TRIM) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    joined = " ".join(line for line in lines if line)
    return joined, joined != text.strip(PHP_TRIM) and not is_one_paragraph(text)


class _Skipped(Exception):
    pass


@register
class AikenExporter(Exporter):
    name = "aiken"
    summary = "Aiken text: one-line single-answer questions, no feedback (Moodle and many LMS read it)"
    extension = ".aiken.txt"

    def write(self, bank: Bank, bank_name: str, output: Output, result: ExportResult, progress=None) -> None:
        settings = SettingLosses("Aiken")
        with output.open(bank_name + self.extension) as handle:
            separator = b""  # a blank line between questions
            for item in each_question(bank):
                file = item.file.loaded.name
                losses: list[str] = []
                try:
                    block = self.question(item, losses)
                    settings.add(item.question)
                except _Skipped as skipped:
                    result.notes.append(ExportNote(f"skipped: {skipped}", item.id, "warning", file))
                    result.skipped.append(item.id)
                else:
                    handle.write(separator + block.encode("utf-8"))
                    separator = b"\n"
                    if losses:
                        result.notes.append(ExportNote("Aiken cannot carry " + "; ".join(losses), item.id, "warning", file))
                if progress:
                    progress(1)
        result.notes.extend(settings.notes())
        if bank.question_count:
            result.notes.append(
                ExportNote("Aiken carries no ids, tags or categories: importing the file again creates new questions")
            )

    def question(self, item: BankQuestion, losses: list[str]) -> str:
        question = item.question
        if question.type == MULTIPLE:
            raise _Skipped("Aiken has only single-answer questions, and this one has several keys")
        if len(question.options) > aiken.MAX_OPTIONS:
            raise _Skipped(f"Aiken letters options A to Z, and this question has {len(question.options)}")
        keys = [i for i, o in enumerate(question.options) if o.correct]
        if len(keys) != 1:
            raise _Skipped("an Aiken question needs exactly one correct option (see qbank lint)")
        stem, joined = one_line(question.stem)
        if len(stem) < aiken.MIN_LINE or aiken.OPTION.match(stem) or aiken.ANSWER.match(stem):
            raise _Skipped(
                f"the question text {stem[:30]!r} would be read as an option or an answer line "
                "(it starts with a capital letter and . or ), or with ANSWER:, or is shorter than 2 characters)"
            )
        if joined:
            losses.append("the layout of the question text (paragraphs, lists or code joined into one line)")
        lines = [stem]
        for index, option in enumerate(question.options):
            text, option_joined = one_line(option.text)
            if option_joined:
                losses.append(f"the layout of option {aiken.letter(index)} (joined into one line)")
            lines.append(f"{aiken.letter(index)}) {text}")
        lines.append(f"ANSWER: {aiken.letter(keys[0])}")
        self.lost_content(item, losses)
        return "\n".join(lines) + "\n"

    @staticmethod
    def lost_content(item: BankQuestion, losses: list[str]) -> None:
        question = item.question
        if question.type == TRUE_FALSE:
            losses.append("the true/false type (written as a two-option question)")
        if question.explanation and question.explanation.strip():
            losses.append("the explanation")
        whys = sum(bool(o.why and o.why.strip()) for o in question.options)
        if whys:
            losses.append(f"{whys} why{'s' if whys != 1 else ''}")
        images = local_images(question)
        if images:
            losses.append(f"images ({', '.join(images)}; the Markdown reference is kept as text)")
