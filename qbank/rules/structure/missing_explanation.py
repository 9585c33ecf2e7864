from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.rules.base import QuestionRule
from qbank.rules.registry import register


@register
class MissingExplanation(QuestionRule):
    """A question has no general ``explanation``.

    The explanation is shown after answering (Moodle's general feedback, the back of
    an Anki card). It teaches the point of the question, whatever was chosen.

    Bad::

        questions:
          - id: q1
            stem: Which layer maps token ids to dense vectors?
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

    code = "QB110"
    name = "missing-explanation"
    group = "structure"
    severity = Severity.ERROR

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        if item.question.explanation is None:
            yield Finding(
                "the question has no explanation",
                ("stem",),
                hint="add explanation: saying why the key is right",
                on_key=True,
            )
