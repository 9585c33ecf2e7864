from __future__ import annotations

import math
import re
from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.patterns import lazy_pattern
from qbank.rules.base import QuestionRule
from qbank.rules.quality._text import unformatted, words
from qbank.rules.registry import register

BLANK = lazy_pattern(r"(?<![\w_\\])_{2,}(?![\w_])|(?<![\w])(?:\\_){2,}|\[blank\]|\(blank\)|(?<!\.)\.{4,}|…{2,}", re.I)
"""A written blank: two or more underscores (a single ``_`` is an identifier), [blank], (blank) or dots."""


@register
class BlankNotAtEnd(QuestionRule):
    """A fill-in blank sits inside the stem instead of at its end.

    With the blank in the middle, learners must hold the sentence in mind while
    reading every option, and re-read the stem for each (Tarrant 2006, flaw 10).
    Put the blank at the end, or turn the stem into a question. A blank counts
    when written as two or more underscores, ``[blank]``, ``(blank)`` or four or
    more dots; code, math and single underscores (``x_train``) never count. The
    rule fires when at least ``min_words_after`` words follow the last blank.

    Bad::

        questions:
          - id: q1
            stem: The ____ layer turns token ids into dense vectors.
            explanation: Embedding is a trainable lookup table.
            options:
              - text: Embedding
                correct: true
              - text: Dense
                why: It acts on vectors, not ids.
              - text: Flatten
                why: It only reshapes.

    Good::

        questions:
          - id: q1
            stem: Token ids are turned into dense vectors by the ____.
            explanation: Embedding is a trainable lookup table.
            options:
              - text: Embedding layer
                correct: true
              - text: Dense layer
                why: It acts on vectors, not ids.
              - text: Flatten layer
                why: It only reshapes.
    """

    code = "QB202"
    name = "blank-not-at-end"
    group = "quality"
    severity = Severity.WARNING
    defaults = {"min_words_after": 2}
    ranges = {"min_words_after": (0, math.inf)}

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        stem = item.question.stem
        if "__" not in stem and "\\_" not in stem and "...." not in stem and "……" not in stem and "blank" not in stem.lower():
            return
        text = unformatted(stem)
        blanks = list(BLANK.finditer(text))
        if not blanks:
            return
        last = blanks[-1]
        after = words(text[last.end():])
        if len(after) < self.options["min_words_after"]:
            return
        following = " ".join(after[:6]) + (" …" if len(after) > 6 else "")
        yield Finding(
            f"the blank {last.group(0)!r} is followed by {len(after)} more words ({following!r}); put it at the end of the stem",
            ("stem",),
            hint="rephrase so the blank comes last, or ask a direct question",
            evidence={"blank": last.group(0), "words_after": len(after), "following": following},
        )
