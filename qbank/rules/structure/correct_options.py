"""QB103 and QB104: how many options are marked correct."""

from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.model import SINGLE
from qbank.rules.base import QuestionRule
from qbank.rules.registry import register


@register
class NoCorrectOption(QuestionRule):
    """No option is marked ``correct: true``.

    A question without a key cannot be graded, and every platform rejects it.

    Bad::

        questions:
          - id: q1
            stem: Which layer maps token ids to dense vectors?
            explanation: The Embedding layer is a lookup table of vectors.
            options:
              - text: Embedding
                why: It is the key, but it is not marked.
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

    code = "QB103"
    name = "no-correct-option"
    group = "structure"
    severity = Severity.ERROR

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        if item.question.options and not any(o.correct for o in item.question.options):
            yield Finding(
                "no option is marked correct",
                ("options",),
                hint="add correct: true to the right option",
            )


@register
class SingleWithSeveralCorrect(QuestionRule):
    """A single-answer question has more than one correct option.

    Either keep one key, or declare ``type: multiple`` if learners must pick several.

    Bad::

        questions:
          - id: q1
            stem: Which layer has a separate cell state?
            explanation: Only the LSTM keeps a cell state besides its hidden state.
            options:
              - text: LSTM
                correct: true
              - text: GRU
                correct: true
              - text: SimpleRNN
                why: It has only a hidden state.

    Good::

        questions:
          - id: q1
            stem: Which layer has a separate cell state?
            explanation: Only the LSTM keeps a cell state besides its hidden state.
            options:
              - text: LSTM
                correct: true
              - text: GRU
                why: The GRU merges cell and hidden state.
              - text: SimpleRNN
                why: It has only a hidden state.
    """

    code = "QB104"
    name = "single-with-several-correct"
    group = "structure"
    severity = Severity.ERROR

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        question = item.question
        if question.type != SINGLE:
            return
        keys = [i for i, o in enumerate(question.options) if o.correct]
        if len(keys) > 1:
            letters = ", ".join(chr(65 + i) for i in keys)
            yield Finding(
                f"a single-answer question has {len(keys)} correct options ({letters})",
                ("options", keys[1], "correct"),
                hint="keep one correct option, or set type: multiple",
                evidence={"correct_options": letters},
            )
