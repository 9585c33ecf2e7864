"""The memo of the file in hand (qbank/memo.py): readings are worked out once per file, then forgotten."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbank import memo
from qbank.config import Config
from qbank.discovery import discover
from qbank.engine import lint
from qbank.rules.quality import _text
from bench.generate import generate


@pytest.fixture
def counted():
    calls: list[str] = []

    def reading(text: str) -> str:
        calls.append(text)
        return text.upper()

    yield memo.per_file(reading), calls
    memo.forget()


def test_an_answer_is_worked_out_once_until_forgotten(counted):
    reading, calls = counted
    assert [reading("a"), reading("a"), reading("b"), reading("a")] == ["A", "A", "B", "A"]
    assert calls == ["a", "b"]
    memo.forget()
    assert reading("a") == "A"
    assert calls == ["a", "b", "a"]


def test_a_memo_never_holds_more_than_its_bound(counted, monkeypatch):
    monkeypatch.setattr(memo, "KEPT", 3)
    reading, calls = counted
    for text in "abcde":
        reading(text)
    reading("e")  # still kept: the memo started again at "d"
    assert calls == list("abcde")
    reading("a")
    assert calls == [*"abcde", "a"]


def test_the_wrapper_keeps_the_reading_it_stands_for():
    assert _text.meta_kind.__wrapped__("None of the above") == _text.meta_kind("None of the above")
    assert _text.plain.__name__ == "plain" and "reader sees" in _text.plain.__doc__


def test_prose_remembers_each_way_of_reading_quotes_apart():
    text = 'Which is "not" right?'
    assert _text.prose(text, quotes=True) == text
    assert _text.prose(text) == "Which is § right?"
    assert _text.prose(text, quotes=True) == text


def test_the_engine_forgets_the_readings_of_each_file(tmp_path: Path, monkeypatch):
    forgotten = []
    real = memo.forget
    monkeypatch.setattr("qbank.engine.forget", lambda: forgotten.append(real()))
    generate(tmp_path, questions=30, per_file=15, errors=2)
    sources = discover([str(tmp_path)])
    lint(sources, Config(), jobs=1)
    assert len(forgotten) == len(sources) == 2
    assert all(not answers for answers in memo._memos)

