"""Readings of a text remembered while the engine works on one file, then forgotten.

The rules read the same texts over and over: the plain form of an option, whether it
is a meta option, its number. Every rule runs on one question before the next
(:func:`qbank.engine.check_file`), so those readings are asked for again within
microseconds, and seldom once the file is done. A memo of the file in hand stays
small and quick to look in. The LRU caches it replaced (65,536 answers each) cost
more than they saved: a call built a tuple of its arguments and kept the order of a
large table, whose memory spread over the CPU's caches and slowed everything else;
a cold lint of 100,000 questions took a tenth longer (docs/performance.md, fifteenth round).

Readings of single words (their lemma) recur all over a bank: those are kept across
files (:func:`per_bank`), in a memo of the same kind.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import TypeVar

T = TypeVar("T")

KEPT = 16_384
"""The most answers a memo keeps: past it, it starts again empty (a bound for the readings of words,
kept across files, and for callers that never :func:`forget`; a file's texts stay far below it)."""

_MISSING = object()
_memos: list[dict] = []


def per_file(function: Callable[[str], T]) -> Callable[[str], T]:
    """Remember ``function``, a reading of one text (hashable), until :func:`forget`.

    Answers are shared between rules: keep them immutable.
    """
    remembered, answers = _memo(function)
    _memos.append(answers)
    return remembered


def per_bank(function: Callable[[str], T]) -> Callable[[str], T]:
    """Remember ``function``, a reading of one word or other small value that recurs all over a
    bank, across files (up to :data:`KEPT` answers; :func:`forget` leaves them)."""
    return _memo(function)[0]


def _memo(function: Callable[[str], T]) -> tuple[Callable[[str], T], dict]:
    """``function`` remembered in a dict of at most :data:`KEPT` answers, and that dict."""
    answers: dict = {}
    look_up = answers.get

    def remembered(text):  # noqa: ANN001, ANN202  (a hot path: no annotations to evaluate)
        answer = look_up(text, _MISSING)
        if answer is _MISSING:
            if len(answers) >= KEPT:
                answers.clear()
            answer = answers[text] = function(text)
        return answer

    return update_wrapper(remembered, function), answers


def forget() -> None:
    """Drop every remembered answer: the engine is done with a file."""
    for answers in _memos:
        answers.clear()
