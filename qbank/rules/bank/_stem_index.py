"""QB304's search for similar stems, and the index of them it keeps from one lint to the next.

The search (see :mod:`qbank.similarity`): every present stem's LSH key in each band;
stems that share a bucket are candidates (each member of a bucket of more than
MAX_BUCKET linked to its first only); candidates whose signatures agree enough are
compared exactly. :class:`StemIndex` keeps, besides what was found, every band's keys
in sorted order with the number of the stem each belongs to, and a digest of each
file's summaries (:class:`~qbank.bank.Aside`).

After a few files changed, the kept index is updated instead of built again, and gives
exactly what a search from scratch gives:

- The files before the first changed one and after the last are the same (by digest):
  their stems keep their numbers, shifted by the change in count of those between.
- A pair of two unchanged stems is found now if and only if it was found before,
  since a candidate pair's comparison reads only its own two stems, and a pair of two
  unchanged stems that shares a bucket of at most MAX_BUCKET members is a candidate
  whatever else is in it. Only a bucket of more than MAX_BUCKET that a changed stem
  joins or leaves can link unchanged stems differently (its first member may change):
  then the index is built again.
- Pairs with a changed stem are looked up in the updated buckets and compared.

Above :data:`UPDATE_SHARE` of the stems changed, building again is as quick.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple

from qbank.bank import Collected
from qbank.similarity import (
    AGREEMENT_MARGIN,
    BANDS,
    EXACT_BELOW,
    MAX_BUCKET,
    ROWS,
    agreeing,
    bucket_pairs,
    distinct_pairs,
    jaccard_at_least,
    np,
)

KEYS_DIGEST = 16
"""Bytes of the digest that stands for a question's keys: QB304 only asks whether two are the same."""
UPDATE_SHARE = 0.05
"""Above this share of the bank's stems changed (or 2,000 stems, whichever is more), the index is built again."""
LAYOUT = 1


def keys_digest(keys: frozenset[str]) -> bytes:
    return hashlib.blake2b(repr(sorted(keys)).encode(), digest_size=KEYS_DIGEST).digest()


class Stem(NamedTuple):
    """What QB304 collects of a question: its normalised stem and its keys (as :func:`keys_digest`)."""

    text: str
    keys: bytes


class Stems(NamedTuple):
    """QB304's summary of one file: its stems, their MinHash signatures and LSH keys, and their keys
    (read only for the few compared)."""

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


class Pair(NamedTuple):
    """Two stems (by number in the bank) at least as similar as the threshold."""

    first: int
    second: int
    similarity: float
    same_text: bool
    same_keys: bool


class BankStems(Sequence[str]):
    """The normalised stems of the whole bank by number, each file's read and unpacked when one
    of its stems is first asked for: above EXACT_BELOW, only the few compared are."""

    def __init__(self, collected: Collected) -> None:
        self.collected = collected
        self._unpacked: dict[int, list[Stem]] = {}
        self._signatures: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.collected)

    def stem(self, k: int) -> Stem:
        at, local = self.collected.locate(k)
        if at not in self._unpacked:
            self._unpacked[at] = self.collected.packed[at].stems()
        return self._unpacked[at][local]

    def __getitem__(self, k: int) -> str:  # type: ignore[override]
        return self.stem(k).text

    def signatures(self, numbers: np.ndarray) -> np.ndarray:
        """The signature of each stem of ``numbers``, one row each."""
        rows = []
        for k in numbers.tolist():
            at, local = self.collected.locate(k)
            if at not in self._signatures:
                self._signatures[at] = np.frombuffer(self.collected.packed[at].signatures, dtype=np.uint16).reshape(-1, BANDS * ROWS)
            rows.append(self._signatures[at][local])
        return np.stack(rows) if rows else np.zeros((0, BANDS * ROWS), dtype=np.uint16)

    def pairs(self, found: list[tuple[int, int, float]]) -> list[Pair]:
        return [Pair(i, j, similarity, self[i] == self[j], self.stem(i).keys == self.stem(j).keys) for i, j, similarity in found]


@dataclass
class StemIndex:
    """What QB304 keeps between lints (see the module's documentation)."""

    token: tuple
    """The layout and settings the index was made with; another makes it useless."""
    digests: list[bytes | None]
    """Each file's :meth:`~qbank.bank.Collected.digest`, in bank order (None: not set aside, matches nothing)."""
    counts: list[int]
    """How many stems each file has."""
    keys: np.ndarray
    """BANDS × (present stems), uint64: each band's LSH keys in sorted order."""
    numbers: np.ndarray
    """BANDS × (present stems), int32: the number of the stem of each key."""
    found: list[Pair]


def _token(threshold: float) -> tuple:
    return (LAYOUT, BANDS, ROWS, MAX_BUCKET, AGREEMENT_MARGIN, EXACT_BELOW, threshold)


def similar_stems(stems: BankStems, threshold: float) -> list[Pair]:
    """Every pair of stems of the bank at least ``threshold`` similar, sorted; with the rule's memo, kept and updated."""
    if len(stems) <= EXACT_BELOW:
        return stems.pairs(jaccard_at_least(stems, list(combinations(range(len(stems)), 2)), threshold))
    memo = stems.collected.memo
    kept = memo.read() if memo is not None else None
    if not isinstance(kept, StemIndex) or kept.token != _token(threshold):
        kept = None
    index = _updated(kept, stems, threshold) if kept is not None else None
    if index is None:
        index = _built(stems, threshold)
    if memo is not None and index is not kept:
        memo.write(index)
    return index.found


def _evaluated(stems: BankStems, pairs: np.ndarray, threshold: float, signatures: Callable[[np.ndarray], np.ndarray]) -> list[Pair]:
    """The candidate ``pairs`` (sorted) that are at least ``threshold`` similar (``signatures``: of stems by number)."""
    if not len(pairs):
        return []
    likely = agreeing(signatures(pairs[:, 0]), signatures(pairs[:, 1]), threshold)
    return stems.pairs(jaccard_at_least(stems, pairs[likely].tolist(), threshold))


def _joined(stems: BankStems, field: str, files: range) -> bytes:
    return b"".join(getattr(stems.collected.packed[at], field) for at in files)


def _built(stems: BankStems, threshold: float) -> StemIndex:
    collected = stems.collected
    files = range(len(collected.places))
    present = np.frombuffer(_joined(stems, "present", files), dtype=bool)
    keys = np.frombuffer(_joined(stems, "band_keys", files), dtype=np.uint64).reshape(-1, BANDS)
    present_numbers = np.flatnonzero(present)
    by_band = np.ascontiguousarray((keys if len(present_numbers) == len(keys) else keys[present_numbers]).T)
    order = np.argsort(by_band, axis=1)
    sorted_keys = np.take_along_axis(by_band, order, axis=1)
    numbers = present_numbers.astype(np.int32)[order]
    found: list[np.ndarray] = []
    for band_keys, band_numbers in zip(sorted_keys, numbers):
        found += bucket_pairs(band_keys, band_numbers)
    signature = np.frombuffer(_joined(stems, "signatures", files), dtype=np.uint16).reshape(len(stems), -1)
    pairs = _evaluated(stems, distinct_pairs(found, len(stems)), threshold, signature.__getitem__)
    digests = [collected.digest(at) for at in files]
    return StemIndex(_token(threshold), digests, [len(places) for places in collected.places], sorted_keys, numbers, pairs)


def _sound(kept: StemIndex) -> bool:
    """Whether a kept index holds together (a memo may be foreign or damaged)."""
    shape = getattr(kept.keys, "shape", None)
    return (
        shape is not None
        and shape == getattr(kept.numbers, "shape", None)
        and len(shape) == 2
        and shape[0] == BANDS
        and len(kept.digests) == len(kept.counts)
        and shape[1] <= sum(kept.counts)
    )


def _changed_span(old: list[bytes | None], new: list[bytes | None]) -> tuple[int, int]:
    """How many files at the start and at the end of the bank are the same (the rest is what changed)."""
    shortest = min(len(old), len(new))
    start = 0
    while start < shortest and old[start] == new[start]:
        start += 1
    end = 0
    while end < shortest - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, end


def _updated(kept: StemIndex, stems: BankStems, threshold: float) -> StemIndex | None:
    """``kept`` updated to the bank of ``stems`` (itself when nothing changed), or None when it cannot be."""
    collected = stems.collected
    digests = [collected.digest(at) for at in range(len(collected.places))]
    counts = [len(places) for places in collected.places]
    if None in digests or not _sound(kept):
        return None
    start, end = _changed_span(kept.digests, digests)
    if start == len(digests) == len(kept.digests):
        return kept
    first = sum(counts[:start])
    old_stop = sum(kept.counts[: len(kept.counts) - end])
    new_stop = sum(counts[: len(counts) - end])
    if new_stop - first > max(2000, UPDATE_SHARE * len(stems)):
        return None
    changed = range(start, len(counts) - end)
    added_present = np.frombuffer(_joined(stems, "present", changed), dtype=bool)
    added = np.arange(first, new_stop, dtype=np.int32)[added_present]
    added_keys = np.frombuffer(_joined(stems, "band_keys", changed), dtype=np.uint64).reshape(-1, BANDS)[added_present]
    bands = []
    for band in range(BANDS):
        updated = _band_updated(kept.keys[band], kept.numbers[band], first, old_stop, new_stop, added_keys[:, band], added)
        if updated is None:
            return None
        bands.append(updated)
    shift = new_stop - old_stop
    unchanged = [
        pair._replace(first=pair.first + shift * (pair.first >= old_stop), second=pair.second + shift * (pair.second >= old_stop))
        for pair in kept.found
        if not (first <= pair.first < old_stop or first <= pair.second < old_stop)
    ]
    fresh = _evaluated(stems, distinct_pairs([pairs for _, _, pairs in bands], len(stems)), threshold, stems.signatures)
    keys = np.stack([keys for keys, _, _ in bands])
    numbers = np.stack([numbers for _, numbers, _ in bands])
    return StemIndex(kept.token, digests, counts, keys, numbers, sorted(unchanged + fresh))


def _band_updated(
    keys: np.ndarray, numbers: np.ndarray, first: int, old_stop: int, new_stop: int, added_keys: np.ndarray, added: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """One band of the index with the stems numbered ``first`` to ``old_stop`` replaced by ``added``
    (numbered from ``first`` to ``new_stop``), and the candidate pairs that hold an added stem;
    None when a bucket of more than MAX_BUCKET members gains or loses one."""
    gone = (numbers >= first) & (numbers < old_stop)
    touched = np.unique(np.concatenate([keys[gone], added_keys]))
    before = np.searchsorted(keys, touched, "right") - np.searchsorted(keys, touched, "left")
    kept_keys, kept_numbers = keys[~gone], numbers[~gone]
    kept_numbers[kept_numbers >= old_stop] += new_stop - old_stop
    order = np.argsort(added_keys)
    at = np.searchsorted(kept_keys, added_keys[order])
    keys, numbers = np.insert(kept_keys, at, added_keys[order]), np.insert(kept_numbers, at, added[order])
    after = np.searchsorted(keys, touched, "right") - np.searchsorted(keys, touched, "left")
    if len(touched) and max(before.max(), after.max()) > MAX_BUCKET:
        return None
    pairs = []
    joined = np.unique(added_keys)  # the buckets that an added stem is in
    for low, high in zip(np.searchsorted(keys, joined, "left").tolist(), np.searchsorted(keys, joined, "right").tolist()):
        if high - low > 1:
            members = sorted(numbers[low:high].tolist())
            pairs += [(i, j) for i, j in combinations(members, 2) if first <= i < new_stop or first <= j < new_stop]
    return keys, numbers, np.array(pairs, dtype=np.int64).reshape(-1, 2)

