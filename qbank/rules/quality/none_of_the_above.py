from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.model import TRUE_FALSE
from qbank.rules.base import QuestionRule
from qbank.rules.quality._text import NONE, letter, meta_kind, numeric_option, plain
from qbank.rules.registry import register


@register
class NoneOfTheAbove(QuestionRule):
    """An option is "none of the above" (or "cannot be determined").

    When it is the key, the item only shows that learners can spot wrong answers,
    not that they know the right one; when it is wrong, it is rarely plausible
    (Haladyna 2002, guideline 25; Tarrant 2006). It is reported at info level in
    computational items, where every other option is a number, since Haladyna
    allows it there with care. Only an option that is nothing but the phrase
    counts: "None", "None of these", "Not enough information"; an option
    written as code (`` `None` ``, a Python value) never does.

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
              - text: None of the above
                why: Embedding does it.

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

    code = "QB206"
    name = "none-of-the-above"
    group = "quality"
    severity = Severity.WARNING

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        question = item.question
        if question.type == TRUE_FALSE:
            return
        meta = [i for i, o in enumerate(question.options) if meta_kind(o.text) == NONE]
        if not meta:
            return
        others = [o for i, o in enumerate(question.options) if i not in meta]
        computational = bool(others) and all(numeric_option(o.text) is not None for o in others)
        for index in meta:
            option = question.options[index]
            role = "the correct option" if option.correct else "a wrong option"
            yield Finding(
                f"option {letter(index)} {plain(option.text)!r} is 'none of the above' ({role})"
                + ("; acceptable with care in a numeric item" if computational else ""),
                ("options", index, "text"),
                hint="replace it with a plausible distractor that a learner with a misconception would pick",
                evidence={"option": letter(index), "text": option.text, "is_key": option.correct, "numeric_item": computational},
                severity=Severity.INFO if computational else None,
            )
