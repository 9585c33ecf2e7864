"""QB305's two ways of finding keys in stems (qbank/rules/bank/_key_search.py) find the same:
the Aho-Corasick automaton of every key, and looking up every run of words of a few stems."""

from __future__ import annotations

import random

import pytest

from qbank.rules.bank._key_search import FileKeys, KeyIndex, _looked_up, digest

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()
ELSEWHERE = "omega psi chi".split()
"""Words of keys that stems hold only where such a key was put in."""


def _bank(seed: int) -> tuple[list, dict[int, str]]:
    rng = random.Random(seed)
    files, haystacks = [], {}
    for number in range(12):
        keys = [(local, " ".join(rng.choices(WORDS + ELSEWHERE, k=rng.randint(1, 7))), "as written") for local in range(rng.randint(0, 6))]
        files.append((digest(keys), keys))
        if number == 7:
            files.append((digest(keys), keys))  # a copy: the same keys at the same places
        stems = []
        for _ in range(rng.randint(1, 5)):
            words = rng.choices(WORDS, k=rng.randint(0, 25))
            if keys and rng.random() < 0.7:  # a key inside, at the start, the end or in between
                at = rng.randint(0, len(words))
                words[at:at] = rng.choice(keys)[1].split()
            stems.append(f" {' '.join(words)} ")
        haystacks[number] = "\n".join(stems)
    return files, haystacks


def _automaton(files, haystacks) -> set:
    index = KeyIndex.build(files)
    return {
        (number, local, key, tuple(places))
        for number, haystack in haystacks.items()
        for local, key, places in index.found(haystack, index.scan(haystack))
    }


@pytest.mark.parametrize("compact", [False, True], ids=["lists", "FileKeys"])
def test_looking_up_the_runs_of_words_finds_what_the_automaton_finds(compact):
    """As lists of keys, and as the cache keeps them (FileKeys, whose files are passed over when no
    key starts with a word of the stems: some files' keys start with words no stem holds)."""
    total = 0
    for seed in range(60):
        files, haystacks = _bank(seed)
        expected = _automaton(files, haystacks)
        given = [(file_digest, FileKeys(keys)) for file_digest, keys in files] if compact else files
        assert {(n, local, key, tuple(places)) for n, local, key, places in _looked_up(given, haystacks)} == expected, seed
        total += len(expected)
    assert total > 500  # the banks do hold keys, long and short


def test_a_file_whose_keys_start_with_no_word_of_the_stems_is_passed_over():
    keys = FileKeys([(0, "omega alpha", ""), (1, "psi beta", ""), (2, "omega", "")])
    assert sorted(keys.firsts.split(" ")) == ["omega", "psi"]
    files = [(b"a", keys), (b"b", FileKeys([(0, "alpha beta", "")]))]
    assert [key for _, _, key, _ in _looked_up(files, {0: " alpha beta gamma "})] == ["alpha beta"]
    assert [key for _, _, key, _ in _looked_up(files, {0: " x psi beta "})] == ["psi beta"]


def test_a_key_is_found_only_between_spaces():
    files = [(digest(keys := [(0, "gamma delta", "")]), keys)]
    haystacks = {0: " gamma deltas \n xgamma delta \n gamma delta \n beta gamma delta epsilon "}
    found = [(local, key) for _, local, key, _ in _looked_up(files, haystacks)]
    assert found == [(2, "gamma delta"), (3, "gamma delta")] and len(_automaton(files, haystacks)) == 2
