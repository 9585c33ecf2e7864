from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.grades import equal_share
from qbank.model import MULTIPLE
from qbank.rules.base import QuestionRule
from qbank.rules.registry import register


@register
class UnrepresentableGrade(QuestionRule):
    """A multiple-answer question whose grades Moodle cannot represent exactly.

    In a multiple-answer question the correct options share 100% and each wrong
    option costs an equal share of -100%. Moodle accepts only grades from a fixed
    list (100/n for n from 1 to 10, 5 for n = 20, and a few others), so 11 to 19,
    or more than 20, correct options (or wrong ones) have no exact grade and the
    Moodle export refuses the question. See docs/exports.md.

    Bad::

        questions:
          - id: q1
            type: multiple
            stem: Which of these are layers in keras.layers?
            explanation: All but the last are layers.
            options:
              - {text: LSTM, correct: true}
              - {text: GRU, correct: true}
              - {text: SimpleRNN, correct: true}
              - {text: Dense, correct: true}
              - {text: Embedding, correct: true}
              - {text: Dropout, correct: true}
              - {text: Bidirectional, correct: true}
              - {text: Conv1D, correct: true}
              - {text: Flatten, correct: true}
              - {text: Masking, correct: true}
              - {text: TextVectorization, correct: true}
              - {text: Tokenizer, why: "It is a preprocessing utility, not a layer."}

    Good::

        questions:
          - id: q1
            type: multiple
            stem: Which of these are recurrent layers?
            explanation: LSTM and GRU are recurrent; Dense is not.
            options:
              - {text: LSTM, correct: true}
              - {text: GRU, correct: true}
              - {text: Dense, why: It has no recurrence.}
    """

    code = "QB112"
    name = "unrepresentable-grade"
    group = "structure"
    severity = Severity.WARNING

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        question = item.question
        if question.type != MULTIPLE:
            return
        right = sum(o.correct for o in question.options)
        wrong = len(question.options) - right
        for count, kind in ((right, "correct"), (wrong, "wrong")):
            if count and equal_share(count) is None:
                yield Finding(
                    f"{count} {kind} options: 100/{count} = {100 / count:.4g}% is not a grade Moodle accepts",
                    ("options",),
                    hint="use at most 10 correct and 10 wrong options, or split the question",
                    evidence={kind: count, "share_percent": round(100 / count, 5)},
                )
