"""GIFT export, for Moodle and the many tools that read GIFT.

Texts are written as Markdown (``[markdown]`` before the question text; answers and
feedback inherit it), escaped, on one line each. A multiple-answer question gives
each correct option an equal share of 100% and takes an equal share from each wrong
one (see :mod:`qbank.grades`). Ids and tags go into a ``// [id:…] [tag:…]``
comment and categories into ``$CATEGORY:`` lines, which is how Moodle writes them.
GIFT cannot embed images: the Markdown reference is kept and the export says so.
"""

from __future__ import annotations

from qbank.bank import Bank, BankQuestion
from qbank.exporters import ExportNote, ExportResult, Exporter, register
from qbank.exporters.losses import SettingLosses, local_images
from qbank.exporters.parallel import each_question
from qbank.exporters.write import Output
from qbank.formats import gift
from qbank.formats.gift import PHP_TRIM
from qbank.grades import equal_share
from qbank.model import MULTIPLE, TRUE_FALSE


def _text(text: str) -> str:
    written = gift.escape(text.strip(PHP_TRIM))
    return "[markdown]" + written if gift.needs_format_prefix(written) else written


def _feedback(why: str | None) -> str:
    return "#" + _text(why) if why and why.strip(PHP_TRIM) else ""


def _bracketed(value: str) -> str:
    """A value inside ``[id:…]`` or ``[tag:…]``, where ``]`` is written ``\\]``."""
    return value.replace("]", "\\]")


def _category(item: BankQuestion) -> str:
    return "/".join(level.replace("/", "//") for level in item.category)


class _Refused(Exception):
    pass


@register
class GiftExporter(Exporter):
    name = "gift"
    summary = "Moodle GIFT text: single and multiple answer, true/false, feedback, ids, tags, categories"
    extension = ".gift.txt"

    def write(self, bank: Bank, bank_name: str, output: Output, result: ExportResult, progress=None) -> None:
        settings = SettingLosses("GIFT")
        category = None
        with output.open(bank_name + self.extension) as handle:
            separator = ""  # a blank line between blocks
            for item in each_question(bank):
                if progress:
                    progress(1)
                file = item.file.loaded.name
                try:
                    block = self.question(item)
                except _Refused as refused:
                    result.notes.append(ExportNote(str(refused), item.id, "error", file))
                    continue
                if _category(item) != category:
                    category = _category(item)
                    block = f"$CATEGORY: {category}\n\n{block}"
                handle.write((separator + block).encode("utf-8"))
                separator = "\n"
                settings.add(item.question)
                images = local_images(item.question)
                if images:
                    result.notes.append(ExportNote(
                        f"GIFT cannot embed images; the reference to {', '.join(images)} is kept, so upload "
                        "the file to the platform and fix the link there", item.id, "warning", file,
                    ))
        result.notes.extend(settings.notes())

    def question(self, item: BankQuestion) -> str:
        question = item.question
        tokens = [f"[id:{question.id}]"] + [f"[tag:{_bracketed(tag)}]" for tag in item.tags]
        head = f"// {' '.join(tokens)}\n::{gift.escape(question.id)}::[markdown]{gift.escape(question.stem.strip(PHP_TRIM))}"
        explanation = question.explanation or ""
        general = "####" + _text(explanation) if explanation.strip(PHP_TRIM) else ""
        if question.type == TRUE_FALSE:
            return f"{head}{{{self.true_false(item)}{general}}}\n"
        answers = self.multiple(item) if question.type == MULTIPLE else self.single(item)
        lines = [f"\t{answer}" for answer in answers] + ([f"\t{general}"] if general else [])
        return head + "{\n" + "\n".join(lines) + "\n}\n"

    @staticmethod
    def single(item: BankQuestion) -> list[str]:
        options = item.question.options
        if sum(o.correct for o in options) != 1:
            raise _Refused("a single-answer question needs exactly one correct option (see qbank lint)")
        return [("=" if o.correct else "~") + _text(o.text) + _feedback(o.why) for o in options]

    @staticmethod
    def multiple(item: BankQuestion) -> list[str]:
        options = item.question.options
        right = sum(o.correct for o in options)
        wrong = len(options) - right
        share, penalty = equal_share(right), equal_share(wrong) if wrong else 0.0
        if share is None or penalty is None:
            raise _Refused(
                f"{right} correct and {wrong} wrong options: an equal share of 100% is not a weight Moodle "
                "accepts (at most 10 of each; see QB112)"
            )
        return [
            f"~%{gift.format_weight(share if o.correct else -penalty)}%" + _text(o.text) + _feedback(o.why)
            for o in options
        ]

    @staticmethod
    def true_false(item: BankQuestion) -> str:
        options = {o.text.strip().casefold(): o for o in item.question.options}
        if set(options) != {"true", "false"} or sum(o.correct for o in options.values()) != 1:
            raise _Refused("a true/false question needs the options True and False with one key (see QB105)")
        key = "true" if options["true"].correct else "false"
        right, wrong = options[key], options["false" if key == "true" else "true"]
        answer = "TRUE" if key == "true" else "FALSE"
        wrong_why, right_why = _feedback(wrong.why), _feedback(right.why)
        if right_why:
            return f"{answer}{wrong_why or '#'}{right_why}"
        return answer + wrong_why
