"""Lint files in worker processes: one per core, each taking batches of whole files.

Each worker builds its own rules from the configuration (codes and options), then
for every file of a batch reads it, runs :func:`qbank.engine.lint_file`, writes the
cache entry when the cache is on, and sends back the entry's bytes: the outcome, and
as blobs that the parent unpacks only if asked, the summaries set aside and (unless
the caller needs none) the questions. The parent decodes them in the order of the
files it gave, so the merged result does not depend on which worker finished first. Bank-wide rules only collect their summaries
here; their checks run in the parent.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from qbank.cache import Entry, FileOutcome, LintCache
from qbank.config import Config
from qbank.discovery import BankSource

SMALL_BANK_BYTES = 1_500_000
"""Below this (about 1,000 questions) starting processes costs more than it saves."""
SHARE_PER_WORKER = 2
"""Each batch takes 1/(this × workers) of the bytes still to give out (guided self-scheduling)."""


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _size(source: BankSource) -> int:
    try:
        return source.path.stat().st_size
    except OSError:
        return 0


def worth_it(sources: list[BankSource], jobs: int | None) -> bool:
    """Whether these files are worth spreading over processes."""
    workers = default_jobs() if jobs is None else jobs
    return workers > 1 and len(sources) > 1 and sum(map(_size, sources)) >= SMALL_BANK_BYTES


def batches(sources: list[BankSource], workers: int) -> list[list[BankSource]]:
    """Consecutive runs of files for ``workers`` processes: large ones first, then smaller and smaller.

    Each batch takes 1/(SHARE_PER_WORKER × workers) of the bytes not yet given out
    (guided self-scheduling, Polychronopoulos and Kuck 1987). The first batches are
    large, so there are few of them to send; the last are a file or two, so the workers
    run out of work together instead of one waiting for the other's last large batch.
    """
    sizes = [max(1, _size(source)) for source in sources]
    left = sum(sizes)
    share = SHARE_PER_WORKER * max(1, workers)
    out: list[list[BankSource]] = [[]]
    filled = 0
    for source, size in zip(sources, sizes):
        if out[-1] and filled + size / 2 > left / share:
            out.append([])
            left -= filled
            filled = 0
        out[-1].append(source)
        filled += size
    return out


_worker: dict = {}


def _start_worker(config: Config, select: list[str], ignore: list[str], store: LintCache | None, questions: bool) -> None:
    from qbank.engine import select_rules  # noqa: PLC0415  (import cycle)

    gc.disable()  # a short-lived process building acyclic data
    _worker["config"] = config
    _worker["rules"] = select_rules(config, select, ignore)
    _worker["store"] = store
    _worker["questions"] = questions


def _lint_batch(batch: list[BankSource]) -> list[tuple[bytes, bytes, bytes]]:
    from qbank.engine import lint_to_send  # noqa: PLC0415

    config, rules, store, questions = _worker["config"], _worker["rules"], _worker["store"], _worker["questions"]
    return [lint_to_send(source, config, rules, store, questions) for source in batch]


def lint_files(
    sources: list[BankSource],
    config: Config,
    select: list[str],
    ignore: list[str],
    jobs: int | None,
    store: LintCache | None,
    questions: bool = True,
) -> list[FileOutcome]:
    """The outcome of each file, in the order given, computed by ``jobs`` worker processes.

    Without ``questions``, the workers do not send the files' questions: a caller that
    does not read them saves packing and sending them (they are read again if asked for)."""
    workers = min(default_jobs() if jobs is None else jobs, len(sources))
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    gc.freeze()  # the parent's objects stay untouched in the workers' copy of memory
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(config, select, ignore, store, questions)
        ) as pool:
            outcomes = []
            runs = batches(sources, workers)
            for batch, sent in zip(runs, pool.map(_lint_batch, runs)):
                outcomes.extend(Entry(*blobs).open(source, store) for source, blobs in zip(batch, sent))
    finally:
        gc.unfreeze()
    return outcomes
