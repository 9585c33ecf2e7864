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
        fields = [(("stem",), question.stem), (("explanation",), question.explanation)]
        for index, option in enumerate(question.options):
            fields.append((("options", index, "text"), option.text))
            fields.append((("options", index, "why"), option.why))
        for path, value in fields:
            if value is not None and not value.strip():
                yield Finding(
                    f"the {path[-1]} is empty",
                    path,
                    hint="write the text" if path[-1] in ("stem", "text") else f"write the {path[-1]}, or remove the key",
                )
