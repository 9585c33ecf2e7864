"""The near-duplicate search (qbank/similarity.py) against plain reference implementations."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from qbank.similarity import BANDS, MAX_BUCKET, candidate_pairs, normalise, shingle_hashes, similar_pairs


def reference_pairs(keys: np.ndarray, present: np.ndarray) -> set[tuple[int, int]]:
    """Pairs of present rows that share a band's key; a bucket above MAX_BUCKET links its first row to the others."""
    pairs: set[tuple[int, int]] = set()
    for band in range(keys.shape[1]):
        buckets: dict[int, list[int]] = {}
        for row in np.flatnonzero(present).tolist():
            buckets.setdefault(int(keys[row, band]), []).append(row)
        for members in buckets.values():
            if len(members) > MAX_BUCKET:
                pairs.update((members[0], other) for other in members[1:])
            else:
                pairs.update(combinations(members, 2))
    return pairs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_candidate_pairs_are_the_rows_that_share_a_key(seed):
    rng = np.random.default_rng(seed)
    rows = 3000
    keys = rng.integers(0, 2**64, size=(rows, BANDS), dtype=np.uint64)
    # Collisions of every size: pairs, small buckets, and one bucket above MAX_BUCKET.
    keys[rng.choice(rows, 400, replace=False), 0] = rng.integers(0, 150, size=400, dtype=np.uint64)
    keys[rng.choice(rows, 30, replace=False), 3] = np.uint64(7)
    keys[rng.choice(rows, MAX_BUCKET + 20, replace=False), 5] = np.uint64(2**63 + 1)
    # Keys that agree in their low bits but differ above them must not pair.
    keys[:40, 9] = (np.arange(40, dtype=np.uint64) << np.uint64(40)) | np.uint64(12345)
    present = rng.random(rows) > 0.1

    found = candidate_pairs(keys, present)

    assert found.shape[1] == 2
    assert found.tolist() == sorted(map(list, reference_pairs(keys, present)))


def test_candidate_pairs_without_shared_keys_is_empty():
    keys = np.arange(100 * BANDS, dtype=np.uint64).reshape(100, BANDS)
    assert candidate_pairs(keys, np.ones(100, dtype=bool)).shape == (0, 2)


def jaccard(a: str, b: str) -> float:
    (docs, hashes) = shingle_hashes([normalise(a), normalise(b)])
    first, second = set(hashes[docs == 0].tolist()), set(hashes[docs == 1].tolist())
    return len(first & second) / len(first | second)


def test_the_minhash_search_finds_what_comparing_every_pair_finds():
    rng = np.random.default_rng(7)
    words = [f"w{n}" for n in range(300)]
    texts = [" ".join(rng.choice(words, 12)) for _ in range(600)]
    for n in range(0, 600, 20):  # near copies: one word changed
        changed = texts[n].split()
        changed[-1] = "changed"
        texts[n + 1] = " ".join(changed)

    every_pair = similar_pairs(texts, threshold=0.7, exact_below=len(texts))
    searched = similar_pairs(texts, threshold=0.7, exact_below=0)

    assert len(every_pair) >= 30
    assert [(i, j) for i, j, _ in searched] == [(i, j) for i, j, _ in every_pair]
    i, j, similarity = every_pair[0]
    assert similarity == pytest.approx(jaccard(texts[i], texts[j]))


@pytest.mark.parametrize(
    "texts",
    [["a b", "c d", "e f"], ["a b", "", "e f"], ["", "c d"], ["a b", ""], [""], ["a b"], ["", ""], ["a", "", "", "b"]],
)
def test_qb304_knows_which_stems_are_empty_without_losing_one(texts):
    from qbank.rules.bank.near_duplicate_stems import NearDuplicateStems, Stem, keys_digest

    packed = NearDuplicateStems().pack([Stem(text, keys_digest(frozenset({"key"}))) for text in texts])

    assert packed.present().tolist() == [bool(text) for text in texts]
    assert [stem.text for stem in packed.stems()] == texts
