"""Where a question's free texts are: every text an author writes, with its path in the question."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qbank.model.question import Question

FieldPath = tuple[str | int, ...]
"""A path inside a question, such as ``("options", 1, "why")``."""

SOURCE: FieldPath = ("source",)


def text_fields(question: Question) -> tuple[tuple[FieldPath, str], ...]:
    """Every free text of a question that is written (not empty), with its path: the stem, the
    explanation, each option's text and why, then the source. All but the source are Markdown."""
    fields: list[tuple[FieldPath, str]] = [(("stem",), question.stem)]
    if question.explanation:
        fields.append((("explanation",), question.explanation))
    for index, option in enumerate(question.options):
        fields.append((("options", index, "text"), option.text))
        if option.why:
            fields.append((("options", index, "why"), option.why))
    if question.source:
        fields.append((SOURCE, question.source))
    return tuple(fields)


def markdown_texts(question: Question) -> list[str]:
    """The Markdown texts of a question (every free text but the source), where images may be."""
    return [text for path, text in text_fields(question) if path != SOURCE]
