from __future__ import annotations

import math
from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.config import ConfigError
from qbank.diagnostics import Finding, Severity
from qbank.model import TRUE_FALSE
from qbank.rules.base import QuestionRule
from qbank.rules.registry import register


@register
class OptionCountOutOfPolicy(QuestionRule):
    """A question has fewer or more options than the bank's policy allows.

    Three good options are usually enough, and distractors beyond four rarely work
    (Rodriguez 2005; Haladyna 2002, guideline 18). The policy is ``min_options`` to
    ``max_options``, counting every option including meta options; true/false
    questions are exempt. The default minimum is 2, since two-option (alternate-choice)
    items are a legitimate format; set ``min_options = 3`` to ask for three. One option
    is already an error (QB106).

    Bad::

        questions:
          - id: q1
            stem: Which layer turns token ids into dense vectors?
            explanation: Embedding is a trainable lookup table.
            options:
              - text: Embedding
                correct: true
              - text: Dense
                why: It acts on vectors, not ids.
              - text: Flatten
                why: It only reshapes.
              - text: LSTM
                why: It reads sequences of vectors.
              - text: GRU
                why: It reads sequences of vectors.
              - text: Conv1D
                why: It convolves vectors.

    Good::

        questions:
          - id: q1
            stem: Which layer turns token ids into dense vectors?
            explanation: Embedding is a trainable lookup table.
            options:
              - text: Embedding
                correct: true
              - text: Dense
                why: It acts on vectors, not ids.
              - text: Flatten
                why: It only reshapes.
    """

    code = "QB222"
    name = "option-count-out-of-policy"
    group = "quality"
    severity = Severity.INFO
    defaults = {"min_options": 2, "max_options": 5}
    ranges = {"min_options": (2, math.inf), "max_options": (2, math.inf)}

    def __init__(self, options: dict | None = None) -> None:
        super().__init__(options)
        low, high = self.options["min_options"], self.options["max_options"]
        if low > high:
            raise ConfigError(f"[tool.qbank.rules.{self.code}] min_options ({low}) is more than max_options ({high}): no question could pass")

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        question = item.question
        count = len(question.options)
        low, high = self.options["min_options"], self.options["max_options"]
        if question.type == TRUE_FALSE or count < 2 or low <= count <= high:
            return
        yield Finding(
            f"the question has {count} options; the policy is {low} to {high}",
            ("options",),
            hint="add plausible distractors" if count < low else "drop the least plausible distractors",
            evidence={"options": count, "min_options": low, "max_options": high},
        )
