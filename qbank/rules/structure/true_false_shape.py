from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.model import TRUE_FALSE
from qbank.rules.base import QuestionRule
from qbank.rules.registry import register

EXPECTED = ("True", "False")


@register
class TrueFalseShape(QuestionRule):
    """A true/false question must have exactly the options True and False, with one key.

    Exports map these to the platforms' own true/false types, whose answers are
    literally true and false. Write them in that order and quote them. ``--fix``
    normalises the spelling (``true``, ``TRUE``) and the order.

    Bad::

        questions:
          - id: q1
            type: true_false
            stem: An LSTM keeps a cell state besides its hidden state.
            explanation: The cell state carries long-term memory.
            options:
              - text: "Yes"
                correct: true
              - text: "No"
                why: It does keep one.

    Good::

        questions:
          - id: q1
            type: true_false
            stem: An LSTM keeps a cell state besides its hidden state.
            explanation: The cell state carries long-term memory.
            options:
              - text: "True"
                correct: true
              - text: "False"
                why: It does keep one.
    """

    code = "QB105"
    name = "true-false-shape"
    group = "structure"
    severity = Severity.ERROR
    fixable = True

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        question = item.question
        if question.type != TRUE_FALSE:
            return
        texts = tuple(o.text.strip() for o in question.options)
        if sorted(t.casefold() for t in texts) != ["false", "true"]:
            yield Finding(
                f"a true/false question needs exactly the options True and False, not {', '.join(map(repr, texts)) or 'none'}",
                ("options",),
                hint='write two options, "True" and "False", and mark one correct',
                evidence={"options": list(texts)},
            )
            return
        keys = sum(o.correct for o in question.options)
        if keys != 1:
            yield Finding(
                f"a true/false question needs exactly one correct option, not {keys}",
                ("options",),
                hint="mark either True or False as correct",
            )
        elif texts != EXPECTED:
            yield Finding(
                f"write the options as {EXPECTED[0]!r} then {EXPECTED[1]!r}, not {texts[0]!r} then {texts[1]!r}",
                ("options",),
                hint="run qbank lint --fix to normalise them",
                severity=Severity.WARNING,
            )
