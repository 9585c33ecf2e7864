from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.rules.base import QuestionRule
from qbank.rules.registry import register


@register
class MissingWhy(QuestionRule):
    """A wrong option has no ``why``.

    Every distractor must be explained: the why is the feedback a learner sees after
    picking that option (Moodle's per-answer feedback, the back of an Anki card).
    A correct option may have a why too, but needs none.

    Bad::

        questions:
          - id: q1
            stem: Which layer maps token ids to dense vectors?
            explanation: The Embedding layer is a lookup table of vectors.
            options:
              - text: Embedding
                correct: true
              - text: Dense

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

    code = "QB109"
    name = "missing-why"
    group = "structure"
    severity = Severity.ERROR

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        for index, option in enumerate(item.question.options):
            if not option.correct and option.why is None:
                yield Finding(
                    f"wrong option {chr(65 + index)} has no why",
                    ("options", index),
                    hint="add why: explaining what makes this option wrong",
                    evidence={"option": chr(65 + index)},
                )
