from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from qbank.bank import Bank, BankQuestion, Located
from qbank.diagnostics import Finding, Severity
from qbank.model import SINGLE
from qbank.rules.base import BankRule
from qbank.rules.registry import register


@register
class OptionCountInconsistency(BankRule):
    """A single-answer question has a different number of options from nearly all the others.

    When most questions have four options, the odd one with three is easier to guess
    and looks unfinished (Rodriguez 2005). Only single-answer questions are compared:
    in select-all questions each option is judged on its own, so their count may vary,
    and true/false is fixed. When the most common count covers at least ``min_share``
    of ``min_questions`` or more single-answer questions, each one with another count
    is reported at info level.

    Bad::

        questions:
          - {id: q1, stem: Which layer has a cell state?, explanation: LSTM., options: [{text: LSTM, correct: true}, {text: GRU, why: No cell state.}, {text: Dense, why: No state.}, {text: Flatten, why: No state.}]}
          - {id: q2, stem: Which layer maps ids to vectors?, explanation: Embedding., options: [{text: Embedding, correct: true}, {text: Dense, why: Vectors in.}, {text: LSTM, why: Sequences in.}, {text: Flatten, why: Reshapes.}]}
          - {id: q3, stem: Which loss suits 0/1 labels?, explanation: Binary cross-entropy., options: [{text: Binary cross-entropy, correct: true}, {text: MSE, why: Regression.}, {text: Hinge, why: SVMs.}, {text: MAE, why: Regression.}]}
          - {id: q4, stem: Which activation gives a probability?, explanation: Sigmoid., options: [{text: Sigmoid, correct: true}, {text: ReLU, why: Unbounded.}, {text: Linear, why: Unbounded.}, {text: Tanh, why: Negative values.}]}
          - {id: q5, stem: Which optimiser adapts step sizes?, explanation: Adam., options: [{text: Adam, correct: true}, {text: Plain SGD, why: Fixed rate.}]}

    Good::

        questions:
          - {id: q1, stem: Which layer has a cell state?, explanation: LSTM., options: [{text: LSTM, correct: true}, {text: GRU, why: No cell state.}, {text: Dense, why: No state.}, {text: Flatten, why: No state.}]}
          - {id: q2, stem: Which layer maps ids to vectors?, explanation: Embedding., options: [{text: Embedding, correct: true}, {text: Dense, why: Vectors in.}, {text: LSTM, why: Sequences in.}, {text: Flatten, why: Reshapes.}]}
          - {id: q3, stem: Which loss suits 0/1 labels?, explanation: Binary cross-entropy., options: [{text: Binary cross-entropy, correct: true}, {text: MSE, why: Regression.}, {text: Hinge, why: SVMs.}, {text: MAE, why: Regression.}]}
          - {id: q4, stem: Which activation gives a probability?, explanation: Sigmoid., options: [{text: Sigmoid, correct: true}, {text: ReLU, why: Unbounded.}, {text: Linear, why: Unbounded.}, {text: Tanh, why: Negative values.}]}
          - {id: q5, stem: Which optimiser adapts step sizes?, explanation: Adam., options: [{text: Adam, correct: true}, {text: Plain SGD, why: Fixed rate.}, {text: Momentum SGD, why: Fixed rate.}, {text: Constant, why: No.}]}
    """

    code = "QB306"
    name = "option-count-inconsistency"
    group = "bank"
    severity = Severity.INFO
    defaults = {"min_share": 0.8, "min_questions": 5}

    def check(self, bank: Bank) -> Iterator[Located]:
        members = [item for item in bank.questions if item.question.type == SINGLE]
        if len(members) >= self.options["min_questions"]:
            counts = Counter(len(m.question.options) for m in members)
            yield from self._odd_ones(members, counts)

    def _odd_ones(self, members: list[BankQuestion], counts: Counter) -> Iterator[Located]:
        ((usual, usual_count),) = counts.most_common(1)
        share = usual_count / len(members)
        if share < self.options["min_share"] or share == 1:
            return
        for item in members:
            count = len(item.question.options)
            if count != usual:
                yield item.at(Finding(
                    f"{count} options, while {usual_count} of the {len(members)} single-answer questions ({share:.0%}) have {usual}",
                    ("options",),
                    hint=f"give it {usual} options like the others, or suppress it here with lint: {{ignore: [{self.code}]}}",
                    evidence={"options": count, "usual": usual, "share": round(share, 3)},
                ))
