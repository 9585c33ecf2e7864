"""Work run in a forked child (qbank/forking.py), and the bank checks that run that way on a large bank."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from qbank import engine, forking
from qbank.config import validated
from qbank.discovery import discover

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here: the work runs in this process")


@needs_fork
def test_the_work_runs_in_another_process_and_its_result_comes_back():
    result = forking.started_apart(lambda: (os.getpid(), ["a", {"b": 2}]))()
    assert result[0] != os.getpid()
    assert result[1] == ["a", {"b": 2}]


@needs_fork
def test_work_that_fails_in_the_child_runs_here_and_raises_here():
    runs = []

    def failing():
        runs.append(os.getpid())  # in the child, this list is the child's copy
        raise ValueError("broken check")

    join = forking.started_apart(failing)
    with pytest.raises(ValueError, match="broken check"):
        join()
    assert runs == [os.getpid()]


@needs_fork
def test_a_result_that_cannot_be_sent_is_made_here():
    def unpicklable():
        return lambda: os.getpid()  # a lambda cannot be pickled

    made = forking.started_apart(unpicklable)()
    assert made() == os.getpid()


@needs_fork
def test_a_process_with_other_threads_runs_the_work_here():
    import threading  # noqa: PLC0415

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert forking.started_apart(os.getpid)() == os.getpid()
    finally:
        release.set()
        other.join()
    assert forking.started_apart(os.getpid)() != os.getpid()  # alone again: apart


def test_without_fork_the_work_runs_here(monkeypatch):
    monkeypatch.delattr(os, "fork")
    assert forking.started_apart(os.getpid)() == os.getpid()


STEM = "Which layer of a Keras text model turns token ids into dense vectors of a fixed size?"


def _bank(folder: Path) -> Path:
    """Two files: a near-duplicate stem across them (QB304, which may run apart) and a duplicate id (QB102)."""
    folder.mkdir()
    for name, question_id in (("a.yaml", "q1"), ("b.yaml", "q1")):
        (folder / name).write_text(
            f"questions:\n  - id: {question_id}\n    stem: {STEM}\n    explanation: x\n"
            "    options: [{text: Embedding, correct: true}, {text: Dense, why: x}]\n",
            encoding="utf-8",
        )
    return folder


def test_bank_checks_run_apart_on_a_large_bank_and_report_the_same(tmp_path, monkeypatch):
    folder = _bank(tmp_path / "bank")
    config = replace(validated({"select": ["QB"]}), root=str(tmp_path))
    together = [d.to_dict() for d in engine.lint(discover([folder]), config, jobs=1).diagnostics]

    apart = []
    original = engine.started_apart
    monkeypatch.setattr(engine, "started_apart", lambda work: apart.append(work.args[0].code) or original(work))
    monkeypatch.setattr(engine, "APART_FROM_QUESTIONS", 2)
    forked = [d.to_dict() for d in engine.lint(discover([folder]), config, jobs=1).diagnostics]

    assert apart == ["QB304"]
    assert {d["code"] for d in together} >= {"QB102", "QB304"}
    assert forked == together


def test_a_small_bank_checks_everything_here(tmp_path, monkeypatch):
    folder = _bank(tmp_path / "bank")
    config = replace(validated({"select": ["QB"]}), root=str(tmp_path))
    apart = []
    monkeypatch.setattr(engine, "started_apart", lambda work: apart.append(work) or work)
    engine.lint(discover([folder]), config, jobs=1)
    assert apart == []


@needs_fork
def test_finished_tells_whether_the_result_is_there_without_waiting():
    import time  # noqa: PLC0415

    reading, writing = os.pipe()
    started = forking.started_apart(lambda: os.read(reading, 1))  # the child waits for a byte from here
    time.sleep(0.05)
    assert not started.finished()
    os.write(writing, b"x")
    deadline = time.monotonic() + 10
    while not started.finished() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert started.finished()
    assert started() == b"x"
    os.close(reading)
    os.close(writing)


def test_work_that_runs_here_is_never_finished_before_it_is_called(monkeypatch):
    monkeypatch.delattr(os, "fork", raising=False)
    started = forking.started_apart(os.getpid)
    assert not started.finished()
    assert started() == os.getpid()


# -- a child standing by (forking.standing_by) -------------------------------------

_prepared: list[int] = []


def _prepare():
    _prepared.append(os.getpid())  # the child's copy of the list


def _report(argument):
    return os.getpid(), list(_prepared), argument


@needs_fork
def test_a_child_standing_by_prepares_then_does_the_work_it_is_given():
    standby = forking.standing_by(_prepare, _report)
    child, prepared, argument = standby.give({"file": 3})()
    assert child != os.getpid()
    assert prepared == [child]  # prepared in the child, before the work
    assert argument == {"file": 3}
    assert _prepared == []  # not here


@needs_fork
def test_a_child_dismissed_is_killed_and_reaped():
    reading, writing = os.pipe()  # the child prepares until a byte comes: it is dismissed while preparing
    standby = forking.standing_by(lambda: os.read(reading, 1), _report)
    child = standby._child
    standby.dismiss()
    forking.reap_dismissed()
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # already reaped: no such child any more
    os.close(reading)
    os.close(writing)


@needs_fork
def test_work_that_fails_in_a_child_standing_by_runs_here_and_raises_here():
    runs = []

    def failing(argument):
        runs.append(os.getpid())
        raise ValueError(f"broken {argument}")

    with pytest.raises(ValueError, match="broken 7"):
        forking.standing_by(_prepare, failing).give(7)()
    assert runs == [os.getpid()]


@needs_fork
def test_a_failing_preparation_leaves_the_work_to_do_in_the_child():
    def broken():
        raise ImportError("no such module")

    child, _, argument = forking.standing_by(broken, _report).give("x")()
    assert child != os.getpid() and argument == "x"


def test_without_fork_the_work_given_runs_here(monkeypatch):
    monkeypatch.delattr(os, "fork")
    standby = forking.standing_by(_prepare, _report)
    assert standby.give(1)() == (os.getpid(), [], 1)
    forking.standing_by(_prepare, _report).dismiss()  # nothing to stop
    assert _prepared == []


def test_a_relint_dismisses_the_child_when_no_file_changed(tmp_path, monkeypatch):
    folder = _bank(tmp_path / "bank")
    config = replace(validated({"select": ["QB"]}), root=str(tmp_path))
    engine.lint(discover([folder]), config, jobs=1, cache=True)
    monkeypatch.setattr(engine, "AHEAD_OF_READS", 0)
    dismissed, given = [], []
    original = engine.standing_by

    def watched(prepare, work):
        standby = original(prepare, work)
        monkeypatch.setattr(standby, "dismiss", lambda real=standby.dismiss: dismissed.append(1) or real())
        monkeypatch.setattr(standby, "give", lambda argument, real=standby.give: given.append(argument) or real(argument))
        return standby

    monkeypatch.setattr(engine, "standing_by", watched)
    unchanged = engine.lint(discover([folder]), config, jobs=2, cache=True)
    assert (dismissed, given) == ([1], [])
    assert [d.to_dict() for d in unchanged.diagnostics] == [d.to_dict() for d in engine.lint(discover([folder]), config, jobs=1).diagnostics]
