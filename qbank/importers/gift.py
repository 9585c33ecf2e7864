"""GIFT import: multiple choice (single and multiple answer) and true/false, as Moodle reads them.

The grammar is in :mod:`qbank.formats.gift`. Other GIFT question types (essay,
numerical, matching, short answer, descriptions) are skipped and reported with
their line, and so is every weight the model cannot express.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qbank.formats import gift
from qbank.formats.gift import PHP_TRIM
from qbank.importers import ImportNote, ImportResult, Importer, read_source_text, register
from qbank.importers.grading import grade_multiple, grade_single
from qbank.importers.ids import is_valid_id
from qbank.importers.shape import as_block, bank_file, output_name
from qbank.model import MULTIPLE, TRUE_FALSE

TRUE_FALSE_ANSWERS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_SPLIT = re.compile(r"[~=]")
_SPACE = re.compile(r"\s+")
_DETECT = (
    re.compile(r"^\s*(::|\$CATEGORY:)", re.MULTILINE),
    re.compile(r"\{[^{}]*(^|\s|\{)[~=][^{}]*\}", re.MULTILINE),
    re.compile(r"\{\s*(T|F|TRUE|FALSE)\s*[#}]"),
)


@dataclass
class _Block:
    line: int
    """The line of the block's first non-comment line."""
    text: str
    """The non-comment lines, trimmed and joined, escapes protected."""
    comments: str
    reserved: bool = False
    """The block holds one of the noncharacters the reader uses internally (U+FDD0 to U+FDD7)."""


def _blocks(text: str) -> list[_Block]:
    """Questions are separated by blank lines; ``//`` lines are comments (kept as blank lines)."""
    blocks: list[_Block] = []
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate([*text.split("\n"), ""], start=1):
        line = raw.strip(PHP_TRIM)
        if line:
            lines.append((number, line))
            continue
        if lines:
            comments = "\n".join(t for _, t in lines if t.startswith("//"))
            content = [(n, " " if t.startswith("//") else t) for n, t in lines]
            first = next((n for n, t in content if t != " "), lines[0][0])
            joined = "\n".join(t for _, t in content)
            leading = len(joined) - len(joined.lstrip(PHP_TRIM))
            body = joined[leading:].strip(PHP_TRIM)
            blocks.append(_Block(first, gift.protect(body), comments, gift.has_placeholders(body)))
            lines = []
    return blocks


def _text(raw: str, default_format: str) -> str:
    _, body = gift.split_format(raw, default_format)
    return gift.restore(body).strip(PHP_TRIM)


def _plain(text: str) -> str:
    return _SPACE.sub(" ", re.sub(r"<[^>]+>", "", text)).strip()


class _QuestionReader:
    def __init__(self, importer: GiftImporter, source: str, block: _Block, category: str | None):
        self.importer = importer
        self.source = source
        self.block = block
        self.category = category
        self.notes: list[ImportNote] = []
        self.name: str | None = None
        self.skipped: str | None = None

    def line_of(self, offset: int) -> int:
        return self.block.line + self.block.text.count("\n", 0, offset)

    def note(self, message: str, offset: int = 0) -> None:
        self.notes.append(ImportNote(self.source, message, self.line_of(offset)))

    def skip(self, kind: str, why: str) -> None:
        text = self.block.text
        label = self.name or _plain(gift.restore(text[: text.find("{")] if "{" in text else text))[:50]
        self.skipped = f"{label} ({kind}, {self.source}:{self.block.line})"
        self.note(f"skipped {kind} question {label!r}: {why}")

    def read(self) -> dict[str, Any] | None:
        text = self.block.text
        if self.block.reserved:
            self.skip("unreadable", "it holds a Unicode noncharacter (U+FDD0 to U+FDD7), which qbank's GIFT reader reserves")
            return None
        start = 0
        if text.startswith("::"):
            end = text.find("::", 2)
            if end >= 0:
                self.name = _plain(gift.restore(text[2:end]))
                start = end + 2
            else:
                start = 2
        while start < len(text) and text[start] in PHP_TRIM:
            start += 1
        opening, closing = text.find("{", start), text.find("}", start)
        if opening < 0 and closing < 0:
            self.skip("description", "it has no answers in braces, so it is a text, not a question")
            return None
        if opening < 0 or closing < opening:
            self.skip("unreadable", "its braces { } do not pair up; escape a literal brace as \\{ or \\}")
            return None
        body = text[start:]
        stem_raw = text[start:opening] + ("" if body.endswith("}") else "_____") + text[closing + 1 :]
        answers = text[opening + 1 : closing]
        general_at = answers.rfind("####")
        general = answers[general_at + 4 :] if general_at >= 0 else ""
        if general_at >= 0:
            answers = answers[:general_at]
        stem_format, stem_body = gift.split_format(stem_raw, "moodle")
        stem = gift.restore(stem_body).strip(PHP_TRIM)
        question: dict[str, Any] = {
            "id": None,
            "category": self.category,
            "stem": as_block(stem),
            "explanation": as_block(_text(general, stem_format)) or None,
        }
        kind = self.kind(answers.strip(PHP_TRIM))
        if kind == "multichoice":
            self.multichoice(question, answers, opening + 1, stem_format)
        elif kind == "truefalse":
            self.true_false(question, answers.strip(PHP_TRIM), stem_format)
        else:
            reasons = {
                "essay": "qbank has no essay questions",
                "numerical": "qbank has no numerical questions",
                "matching": "qbank has no matching questions",
                "short answer": "qbank has no short-answer questions (true/false answers are written T, TRUE, F or FALSE)",
            }
            self.skip(kind, reasons[kind])
            return None
        self.identify(question, stem)
        return question

    @staticmethod
    def kind(answers: str) -> str:
        if answers == "":
            return "essay"
        if answers.startswith("#"):
            return "numerical"
        if "~" in answers:
            return "multichoice"
        if "=" in answers and "->" in answers:
            return "matching"
        if answers.split("#", 1)[0].strip(PHP_TRIM) in TRUE_FALSE_ANSWERS:
            return "truefalse"
        return "short answer"

    def identify(self, question: dict[str, Any], stem: str) -> None:
        comments = self.block.comments
        given = gift.ID_TOKEN.search(comments)
        ids = self.importer.ids
        if given:
            wanted = given.group(1).replace("\\]", "]").strip()
            if is_valid_id(wanted):
                question["id"] = ids.keep(wanted)
            else:
                question["id"] = ids.generate(wanted)
                self.note(f"the id {wanted!r} is not a valid qbank id (letters, digits, . _ : -); it became {question['id']!r}")
        else:
            question["id"] = ids.generate(stem)
        tags = [t.replace("\\]", "]").strip() for t in gift.TAG_TOKEN.findall(comments)]
        question["tags"] = [t for t in dict.fromkeys(tags) if t]
        if self.name and self.name != question["id"]:
            name = self.name.rstrip(".…").strip()
            if not _plain(stem).startswith(name):
                self.note(f"the question name {self.name!r} is not kept: qbank questions have no name (the id is {question['id']!r})")

    def multichoice(self, question: dict[str, Any], region: str, region_at: int, text_format: str) -> None:
        single = "=" in region
        marks = [m.start() for m in _SPLIT.finditer(region)]
        pieces = [(0, region[: marks[0]] if marks else region)] + [
            (at, region[at : (marks[i + 1] if i + 1 < len(marks) else len(region))]) for i, at in enumerate(marks)
        ]
        options: list[dict[str, Any]] = []
        weights: list[tuple[float, int]] = []
        for at, piece in pieces:
            raw = piece.strip(PHP_TRIM)
            if raw.startswith("~"):
                raw = raw[1:].strip(PHP_TRIM)
            elif at == 0 and not raw:
                continue
            weight = 0.0
            if raw.startswith("="):
                weight, raw = 100.0, raw[1:]
            else:
                match = gift.WEIGHT.match(raw)
                if match:
                    weight = float(match.group(2)) * (-1 if match.group(1) else 1)
                    raw = raw[match.end() :]
            answer, has_feedback, feedback = raw.partition("#")
            why = _text(feedback, text_format) if has_feedback else ""
            options.append({"text": _text(answer.strip(PHP_TRIM), text_format), "correct": False, "why": why or None})
            weights.append((weight, region_at + at))
        question["options"] = options
        if single:
            self.grade(grade_single, options, weights)
        else:
            question["type"] = MULTIPLE
            self.grade(grade_multiple, options, weights)

    def grade(self, grader, options: list[dict[str, Any]], weights: list[tuple[float, int]]) -> None:
        for message, at in grader(options, weights):
            self.note(message, at or 0)

    def true_false(self, question: dict[str, Any], answers: str, text_format: str) -> None:
        parts = answers.split("#", 2)
        is_true = TRUE_FALSE_ANSWERS[parts[0].strip(PHP_TRIM)]
        wrong_why = _text(parts[1], text_format) if len(parts) > 1 else ""
        right_why = _text(parts[2], text_format) if len(parts) > 2 else ""
        question["type"] = TRUE_FALSE
        question["options"] = [
            {"text": "True", "correct": is_true, "why": (right_why if is_true else wrong_why) or None},
            {"text": "False", "correct": not is_true, "why": (wrong_why if is_true else right_why) or None},
        ]


@register
class GiftImporter(Importer):
    name = "gift"
    summary = "Moodle GIFT: multiple choice (single and multiple answer), true/false, categories, ids and tags"
    suffixes = (".gift",)

    @classmethod
    def detect(cls, path: Path, head: str) -> bool:
        return any(pattern.search(head) for pattern in _DETECT)

    def read(self, path: Path) -> ImportResult:
        source = str(path)
        result = ImportResult()
        category: str | None = None
        questions = []
        for block in _blocks(read_source_text(path)):
            if block.text.startswith("$CATEGORY:"):
                category = gift.category_path(gift.restore(block.text[len("$CATEGORY:") :])) or None
                continue
            if not block.text:
                continue
            reader = _QuestionReader(self, source, block, category)
            question = reader.read()
            result.notes.extend(reader.notes)
            if question is None:
                result.skipped.append(reader.skipped or "")
            else:
                questions.append(question)
        result.files[output_name(path.name)] = bank_file(questions)
        return result
