"""QB304 keeps an index of the bank's stems between lints and updates it for the files that
changed (qbank/rules/bank/_stem_index.py). Whatever changed, a cached re-lint must report
exactly what a lint from scratch reports; these tests also check that the update, not a
rebuild, did the work, and that the cases it cannot carry (a crowded LSH bucket, a
foreign memo) are built again."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import generate
from qbank import cache, engine, similarity
from qbank.cache import CACHE_DIR, LintCache, Memo
from qbank.config import Config, validated
from qbank.discovery import discover
from qbank.rules.bank import _stem_index
from tests.bankfiles import bank_files as _files
from tests.bankfiles import read_bank_file as _read
from tests.bankfiles import write_bank_file as _write


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("stems") / "bank"
    generate(folder, questions=900, per_file=30)  # above the 400 stems that QB304 compares pair by pair
    return folder


@pytest.fixture
def bank(original, tmp_path) -> Path:
    shutil.copytree(original, tmp_path / "bank")
    return tmp_path / "bank"


@pytest.fixture(autouse=True)
def written_each_time(monkeypatch):
    """Every updated index is written, so that the tests can compare the kept one with one built
    from scratch; test_an_index_a_few_stems_behind_is_written_when_the_bank_is_at_rest covers the
    writes put off (REWRITE_AT)."""
    monkeypatch.setattr(_stem_index, "REWRITE_AT", 1)


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """How many stems each index built from scratch had (an update builds none)."""
    seen: list[int] = []
    built = _stem_index._built

    def counting(stems, threshold):
        seen.append(len(stems))
        return built(stems, threshold)

    monkeypatch.setattr(_stem_index, "_built", counting)
    return seen


def _config(root: Path) -> Config:
    return replace(validated({"select": ["QB304"]}), root=str(root))


def _kept_index(bank: Path) -> _stem_index.StemIndex | None:
    paths = list(bank.parent.rglob("QB304.memo"))
    return Memo(LintCache(bank.parent / CACHE_DIR, ""), paths[0]).read() if paths else None


def _relint(bank: Path, builds: list[int]) -> list[tuple[str, str | None, str]]:
    """Lint with the cache (the kept index) and from scratch; both must agree, and so must the
    index kept and one built from scratch (every similar pair, not only those reported).
    Returns the QB304 findings."""
    sources, config = discover([bank]), _config(bank.parent)
    builds.clear()
    warm = [d.to_dict() for d in engine.lint(sources, config, jobs=1, cache=True).diagnostics]
    kept_builds, kept = list(builds), _kept_index(bank)
    fresh = [d.to_dict() for d in engine.lint(sources, config, jobs=1).diagnostics]
    assert warm == fresh
    if kept is not None:
        for memo in bank.parent.rglob("QB304.memo"):
            memo.unlink()
        engine.lint(sources, config, jobs=1, cache=True)
        built = _kept_index(bank)
        assert kept.found == built.found and kept.digests == built.digests and kept.counts == built.counts
        for band in range(len(kept.keys)):  # the same keys in order, each with the same stem (in a bucket, in any order)
            assert sorted(zip(kept.keys[band].tolist(), kept.numbers[band].tolist())) == sorted(zip(built.keys[band].tolist(), built.numbers[band].tolist()))
        assert (kept.keys == built.keys).all()
        assert (kept.signatures == built.signatures).all()  # every stem's, in the bank's order now
    builds[:] = kept_builds
    return [(d["code"], d["question_id"], d["message"]) for d in fresh if d["code"] == "QB304"]


def _ids(findings) -> set[str | None]:
    return {question for _, question, _ in findings}


def test_edits_update_the_kept_index_and_find_what_a_fresh_lint_finds(bank, builds):
    assert _relint(bank, builds) == [] and builds == [900]  # a clean bank; the first lint builds the index
    files = _files(bank)

    # A changed file near the end: one stem copies a stem of an unchanged file, word for word, another almost.
    early, late = _read(files[2]), _read(files[-3])
    late["questions"][4]["stem"] = early["questions"][7]["stem"]
    late["questions"][6]["stem"] = early["questions"][8]["stem"] + " Assume the defaults."
    _write(files[-3], late)
    found = _relint(bank, builds)
    assert builds == []
    assert {late["questions"][4]["id"], late["questions"][6]["id"]} <= _ids(found)

    # A file inserted before both (every later stem's number shifts) that repeats the changed file's stem.
    inserted = _read(files[0])
    for question in inserted["questions"]:
        question["id"] += "-new"
        question["stem"] = f"In a fresh context, {question['stem'][0].lower()}{question['stem'][1:]}"
    inserted["questions"][0]["stem"] = late["questions"][4]["stem"]
    _write(files[0].with_name("part-0000a.yaml"), inserted)
    found = _relint(bank, builds)
    assert builds == []
    assert {late["questions"][4]["id"], late["questions"][6]["id"], early["questions"][7]["id"]} <= _ids(found)

    # The pair within unchanged files stays when a file between them is deleted ...
    files[10].unlink()
    assert _relint(bank, builds) == found and builds == []

    # ... and goes when the copy is edited away again.
    late["questions"][6]["stem"] = "Which colour do the night skies over the northern harbour take in winter?"
    _write(files[-3], late)
    found = _relint(bank, builds)
    assert builds == [] and late["questions"][6]["id"] not in _ids(found)

    # Nothing changed: the kept index answers as it is.
    assert _relint(bank, builds) == found and builds == []


def test_files_changed_far_apart_are_one_update(bank, builds, monkeypatch):
    """A re-lint after edits all over the bank (say, a commit that touched several files) updates
    the index: only the changed files' stems count, not every stem between the first and the last."""
    monkeypatch.setattr(_stem_index, "UPDATE_AT_LEAST", 160)  # 900 stems: above 160 gone or new, built again
    assert _relint(bank, builds) == [] and builds == [900]
    files = _files(bank)
    unchanged = _read(files[20])
    first, second = _read(files[1]), _read(files[16])
    first["questions"][3]["stem"] = unchanged["questions"][5]["stem"]  # copies a stem of an unchanged file
    second["questions"][0]["stem"] = first["questions"][9]["stem"]  # copies a stem of the other changed file
    _write(files[1], first)
    _write(files[16], second)
    files[8].unlink()  # and a file between them goes: 90 stems gone and 60 new, far apart
    found = _relint(bank, builds)
    assert builds == []
    assert _ids(found) == {unchanged["questions"][5]["id"], second["questions"][0]["id"]}  # each pair is reported on its later question
    assert {first["questions"][3]["id"], first["questions"][9]["id"]} == {message.split("'")[1] for _, _, message in found}

    # The same edits and one more file: more than UPDATE_AT_LEAST changed stems, built again.
    for number in (2, 12, 24, 28):
        data = _read(files[number])
        data["questions"][0]["stem"] += " Explain briefly."
        _write(files[number], data)
    assert _relint(bank, builds) == found and builds == [870]


def test_a_crowded_bucket_that_a_change_joins_is_built_again(bank, builds, monkeypatch):
    monkeypatch.setattr(similarity, "MAX_BUCKET", 3)
    monkeypatch.setattr(_stem_index, "MAX_BUCKET", 3)
    files = _files(bank)
    stem = "Which property of a recurrent cell lets it carry information across many steps?"
    for number in (3, 9, 15, 21):  # four stems alike: a bucket of more than MAX_BUCKET, linked to its first only
        data = _read(files[number])
        data["questions"][1]["stem"] = stem
        _write(files[number], data)
    first = _relint(bank, builds)
    assert len(first) == 3 and builds == [900]

    data = _read(files[1])  # a fifth, before the first: it becomes the bucket's first
    data["questions"][2]["stem"] = stem
    _write(files[1], data)
    found = _relint(bank, builds)
    assert len(found) == 4 and builds == [900]  # the crowded bucket changed: built again
    assert {message.split("(")[0] for _, _, message in found} == {f"the same stem as question {data['questions'][2]['id']!r} "}

    data = _read(files[-1])  # elsewhere, away from the crowded bucket: an update is enough
    data["questions"][0]["stem"] = "Which gate of an LSTM decides what the cell state forgets?"
    _write(files[-1], data)
    assert _relint(bank, builds) == found and builds == []

    def restem(number: int, text: str, question: int = 1) -> str:
        data = _read(files[number])
        data["questions"][question]["stem"] = text
        _write(files[number], data)
        return data["questions"][question]["id"]

    # Joining and leaving the crowded bucket after its first: an update, linked to the same first.
    joined = restem(25, stem)
    found = _relint(bank, builds)
    assert builds == [] and len(found) == 5 and joined in _ids(found)
    left = restem(9, "Which layer turns token ids into dense vectors before the recurrent layers see them?")
    found = _relint(bank, builds)
    assert builds == [] and len(found) == 4 and left not in _ids(found)

    # Its first leaves: built again (the next member becomes the first).
    restem(1, "Which optimizer keeps a moving average of squared gradients for each weight?", question=2)
    found = _relint(bank, builds)
    assert builds == [900] and len(found) == 3


def test_a_foreign_or_damaged_index_is_built_again(bank, builds):
    _relint(bank, builds)
    (path,) = bank.parent.rglob("QB304.memo")
    memo = Memo(LintCache(bank.parent / CACHE_DIR, ""), path)
    index = memo.read()
    assert isinstance(index, _stem_index.StemIndex)
    for damaged in (["not", "an", "index"], replace(index, counts=[1]), replace(index, keys=index.keys[:, :-1])):
        memo.write(damaged)
        assert _relint(bank, builds) == [] and builds == [900]
    for damaged in (b"junk", path.read_bytes()[:-1]):
        path.write_bytes(damaged)
        assert _relint(bank, builds) == [] and builds == [900]


def test_an_index_kept_at_another_threshold_is_not_used(bank, builds):
    files = _files(bank)
    data = _read(files[5])
    source = _read(files[1])["questions"][0]["stem"]
    other = " ".join(str(7919 * n) for n in range(1, len(source) // 18))
    data["questions"][0]["stem"] = f"{source} {other}"  # a Jaccard similarity of about 0.75
    _write(files[5], data)
    sources = discover([bank])

    def lint(threshold: float, cache: bool) -> list[dict]:
        config = validated({"select": ["QB304"], "rules": {"QB304": {"threshold": threshold}}})
        config = replace(config, root=str(bank.parent))
        return [d.to_dict() for d in engine.lint(sources, config, jobs=1, cache=cache).diagnostics]

    assert lint(0.8, cache=True) == []  # not similar enough at 0.8 ...
    builds.clear()
    loose = lint(0.7, cache=True)  # ... the same summaries, but at 0.7 the kept index is not used
    assert [d["question_id"] for d in loose] == [data["questions"][0]["id"]] and builds == [900]
    assert loose == lint(0.7, cache=False)


def test_a_relint_of_an_unchanged_bank_reads_no_stem(bank, builds, monkeypatch):
    _relint(bank, builds)
    for entry in bank.parent.rglob("*.entry"):  # the stems set aside are kept beside the outcome: cut off
        outcome = cache._read_outcome(str(entry))
        entry.write_bytes(cache._OUTCOME_LENGTH.pack(len(outcome)) + outcome)
    monkeypatch.setattr(engine, "lint_file", lambda *a, **k: pytest.fail("stems were read: the file was linted again"))
    sources, config = discover([bank]), _config(bank.parent)
    assert engine.lint(sources, config, jobs=1, cache=True).diagnostics == []


@settings(max_examples=300, deadline=None)
@given(
    old=st.lists(st.integers(0, 30), max_size=60).map(sorted),
    data=st.data(),
)
def test_a_band_spliced_in_runs_is_the_band_with_the_gone_removed_and_the_added_merged_in(old, data):
    """The update copies a band's kept keys in runs between the changes (_runs, _splice). It must give
    what removing the gone keys and merging the added ones in gives: each added key before the kept
    keys equal to it, after the added keys before it (the order a rebuild's stable merge would give)."""
    gone = sorted(data.draw(st.sets(st.integers(0, len(old) - 1), max_size=len(old))) if old else [])
    added = sorted(data.draw(st.lists(st.integers(0, 30), max_size=20)))
    values = np.array(old, dtype=np.uint64)
    stays = [value for at, value in enumerate(old) if at not in set(gone)]
    expected: list[tuple[int, str]] = []  # (key, where from), merged as described
    queue = list(added)
    for value in stays:
        while queue and queue[0] <= value:
            expected.append((queue.pop(0), "added"))
        expected.append((value, "kept"))
    expected += [(value, "added") for value in queue]

    runs = _stem_index._runs(gone, np.searchsorted(values, np.array(added, dtype=np.uint64)).tolist())
    out_keys = np.empty(len(stays) + len(added), dtype=np.uint64)
    _stem_index._splice(values, np.array(added, dtype=np.uint64), runs, out_keys)
    origin = np.empty(len(out_keys), dtype=np.int32)  # where each value came from: its kept position, or -1 - its added number
    _stem_index._splice(np.arange(len(old), dtype=np.int32), -1 - np.arange(len(added), dtype=np.int32), runs, origin)

    assert out_keys.tolist() == [value for value, _ in expected]
    assert ["added" if k < 0 else "kept" for k in origin.tolist()] == [where for _, where in expected]
    assert [k for k in origin.tolist() if k >= 0] == [at for at in range(len(old)) if at not in set(gone)]
    assert [-1 - k for k in origin.tolist() if k < 0] == list(range(len(added)))


def test_an_index_a_few_stems_behind_is_written_when_the_bank_is_at_rest(bank, builds, monkeypatch):
    """While the bank keeps changing, an index updated for fewer than REWRITE_AT stems is not
    written (20 MB at 100,000 stems); the next lint updates the older one for every file changed
    since, and finds what a fresh lint finds. A lint that finds the bank as the last one left it,
    or an index REWRITE_AT stems behind, writes it."""
    monkeypatch.setattr(_stem_index, "REWRITE_AT", 121)  # an edited file of 30 stems: 30 gone, 30 new
    memo = next(iter(bank.parent.rglob("QB304.memo")), None)
    assert memo is None and _relint(bank, builds) == [] and builds == [900]
    memo = next(bank.parent.rglob("QB304.memo"))
    files = _files(bank)
    builds.clear()

    def edited(number: int) -> None:
        data = _read(files[number])
        data["questions"][0]["stem"] = _read(files[number + 1])["questions"][0]["stem"]  # a copy: QB304 reports one of the two
        _write(files[number], data)

    def lint() -> set:
        sources, config = discover([bank]), _config(bank.parent)
        warm = [d.to_dict() for d in engine.lint(sources, config, jobs=1, cache=True).diagnostics]
        assert warm == [d.to_dict() for d in engine.lint(sources, config, jobs=1).diagnostics]
        return {d["question_id"] for d in warm if d["code"] == "QB304"}

    written = memo.read_bytes()
    edited(3)
    assert len(lint()) == 1 and memo.read_bytes() == written  # 60 stems behind: not written
    edited(12)
    assert len(lint()) == 2 and memo.read_bytes() == written  # 120 behind, from the same kept index
    assert builds == []
    assert len(lint()) == 2 and memo.read_bytes() != written  # at rest: written
    kept = _kept_index(bank)
    written = memo.read_bytes()
    assert len(lint()) == 2 and memo.read_bytes() == written  # nothing behind: nothing to write
    for number in (20, 22, 24):
        edited(number)
    assert len(lint()) == 5 and memo.read_bytes() != written  # 180 behind: written at once
    assert builds == [] and kept.digests != _kept_index(bank).digests
