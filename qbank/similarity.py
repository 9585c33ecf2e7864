"""Near-duplicate texts in sub-quadratic time: MinHash with LSH banding, then exact Jaccard.

Texts are compared as sets of 5-byte shingles of their normalised UTF-8 form (case,
punctuation and whitespace removed; digits kept), the character 5-gram measure that
evalint and MedIWF use for duplicate items.

Up to :data:`EXACT_BELOW` texts, every pair is compared exactly. Above that, each text
gets a MinHash signature of ``BANDS × ROWS`` = 96 values and texts that agree on all
6 rows of at least one of the 16 bands become candidates: a pair at Jaccard 0.8 does
so with probability 0.992, at 0.85 with 0.9995, at 0.3 with 0.012. A candidate whose
signatures agree on fewer than ``threshold - AGREEMENT_MARGIN`` of their values is
dropped (a pair at the threshold falls that low with probability below 1e-6: texts
that share a long code block make many candidates at Jaccard 0.3-0.6); every other
candidate is checked exactly, so the search can only miss a pair, never invent one.

The LSH keys are computed for many texts at once with numpy (multiply-shift hashing
with a fixed seed, so every run gives the same result). datasketch's per-object API
was measured first: 0.5 ms per text, about a minute for 100,000 stems, against a few
seconds here (see bench/near_duplicates.py). A text's signature and keys depend on
that text only: QB304 makes both file by file in the worker processes and keeps them
in the lint cache. numpy is imported only when a function here needs it.

Paraphrases in other words are out of reach of any n-gram measure.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations
from types import ModuleType


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


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Casefold, drop punctuation and Markdown marks, collapse whitespace; digits stay.

    Remembered, so that QB304 and QB305 collect the very same string of a stem, which
    then travels and is cached once."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _mix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: spreads 5-byte shingles over 64 bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def shingle_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """For all texts at once: (document index, 32-bit shingle hash), grouped by document in order.

    ``texts`` are already normalised (:func:`normalise`). A text shorter than a
    shingle is padded to one shingle; an empty text has none. A shingle may repeat
    within a document (sets are taken where it matters).
    """
    blobs = [text.encode("utf-8") for text in texts]
    blobs = [blob.ljust(SHINGLE, b"\0") if blob else blob for blob in blobs]
    lengths = np.fromiter(map(len, blobs), dtype=np.int64, count=len(blobs))
    data = np.frombuffer(b"".join(blobs), dtype=np.uint8).astype(np.uint64)
    windows = len(data) - SHINGLE + 1
    if windows <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    doc_of_byte = np.repeat(np.arange(len(blobs), dtype=np.int64), lengths)
    packed = np.zeros(windows, dtype=np.uint64)
    for offset in range(SHINGLE):
        packed = (packed << np.uint64(8)) | data[offset : offset + windows]
    inside = doc_of_byte[:windows] == doc_of_byte[SHINGLE - 1 :]
    return doc_of_byte[:windows][inside], _mix(packed[inside]) >> np.uint64(32)


def _hash_parameters() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED)
    size = BANDS * ROWS
    a = rng.integers(1, 2**63, size=size, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=size, dtype=np.uint64)
    return a, b


def _high_half(x: np.ndarray) -> np.ndarray:
    """The high 32 bits of each uint64, as uint32: a view where the byte order allows (the minimum is faster on 32 bits)."""
    if sys.byteorder == "little":
        return x.view(np.uint32)[1::2]
    return (x >> np.uint64(32)).astype(np.uint32)


def signatures(texts: Sequence[str]) -> np.ndarray:
    """MinHash signatures of normalised texts (len(texts) × BANDS·ROWS, uint32).

    A text without shingles (an empty one) gets all maxima. A text's signature depends
    on that text only, so signatures can be made file by file and stacked (QB304 does
    so in the worker processes).
    """
    docs, hashes = shingle_hashes(texts)
    a, b = _hash_parameters()
    signature = np.full((len(texts), len(a)), np.iinfo(np.uint32).max, dtype=np.uint32)
    if not len(docs):
        return signature
    starts = np.flatnonzero(np.r_[True, docs[1:] != docs[:-1]])
    rows = docs[starts]
    permuted = np.empty_like(hashes)
    for k in range(len(a)):
        np.multiply(hashes, a[k], out=permuted)
        np.add(permuted, b[k], out=permuted)
        signature[rows, k] = np.minimum.reduceat(_high_half(permuted), starts)
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


def _bucket_pairs(index: np.ndarray, order: np.ndarray, starts: np.ndarray, size: int) -> np.ndarray:
    """The pairs of texts in the LSH buckets of one ``size`` (more than two), each bucket
    ``order[start : start + size]`` of rows of ``index``: every pair, or above MAX_BUCKET
    each member linked to the bucket's first (smallest) text only. An (m, 2) array."""
    members = np.sort(index[order[starts[:, None] + np.arange(size)]], axis=1)
    if size > MAX_BUCKET:
        first, second = np.zeros(size - 1, dtype=np.intp), np.arange(1, size)
    else:
        first, second = np.triu_indices(size, 1)
    return np.stack([members[:, first].ravel(), members[:, second].ravel()], axis=1)


def candidate_pairs(keys: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Pairs (i < j) of present texts that share the key of at least one band, as an (m, 2) array, sorted."""
    index = np.flatnonzero(present)
    by_band = np.ascontiguousarray((keys if len(index) == len(keys) else keys[index]).T)
    slots = 1 << max(10, len(index).bit_length() + 2)
    found: list[np.ndarray] = []
    for key in by_band:
        rows = _shared_key_rows(key, slots)
        order = rows[np.argsort(key[rows])]  # the order within a bucket does not matter: pairs are sorted below
        ordered = key[order]
        same = ordered[1:] == ordered[:-1]
        if not same.any():
            continue
        starts = np.flatnonzero(np.r_[True, ~same])
        sizes = np.diff(np.r_[starts, len(ordered)])
        pairs_of_two = starts[sizes == 2]
        if len(pairs_of_two):
            found.append(np.stack([index[order[pairs_of_two]], index[order[pairs_of_two + 1]]], axis=1))
        for size in np.unique(sizes[sizes > 2]).tolist():
            found.append(_bucket_pairs(index, order, starts[sizes == size], size))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(found), axis=1)
    width = np.int64(len(present))  # a pair as one number, i * width + j, so that a 1-D unique sorts them
    codes = np.unique(pairs[:, 0] * width + pairs[:, 1])
    return np.stack([codes // width, codes % width], axis=1)


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
        agreeing = np.count_nonzero(signature[pairs[:, 0]] == signature[pairs[:, 1]], axis=1)
        agreement = agreeing / signature.shape[1]  # the share of equal values, as .mean(axis=1) gives it
        candidates = pairs[agreement >= threshold - AGREEMENT_MARGIN].tolist()
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
    return sorted(found)


def similar_pairs(texts: Sequence[str], threshold: float = 0.8, exact_below: int = EXACT_BELOW) -> list[tuple[int, int, float]]:
    """Pairs (i, j, Jaccard) of texts with i < j and Jaccard ≥ ``threshold``, sorted by i then j."""
    normalised = [normalise(text) for text in texts]
    signature = signatures(normalised) if len(normalised) > exact_below else None
    return similar_normalised(normalised, signature, threshold, exact_below)
