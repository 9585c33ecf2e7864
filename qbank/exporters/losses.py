"""What a question holds that a simple text format cannot carry, for export notes."""

from __future__ import annotations

from collections import defaultdict

from qbank.exporters import ExportNote
from qbank.markdown import image_sources, is_local, parser
from qbank.model import Question


def texts(question: Question) -> list[str]:
    """Every Markdown text of a question: stem, options, whys, explanation."""
    found = [question.stem, *(o.text for o in question.options), *(o.why or "" for o in question.options)]
    return [*found, question.explanation or ""]


def local_images(question: Question) -> list[str]:
    """Image files the question refers to by a relative path (they cannot be embedded in text formats)."""
    return list(dict.fromkeys(src for text in texts(question) for src in image_sources(text) if is_local(src)))


def is_one_paragraph(text: str) -> bool:
    """True when the Markdown is one plain paragraph, so its line breaks are only soft wraps."""
    tokens = parser().parse(text)
    if [t.type for t in tokens] not in ([], ["paragraph_open", "inline", "paragraph_close"]):
        return False
    return not any(child.type == "hardbreak" for t in tokens for child in (t.children or []))


class SettingLosses:
    """Question settings a format has no place for, summed up in one note per setting."""

    def __init__(self, format_name: str) -> None:
        self.format_name = format_name
        self.ids: dict[str, list[str]] = defaultdict(list)

    def add(self, question: Question) -> None:
        if question.source:
            self.ids["source"].append(question.id)
        if question.difficulty:
            self.ids["difficulty"].append(question.id)
        if question.points != 1.0:
            self.ids["points"].append(question.id)
        if not question.shuffle:
            self.ids["shuffle: false"].append(question.id)

    def notes(self) -> list[ExportNote]:
        out = []
        for setting, ids in self.ids.items():
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            count = f"{len(ids)} question{'s' if len(ids) != 1 else ''}"
            out.append(ExportNote(f"{self.format_name} cannot carry {setting} ({count}: {shown})"))
        return out
