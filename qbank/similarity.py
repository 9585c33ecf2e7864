"""Near-duplicate texts in sub-quadratic time: one-permutation MinHash with LSH banding, then exact Jaccard.

Texts are compared as sets of 5-byte shingles of their normalised UTF-8 form (case,
punctuation and whitespace removed; digits kept), the character 5-gram measure that
evalint and MedIWF use for duplicate items.

Up to :data:`EXACT_BELOW` texts, every pair is compared exactly. Above that, each text
gets a signature of ``BANDS × ROWS`` = 96 values, and texts that agree on all 6 rows of
at least one of the 16 bands become candidates. The signature is one-permutation MinHash
with optimal densification (Li, Owen and Zhang, "One Permutation Hashing", NIPS 2012;
Shrivastava, "Optimal Densification for Fast and Accurate Minwise Hashing", ICML 2017):
each shingle is hashed once and falls in one of the 96 bins, a bin keeps its
lowest-ranked shingle, and a bin that no shingle fell in takes the value of the first
filled bin in a random order of the bins fixed for it. Two texts agree on a value with
probability equal to their Jaccard similarity, as with 96 independent hash functions,
for one hash of each shingle instead of 96. The values are not independent (a short
text fills few bins, and the empty ones copy them), so the band probabilities of
independent MinHash, 1 - (1 - J⁶)¹⁶, were checked by simulation (random texts of 40,
130 and 300 characters, 2,000 pairs each): a pair at Jaccard 0.8 becomes a candidate
with probability 0.989-0.994 (independent values: 0.992), at 0.85 with 0.999-1.0
(0.9995), at 0.3 with 0.011-0.012 (0.012). A candidate whose signatures agree on
fewer than ``threshold - AGREEMENT_MARGIN`` of their values is dropped: the agreement
of pairs at 0.8 spread as for independent values (standard deviation 0.034-0.045
against 0.041, under which falling to 0.6 has probability below 1e-6), and none of
the 6,000 fell that low. Texts that share a long code block make many candidates at
Jaccard 0.3-0.6; every candidate left is checked exactly, so the search can only miss
a pair, never invent one.

The signatures and LSH keys are computed for many texts at once with numpy (the
splitmix64 finaliser for the shingles and a fixed seed for the orders of the bins, so
every run gives the same result). datasketch's per-object API was measured first:
0.5 ms per text, about a minute for 100,000 stems, against a few seconds here (see
bench/near_duplicates.py); 96 multiply-shift hash functions, each a pass over all
shingles, came next and cost 3.4 times the present signatures. A text's signature and
keys depend on that text only: QB304 makes both file by file in the worker processes and keeps them
in the lint cache. numpy is imported only when a function here needs it.

Paraphrases in other words are out of reach of any n-gram measure.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations
from types import ModuleType

from qbank.memo import per_file


class _Numpy(ModuleType):
    """numpy, imported when first used: ``qbank --help`` and the workers' question rules never need it."""

    def __getattr__(self, name: str):
        import numpy  # noqa: PLC0415

        globals()["np"] = numpy
        return getattr(numpy, name)


np = _Numpy("numpy")

SHINGLE = 5
EXACT_BELOW = 400
"""Up to this many texts, every pair is compared exactly (at most 80,000 comparisons)."""
BANDS, ROWS = 16, 6
SEED = 20240601
AGREEMENT_MARGIN = 0.2
"""A candidate is compared exactly only when its signatures agree on at least threshold - this."""
MAX_BUCKET = 50
"""Above this many texts in one LSH bucket (mass duplicates), link each to the bucket's first only."""

_NOT_WORD = re.compile(r"[\W_]+")
_ASCII_WORD_BYTES = bytes((ord(chr(b).lower()) if chr(b).isalnum() else 32) if b < 128 else b for b in range(256))
"""For ASCII text: letters lowered, digits kept, every other character a space."""


@per_file
def normalise(text: str) -> str:
    """Casefold, drop punctuation and Markdown marks, collapse whitespace; digits stay.

    Remembered for the file in hand (:mod:`qbank.memo`), so that QB304 and QB305 collect
    the very same string of a stem, which then travels and is cached once. ASCII text (NFKC leaves it alone, casefold is
    lower) takes a byte table instead of the regex: the same string, five times sooner."""
    if text.isascii():
        return b" ".join(text.encode().translate(_ASCII_WORD_BYTES).split()).decode()
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _mix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, in place on ``x`` (uint64), which it returns: spreads 5-byte shingles over 64 bits.

    In place because fresh arrays for each step cost four times the arithmetic."""
    shifted = np.empty_like(x)
    for shift, factor in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB), (31, None)):
        np.right_shift(x, np.uint64(shift), out=shifted)
        np.bitwise_xor(x, shifted, out=x)
        if factor is not None:
            np.multiply(x, np.uint64(factor), out=x)
    return x


def _shingle_mixes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """For all texts at once: (document index, 64-bit mixed shingle), grouped by document in order.

    ``texts`` are already normalised (:func:`normalise`). A text shorter than a
    shingle is padded to one shingle; an empty text has none. A shingle may repeat
    within a document.
    """
    blobs = [text.encode("utf-8") for text in texts]
    blobs = [blob.ljust(SHINGLE, b"\0") if blob else blob for blob in blobs]
    lengths = np.fromiter(map(len, blobs), dtype=np.int64, count=len(blobs))
    data = b"".join(blobs)
    windows = len(data) - SHINGLE + 1
    if windows <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    # Every window of 8 bytes as a big-endian number, one byte apart (unaligned reads of a padded
    # copy); its high SHINGLE bytes are the shingle.
    eight = np.ndarray((windows,), dtype=">u8", buffer=data + bytes(8 - SHINGLE), strides=(1,))
    # In native order, as numpy's own uint64: the byte-swapped dtype that ">u8" arithmetic returns
    # looks the same but sends np.minimum.at down a path 20 times slower.
    packed = eight.astype(np.uint64)
    np.right_shift(packed, np.uint64(8 * (8 - SHINGLE)), out=packed)
    inside = np.ones(windows, dtype=bool)  # not the windows that start in the last SHINGLE - 1 bytes of a text
    across = (np.cumsum(lengths)[:, None] - np.arange(1, SHINGLE)).ravel()
    inside[across[(across >= 0) & (across < windows)]] = False
    docs = np.repeat(np.arange(len(blobs), dtype=np.int64), np.maximum(lengths - (SHINGLE - 1), 0))
    return docs, _mix(packed[inside])


def shingle_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """For all texts at once: (document index, 32-bit shingle hash), grouped by document in order.

    ``texts`` are already normalised (:func:`normalise`). A text shorter than a
    shingle is padded to one shingle; an empty text has none. A shingle may repeat
    within a document (sets are taken where it matters).
    """
    docs, mixed = _shingle_mixes(texts)
    return docs, mixed >> np.uint64(32)


PROBE_ORDER_FILE = "minhash_probe_order.bin"
"""The orders of :func:`_probe_order`, BANDS·ROWS rows of BANDS·ROWS bytes, as made once by
``numpy.random.default_rng(SEED)``: ``permutation(BANDS * ROWS)`` for each bin in turn (a test makes
them again and compares). Stored, not drawn on every run: drawing them imported numpy.random
(8 ms in every process that makes signatures), and numpy does not promise the same draws from
one release to the next, which would change every signature while the cached ones stayed."""


@lru_cache(maxsize=1)
def _probe_order() -> np.ndarray:
    """For each bin j, a random order of all BANDS·ROWS bins (fixed, see :data:`PROBE_ORDER_FILE`): the
    bins an empty bin j tries in turn, taking the value of the first one that is not empty (optimal
    densification).

    One independent permutation per bin: the first bin of it that is not empty is uniform over the
    bins that are not empty, as with Shrivastava's repeated random probes, and the search always
    ends within one permutation."""
    from importlib.resources import files  # noqa: PLC0415

    size = BANDS * ROWS
    stored = (files("qbank") / "data" / PROBE_ORDER_FILE).read_bytes()
    return np.frombuffer(stored, dtype=np.uint8).reshape(size, size).astype(np.intp)


_PROBE_STEPS = (0, 4, 16, BANDS * ROWS)
"""The probes of :func:`_densify` are tried in these slices: most empty bins are filled by the first few."""


@lru_cache(maxsize=1)
def _probe_slices() -> list[np.ndarray]:
    order = _probe_order()
    return [np.ascontiguousarray(order[:, start:stop]) for start, stop in zip(_PROBE_STEPS, _PROBE_STEPS[1:])]


def _densify(value: np.ndarray, filled: np.ndarray) -> None:
    """Fill each empty bin of each row of ``value`` (n × bins) in place with the value of the first
    bin of its probe order that is filled in that row. Rows without a filled bin stay as they are."""
    size = filled.shape[1]
    filled_flat, value_flat = filled.ravel(), value.reshape(-1)
    empty = np.flatnonzero((~filled & filled.any(axis=1, keepdims=True)).ravel())
    bins = empty % size
    base = empty - bins
    for probes in _probe_slices():
        if not len(empty):
            return
        width = probes.shape[1]
        tried = probes[bins]
        tried += base[:, None]
        first = filled_flat[tried].argmax(axis=1)  # the first filled bin tried, or 0 when none is
        at = tried.ravel()[np.arange(0, len(tried) * width, width) + first]
        found = filled_flat[at]
        value_flat[empty[found]] = value_flat[at[found]]
        keep = np.flatnonzero(~found)
        empty, bins, base = empty[keep], bins[keep], base[keep]
    assert not len(empty), "a permutation of all bins meets every filled bin"


def signatures(texts: Sequence[str]) -> np.ndarray:
    """One-permutation MinHash signatures of normalised texts, densified (len(texts) × BANDS·ROWS, uint32).

    Each shingle is hashed once; the high bits of its hash choose one of the BANDS·ROWS bins,
    the low 32 bits rank it, and a bin keeps its lowest-ranked shingle (Li, Owen and Zhang,
    NIPS 2012). An empty bin takes the value of the first filled bin in its own fixed random
    probe order (optimal densification, Shrivastava, ICML 2017). The value stored is the winning
    rank times an odd constant (mod 2³²), so that the high 16 bits QB304 keeps are spread too.

    A text without shingles (an empty one) gets all maxima. A text's signature depends
    on that text only, so signatures can be made file by file and stacked (QB304 does
    so in the worker processes).
    """
    size = BANDS * ROWS
    docs, mixed = _shingle_mixes(texts)
    empty = np.uint64(1 << 32)  # above every rank
    lowest = np.full(len(texts) * size, empty, dtype=np.uint64)
    if len(docs):
        slot = mixed >> np.uint64(32)  # the high 32 bits choose the bin: scaled to [0, size) ...
        slot *= np.uint64(size)
        slot >>= np.uint64(32)
        slot += docs.astype(np.uint64) * np.uint64(size)  # ... of the text's row
        np.minimum.at(lowest, slot, mixed & np.uint64(0xFFFFFFFF))  # the low 32 bits rank
    lowest = lowest.reshape(len(texts), size)
    filled = lowest != empty
    # A bijection of the 32-bit rank that spreads the low ranks that win over the high bits too.
    signature = lowest.astype(np.uint32) * np.uint32(0x9E3779B1)
    _densify(signature, filled)
    signature[~filled.any(axis=1)] = np.iinfo(np.uint32).max
    return signature


def band_keys(signature: np.ndarray) -> np.ndarray:
    """The LSH key of each band of each signature (rows × BANDS, uint64): the band's rows mixed in turn."""
    rows = signature.reshape(len(signature), BANDS, ROWS).astype(np.uint64)
    keys = np.zeros((len(signature), BANDS), dtype=np.uint64)
    for row in range(ROWS):  # every band at once
        keys = (keys * np.uint64(0x9E3779B97F4A7C15)) ^ rows[:, :, row]
    return keys


def _shared_key_rows(key: np.ndarray, slots: int) -> np.ndarray:
    """The rows of ``key`` whose value some other row may share: those whose low bits are not alone.

    Counting the low bits (``slots``, a power of two) is linear; rows that share a key
    share its low bits, so only the rows kept here need sorting.
    """
    slot = (key & np.uint64(slots - 1)).astype(np.intp)
    return np.flatnonzero(np.bincount(slot, minlength=slots)[slot] > 1)


def _bucket_pairs(members: np.ndarray, starts: np.ndarray, size: int) -> np.ndarray:
    """The pairs of texts in the LSH buckets of one ``size`` (more than two), each bucket
    ``members[start : start + size]``: every pair, or above MAX_BUCKET each member linked
    to the bucket's first (smallest) text only. An (m, 2) array."""
    members = np.sort(members[starts[:, None] + np.arange(size)], axis=1)
    if size > MAX_BUCKET:
        first, second = np.zeros(size - 1, dtype=np.intp), np.arange(1, size)
    else:
        first, second = np.triu_indices(size, 1)
    return np.stack([members[:, first].ravel(), members[:, second].ravel()], axis=1)


def bucket_pairs(ordered: np.ndarray, members: np.ndarray) -> list[np.ndarray]:
    """The candidate pairs of one band: ``ordered`` is its keys in sorted order (of the
    texts that share a key with another, or of all), ``members`` the text of each.
    A list of (m, 2) arrays, each pair in either order."""
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return []
    starts = np.flatnonzero(np.r_[True, ~same])
    sizes = np.diff(np.r_[starts, len(ordered)])
    found = []
    pairs_of_two = starts[sizes == 2]
    if len(pairs_of_two):
        found.append(np.stack([members[pairs_of_two], members[pairs_of_two + 1]], axis=1))
    for size in distinct(sizes[sizes > 2]).tolist():
        found.append(_bucket_pairs(members, starts[sizes == size], size))
    return found


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-D array, sorted: :func:`numpy.unique` without its import of numpy.ma (7 ms)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def distinct_pairs(found: list[np.ndarray], count: int) -> np.ndarray:
    """The pairs of ``found`` (of texts numbered below ``count``) as (i < j), each once, sorted; an (m, 2) array."""
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(found).astype(np.int64), axis=1)
    width = np.int64(count)  # a pair as one number, i * width + j, so that a 1-D unique sorts them
    codes = distinct(pairs[:, 0] * width + pairs[:, 1])
    return np.stack([codes // width, codes % width], axis=1)


def candidate_pairs(keys: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Pairs (i < j) of present texts that share the key of at least one band, as an (m, 2) array, sorted."""
    index = np.flatnonzero(present)
    by_band = np.ascontiguousarray((keys if len(index) == len(keys) else keys[index]).T)
    slots = 1 << max(10, len(index).bit_length() + 2)
    found: list[np.ndarray] = []
    for key in by_band:
        rows = _shared_key_rows(key, slots)
        order = rows[np.argsort(key[rows])]  # the order within a bucket does not matter: pairs are sorted below
        found += bucket_pairs(key[order], index[order])
    return distinct_pairs(found, len(present))


def agreeing(first: np.ndarray, second: np.ndarray, threshold: float) -> np.ndarray:
    """Which pairs of signatures (row k of ``first`` and of ``second``) agree enough to be compared exactly."""
    agreement = np.count_nonzero(first == second, axis=1) / first.shape[1]  # the share of equal values, as .mean(axis=1) gives it
    return agreement >= threshold - AGREEMENT_MARGIN


def jaccard_at_least(texts: Sequence[str], candidates: list[tuple[int, int]] | list[list[int]], threshold: float) -> list[tuple[int, int, float]]:
    """The ``candidates`` (i, j) whose normalised texts have a Jaccard similarity of at least ``threshold``,
    as (i, j, Jaccard) in the order given. Only the texts of the candidates are read."""
    involved = sorted({i for pair in candidates for i in pair})
    docs, hashes = shingle_hashes([texts[i] for i in involved])
    bounds = np.searchsorted(docs, np.arange(len(involved) + 1))
    sets = {i: frozenset(hashes[bounds[n] : bounds[n + 1]].tolist()) for n, i in enumerate(involved)}
    found = []
    for i, j in candidates:
        a, b = sets[i], sets[j]
        if not a or not b:
            continue
        similarity = len(a & b) / len(a | b)
        if similarity >= threshold:
            found.append((i, j, similarity))
    return found


def similar_normalised(
    texts: Sequence[str],
    signature: np.ndarray | None,
    threshold: float = 0.8,
    exact_below: int = EXACT_BELOW,
    keys: np.ndarray | None = None,
    present: np.ndarray | None = None,
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, Jaccard) of normalised texts with i < j and Jaccard ≥ ``threshold``, sorted.

    Up to ``exact_below`` texts every pair is compared; above, only the candidates that
    the MinHash ``signature`` (:func:`signatures` of the same texts, or the same high
    bits of each of its values) puts forward, by its LSH ``keys`` (default:
    :func:`band_keys` of it). ``present`` (default: which texts are not empty) may be
    given when known.
    """
    if len(texts) <= exact_below:
        candidates = list(combinations(range(len(texts)), 2))
    else:
        assert signature is not None, "signatures are needed above exact_below texts"
        if present is None:
            present = np.fromiter((bool(text) for text in texts), dtype=bool, count=len(texts))
        pairs = candidate_pairs(band_keys(signature) if keys is None else keys, present)
        candidates = pairs[agreeing(signature[pairs[:, 0]], signature[pairs[:, 1]], threshold)].tolist()
    return sorted(jaccard_at_least(texts, candidates, threshold))


def similar_pairs(texts: Sequence[str], threshold: float = 0.8, exact_below: int = EXACT_BELOW) -> list[tuple[int, int, float]]:
    """Pairs (i, j, Jaccard) of texts with i < j and Jaccard ≥ ``threshold``, sorted by i then j."""
    normalised = [normalise(text) for text in texts]
    signature = signatures(normalised) if len(normalised) > exact_below else None
    return similar_normalised(normalised, signature, threshold, exact_below)
