"""Worker processes and the lint cache change how fast a lint is, never what it reports."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.generate import generate
from qbank import cache as cache_module
from qbank import engine, parallel
from qbank.cache import CACHE_DIR, LAYOUT
from qbank.cli import main
from qbank.config import Config, validated
from qbank.diagnostics import Diagnostic, Position, Severity
from qbank.discovery import discover


def _dicts(result) -> list[dict]:
    return [d.to_dict() for d in result.diagnostics]


def _entries(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).rglob("*.entry"))


def _entry_parts(entry: Path) -> tuple[bytes, bytes]:
    """An entry file's outcome (what every lint reads) and what is stored beside it (questions, summaries set aside)."""
    return cache_module._read_outcome(str(entry)), cache_module._read_beside(str(entry))


def _rewrite_entry(entry: Path, outcome: bytes, beside: bytes) -> None:
    entry.write_bytes(cache_module._OUTCOME_LENGTH.pack(len(outcome)) + outcome + beside)


@pytest.fixture
def planted(tmp_path) -> Path:
    """A small generated bank with one planted fault in each of 14 files (every kind twice)."""
    folder = tmp_path / "bank"
    generate(folder, questions=420, per_file=15, errors=14)
    return folder


@pytest.fixture
def calls(monkeypatch) -> list[str]:
    """The names of the files linted from scratch (not taken from the cache)."""
    seen: list[str] = []
    original = engine.lint_file

    def counting(source, *args, **kwargs):
        seen.append(source.name)
        return original(source, *args, **kwargs)

    monkeypatch.setattr(engine, "lint_file", counting)
    return seen


def _config(root: Path, **settings) -> Config:
    return replace(validated({"select": ["QB"], **settings}), root=str(root))


def test_generated_bank_has_the_planted_findings(planted):
    result = engine.lint(discover([planted]), _config(planted.parent), jobs=1)
    codes = {d.code for d in result.diagnostics}
    assert {"QB002", "QB003", "QB005", "QB101", "QB102", "QB103", "QB109"} <= codes


def test_worker_processes_report_exactly_what_one_process_does(planted, monkeypatch):
    sources = discover([planted])
    config = _config(planted.parent)
    serial = engine.lint(sources, config, jobs=1)
    used = []
    monkeypatch.setattr(parallel, "SMALL_BANK_BYTES", 0)
    original = parallel.lint_files
    monkeypatch.setattr(parallel, "lint_files", lambda *a: used.append(a) or original(*a))
    spread = engine.lint(sources, config, jobs=3)
    assert used, "the bank was not spread over workers"
    assert _dicts(spread) == _dicts(serial)
    assert spread.bank.question_count == serial.bank.question_count
    assert [q.id for q in spread.bank.questions] == [q.id for q in serial.bank.questions]


def test_batches_keep_file_order_and_cover_every_file(planted):
    sources = discover([planted])
    for workers in (1, 2, 5, 100):
        runs = parallel.batches(sources, workers)
        assert [s for run in runs for s in run] == sources
        assert all(runs)


def test_batches_shrink_so_that_workers_finish_together(tmp_path):
    """Guided self-scheduling: each batch takes a share of what is left, so the batches
    shrink and the last ones are single files (28 files of equal size, 2 workers)."""
    sources = []
    for number in range(28):
        path = tmp_path / f"part-{number:02}.yaml"
        path.write_bytes(b"x" * 1000)
        sources += discover([path])
    runs = parallel.batches(sources, 2)
    sizes = [len(run) for run in runs]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == 28 // (parallel.SHARE_PER_WORKER * 2)
    assert sizes[-2:] == [1, 1]


def test_warm_cache_gives_the_cold_diagnostics_without_relinting(planted, calls):
    sources, config = discover([planted]), _config(planted.parent)
    cold = engine.lint(sources, config, jobs=1, cache=True)
    assert len(calls) == len(sources)
    assert (planted.parent / CACHE_DIR / LAYOUT).is_dir()
    calls.clear()
    warm = engine.lint(sources, config, jobs=1, cache=True)
    assert calls == []
    assert _dicts(warm) == _dicts(cold)
    assert [q.id for q in warm.bank.questions] == [q.id for q in cold.bank.questions]


def test_editing_a_file_relints_only_that_file(planted, calls):
    sources, config = discover([planted]), _config(planted.parent)
    engine.lint(sources, config, jobs=1, cache=True)
    edited = sources[3]
    edited.path.write_text(edited.path.read_text(encoding="utf-8").replace("    explanation: ", "    explanation:  ", 1) + "  - id: broken\n", encoding="utf-8")
    calls.clear()
    result = engine.lint(sources, config, jobs=1, cache=True)
    assert calls == [edited.name]
    assert _dicts(result) == _dicts(engine.lint(sources, config, jobs=1))
    assert any(d.file == edited.name and d.code == "QB101" and d.question_id is None for d in result.diagnostics)


def test_a_changed_file_found_ahead_of_cached_reads_is_linted_in_a_forked_child(planted, calls, monkeypatch):
    """The re-lint's changed file is linted in a child while this process reads the cached ones: the same
    report, the entry stored by the child, nothing linted here (the child's calls are its own); with
    ``jobs=1`` it is linted here as before."""
    sources, config = discover([planted]), _config(planted.parent)
    engine.lint(sources, config, jobs=1, cache=True)
    monkeypatch.setattr(engine, "AHEAD_OF_READS", 0)
    edited = sources[2]
    edited.path.write_text(edited.path.read_text(encoding="utf-8") + "  - id: broken\n", encoding="utf-8")
    calls.clear()
    result = engine.lint(sources, config, jobs=2, cache=True)
    assert calls == []
    assert _dicts(result) == _dicts(engine.lint(sources, config, jobs=1))
    assert [q.id for q in result.bank.questions] == [q.id for q in engine.lint(sources, config, jobs=1).bank.questions]
    calls.clear()
    assert _dicts(engine.lint(sources, config, jobs=2, cache=True)) == _dicts(result)
    assert calls == []  # the child stored the entry
    edited.path.write_text(edited.path.read_text(encoding="utf-8").replace("  - id: broken\n", ""), encoding="utf-8")
    calls.clear()
    assert _dicts(engine.lint(sources, config, jobs=1, cache=True)) == _dicts(engine.lint(sources, config, jobs=1))
    assert calls[0] == edited.name


@pytest.mark.parametrize(
    "change",
    [
        {"select": ["QB1"]},
        {"select": ["QB"], "ignore": ["QB109"]},
        {"select": ["QB"], "severity": {"QB109": "warning"}},
        {"select": ["QB"], "per-file-ignores": {"*.yaml": ["QB103"]}},
    ],
    ids=["select", "ignore", "severity", "per-file-ignores"],
)
def test_a_change_of_configuration_or_rules_relints_everything(planted, calls, change):
    sources = discover([planted])
    engine.lint(sources, _config(planted.parent), jobs=1, cache=True)
    calls.clear()
    changed = replace(validated(change), root=str(planted.parent))
    result = engine.lint(sources, changed, jobs=1, cache=True)
    assert len(calls) == len(sources)
    assert _dicts(result) == _dicts(engine.lint(sources, changed, jobs=1))


def test_duplicate_ids_across_files_are_found_when_only_one_file_changed(tmp_path, calls):
    folder = tmp_path / "bank"
    generate(folder, questions=60, per_file=20)
    sources, config = discover([folder]), _config(tmp_path)
    assert not [d for d in engine.lint(sources, config, jobs=1, cache=True).diagnostics if d.code == "QB102"]
    last = sources[-1].path
    last.write_text(last.read_text(encoding="utf-8").replace("id: q000040", "id: q000000"), encoding="utf-8")
    calls.clear()
    result = engine.lint(sources, config, jobs=1, cache=True)
    assert calls == [sources[-1].name]
    duplicates = sorted((d.file, d.position.line) for d in result.diagnostics if d.code == "QB102")
    assert [file for file, _ in duplicates] == sorted([sources[0].name, sources[-1].name])
    assert _dicts(result) == _dicts(engine.lint(sources, config, jobs=1))


def test_qb102_skips_its_check_while_the_ids_are_those_of_a_bank_without_a_repeated_one(tmp_path, monkeypatch):
    from qbank.rules.structure import duplicate_id  # noqa: PLC0415

    folder = tmp_path / "bank"
    generate(folder, questions=60, per_file=20)
    sources, config = discover([folder]), _config(tmp_path)
    checked = []
    original = duplicate_id.question_ids
    monkeypatch.setattr(duplicate_id, "question_ids", lambda places: checked.append(1) or original(places))

    def qb102() -> list:
        checked.clear()
        return [d for d in engine.lint(sources, config, jobs=1, cache=True).diagnostics if d.code == "QB102"]

    assert qb102() == [] and checked  # the first lint checks, and keeps what identifies the ids
    first = sources[0].path
    first.write_text(first.read_text(encoding="utf-8").replace("stem: ", "stem: Now, ", 1), encoding="utf-8")
    assert qb102() == [] and not checked  # a stem changed, not an id: nothing to check again
    last = sources[-1].path
    last.write_text(last.read_text(encoding="utf-8").replace("id: q000040", "id: q000000"), encoding="utf-8")
    assert len(qb102()) == 2 and checked  # an id changed: checked, and found
    assert len(qb102()) == 2 and checked  # and checked every time while one is repeated


def test_a_corrupt_cache_is_ignored_and_rewritten(planted, calls):
    sources, config = discover([planted]), _config(planted.parent)
    cold = engine.lint(sources, config, jobs=1, cache=True)
    entries = _entries(planted.parent)
    assert len(entries) == len(sources)  # files with syntax errors are cached too
    for index, entry in enumerate(entries):
        damage = index % 5
        if damage == 4:  # well framed, but not an outcome
            _rewrite_entry(entry, pickle.dumps("not an outcome"), _entry_parts(entry)[1])
        else:
            entry.write_bytes([b"", b"\x80\x05junk", pickle.dumps("not an outcome"), entry.read_bytes()[:50]][damage])
    calls.clear()
    again = engine.lint(sources, config, jobs=1, cache=True)
    assert _dicts(again) == _dicts(cold)
    assert len(calls) == len(entries)
    calls.clear()
    engine.lint(sources, config, jobs=1, cache=True)
    assert calls == []


def test_lost_questions_are_read_again_from_the_bank_file(planted, calls):
    sources, config = discover([planted]), _config(planted.parent)
    cold = engine.lint(sources, config, jobs=1, cache=True)
    lost = _entries(planted.parent)
    for index, entry in enumerate(lost):  # what is stored beside the outcome: cut off, or junk
        _rewrite_entry(entry, _entry_parts(entry)[0], b"junk" if index % 2 else b"")
    calls.clear()
    warm = engine.lint(sources, config, jobs=1, cache=True)
    # The summaries that QB304 sets aside were lost with them: a file whose summaries it
    # reads is linted again (this bank is small enough for QB304 to read every stem), once.
    assert calls and len(set(calls)) == len(calls) <= len(lost)
    assert _dicts(warm) == _dicts(cold)
    assert [(q.id, q.question) for q in warm.bank.questions] == [(q.id, q.question) for q in cold.bank.questions]


def test_an_image_that_appears_invalidates_the_entry(tmp_path, calls):
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "q.yaml").write_text(
        "questions:\n  - id: q1\n    stem: \"Which layer? ![cell](cell.png)\"\n    explanation: The LSTM.\n"
        "    options:\n      - {text: LSTM, correct: true}\n      - {text: Dense, why: No gates.}\n",
        encoding="utf-8",
    )
    sources, config = discover([folder]), _config(tmp_path)
    assert [d.code for d in engine.lint(sources, config, jobs=1, cache=True).diagnostics] == ["QB111"]
    (folder / "cell.png").write_bytes(b"\x89PNG")
    calls.clear()
    assert engine.lint(sources, config, jobs=1, cache=True).diagnostics == []
    assert calls == [sources[0].name]


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    generate(project / "banks", questions=40, per_file=20)
    (project / "pyproject.toml").write_text('[tool.qbank]\npaths = ["banks"]\n', encoding="utf-8")
    return project


def _poison(project: Path) -> None:
    """Add a made-up finding to every cache entry, so that reading the cache shows."""
    for entry in _entries(project):
        packed, beside = _entry_parts(entry)
        *keys, outcome = pickle.loads(packed)
        outcome.diagnostics.append(Diagnostic("poisoned.yaml", Position(1, 1), "QB101", Severity.ERROR, "from the cache"))
        _rewrite_entry(entry, pickle.dumps((*keys, outcome)), beside)


def test_no_cache_neither_reads_nor_writes(tmp_path, monkeypatch):
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    runner = CliRunner()
    assert runner.invoke(main, ["lint", "--no-cache"]).exit_code == 0
    assert not (project / CACHE_DIR).exists()
    assert runner.invoke(main, ["lint"]).exit_code == 0
    assert (project / CACHE_DIR / "CACHEDIR.TAG").is_file()
    _poison(project)
    assert "from the cache" in runner.invoke(main, ["lint"]).output
    stamps = {p: p.stat().st_mtime_ns for p in _entries(project)}
    result = runner.invoke(main, ["lint", "--no-cache"])
    assert result.exit_code == 0 and "from the cache" not in result.output
    assert stamps and {p: p.stat().st_mtime_ns for p in _entries(project)} == stamps


def test_cache_false_in_the_configuration_bypasses_it(tmp_path, monkeypatch):
    project = _project(tmp_path)
    (project / "pyproject.toml").write_text('[tool.qbank]\npaths = ["banks"]\ncache = false\n', encoding="utf-8")
    monkeypatch.chdir(project)
    assert CliRunner().invoke(main, ["lint"]).exit_code == 0
    assert not (project / CACHE_DIR).exists()


def test_jobs_option_is_checked_and_gives_the_same_report(planted, monkeypatch):
    monkeypatch.setattr(parallel, "SMALL_BANK_BYTES", 0)
    runner = CliRunner()
    one = runner.invoke(main, ["lint", str(planted), "--no-cache", "--jobs", "1", "--format", "json"])
    two = runner.invoke(main, ["lint", str(planted), "--no-cache", "--jobs", "2", "--format", "json"])
    assert one.exit_code == two.exit_code == 1
    assert one.output == two.output
    assert runner.invoke(main, ["lint", str(planted), "--jobs", "0"]).exit_code == 2


@pytest.mark.parametrize("cache", [False, True])
def test_workers_need_not_send_the_questions(planted, monkeypatch, cache):
    """The lint command reads no question: its workers do not send them, and they are read again if asked for."""
    monkeypatch.setattr(parallel, "SMALL_BANK_BYTES", 0)
    sources, config = discover([planted]), _config(planted.parent)
    lean = engine.lint(sources, config, jobs=2, cache=cache, questions=False)  # cold: every file linted by a worker
    full = engine.lint(sources, config, jobs=2)
    assert _dicts(lean) == _dicts(full)
    assert all(file._packed is None and file._questions is None for file in lean.bank.files)
    if cache:  # the workers wrote them to the cache: they are read from there, not from the bank files
        monkeypatch.setattr(cache_module, "read_questions", lambda source: pytest.fail(f"{source.name} read again"))
    assert [(q.id, q.question) for q in lean.bank.questions] == [(q.id, q.question) for q in full.bank.questions]


def test_the_pydantic_version_in_the_key_is_read_without_importing_it():
    import pydantic  # noqa: PLC0415

    assert cache_module.pydantic_version() == pydantic.VERSION
