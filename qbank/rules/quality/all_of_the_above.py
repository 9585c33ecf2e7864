from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.model import TRUE_FALSE
from qbank.rules.base import QuestionRule
from qbank.rules.quality._text import ALL, letter, meta_kind, plain
from qbank.rules.registry import register


@register
class AllOfTheAbove(QuestionRule):
    """An option is "all of the above".

    A learner who sees two right options can pick "all of the above" without
    knowing the rest, and one who sees one wrong option can rule it out; either way
    the item measures less (Haladyna 2002, guideline 26; Tarrant 2006). Only an
    option that is nothing but the meta phrase counts ("All of the above", "All of
    these are correct"), so a content answer that contains "all of them" does not.
    For select-all questions, let learners tick each right option instead.

    Bad::

        questions:
          - id: q1
            stem: Which layers keep a state between time steps?
            explanation: All three are recurrent.
            options:
              - text: LSTM
                why: It is recurrent, but so are the others.
              - text: GRU
                why: It is recurrent, but so are the others.
              - text: SimpleRNN
                why: It is recurrent, but so are the others.
              - text: All of the above
                correct: true

    Good::

        questions:
          - id: q1
            stem: Which layers keep a state between time steps? Select all that apply.
            type: multiple
            explanation: The three recurrent layers keep a state; Dense does not.
            options:
              - text: LSTM
                correct: true
              - text: GRU
                correct: true
              - text: SimpleRNN
                correct: true
              - text: Dense
                why: It has no recurrence.
    """

    code = "QB205"
    name = "all-of-the-above"
    group = "quality"
    severity = Severity.WARNING

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        if item.question.type == TRUE_FALSE:
            return
        for index, option in enumerate(item.question.options):
            if meta_kind(option.text) != ALL:
                continue
            role = "the correct option" if option.correct else "a wrong option"
            yield Finding(
                f"option {letter(index)} {plain(option.text)!r} is 'all of the above' ({role})",
                ("options", index, "text"),
                hint="replace it with a plausible distractor; for several right answers use type: multiple",
                evidence={"option": letter(index), "text": option.text, "is_key": option.correct},
            )
