from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from itertools import dropwhile
from typing import NamedTuple

from qbank.bank import Bank, BankQuestion, Collected, Located
from qbank.diagnostics import Finding, Severity
from qbank.model import TRUE_FALSE
from qbank.rules.base import BankRule
from qbank.rules.bank._key_search import FileKeys, digest, find_keys, stems_digest
from qbank.rules.bank._place import line_of
from qbank.rules.quality._text import STOPWORDS, content_words, is_meta, numeric_option, plain
from qbank.rules.registry import register
from qbank.similarity import normalise


class Cue(NamedTuple):
    """What QB305 collects of a question: its normalised stem; its key as compared and as written, if it counts."""

    stem: str
    key: str | None
    written: str | None


class Cues(NamedTuple):
    """QB305's summary of one file: its stems as the text searched, and the keys that count."""

    haystack: str
    """Each normalised stem between spaces, one per line (a key holds no line break, so no match spans two).
    Not set aside (:class:`~qbank.bank.Aside`): a changed key is looked for in every file's stems."""
    keys: FileKeys
    """(number of the question in the file, key as compared, key as written) of each key that counts."""
    digest: bytes
    """:func:`~qbank.rules.bank._key_search.digest` of ``keys`` (made in the workers, and cached)."""
    stems: bytes
    """:func:`~qbank.rules.bank._key_search.stems_digest` of the haystack (made in the workers, and cached)."""


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
    appears inside one of its own question's distractors. All keys are looked for in all
    stems in one pass (Aho-Corasick), so the rule stays linear in the bank's size. A
    key shorter than
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
    ranges = {"min_chars": (1, math.inf), "min_content_words": (1, math.inf), "warn_chars": (1, math.inf)}

    def collect(self, item: BankQuestion) -> Cue:
        key = self._key(item)
        written = plain(next(o.text for o in item.question.options if o.correct)) if key else None
        return Cue(normalise(item.question.stem), key, written)

    def pack(self, summaries: list[Cue]) -> Cues:
        haystack = "\n".join(f" {cue.stem} " for cue in summaries)
        keys = FileKeys((local, cue.key, cue.written) for local, cue in enumerate(summaries) if cue.key is not None)
        return Cues(haystack, keys, digest(keys), stems_digest(haystack))

    def check(self, bank: Bank, collected: Collected) -> Iterator[Located]:
        files: list[Cues] = collected.packed
        if not any(packed.keys for packed in files):
            return
        digests = [packed.digest for packed in files]
        holding: dict[bytes, list[int]] = defaultdict(list)  # the files that hold each digest's keys
        for number, file_digest in enumerate(digests):
            holding[file_digest].append(number)
        found = set()
        keys = list(zip(digests, (packed.keys for packed in files)))
        haystacks, stems = [packed.haystack for packed in files], [packed.stems for packed in files]
        for at, local, text, places in find_keys(keys, haystacks, stems, collected.memo):
            j = collected.starts[at] + local
            for file_digest, number in places:
                found.update((j, i, text) for i in (collected.starts[n] + number for n in holding.get(file_digest, ())) if i != j)
        for j, i, text in sorted(found):
            source, target = collected.member(i), collected.member(j)
            short = len(text) < self.options["warn_chars"]
            yield target.at(Finding(
                f"the stem contains the answer to question {source.id!r} ({line_of(source, 'stem', seen_from=target)}): "
                f"{self._written(collected, i)!r}",
                ("stem",),
                hint="reword this stem, or make sure the two questions never appear in the same test",
                evidence={"gives_away": source.id, "place": line_of(source, "stem"), "key": text},
                severity=Severity.INFO if short else None,
            ))

    @staticmethod
    def _written(collected: Collected, k: int) -> str:
        """The key of the k-th question as written."""
        at, local = collected.locate(k)
        return next(written for number, _, written in collected.packed[at].keys if number == local)

    def _key(self, item: BankQuestion) -> str | None:
        """The key as compared (normalised, leading function words dropped), when it is long enough to count."""
        question = item.question
        keys = [o for o in question.options if o.correct]
        if question.type == TRUE_FALSE or len(keys) != 1 or is_meta(keys[0].text) or numeric_option(keys[0].text) is not None:
            return None
        text = " ".join(dropwhile(lambda w: w in STOPWORDS, normalise(keys[0].text).split()))
        if len(text) < self.options["min_chars"] or len(content_words(keys[0].text)) < self.options["min_content_words"]:
            return None
        if any(f" {text} " in f" {normalise(o.text)} " for o in question.options if not o.correct and _may_hold(o.text, text)):
            return None
        return text


def _may_hold(text: str, key: str) -> bool:
    """A cheap first look: whether :func:`normalise` of ``text`` may hold ``key``.

    Normalising an ASCII text never makes it longer (it only lowers and drops characters)."""
    return len(text) >= len(key) or not text.isascii()
