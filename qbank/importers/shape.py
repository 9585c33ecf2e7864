"""Shaping imported questions into canonical bank-file data."""

from __future__ import annotations

from typing import Any


def as_block(text: str) -> str:
    """A stem or explanation as the house style writes it: a block that ends with one newline."""
    text = text.strip("\n")
    return text + "\n" if text else text


def escape_category_level(level: str) -> str:
    """A category level whose own ``/`` must be written ``//``."""
    return level.replace("/", "//")


FORMAT_SUFFIXES = (".txt", ".gift", ".aiken", ".xml", ".json", ".moodle", ".anki", ".qti")


def output_name(source_name: str) -> str:
    """The bank file for a source: ``quiz.txt`` → ``quiz.yaml``, ``quiz.gift.txt`` → ``quiz.yaml``."""
    name = source_name[: source_name.rfind(".")] if source_name.rfind(".") > 0 else source_name
    while any(name.lower().endswith(s) and len(name) > len(s) for s in FORMAT_SUFFIXES):
        name = name[: name.rfind(".")]
    return f"{name}.yaml"


def bank_file(questions: list[dict[str, Any]]) -> dict[str, Any]:
    """File data for ``questions``: a category that every question shares moves to the file."""
    categories = {q.get("category") for q in questions}
    data: dict[str, Any] = {}
    if len(categories) == 1 and None not in categories:
        data["category"] = categories.pop()
        questions = [{k: v for k, v in q.items() if k != "category"} for q in questions]
    data["questions"] = questions
    return data
