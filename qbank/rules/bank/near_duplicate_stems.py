from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from qbank.bank import Bank, BankQuestion, Collected, Located, Member
from qbank.diagnostics import Finding, Severity
from qbank.rules.base import BankRule
from qbank.rules.bank._place import line_of
from qbank.rules.registry import register
from qbank.similarity import BANDS, EXACT_BELOW, band_keys, normalise, np, signatures, similar_normalised
from qbank.text import normalise_option


KEYS_DIGEST = 16
"""Bytes of the digest that stands for a question's keys: QB304 only asks whether two are the same."""


def keys_of(item: BankQuestion) -> frozenset[str]:
    return frozenset(normalise_option(o.text) for o in item.question.options if o.correct)


def keys_digest(keys: frozenset[str]) -> bytes:
    return hashlib.blake2b(repr(sorted(keys)).encode(), digest_size=KEYS_DIGEST).digest()


class Stem(NamedTuple):
    """What QB304 collects of a question: its normalised stem and its keys (as :func:`keys_digest`)."""

    text: str
    keys: bytes


class Stems(NamedTuple):
    """QB304's summary of one file: its stems, their MinHash signatures and LSH keys, and their keys
    (read only for the few reported)."""

    texts: str
    """The normalised stems, one per line (normalising leaves no line break in a stem)."""
    signatures: bytes
    """The high 16 bits of each value of :func:`qbank.similarity.signatures` of the stems, uint16,
    one row of BANDS × ROWS per stem: enough to tell how far two signatures agree (a chance
    match of 1 in 65,536 per value can only send one more pair to the exact comparison),
    at half the bytes to cache and read."""
    band_keys: bytes
    """:func:`qbank.similarity.band_keys` of the full signatures, uint64, one row of BANDS per stem."""
    keys: bytes
    """Each question's :func:`keys_digest`, KEYS_DIGEST bytes each."""
    present: bytes
    """Whether each stem is not empty (an empty one has no shingles to compare), one byte each, as numpy's bool."""

    def stems(self) -> list[Stem]:
        digests = [self.keys[at : at + KEYS_DIGEST] for at in range(0, len(self.keys), KEYS_DIGEST)]
        return [Stem(text, keys) for text, keys in zip(self.texts.split("\n"), digests)]


class _BankStems(Sequence[str]):
    """The normalised stems of the whole bank by number, each file's unpacked when one of
    its stems is first asked for: above EXACT_BELOW, only the few that the MinHash
    search puts forward are."""

    def __init__(self, collected: Collected) -> None:
        self._collected = collected
        self._unpacked: dict[int, list[Stem]] = {}

    def __len__(self) -> int:
        return len(self._collected)

    def stem(self, k: int) -> Stem:
        at, local = self._collected.locate(k)
        if at not in self._unpacked:
            self._unpacked[at] = self._collected.packed[at].stems()
        return self._unpacked[at][local]

    def __getitem__(self, k: int) -> str:  # type: ignore[override]
        return self.stem(k).text


@register
class NearDuplicateStems(BankRule):
    """Two questions of the bank have the same or almost the same stem.

    Duplicates inflate a bank and let a learner who met one answer the other (Haladyna
    2002, guideline 4; NBME). Stems are compared as sets of character 5-grams after
    removing case, punctuation and Markdown marks; a Jaccard similarity of at least
    ``threshold`` counts. Large banks are searched with MinHash and LSH banding, which
    stays fast at 100,000 questions (see qbank/similarity.py); paraphrases in other
    words are not found. Each later question is reported once, against its closest
    earlier match:

    - the same stem with a different key: error, one of them is probably miskeyed;
    - a near-identical stem with the same key: warning, a duplicate;
    - a similar stem with a different key: info, often a deliberate variant; make the
      difference visible or suppress it with ``lint: {ignore: [QB304]}``.

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
          - id: q2
            stem: Which layer turns token IDs into dense vectors?
            explanation: Embedding is a trainable lookup table.
            options:
              - text: Embedding
                correct: true
              - text: Flatten
                why: It only reshapes.

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
          - id: q2
            stem: Which argument of pad_sequences chooses the side that gets the zeros?
            explanation: padding="pre" or "post".
            options:
              - text: padding
                correct: true
              - text: truncating
                why: It chooses the side that is cut.
    """

    code = "QB304"
    preload = ("numpy",)  # MinHash signatures are made in the workers
    name = "near-duplicate-stems"
    group = "bank"
    severity = Severity.ERROR
    defaults = {"threshold": 0.8}

    def collect(self, item: BankQuestion) -> Stem:
        return Stem(normalise(item.question.stem), keys_digest(keys_of(item)))

    def pack(self, summaries: list[Stem]) -> Stems:
        texts = [stem.text for stem in summaries]
        signature = signatures(texts)
        high = (signature >> np.uint32(16)).astype(np.uint16)
        keys = b"".join(stem.keys for stem in summaries)
        present = np.array([bool(text) for text in texts], dtype=bool).tobytes()
        return Stems("\n".join(texts), high.tobytes(), band_keys(signature).tobytes(), keys, present)

    def check(self, bank: Bank, collected: Collected) -> Iterator[Located]:
        files: list[Stems] = collected.packed
        stems = _BankStems(collected)
        signature = keys = present = None
        if len(stems) > EXACT_BELOW:
            present = np.frombuffer(b"".join(packed.present for packed in files), dtype=bool)
            signature = np.frombuffer(b"".join(packed.signatures for packed in files), dtype=np.uint16).reshape(len(stems), -1)
            keys = np.frombuffer(b"".join(packed.band_keys for packed in files), dtype=np.uint64).reshape(-1, BANDS)
        best: dict[int, tuple[tuple, int, float]] = {}
        for i, j, similarity in similar_normalised(stems, signature, self.options["threshold"], keys=keys, present=present):
            level = self._level(stems.stem(i), stems.stem(j))
            rank = (level.rank, -similarity, i)
            if j not in best or rank < best[j][0]:
                best[j] = (rank, i, similarity)
        for j in sorted(best):
            _, i, similarity = best[j]
            second = collected.member(j, stems.stem(j))
            yield second.at(self._finding(collected.member(i, stems.stem(i)), second, similarity))

    @staticmethod
    def _level(first: Stem, second: Stem) -> Severity:
        same_key = first.keys == second.keys
        if first.text == second.text and not same_key:
            return Severity.ERROR
        return Severity.WARNING if same_key else Severity.INFO

    def _finding(self, first: Member, second: Member, similarity: float) -> Finding:
        level = self._level(first.summary, second.summary)
        where = f"question {first.id!r} ({line_of(first, 'stem', seen_from=second)})"
        if level is Severity.ERROR:
            message = f"the same stem as {where} but a different key; one of them is probably miskeyed"
            hint = "fix the key, or make the stems ask different things"
        elif level is Severity.WARNING:
            message = f"the stem is {similarity:.0%} similar to {where}, with the same key: a duplicate"
            hint = "delete one, or rewrite it to test something else"
        else:
            message = f"the stem is {similarity:.0%} similar to {where}, with a different key"
            hint = "if they ask the same thing one is miskeyed; if not, make the difference stand out"
        return Finding(
            message,
            ("stem",),
            hint=hint,
            evidence={"similar_to": first.id, "place": line_of(first, "stem"), "similarity": round(similarity, 3), "same_key": first.summary.keys == second.summary.keys},
            severity=level,
        )
