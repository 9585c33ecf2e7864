"""QB304's search for similar stems, and the index of them it keeps from one lint to the next.

The search (see :mod:`qbank.similarity`): every present stem's LSH key in each band;
stems that share a bucket are candidates (each member of a bucket of more than
MAX_BUCKET linked to its first only); candidates whose signatures agree enough are
compared exactly. :class:`StemIndex` keeps, besides what was found, every band's keys
in sorted order with the number of the stem each belongs to, and a digest of each
file's summaries (:class:`~qbank.bank.Aside`).

After a few files changed, the kept index is updated instead of built again, and gives
exactly what a search from scratch gives:

- The files that are the same before and after (by digest, matched in bank order as
  :class:`difflib.SequenceMatcher` matches them) keep their stems, renumbered; the
  stems of the other files went or came. Several changed files far apart are one update.
- A pair of two unchanged stems is found now if and only if it was found before,
  since a candidate pair's comparison reads only its own two stems, and a pair of two
  unchanged stems that shares a bucket of at most MAX_BUCKET members is a candidate
  whatever else is in it. A bucket of more than MAX_BUCKET links its members to its
  first: a changed stem that joins or leaves it changes no pair of unchanged stems
  as long as the bucket stays that crowded and its first stays the same unchanged
  stem. Otherwise (the bucket crosses MAX_BUCKET, or its first changes) the index is
  built again.
- Pairs with a changed stem are looked up in the buckets it leaves or joins (read off the kept bands
  and the new stems' keys, without splicing the bands) and compared.

Above :data:`UPDATE_SHARE` of the stems changed, building again is as quick. An index
updated for a few files is not written back at once (:data:`REWRITE_AT`): the kept one
is updated again next time, which costs less than writing the whole index each lint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import accumulate, combinations
from typing import Any, NamedTuple

from qbank.bank import Collected
from qbank.similarity import (
    AGREEMENT_MARGIN,
    BANDS,
    EXACT_BELOW,
    MAX_BUCKET,
    ROWS,
    agreeing,
    bucket_pairs,
    candidate_pairs,
    distinct,
    distinct_pairs,
    jaccard_at_least,
    np,
)

KEYS_DIGEST = 16
"""Bytes of the digest that stands for a question's keys: QB304 only asks whether two are the same."""
UPDATE_SHARE = 0.05
UPDATE_AT_LEAST = 2000
"""Above UPDATE_SHARE of the bank's stems changed (or UPDATE_AT_LEAST stems, whichever is more), the index is built again."""
REWRITE_AT = 1000
"""An index updated for fewer stems than this (gone or new since the kept one was written: an
edited file of 100 questions counts 200) is not written again while the bank keeps changing. The
next lint updates the kept one for those stems and its own for about the same cost (an update looks
only at the buckets the changed stems touch: about 12 ms at 100,000 stems), while writing the index
costs more (38 MB with every stem's signature, and its bands spliced first). It is written once a
lint finds the bank as the last one left it (at rest), or once it is this many stems behind."""
LAYOUT = 2


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

    def __len__(self) -> int:
        return len(self.collected)

    def stem(self, k: int) -> Stem:
        at, local = self.collected.locate(k)
        if at not in self._unpacked:
            self._unpacked[at] = self.collected.packed[at].stems()
        return self._unpacked[at][local]

    def __getitem__(self, k: int) -> str:  # type: ignore[override]
        return self.stem(k).text

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
    signatures: np.ndarray
    """(stems) × (BANDS × ROWS), uint16: each stem's signature as :class:`Stems` keeps it, so that an
    update compares a changed stem with an unchanged one without reading the unchanged one's file."""
    found: list[Pair]


def _token(threshold: float) -> tuple:
    return (LAYOUT, BANDS, ROWS, MAX_BUCKET, AGREEMENT_MARGIN, EXACT_BELOW, threshold)


def similar_stems(stems: BankStems, threshold: float) -> list[Pair]:
    """Every pair of stems of the bank at least ``threshold`` similar, sorted; with the rule's memo, kept and updated."""
    if len(stems) <= EXACT_BELOW:
        return stems.pairs(jaccard_at_least(stems, list(combinations(range(len(stems)), 2)), threshold))
    memo = stems.collected.memo
    if memo is None:  # nothing to keep: only the buckets that hold two stems or more are sorted out
        return _searched(stems, threshold)
    kept = memo.read()
    if not isinstance(kept, StemIndex) or kept.token != _token(threshold):
        kept = None
    updated = _updated(kept, stems, threshold) if kept is not None else None
    if updated is None:
        index = _built(stems, threshold)
        memo.write(index)
        return index.found
    if updated.behind and (updated.behind >= REWRITE_AT or _at_rest(memo, updated.digests)):
        memo.write(updated.index())
    return updated.found


def _at_rest(memo: Any, digests: list[bytes | None]) -> bool:
    """Whether the bank's files are as the last lint found them (their digests, kept beside the
    index); records them for the next lint when not."""
    seen = memo.beside("seen")
    if seen.read() == digests:
        return True
    seen.write(digests)
    return False


def _evaluated(stems: BankStems, pairs: np.ndarray, threshold: float, signatures: Callable[[np.ndarray], np.ndarray]) -> list[Pair]:
    """The candidate ``pairs`` (sorted) that are at least ``threshold`` similar (``signatures``: of stems by number)."""
    if not len(pairs):
        return []
    likely = agreeing(signatures(pairs[:, 0]), signatures(pairs[:, 1]), threshold)
    return stems.pairs(jaccard_at_least(stems, pairs[likely].tolist(), threshold))


def _joined(stems: BankStems, field: str, files: range) -> bytes:
    return b"".join(getattr(stems.collected.packed[at], field) for at in files)


def _bank_arrays(stems: BankStems) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whether each stem is present, their LSH keys and their signatures, for the whole bank."""
    files = range(len(stems.collected.places))
    present = np.frombuffer(_joined(stems, "present", files), dtype=bool)
    keys = np.frombuffer(_joined(stems, "band_keys", files), dtype=np.uint64).reshape(-1, BANDS)
    signature = np.frombuffer(_joined(stems, "signatures", files), dtype=np.uint16).reshape(len(stems), -1)
    return present, keys, signature


def _searched(stems: BankStems, threshold: float) -> list[Pair]:
    present, keys, signature = _bank_arrays(stems)
    return _evaluated(stems, candidate_pairs(keys, present), threshold, signature.__getitem__)


def _built(stems: BankStems, threshold: float) -> StemIndex:
    collected = stems.collected
    present, keys, signature = _bank_arrays(stems)
    present_numbers = np.flatnonzero(present)
    by_band = np.ascontiguousarray((keys if len(present_numbers) == len(keys) else keys[present_numbers]).T)
    order = np.argsort(by_band, axis=1)
    sorted_keys = np.take_along_axis(by_band, order, axis=1)
    numbers = present_numbers.astype(np.int32)[order]
    found: list[np.ndarray] = []
    for band_keys, band_numbers in zip(sorted_keys, numbers):
        found += bucket_pairs(band_keys, band_numbers)
    pairs = _evaluated(stems, distinct_pairs(found, len(stems)), threshold, signature.__getitem__)
    return StemIndex(_token(threshold), *_files_now(collected), sorted_keys, numbers, signature, pairs)


def _files_now(collected: Collected) -> tuple[list[bytes | None], list[int]]:
    """Each file's digest and how many stems it has, in bank order."""
    return [collected.digest(at) for at in range(len(collected.places))], [len(places) for places in collected.places]


def _sound(kept: StemIndex) -> bool:
    """Whether a kept index holds together (a memo may be foreign or damaged)."""
    shape = getattr(kept.keys, "shape", None)
    return (
        shape is not None
        and shape == getattr(kept.numbers, "shape", None)
        and len(shape) == 2
        and shape[0] == BANDS
        and getattr(kept.signatures, "shape", None) == (sum(kept.counts), BANDS * ROWS)
        and len(kept.digests) == len(kept.counts)
        and shape[1] <= sum(kept.counts)
        and 0 <= int(kept.numbers.min(initial=0)) <= int(kept.numbers.max(initial=0)) < max(sum(kept.counts), 1)
        and all(0 <= pair.first < pair.second < sum(kept.counts) for pair in kept.found)
    )


def _matching_files(old: list[bytes | None], new: list[bytes | None]) -> list[tuple[int, int, int]]:
    """(first old file, first new file, how many) of each run of files that are the same (by digest)
    before and after, in bank order; every other file changed, came or went."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [(a, b, size) for a, b, size in matcher.get_matching_blocks() if size]


@dataclass
class _Change:
    """How the stems of the kept index map to the bank's now."""

    renumbered: np.ndarray
    """Each kept stem's number now, or -1 where its file changed or went."""
    added: np.ndarray
    """Whether each stem of the bank now is new (its file changed or came)."""

    def gone(self, number: int) -> bool:
        return self.renumbered[number] < 0


def _change(kept: StemIndex, counts: list[int], matching: list[tuple[int, int, int]]) -> _Change:
    old_starts, new_starts = list(accumulate(kept.counts, initial=0)), list(accumulate(counts, initial=0))
    renumbered = np.full(old_starts[-1], -1, dtype=np.int32)
    added = np.ones(new_starts[-1], dtype=bool)
    for old_file, new_file, size in matching:
        low, high, to = old_starts[old_file], old_starts[old_file + size], new_starts[new_file]
        renumbered[low:high] = np.arange(to, to + high - low, dtype=np.int32)
        added[to : to + high - low] = False
    return _Change(renumbered, added)


class _Update(NamedTuple):
    """A kept index brought up to the bank: what it finds, and the whole index, made only to be kept."""

    found: list[Pair]
    digests: list[bytes | None]
    behind: int
    """How many stems went or came since the kept index was written."""
    index: Callable[[], StemIndex]


def _updated(kept: StemIndex, stems: BankStems, threshold: float) -> _Update | None:
    """``kept`` updated to the bank of ``stems``, or None when it cannot be updated.

    Only the buckets that a changed stem leaves or joins are looked at, and only the
    changed stems' files are read: the bands spliced into the index of the bank now
    (:func:`_bands_spliced`) are made when that index is to be kept, which is not at
    every lint (:data:`REWRITE_AT`)."""
    collected = stems.collected
    digests, counts = _files_now(collected)
    if None in digests or not _sound(kept):
        return None
    matching = _matching_files(kept.digests, digests)
    if len(digests) == len(kept.digests) == sum(size for _, _, size in matching):
        return _Update(kept.found, kept.digests, 0, lambda: kept)
    change = _change(kept, counts, matching)
    moved = int(np.count_nonzero(change.renumbered < 0) + np.count_nonzero(change.added))
    if moved > max(UPDATE_AT_LEAST, UPDATE_SHARE * len(stems)):
        return None
    matched = {new_file + k for _, new_file, size in matching for k in range(size)}
    unmatched = [at for at in range(len(counts)) if at not in matched]
    added_present = np.frombuffer(_joined(stems, "present", unmatched), dtype=bool)
    added = np.flatnonzero(change.added).astype(np.int32)[added_present]
    added_keys = np.frombuffer(_joined(stems, "band_keys", unmatched), dtype=np.uint64).reshape(-1, BANDS)[added_present]
    pairs = _touched_pairs(kept, change, added_keys, added)
    if pairs is None:
        return None
    signatures = _Signatures(kept, change, np.frombuffer(_joined(stems, "signatures", unmatched), dtype=np.uint16).reshape(-1, BANDS * ROWS))
    renumbered = change.renumbered.tolist()
    unchanged = [
        pair._replace(first=renumbered[pair.first], second=renumbered[pair.second])
        for pair in kept.found
        if renumbered[pair.first] >= 0 and renumbered[pair.second] >= 0
    ]
    found = sorted(unchanged + _evaluated(stems, distinct_pairs([pairs], len(stems)), threshold, signatures.of))

    def index() -> StemIndex:
        keys, numbers = _bands_spliced(kept, change, added_keys, added)
        return StemIndex(kept.token, digests, counts, keys, numbers, signatures.of(np.arange(len(stems))), found)

    return _Update(found, digests, moved, index)


class _Signatures:
    """The signatures of the bank's stems now, by number: an unchanged stem's from the kept index, a new
    one's from the summaries of its file (``added``: those of every new stem, in order)."""

    def __init__(self, kept: StemIndex, change: _Change, added: np.ndarray) -> None:
        staying = np.flatnonzero(change.renumbered >= 0)
        self.old = np.full(len(change.added), -1, dtype=np.int64)
        self.old[change.renumbered[staying]] = staying
        self.added_at = np.full(len(change.added), -1, dtype=np.int64)
        self.added_at[np.flatnonzero(change.added)] = np.arange(len(added))
        self.kept = kept.signatures
        self.added = added

    def of(self, numbers: np.ndarray) -> np.ndarray:
        old = self.old[numbers]
        rows = np.empty((len(numbers), BANDS * ROWS), dtype=np.uint16)
        staying = old >= 0
        rows[staying] = self.kept[old[staying]]
        rows[~staying] = self.added[self.added_at[numbers[~staying]]]
        return rows


def _touched_pairs(kept: StemIndex, change: _Change, added_keys: np.ndarray, added: np.ndarray) -> np.ndarray | None:
    """The candidate pairs that hold an added stem (``added``: their numbers now, their keys ``added_keys``,
    one row each), from the buckets of the kept bands that the change touches; None when a bucket of more
    than MAX_BUCKET members gains or loses one such that its pairs of unchanged stems could change.

    A bucket now holds its kept members that stay and the added stems of its key: it is read off
    the kept band and the added keys, without splicing the band (a stem is in every band once)."""
    inserted_keys, inserted_numbers = _inserted(added_keys, added)
    is_added = set(added.tolist())
    pairs: list[tuple[int, int]] = []
    for band in range(BANDS):
        keys = kept.keys[band]
        renumbered = change.renumbered[kept.numbers[band]]
        removed = keys[np.flatnonzero(renumbered < 0)]  # sorted, as the band is
        touched = distinct(np.concatenate([removed, inserted_keys[band]]))
        old_low, old_high = np.searchsorted(keys, touched, "left"), np.searchsorted(keys, touched, "right")
        add_low, add_high = np.searchsorted(inserted_keys[band], touched, "left"), np.searchsorted(inserted_keys[band], touched, "right")
        old_size = old_high - old_low
        size = old_size - (np.searchsorted(removed, touched, "right") - np.searchsorted(removed, touched, "left")) + (add_high - add_low)
        crowded = np.maximum(size, old_size) > MAX_BUCKET
        shared = ~crowded & (size >= 2)  # most touched buckets hold one stem: no pair
        for low, high, first_added, end_added in zip(old_low[shared].tolist(), old_high[shared].tolist(), add_low[shared].tolist(), add_high[shared].tolist()):
            members = _members(renumbered[low:high], inserted_numbers[band, first_added:end_added])
            pairs += [(i, j) for i, j in combinations(members, 2) if i in is_added or j in is_added]
        for low, high, first_added, end_added, now in zip(
            old_low[crowded].tolist(), old_high[crowded].tolist(), add_low[crowded].tolist(), add_high[crowded].tolist(), size[crowded].tolist()
        ):
            # A crowded bucket links each member to its first only: the pairs of unchanged stems stay
            # the same if it was and stays crowded and its first is an unchanged stem.
            members = _members(renumbered[low:high], inserted_numbers[band, first_added:end_added])
            old_first = int(kept.numbers[band, low:high].min())
            if min(high - low, now) <= MAX_BUCKET or change.gone(old_first) or members[0] in is_added:
                return None
            pairs += [(members[0], j) for j in members[1:] if j in is_added]
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


def _inserted(added_keys: np.ndarray, added: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each band's added keys in sorted order (BANDS × added) and the number of the stem of each."""
    order = np.argsort(added_keys.T, axis=1)
    return np.take_along_axis(added_keys.T, order, axis=1), added[order]


def _members(kept: np.ndarray, added: np.ndarray) -> list[int]:
    """The stems of a bucket now, sorted: its kept members that stay (their numbers now, -1 for gone) and the added ones."""
    return sorted([number for number in kept.tolist() if number >= 0] + added.tolist())


def _bands_spliced(kept: StemIndex, change: _Change, added_keys: np.ndarray, added: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bands of ``kept`` renumbered by ``change``, without the stems that went and with ``added``
    (their numbers now, their keys ``added_keys``, one row each): each band's keys in sorted order and
    the number of the stem of each."""
    inserted_keys, inserted_numbers = _inserted(added_keys, added)
    # Band by band, without a mask over the whole index: the kept keys that stay are copied in runs,
    # each added key going before the first kept key not below it (after the added keys before it).
    staying = int(np.count_nonzero(change.renumbered[kept.numbers[0]] >= 0))  # as many in every band
    keys = np.empty((BANDS, staying + len(added)), dtype=np.uint64)
    numbers = np.empty(keys.shape, dtype=np.int32)
    for band in range(BANDS):
        renumbered = change.renumbered[kept.numbers[band]]
        gone = np.flatnonzero(renumbered < 0)
        runs = _runs(gone.tolist(), np.searchsorted(kept.keys[band], inserted_keys[band]).tolist())
        _splice(kept.keys[band], inserted_keys[band], runs, keys[band])
        _splice(renumbered, inserted_numbers[band], runs, numbers[band])
    return keys, numbers


def _runs(gone: list[int], before: list[int]) -> list[tuple[int, int, int]]:
    """How to splice a band: (start, stop, added) for each run of kept values ``[start:stop]``
    followed by added value number ``added`` (-1: none), given the positions of the values that
    went (``gone``) and the position each added value goes before (``before``), both sorted."""
    runs, start, at, k = [], 0, 0, 0
    while at < len(gone) or k < len(before):
        if k < len(before) and (at == len(gone) or before[k] <= gone[at]):
            runs.append((start, before[k], k))
            start, k = before[k], k + 1
        else:
            runs.append((start, gone[at], -1))
            start, at = gone[at] + 1, at + 1
    runs.append((start, -1, -1))
    return runs


def _splice(values: np.ndarray, added: np.ndarray, runs: list[tuple[int, int, int]], out: np.ndarray) -> None:
    """``values`` spliced by ``runs`` (see :func:`_runs`) with ``added``, copied into ``out``."""
    pieces = []
    for start, stop, k in runs:
        pieces.append(values[start:stop] if stop >= 0 else values[start:])
        if k >= 0:
            pieces.append(added[k : k + 1])
    np.concatenate(pieces, out=out)
