from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import dropwhile

from qbank.bank import Bank, Located
from qbank.diagnostics import Finding, Severity
from qbank.model import TRUE_FALSE
from qbank.rules.base import BankRule
from qbank.rules.bank._place import line_of
from qbank.rules.quality._text import STOPWORDS, content_words, is_meta, numeric_option, plain
from qbank.rules.registry import register
from qbank.similarity import normalise


@register
class CrossItemCueing(BankRule):
    """One question's stem contains the answer to another question.

    A learner who meets both questions reads the answer in the other stem (Haladyna
    2002, guideline 4, independent items; NBME "hinged" items). For every question
    with one key, the key is looked for, word for word after removing case and
    punctuation and leading function words ("It", "The"), in the stems of all other
    questions. Only keys of at least
    ``min_chars`` characters and ``min_content_words`` content words count, so topic
    terms shared across a unit ("the LSTM layer") do not; neither does a key that also
    appears inside one of its own question's distractors. A key shorter than
    ``warn_chars`` characters is often a term of art ("binary cross-entropy loss") that
    a topical bank cannot avoid repeating, so it is reported at info level only.

    Bad::

        questions:
          - id: q1
            stem: What does pad_sequences do with a review longer than maxlen by default?
            explanation: truncating="pre" cuts from the start.
            options:
              - text: It drops the tokens at the start of the review
                correct: true
              - text: It raises an error
                why: It truncates silently.
          - id: q2
            stem: Since pad_sequences drops the tokens at the start of the review when it is too long, which part of a review does the model see?
            explanation: The end.
            options:
              - text: The end
                correct: true
              - text: The start
                why: The start is cut.

    Good::

        questions:
          - id: q1
            stem: What does pad_sequences do with a review longer than maxlen by default?
            explanation: truncating="pre" cuts from the start.
            options:
              - text: It drops the tokens at the start of the review
                correct: true
              - text: It raises an error
                why: It truncates silently.
          - id: q2
            stem: Which argument of pad_sequences sets the side where long reviews are cut?
            explanation: truncating.
            options:
              - text: truncating
                correct: true
              - text: padding
                why: It sets the side that gets zeros.
    """

    code = "QB305"
    name = "cross-item-cueing"
    group = "bank"
    severity = Severity.WARNING
    defaults = {"min_chars": 12, "min_content_words": 3, "warn_chars": 25}

    def check(self, bank: Bank) -> Iterator[Located]:
        items = bank.questions
        stems = [f" {normalise(item.question.stem)} " for item in items]
        index: dict[str, set[int]] = defaultdict(set)
        for position, stem in enumerate(stems):
            for word in stem.split():
                index[word].add(position)
        found = []
        for i, item in enumerate(items):
            key = self._key(item)
            if key is None:
                continue
            text = key
            for j in sorted(self._stems_with_all(index, text) - {i}):
                if f" {text} " in stems[j]:
                    found.append((j, i, text))
        for j, i, text in sorted(found):
            source = items[i]
            short = len(text) < self.options["warn_chars"]
            yield items[j].at(Finding(
                f"the stem contains the answer to question {source.id!r} ({line_of(source, 'stem', seen_from=items[j])}): "
                f"{plain(next(o.text for o in source.question.options if o.correct))!r}",
                ("stem",),
                hint="reword this stem, or make sure the two questions never appear in the same test",
                evidence={"gives_away": source.id, "place": line_of(source, "stem"), "key": text},
                severity=Severity.INFO if short else None,
            ))

    @staticmethod
    def _stems_with_all(index: dict[str, set[int]], text: str) -> set[int]:
        """The stems that hold every word of ``text``, intersecting the rarest words first."""
        postings = sorted((index.get(w, set()) for w in set(text.split())), key=len)
        if len(postings) < 2:
            return set(postings[0]) if postings else set()
        found = postings[0] & postings[1]
        for posting in postings[2:]:
            if not found:
                break
            found &= posting
        return found

    def _key(self, item) -> str | None:
        question = item.question
        keys = [o for o in question.options if o.correct]
        if question.type == TRUE_FALSE or len(keys) != 1 or is_meta(keys[0].text) or numeric_option(keys[0].text) is not None:
            return None
        text = " ".join(dropwhile(lambda w: w in STOPWORDS, normalise(keys[0].text).split()))
        words = content_words(keys[0].text)
        if len(text) < self.options["min_chars"] or len(words) < self.options["min_content_words"]:
            return None
        if any(f" {text} " in f" {normalise(o.text)} " for o in question.options if not o.correct):
            return None
        return text
