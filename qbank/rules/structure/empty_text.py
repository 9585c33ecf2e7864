from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.rules.base import QuestionRule
from qbank.rules.registry import register


@register
class EmptyText(QuestionRule):
    """A stem, option, why or explanation is empty or only whitespace.

    An empty field shows as a blank on every platform. Delete an optional field
    instead of leaving it empty.

    Bad::

        questions:
          - id: q1
            stem: "   "
            explanation: The Embedding layer is a lookup table of vectors.
            options:
              - text: Embedding
                correct: true
              - text: Dense
                why: Dense layers act on vectors, not ids.

    Good::

        questions:
          - id: q1
            stem: Which layer maps token ids to dense vectors?
            explanation: The Embedding layer is a lookup table of vectors.
            options:
              - text: Embedding
                correct: true
              - text: Dense
                why: Dense layers act on vectors, not ids.
    """

    code = "QB107"
    name = "empty-text"
    group = "structure"
    severity = Severity.ERROR

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        question = item.question
        if _empty(question.stem):
            yield _finding(("stem",))
        if _empty(question.explanation):
            yield _finding(("explanation",))
        for index, option in enumerate(question.options):
            if _empty(option.text):
                yield _finding(("options", index, "text"))
            if _empty(option.why):
                yield _finding(("options", index, "why"))


def _empty(value: str | None) -> bool:
    """Given but empty or only white space (isspace() stops at the first letter; strip() copies)."""
    return value is not None and (not value or value.isspace())


def _finding(path: tuple) -> Finding:
    return Finding(
        f"the {path[-1]} is empty",
        path,
        hint="write the text" if path[-1] in ("stem", "text") else f"write the {path[-1]}, or remove the key",
    )
