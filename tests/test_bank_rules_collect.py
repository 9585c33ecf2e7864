"""Bank rules collect per-question summaries in the workers and check them once: the
findings do not depend on how the bank was linted (one process, workers, a warm cache,
one file changed since), and suppressions and QB006 stay right."""

from __future__ import annotations

import pickle
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bench.generate import generate
from qbank import engine, parallel
from qbank.config import Config, validated
from qbank.discovery import discover
from tests.bankfiles import bank_files as _files
from tests.bankfiles import read_bank_file as _read
from tests.bankfiles import write_bank_file as _write

PLANTED = {"QB301", "QB304", "QB305", "QB006"}


def _long_key(question: dict) -> str | None:
    """The key of a single-answer question when it is three words or more (a key QB305 looks for)."""
    keys = [o["text"] for o in question["options"] if o.get("correct")]
    if question.get("type", "single") == "single" and len(keys) == 1 and len(keys[0].split()) >= 3 and "`" not in keys[0]:
        return keys[0]
    return None


def plant_bank_findings(folder: Path) -> dict[str, str]:
    """Near-duplicate stems, a stem that gives away another key, keys leaning to A, and suppressions."""
    files = _files(folder)
    data = {path: _read(path) for path in files}
    first, second, third = (data[files[k]]["questions"] for k in (0, len(files) // 2, -1))
    # QB304: questions in other files repeat a stem, once word for word, once with a word changed.
    second[3]["stem"] = first[2]["stem"]
    third[4]["stem"] = first[5]["stem"] + " Assume the default settings."
    third[4]["lint"] = {"ignore": ["QB304"]}  # used: QB304 fires here
    # QB305: a stem in one file holds the key of a question in another.
    source = next(q for q in first if _long_key(q))
    third[7]["stem"] = f"Knowing that the answer to an earlier question is {_long_key(source).lower()}, what follows?"
    # QB006: a suppression that hides nothing.
    second[9]["lint"] = {"ignore": ["QB305"]}
    # QB301: in most files, put the key of single-answer questions first.
    for path in files[: len(files) * 2 // 3]:
        for question in data[path]["questions"]:
            options = question["options"]
            if question.get("type", "single") == "single":
                key = next(i for i, o in enumerate(options) if o.get("correct"))
                options.insert(0, options.pop(key))
    for path in files:
        _write(path, data[path])
    return {"suppressed_duplicate": third[4]["id"], "cueing": third[7]["id"]}


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("planted") / "bank"
    generate(folder, questions=900, per_file=30)  # above the 400 stems that QB304 compares pair by pair
    return folder, plant_bank_findings(folder)


@pytest.fixture
def planted(original, tmp_path) -> tuple[Path, dict[str, str]]:
    """A copy of the planted bank for each test (tests edit it and write caches beside it)."""
    folder, ids = original
    shutil.copytree(folder, tmp_path / "bank")
    return tmp_path / "bank", ids


def _config(root: Path) -> Config:
    return replace(validated({"select": ["QB"]}), root=str(root))


def _dicts(result) -> list[dict]:
    return [d.to_dict() for d in result.diagnostics]


def test_bank_findings_are_the_same_serial_parallel_cold_and_warm(planted, monkeypatch):
    bank, ids = planted
    sources, config = discover([bank]), _config(bank.parent)
    serial = engine.lint(sources, config, jobs=1)
    assert PLANTED <= {d.code for d in serial.diagnostics}, sorted({d.code for d in serial.diagnostics})
    assert ("QB305", ids["cueing"]) in {(d.code, d.question_id) for d in serial.diagnostics}
    assert ("QB304", ids["suppressed_duplicate"]) not in {(d.code, d.question_id) for d in serial.diagnostics}

    monkeypatch.setattr(parallel, "SMALL_BANK_BYTES", 0)
    assert _dicts(engine.lint(sources, config, jobs=2)) == _dicts(serial)
    assert _dicts(engine.lint(sources, config, jobs=2, cache=True)) == _dicts(serial)  # cold, written by workers
    monkeypatch.setattr(engine, "lint_file", lambda *a, **k: pytest.fail("a warm cache linted a file again"))
    assert _dicts(engine.lint(sources, config, jobs=1, cache=True)) == _dicts(serial)
    assert _dicts(engine.lint(sources, config, jobs=2, cache=True)) == _dicts(serial)


def test_bank_findings_follow_a_change_in_one_file(planted):
    bank, _ = planted
    sources, config = discover([bank]), _config(bank.parent)
    engine.lint(sources, config, jobs=1, cache=True)
    path = _files(bank)[len(_files(bank)) // 2]
    data = _read(path)
    data["questions"][3]["stem"] = "Which colour do the night skies over the northern harbour take in winter?"
    data["questions"][9].pop("lint")
    _write(path, data)
    warm = engine.lint(sources, config, jobs=1, cache=True)
    fresh = engine.lint(sources, config, jobs=1)
    assert _dicts(warm) == _dicts(fresh)
    codes = [(d.code, d.question_id) for d in fresh.diagnostics]
    assert ("QB304", data["questions"][3]["id"]) not in codes and ("QB006", data["questions"][9]["id"]) not in codes
    assert "QB305" in {code for code, _ in codes}


def test_bank_rules_do_not_unpack_the_questions(planted, monkeypatch):
    bank, _ = planted
    sources, config = discover([bank]), _config(bank.parent)
    engine.lint(sources, config, jobs=1, cache=True)
    from qbank.validated import ValidatedFile

    monkeypatch.setattr(ValidatedFile, "questions", property(lambda self: pytest.fail("questions unpacked")))
    result = engine.lint(sources, config, jobs=1, cache=True)
    assert PLANTED <= {d.code for d in result.diagnostics}


def _plain_words(text: str, count: int) -> str | None:
    """The first ``count`` words of ``text`` when they are plain words of four letters or more, else None."""
    words = text.split()[:count]
    return " ".join(words).lower() if len(words) == count and all(w.isalpha() and len(w) >= 4 for w in words) else None


def test_a_cached_relint_finds_what_a_fresh_lint_finds_as_files_change_come_and_go(planted, monkeypatch):
    """QB305's kept index and scans (and every packed summary) give the findings of a lint from scratch."""
    from qbank.rules.bank import _key_search

    bank, _ = planted
    config = _config(bank.parent)
    engine.lint(discover([bank]), config, jobs=1, cache=True)
    monkeypatch.setattr(_key_search, "REBUILD_SHARE", 1.0)  # always reuse the kept index
    built = []
    build = _key_search.KeyIndex.build.__func__
    monkeypatch.setattr(_key_search.KeyIndex, "build", classmethod(lambda cls, files: built.append(len(files)) or build(cls, files)))

    def same_as_fresh() -> set[str]:
        sources = discover([bank])
        built.clear()
        warm = engine.lint(sources, config, jobs=1, cache=True)
        assert max(built, default=0) < len(sources), built  # the kept index and scans served the unchanged files
        fresh = engine.lint(sources, config, jobs=1)
        assert _dicts(warm) == _dicts(fresh)
        return {(d.code, d.question_id) for d in fresh.diagnostics}

    files = _files(bank)
    # A changed file: a key of its own that another (unchanged) file's stem holds, and a stem holding another file's key.
    changed, other = _read(files[1]), _read(files[2])
    stem_words = next(w for q in other["questions"] if (w := _plain_words(q["stem"], 5)))
    target = next(q for q in changed["questions"] if q.get("type", "single") == "single")
    next(o for o in target["options"] if o.get("correct"))["text"] = stem_words.capitalize()
    source = next(q for q in other["questions"] if _long_key(q) and _plain_words(_long_key(q), 3))
    changed["questions"][-1]["stem"] = f"Given that {_long_key(source).lower()}, which holds?"
    _write(files[1], changed)
    codes = same_as_fresh()
    assert ("QB305", changed["questions"][-1]["id"]) in codes
    assert "QB305" in {code for code, question in codes if question in {q["id"] for q in other["questions"]}}

    # A new file: a copy of another under new ids (the same keys at the same places, twice in the bank).
    copy = _read(files[3])
    for question in copy["questions"]:
        question["id"] += "-copy"
    _write(bank / "zz-copy.yaml", copy)
    codes = same_as_fresh()
    assert ("QB304", copy["questions"][0]["id"]) in codes

    # A deleted file: the one whose key a stem held.
    files[2].unlink()
    codes = same_as_fresh()
    assert ("QB305", changed["questions"][-1]["id"]) not in codes


def test_a_corrupt_or_foreign_memo_is_ignored_and_rewritten(planted):
    bank, _ = planted
    sources, config = discover([bank]), _config(bank.parent)
    fresh = _dicts(engine.lint(sources, config, jobs=1))
    engine.lint(sources, config, jobs=1, cache=True)
    memos = sorted(bank.parent.rglob("*.memo"))
    assert memos
    for index, memo in enumerate(memos):
        memo.write_bytes([b"junk", pickle.dumps(["not", "a", "memo"])][index % 2])
    assert _dicts(engine.lint(sources, config, jobs=1, cache=True)) == fresh
    assert all(memo.read_bytes() != b"junk" for memo in memos)


def test_many_changed_stems_build_the_automaton_again(planted, monkeypatch):
    """The automaton is not kept in the cache: when more stems changed than are looked up
    word by word, QB305 builds it again from the whole bank, and finds what a fresh lint finds."""
    from qbank.rules.bank import _key_search

    monkeypatch.setattr(_key_search, "LOOK_UP_BELOW", 0)  # a changed stem is scanned by the automaton, not looked up
    monkeypatch.setattr(_key_search, "REBUILD_SHARE", 0.0)
    bank, _ = planted
    sources, config = discover([bank]), _config(bank.parent)
    engine.lint(sources, config, jobs=1, cache=True)
    assert not list(bank.parent.rglob("QB305-automaton.memo"))
    stale = next(bank.parent.rglob("QB305.memo")).with_name("QB305-automaton.memo")
    stale.write_bytes(b"what an earlier version kept")
    path = _files(bank)[4]
    data = _read(path)
    source = next(q for q in _read(_files(bank)[5])["questions"] if _long_key(q) and _plain_words(_long_key(q), 3))
    data["questions"][0]["stem"] = f"Given that {_long_key(source).lower()}, which holds?"
    _write(path, data)
    built = []
    build = _key_search.KeyIndex.build.__func__
    monkeypatch.setattr(_key_search.KeyIndex, "build", classmethod(lambda cls, files: built.append(len(files)) or build(cls, files)))
    warm = engine.lint(sources, config, jobs=1, cache=True)
    assert built == [len(sources)]
    assert _dicts(warm) == _dicts(engine.lint(sources, config, jobs=1))
    assert ("QB305", data["questions"][0]["id"]) in {(d.code, d.question_id) for d in warm.diagnostics}
    assert not stale.exists()


def test_a_few_changed_stems_are_looked_up_without_the_automaton(planted, monkeypatch):
    from qbank.rules.bank import _key_search

    bank, _ = planted
    sources, config = discover([bank]), _config(bank.parent)
    engine.lint(sources, config, jobs=1, cache=True)
    files = _files(bank)
    keyed = [q for q in _read(files[5])["questions"] if _long_key(q) and _plain_words(_long_key(q), 3)]
    for number, source in zip((4, 20), keyed):  # two files, each with a stem holding a key of another
        data = _read(files[number])
        data["questions"][0]["stem"] = f"Given that {_long_key(source).lower()} here, which holds?"
        data["questions"][1]["stem"] = f"{_long_key(source)} comes first, {_long_key(keyed[-1]).lower()} last: what then?"
        _write(files[number], data)
        fresh = engine.lint(sources, config, jobs=1)
        with monkeypatch.context() as patched:
            patched.setattr(_key_search.KeyIndex, "build", classmethod(lambda cls, files: pytest.fail("an automaton was built")))
            warm = engine.lint(sources, config, jobs=1, cache=True)
        assert _dicts(warm) == _dicts(fresh)
        cued = {question for code, question in ((d.code, d.question_id) for d in warm.diagnostics) if code == "QB305"}
        assert {data["questions"][0]["id"], data["questions"][1]["id"]} <= cued
