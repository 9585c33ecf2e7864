"""Where bank-wide findings go: a question's node, or the top of the first file involved."""

from __future__ import annotations

from qbank.bank import Bank, BankQuestion, Located, Member
from qbank.diagnostics import Finding


def line_of(item: BankQuestion | Member, *path, seen_from: BankQuestion | Member | None = None) -> str:
    """Where a question's node is, for a message about another question: ``line 12`` or ``file:12``."""
    position = item.file.loaded.document.source_map.locate(("questions", item.index, *path))
    if seen_from is not None and seen_from.file is item.file:
        return f"line {position.line}"
    return f"{item.file.loaded.name}:{position.line}"


def at_bank(bank: Bank, items: list[BankQuestion] | list[Member], finding: Finding) -> Located:
    """A finding about a group of questions, placed at the top of the first file that holds one."""
    first = items[0].file if items else bank.files[0]
    return Located(first, finding)
