from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.rules.base import QuestionRule
from qbank.rules.registry import register


@register
class TooFewOptions(QuestionRule):
    """A question has fewer than two options.

    With one option there is nothing to choose.

    Bad::

        questions:
          - id: q1
            stem: Which layer maps token ids to dense vectors?
            explanation: The Embedding layer is a lookup table of vectors.
            options:
              - text: Embedding
                correct: true

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

    code = "QB106"
    name = "too-few-options"
    group = "structure"
    severity = Severity.ERROR

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        count = len(item.question.options)
        if count < 2:
            yield Finding(
                f"the question has {count} option{'s' if count != 1 else ''}; it needs at least two",
                ("options",),
                hint="add the wrong options (distractors), each with a why",
                evidence={"options": count},
            )
