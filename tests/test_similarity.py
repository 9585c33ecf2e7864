"""The near-duplicate search (qbank/similarity.py) against plain reference implementations."""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbank import similarity
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

    assert np.frombuffer(packed.present, dtype=bool).tolist() == [bool(text) for text in texts]
    assert [stem.text for stem in packed.stems()] == texts


def random_pairs(seed: int, count: int) -> list[tuple[str, str]]:
    """Pairs of word texts of 6 to 40 words, the second a copy of the first with 0 to all words replaced."""
    rng = np.random.default_rng(seed)
    words = [f"{chr(97 + n % 26)}{n}x" for n in range(2000)]
    pairs = []
    for _ in range(count):
        first = list(rng.choice(words, rng.integers(6, 41)))
        second = list(first)
        for at in rng.choice(len(first), rng.integers(0, len(first) + 1), replace=False):
            second[at] = str(rng.choice(words))
        pairs.append((" ".join(first), " ".join(second)))
    return pairs


def test_agreement_of_signatures_estimates_the_jaccard_similarity():
    from qbank.similarity import signatures

    pairs = random_pairs(11, 400)
    texts = [text for pair in pairs for text in pair]
    signature = np.concatenate([signatures(texts[at : at + 100]) for at in range(0, len(texts), 100)])
    estimate = (signature[0::2] == signature[1::2]).mean(axis=1)
    exact = np.array([jaccard(first, second) for first, second in pairs])

    assert exact.min() < 0.2 and exact.max() == 1.0 and np.ptp(exact) > 0.8  # the pairs span the range
    error = estimate - exact
    # One value of 96 agreeing by chance or not: the standard error is at most 0.05 per pair.
    assert abs(error.mean()) < 0.01  # unbiased
    assert np.abs(error).mean() < 0.045
    assert np.abs(error).max() < 0.2
    assert (estimate[exact == 1.0] == 1.0).all()


def test_a_signature_depends_on_its_text_only():
    from qbank.similarity import signatures

    texts = [first for first, _ in random_pairs(3, 50)] + ["", "abc", "abcde"]
    together = signatures(texts)
    for at, text in enumerate(texts):
        assert (signatures([text])[0] == together[at]).all()
    reordered = signatures(texts[::-1] + ["something else entirely"])
    assert (reordered[: len(texts)][::-1] == together).all()


def test_empty_texts_get_all_maxima_and_others_none():
    from qbank.similarity import signatures

    signature = signatures(["", "which layer turns ids into vectors", "", ""])
    assert signature.shape == (4, BANDS * 6) and signature.dtype == np.uint32
    maximum = np.iinfo(np.uint32).max
    assert (signature[[0, 2, 3]] == maximum).all()
    assert (signature[1] != maximum).all()
    assert signatures([]).shape == (0, BANDS * 6)
    assert (signatures([""]) == maximum).all()


@pytest.mark.parametrize("text", ["abcde", "abc", "abcdef", "abcdefgh", "short stem here"])
def test_densification_fills_every_bin_of_a_short_text_from_its_own_shingles(text):
    from qbank.similarity import signatures

    row = signatures([text])[0]
    distinct_shingles = max(1, len({text[at : at + 5] for at in range(len(text) - 4)}))
    # Every one of the 96 bins holds the value of a bin that one of the text's few shingles filled:
    # a bin left empty would add a value of its own.
    assert len(set(row.tolist())) <= distinct_shingles
    if distinct_shingles == 1:
        assert len(set(row.tolist())) == 1


def test_signatures_are_the_same_in_another_process():
    import subprocess
    import sys

    from qbank.similarity import signatures

    code = "from qbank.similarity import signatures; print(signatures(['which layer turns ids into vectors', 'abc']).tobytes().hex())"
    other = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()
    assert other == signatures(["which layer turns ids into vectors", "abc"]).tobytes().hex()


def _normalise_by_regex(text: str) -> str:
    return re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_texts_normalise_as_the_regex_does(text):
    assert normalise(text) == _normalise_by_regex(text)


def test_normalise_on_every_ascii_character_and_beyond():
    every = "".join(map(chr, range(128)))
    assert normalise(f"A{every}b c__d") == _normalise_by_regex(f"A{every}b c__d")
    for text in ["Ünïcode — text", "ﬁne ＡＢＣ", "ǅ", "x\u00a0y"]:  # not ASCII: the regex path
        assert normalise(text) == _normalise_by_regex(text)


def test_distinct_is_numpy_unique():
    rng = np.random.default_rng(7)
    for values in (np.zeros(0, dtype=np.uint64), rng.integers(0, 5, 40).astype(np.uint64), rng.integers(0, 1 << 62, 1000).astype(np.uint64), np.arange(9)):
        ours, numpy_unique = similarity.distinct(values), np.unique(values)
        assert ours.dtype == numpy_unique.dtype and ours.tolist() == numpy_unique.tolist()


def test_the_stored_probe_orders_are_the_seeded_draws():
    """The densification orders are read from qbank/data, not drawn on every run: they must be the
    draws the docs describe (one permutation of the bins per bin, from default_rng(SEED))."""
    size = BANDS * similarity.ROWS
    rng = np.random.default_rng(similarity.SEED)
    drawn = np.stack([rng.permutation(size) for _ in range(size)])

    stored = similarity._probe_order()

    assert stored.shape == (size, size)
    assert (np.sort(stored, axis=1) == np.arange(size)).all()  # every row orders every bin once
    assert (stored == drawn).all()
