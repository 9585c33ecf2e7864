"""Aiken import: one-line single-answer questions, as Moodle reads them (see qbank.formats.aiken).

Moodle drops a question whose text spans several lines; qbank joins such lines
into one stem instead and says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qbank.formats import aiken
from qbank.formats.gift import PHP_TRIM
from qbank.importers import ImportNote, ImportResult, Importer, read_source_text, register
from qbank.importers.shape import as_block, bank_file, output_name


class _Question:
    def __init__(self, line: int, text: str):
        self.line = line
        self.stem_lines = [text]
        self.options: list[tuple[str, str]] = []

    @property
    def name(self) -> str:
        return self.stem_lines[0][:50]


@register
class AikenImporter(Importer):
    name = "aiken"
    summary = "Aiken: one-line single-answer questions with A) options and an ANSWER: line"
    suffixes = (".aiken",)

    @classmethod
    def detect(cls, path: Path, head: str) -> bool:
        lines = [line.strip(PHP_TRIM) for line in head.split("\n")]
        answers = sum(bool(aiken.ANSWER.match(line)) for line in lines)
        options = sum(bool(aiken.OPTION.match(line)) for line in lines)
        return answers > 0 and options >= 2 * answers

    def read(self, path: Path) -> ImportResult:
        source = str(path)
        result = ImportResult()
        questions: list[dict[str, Any]] = []
        current: _Question | None = None

        def note(message: str, line: int) -> None:
            result.notes.append(ImportNote(source, message, line))

        def drop(question: _Question, line: int, why: str) -> None:
            result.skipped.append(f"{question.name} (aiken, {source}:{question.line})")
            note(f"skipped the question {question.name!r}: {why}", line)

        for number, raw in enumerate(read_source_text(path).split("\n"), start=1):
            line = raw.strip(PHP_TRIM)
            if len(line) < aiken.MIN_LINE:
                continue
            option = aiken.OPTION.match(line)
            answer = aiken.ANSWER.match(line)
            if option and current is not None and (current.options or option.group(1) == "A"):
                current.options.append((option.group(1), option.group(2).strip(PHP_TRIM)))
            elif option and current is None:
                note(f"an option before any question text: {line!r}", number)
            elif answer:
                if current is None:
                    note(f"an ANSWER line before any question: {line!r}", number)
                    continue
                key = answer.group(1).strip(PHP_TRIM)[:1]
                letters = [letter for letter, _ in current.options]
                if len(current.options) < 2:
                    drop(current, number, "it has fewer than two options")
                elif key not in letters:
                    drop(current, number, f"the answer {key!r} is not one of its options {', '.join(letters)}")
                else:
                    questions.append(self.question(current, key, source, note))
                current = None
            elif current is not None and current.options:
                drop(current, number, "a new question starts before its ANSWER: line")
                current = _Question(number, line)
            elif current is not None:
                current.stem_lines.append(line)
            else:
                current = _Question(number, line)
        if current is not None:
            drop(current, current.line, "the file ends before its ANSWER: line")
        result.files[output_name(path.name)] = bank_file(questions)
        return result

    def question(self, parsed: _Question, key: str, source: str, note) -> dict[str, Any]:
        if len(parsed.stem_lines) > 1:
            note(
                f"the question text spans {len(parsed.stem_lines)} lines; Moodle would reject it, qbank kept the lines as one stem",
                parsed.line,
            )
        letters = [letter for letter, _ in parsed.options]
        for index, letter in enumerate(letters):
            if letter != aiken.letter(index):
                note(f"options are lettered {''.join(letters)}, not in order; the answer {key} refers to the option lettered {key}", parsed.line)
                break
        stem = "\n".join(parsed.stem_lines)
        return {
            "id": self.ids.generate(stem),
            "stem": as_block(stem),
            "options": [{"text": text, "correct": letter == key} for letter, text in parsed.options],
        }
