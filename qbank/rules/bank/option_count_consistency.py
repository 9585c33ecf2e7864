from __future__ import annotations

import math
from collections import Counter
from array import array
from collections.abc import Iterator
from typing import NamedTuple

from qbank.bank import Bank, BankQuestion, Collected, Located
from qbank.diagnostics import Finding, Severity
from qbank.model import SINGLE
from qbank.rules.base import BankRule
from qbank.rules.registry import register


class Counts(NamedTuple):
    """QB306's summary of one file: how many questions have each option count, and each one's count in order."""

    tally: dict[int, int]
    """How many questions have each option count (a plain dict: quicker to read back than a Counter)."""
    each: array


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
          - {id: q1, stem: Which layer is number 1?, explanation: x, options: [{text: LSTM, correct: true}, {text: GRU, why: x}, {text: Dense, why: x}, {text: Flatten, why: x}]}
          - {id: q2, stem: Which layer is number 2?, explanation: x, options: [{text: GRU, correct: true}, {text: Dense, why: x}, {text: Flatten, why: x}, {text: Embedding, why: x}]}
          - {id: q3, stem: Which layer is number 3?, explanation: x, options: [{text: Dense, correct: true}, {text: Flatten, why: x}, {text: Embedding, why: x}, {text: Dropout, why: x}]}
          - {id: q4, stem: Which layer is number 4?, explanation: x, options: [{text: Flatten, correct: true}, {text: Embedding, why: x}, {text: Dropout, why: x}, {text: Conv1D, why: x}]}
          - {id: q5, stem: Which layer is number 5?, explanation: x, options: [{text: Embedding, correct: true}, {text: Dropout, why: x}, {text: Conv1D, why: x}, {text: Masking, why: x}]}
          - {id: q6, stem: Which layer is number 6?, explanation: x, options: [{text: Dropout, correct: true}, {text: Conv1D, why: x}, {text: Masking, why: x}, {text: Bidirectional, why: x}]}
          - {id: q7, stem: Which layer is number 7?, explanation: x, options: [{text: Conv1D, correct: true}, {text: Masking, why: x}, {text: Bidirectional, why: x}, {text: SimpleRNN, why: x}]}
          - {id: q8, stem: Which layer is number 8?, explanation: x, options: [{text: Masking, correct: true}, {text: Bidirectional, why: x}, {text: SimpleRNN, why: x}, {text: LSTM, why: x}]}
          - {id: q9, stem: Which layer is number 9?, explanation: x, options: [{text: Bidirectional, correct: true}, {text: SimpleRNN, why: x}, {text: LSTM, why: x}, {text: GRU, why: x}]}
          - {id: q10, stem: Which layer is number 10?, explanation: x, options: [{text: SimpleRNN, correct: true}, {text: LSTM, why: x}]}

    Good::

        questions:
          - {id: q1, stem: Which layer is number 1?, explanation: x, options: [{text: LSTM, correct: true}, {text: GRU, why: x}, {text: Dense, why: x}, {text: Flatten, why: x}]}
          - {id: q2, stem: Which layer is number 2?, explanation: x, options: [{text: GRU, correct: true}, {text: Dense, why: x}, {text: Flatten, why: x}, {text: Embedding, why: x}]}
          - {id: q3, stem: Which layer is number 3?, explanation: x, options: [{text: Dense, correct: true}, {text: Flatten, why: x}, {text: Embedding, why: x}, {text: Dropout, why: x}]}
          - {id: q4, stem: Which layer is number 4?, explanation: x, options: [{text: Flatten, correct: true}, {text: Embedding, why: x}, {text: Dropout, why: x}, {text: Conv1D, why: x}]}
          - {id: q5, stem: Which layer is number 5?, explanation: x, options: [{text: Embedding, correct: true}, {text: Dropout, why: x}, {text: Conv1D, why: x}, {text: Masking, why: x}]}
          - {id: q6, stem: Which layer is number 6?, explanation: x, options: [{text: Dropout, correct: true}, {text: Conv1D, why: x}, {text: Masking, why: x}, {text: Bidirectional, why: x}]}
          - {id: q7, stem: Which layer is number 7?, explanation: x, options: [{text: Conv1D, correct: true}, {text: Masking, why: x}, {text: Bidirectional, why: x}, {text: SimpleRNN, why: x}]}
          - {id: q8, stem: Which layer is number 8?, explanation: x, options: [{text: Masking, correct: true}, {text: Bidirectional, why: x}, {text: SimpleRNN, why: x}, {text: LSTM, why: x}]}
          - {id: q9, stem: Which layer is number 9?, explanation: x, options: [{text: Bidirectional, correct: true}, {text: SimpleRNN, why: x}, {text: LSTM, why: x}, {text: GRU, why: x}]}
          - {id: q10, stem: Which layer is number 10?, explanation: x, options: [{text: SimpleRNN, correct: true}, {text: LSTM, why: x}, {text: GRU, why: x}, {text: Dense, why: x}]}
    """

    code = "QB306"
    name = "option-count-inconsistency"
    group = "bank"
    severity = Severity.INFO
    defaults = {"min_share": 0.8, "min_questions": 10}
    ranges = {"min_share": (0, 1), "min_questions": (1, math.inf)}

    def collect(self, item: BankQuestion) -> int | None:
        """How many options a single-answer question has."""
        return len(item.question.options) if item.question.type == SINGLE else None

    def pack(self, summaries: list[int]) -> Counts:
        return Counts(dict(Counter(summaries)), array("l", summaries))

    def check(self, bank: Bank, collected: Collected) -> Iterator[Located]:
        if len(collected) >= self.options["min_questions"]:
            counts: Counter = Counter()
            for packed in collected.packed:
                counts.update(packed.tally)  # in bank order, so ties fall as they would question by question
            yield from self._odd_ones(collected, counts)

    def _odd_ones(self, collected: Collected, counts: Counter) -> Iterator[Located]:
        ((usual, usual_count),) = counts.most_common(1)
        share = usual_count / len(collected)
        if share < self.options["min_share"] or share == 1:
            return
        for start, packed in zip(collected.starts, collected.packed):
            if len(packed.tally) == 1 and usual in packed.tally:
                continue
            for local, count in enumerate(packed.each):
                if count != usual:
                    yield collected.member(start + local).at(Finding(
                        f"{count} options, while {usual_count} of the {len(collected)} single-answer questions ({share:.0%}) have {usual}",
                        ("options",),
                        hint=f"give it {usual} options like the others, or suppress it here with lint: {{ignore: [{self.code}]}}",
                        evidence={"options": count, "usual": usual, "share": round(share, 3)},
                    ))
