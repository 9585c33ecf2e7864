from __future__ import annotations

import math
from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.model import SINGLE
from qbank.rules.base import QuestionRule
from qbank.rules.quality._text import numeric_option, plain, single_key, substantive, words
from qbank.rules.registry import register


@register
class LongestOptionIsKey(QuestionRule):
    """The correct option is much longer than every wrong one.

    Authors qualify the right answer until it is exactly true and leave the wrong
    ones short, so "pick the longest" is a classic test-wise strategy (Haladyna 2002,
    guideline 24; Tarrant 2006; NBME "long correct answer"). The rule fires when the
    key, counted in characters as shown (Markdown marks removed), is more than
    ``ratio`` times the longest distractor and has at least ``min_words`` words.
    Meta options ("none of the above") are left out and numeric options are skipped.
    Published agreement is modest, so the default level is info; ``qbank lint`` can
    raise it with ``severity = { QB210 = "warning" }``.

    Bad::

        questions:
          - id: q1
            stem: What does an Embedding layer learn?
            explanation: One dense vector per token id.
            options:
              - text: A dense vector for each token id, tuned by backpropagation with the rest of the model
                correct: true
              - text: Word counts
                why: That is a bag of words.
              - text: A fixed one-hot code
                why: One-hot codes are not learned.

    Good::

        questions:
          - id: q1
            stem: What does an Embedding layer learn?
            explanation: One dense vector per token id.
            options:
              - text: A dense vector for each token id
                correct: true
              - text: A count of each word in the review
                why: That is a bag of words.
              - text: A fixed one-hot code for each word
                why: One-hot codes are not learned.
    """

    code = "QB210"
    name = "longest-option-is-key"
    group = "quality"
    severity = Severity.INFO
    defaults = {"ratio": 1.25, "min_words": 4}
    ranges = {"ratio": (1, math.inf), "min_words": (0, math.inf)}

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        question = item.question
        key = single_key(question)
        if question.type != SINGLE or key is None:
            return
        options = substantive(question)
        distractors = [plain(o.text) for i, o in options if i != key]
        key_text = plain(question.options[key].text)
        if len(distractors) < 2 or key not in {i for i, _ in options}:
            return
        longest = max(len(d) for d in distractors)
        ratio = len(key_text) / max(longest, 1)
        if ratio <= self.options["ratio"] or len(words(key_text)) < self.options["min_words"]:
            return
        if numeric_option(key_text) is not None or all(numeric_option(d) is not None for d in distractors):
            return
        yield Finding(
            f"the key is {ratio:.2f}× as long as the longest wrong option ({len(key_text)} against {longest} characters; "
            f"threshold {self.options['ratio']}); learners who pick the longest option get it right",
            ("options", key, "text"),
            hint="shorten the key or make the distractors as specific and qualified as the key",
            evidence={"key_length": len(key_text), "longest_distractor_length": longest, "ratio": round(ratio, 3), "threshold": self.options["ratio"]},
        )
