from __future__ import annotations

import math
from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.rules.base import QuestionRule
from qbank.rules.quality._text import content_words, may_share, single_key, substantive, surface
from qbank.rules.registry import register


@register
class StemKeyRepeat(QuestionRule):
    """The key repeats words of the stem that no wrong option uses (a "clang" cue).

    A learner can match words instead of knowing the answer (Haladyna 2002, guideline
    28b; Tarrant 2006; NBME "word repeats"). Content words are compared after a crude
    lemmatisation (plural, -ing, -ed); function words and the generic words of
    question writing (following, correct, statement…) are left out, and so is any word
    a distractor also uses, since terms every option needs are no cue. The rule fires
    when at least ``min_words`` such words link only the key to the stem and the key
    shares at least two stem words more than the best distractor, or when the key
    shares two or more stem words and more than twice as many as the best distractor.
    Published agreement is low (precision 0.42), so the level is info.

    Bad::

        questions:
          - id: q1
            stem: Which argument makes an Embedding layer mask the padding zeros?
            explanation: mask_zero=True makes index 0 a mask value.
            options:
              - text: Set the mask argument so padding zeros are skipped
                correct: true
              - text: input_length
                why: It fixes the sequence length.
              - text: embeddings_initializer
                why: It sets the initial vectors.

    Good::

        questions:
          - id: q1
            stem: Which argument makes an Embedding layer skip index 0?
            explanation: mask_zero=True makes index 0 a mask value.
            options:
              - text: mask_zero
                correct: true
              - text: input_length
                why: It fixes the sequence length.
              - text: embeddings_initializer
                why: It sets the initial vectors.
    """

    code = "QB212"
    name = "stem-key-repeat"
    group = "quality"
    severity = Severity.INFO
    defaults = {"min_words": 2}
    ranges = {"min_words": (1, math.inf)}

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        question = item.question
        key = single_key(question)
        options = substantive(question)
        if key is None or key not in {i for i, _ in options} or len(options) < 3:
            return
        key_words = content_words(question.options[key].text)
        if not may_share(key_words, question.stem, 2):
            return  # both tests below need two shared words
        stem = content_words(question.stem)
        shared_with_key = stem & key_words
        if len(shared_with_key) < 2:
            return
        distractor_words = [content_words(o.text) for i, o in options if i != key]
        best_distractor = max(len(stem & d) for d in distractor_words)
        clang = shared_with_key - frozenset().union(*distractor_words)
        strong = len(clang) >= self.options["min_words"] and len(shared_with_key) >= best_distractor + 2
        lopsided = len(clang) >= 1 and len(shared_with_key) >= 2 and len(shared_with_key) > 2 * best_distractor
        if not (strong or lopsided):
            return
        repeated = sorted(surface(question.options[key].text, clang))
        yield Finding(
            f"the key repeats stem words that no wrong option uses: {', '.join(repeated)} "
            f"(key shares {len(shared_with_key)} stem words, the best distractor {best_distractor})",
            ("options", key, "text"),
            hint="reword the key, or let the distractors use the stem's words too",
            evidence={"repeated": repeated, "key_overlap": len(shared_with_key), "best_distractor_overlap": best_distractor},
        )
