"""The compact forms of what bank rules collect (qbank/compact.py) give back exactly what they were
given, before and after a trip through pickle (the lint cache), and pickle smaller than a list."""

from __future__ import annotations

import pickle
import pickletools

import pytest

from qbank.compact import Places, Texts
from qbank.rules.bank._key_search import FileKeys

TEXTS = ["", "a", "Ünïcödé ✓", "line\nbreak", "", "tab\tand\0nul", "x" * 500]


@pytest.mark.parametrize("texts", [[], [""], ["one"], ["", ""], [t for t in TEXTS if "\0" not in t], TEXTS])
def test_texts_give_back_each_text(texts):
    for kept in (Texts(texts), pickle.loads(pickle.dumps(Texts(texts), pickle.HIGHEST_PROTOCOL))):
        assert len(kept) == len(texts)
        assert list(kept) == texts
        assert [kept[k] for k in range(len(texts))] == texts
        assert [kept[-k] for k in range(1, len(texts) + 1)] == [texts[-k] for k in range(1, len(texts) + 1)]
        assert kept[1:-1] == texts[1:-1]
        assert kept == texts and kept == Texts(texts)
        assert bool(kept) == bool(texts)


def test_texts_without_a_nul_come_back_in_one_split_and_with_one_they_still_come_back():
    assert Texts(["a", "", "bc"]).separator == "\0" and Texts(["a", "b\0c"]).separator == ""
    assert list(Texts(["a", "b\0c", ""])) == ["a", "b\0c", ""]


def test_an_index_past_the_end_is_an_index_error():
    with pytest.raises(IndexError):
        Texts(["a", "b"])[2]
    with pytest.raises(IndexError):
        Places([(0, "q1")])[1]


def test_places_give_back_each_place():
    given = [(0, "q1"), (2, "q-3"), (7, "unit.7:a"), (40, "q40")]
    places = pickle.loads(pickle.dumps(Places(given), pickle.HIGHEST_PROTOCOL))
    assert list(places) == given and len(places) == 4
    assert places[1] == (2, "q-3") and places[-1] == (40, "q40") and places[1:3] == given[1:3]
    assert places == given and not Places([])
    assert Texts(["q1"]) != "q1" and places != "q1"  # a text is a sequence too, but not these


def test_file_keys_give_back_each_key():
    given = [(0, "gradient descent", "Gradient *descent*"), (3, "the long short term memory", "The long\nshort-term memory")]
    keys = pickle.loads(pickle.dumps(FileKeys(given), pickle.HIGHEST_PROTOCOL))
    assert list(keys) == given and keys[1] == given[1] and len(keys) == 2 and keys == given


def _pickle_operations(value) -> int:
    return sum(1 for _ in pickletools.genops(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)))


def test_the_compact_forms_unpickle_as_a_few_objects_however_many_values():
    """What makes them quick to read back: pickle builds the same few objects for 10 places or 1,000
    (a list of tuples costs some four operations a place)."""
    for make in (lambda n: Places((k, f"q{k:06d}") for k in range(n)), lambda n: FileKeys((k, f"key {k}", f"Key {k}") for k in range(n))):
        assert _pickle_operations(make(10)) == _pickle_operations(make(1000)) < 100
    assert _pickle_operations([(k, f"q{k:06d}") for k in range(1000)]) > 4000
