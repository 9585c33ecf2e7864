"""The costly part of an export, question by question, spread over worker processes.

An exporter's ``prepare(item)`` does the work of one question (Markdown to HTML, its
XML or JSON, its source comment) and returns plain data; the exporter then writes
the prepared pieces in bank order in this process, so that what runs across
questions (categories, images seen, notes) stays a simple loop. A large bank's
files go to forked worker processes, which share the loaded bank, a file at a time;
their answers are taken in file order, so the output is the same bytes whatever
the number of workers.

``prepare`` must not raise for a question it cannot carry: it returns what the
exporter needs to say so (an exception would end the whole export).
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from qbank.bank import Bank, BankQuestion, place_questions
from qbank.parallel import default_jobs
from qbank.validated import ValidatedFile

SMALL_BANK = 2_000
"""Below this many questions, starting processes costs more than it saves."""
AHEAD = 4
"""Files in flight per worker: enough to keep them busy, few enough that answers do not pile up."""

_job: dict[str, Any] = {}


@dataclass(frozen=True)
class Placed:
    """A prepared question's place: what the writing needs of it besides what ``prepare`` returned.

    The process that writes never unpacks the questions that workers prepared.
    """

    id: str
    file: ValidatedFile
    index: int


def _prepare_file(index: int) -> list[tuple[int, str, Any]]:
    validated, relative = _job["bank"].placed[index]
    prepare = _job["prepare"]
    pieces = [(item.index, item.id, prepare(item)) for item in place_questions(validated, relative)]
    validated.release()
    return pieces


def workers_for(bank: Bank, jobs: int | None) -> int:
    """How many worker processes an export of ``bank`` uses (0: none, all in this process)."""
    if bank.question_count < SMALL_BANK or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    workers = min(default_jobs() if jobs is None else jobs, len(bank.placed))
    return workers if workers > 1 else 0


def prepared(bank: Bank, prepare: Callable[[BankQuestion], Any], jobs: int | None = 1) -> Iterator[tuple[Placed, Any]]:
    """``(place, prepare(item))`` for every question of the bank, in bank order.

    ``jobs`` worker processes (None: one per core; 1: none) share the work when the bank is large.
    """
    workers = workers_for(bank, jobs)
    if not workers:
        for item in each_question(bank):
            yield Placed(item.id, item.file, item.index), prepare(item)
        return
    _job.update(bank=bank, prepare=prepare)
    gc.freeze()  # the parent's objects stay untouched in the workers' copy of memory
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            files = iter(range(len(bank.placed)))
            pending: deque = deque()
            for index in files:
                pending.append((index, pool.submit(_prepare_file, index)))
                if len(pending) < workers * AHEAD:
                    continue
                yield from _answers(bank, *pending.popleft())
            while pending:
                yield from _answers(bank, *pending.popleft())
    finally:
        gc.unfreeze()
        _job.clear()


def _answers(bank: Bank, index: int, future) -> Iterator[tuple[Placed, Any]]:
    validated, _ = bank.placed[index]
    for question_index, question_id, piece in future.result():
        yield Placed(question_id, validated, question_index), piece


def each_question(bank: Bank) -> Iterator[BankQuestion]:
    """The bank's questions in order, file by file: each file's are let go once done (unless the bank holds them)."""
    for validated, relative in bank.placed:
        yield from place_questions(validated, relative)
        validated.release()
