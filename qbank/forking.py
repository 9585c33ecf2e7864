"""Run a piece of work in a forked copy of this process while this one goes on with other work.

The bank-wide checks run after every file is linted, in one process: on a bank of
100,000 questions they take some 0.6 s, during which the other cores idle. A check
that stands apart from the others (QB304 builds its own index) can run in a child
forked at that moment: the child shares the parent's memory, copy-on-write, so it
needs nothing sent to it, and sends back only its findings, pickled through a pipe.

A child can also be forked before its work is known (:func:`standing_by`): it prepares what the
work will need (imports, mostly) and waits to be told the work's argument, or is dismissed. A
re-lint forks one before it reads the cache, for the first changed file it meets.

Running apart never changes a result. Where ``os.fork`` is missing (Windows), in a
process with other threads (a lock one of them holds at the fork would stay held in the
child for ever), or when the fork or the child fails in any way, the work runs here
instead, so that an error it raises is raised here as it would have been.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
from collections.abc import Callable
from functools import partial
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Started(Generic[T]):
    """Work started apart (or to be done here): call it to wait for its result."""

    def __init__(self, work: Callable[[], T], reading: int | None = None, child: int = 0) -> None:
        self._work = work
        self._reading = reading
        self._child = child

    def __call__(self) -> T:
        if self._reading is None:
            return self._work()
        return _result(self._work, self._reading, self._child)

    def finished(self) -> bool:
        """Whether the child has sent its result (or died), so that calling it gives the result at once.
        False for work that runs here: calling it does the work."""
        if self._reading is None:
            return False
        return bool(select.select([self._reading], [], [], 0)[0])


def _may_fork() -> bool:
    threading = sys.modules.get("threading")  # not imported: no thread was started through it
    return hasattr(os, "fork") and (threading is None or threading.active_count() == 1)


def started_apart(work: Callable[[], T]) -> Started[T]:
    """Start ``work`` in a forked child; calling what is returned waits for it and gives its result."""
    if not _may_fork():
        return Started(work)
    try:
        reading, writing = os.pipe()
        child = os.fork()
    except OSError:
        return Started(work)
    if child == 0:  # pragma: no cover  (the child; coverage does not follow it)
        _run_child(work, reading, writing)
    os.close(writing)
    return Started(work, reading, child)


class StandingBy(Generic[T]):
    """A child forked ahead of its work, which it is given later (:func:`standing_by`)."""

    def __init__(self, work: Callable[[Any], T], orders: int | None = None, reading: int | None = None, child: int = 0) -> None:
        self._work = work
        self._orders = orders
        self._reading = reading
        self._child = child

    def give(self, argument: Any) -> Started[T]:
        """Have the child do ``work(argument)``; calling what is returned waits for it and gives its result."""
        work = partial(self._work, argument)
        if self._orders is None:
            return Started(work)
        orders, self._orders = self._orders, None
        try:
            with os.fdopen(orders, "wb") as pipe:
                pipe.write(pickle.dumps(argument, pickle.HIGHEST_PROTOCOL))
        except OSError:  # the child is gone: its result pipe gives nothing, and the work runs here
            pass
        return Started(work, self._reading, self._child)

    def dismiss(self) -> None:
        """Stop the child without work (it only prepared, so it leaves nothing half done). It is
        reaped by :func:`reap_dismissed`: the kernel frees its memory meanwhile, beside this process."""
        if self._orders is None:
            return
        os.close(self._orders)
        os.close(self._reading)  # type: ignore[arg-type]
        self._orders = None
        try:
            os.kill(self._child, signal.SIGKILL)
        except OSError:
            pass
        _dismissed.append(self._child)


_dismissed: list[int] = []


def reap_dismissed() -> None:
    """Wait for the children dismissed so far to be gone (by then they usually are)."""
    while _dismissed:
        try:
            os.waitpid(_dismissed.pop(), 0)
        except ChildProcessError:
            pass


def standing_by(prepare: Callable[[], object], work: Callable[[Any], T]) -> StandingBy[T]:
    """Fork a child that runs ``prepare`` at once (imports, say), then waits to be given the
    argument of ``work`` (:meth:`StandingBy.give`) or to be dismissed. The work starts as soon as
    it is known, with what it needs ready. As with :func:`started_apart`, the work runs here when
    the child cannot be forked or fails."""
    if not _may_fork():
        return StandingBy(work)
    try:
        orders_in, orders = os.pipe()
        reading, writing = os.pipe()
        child = os.fork()
    except OSError:
        return StandingBy(work)
    if child == 0:  # pragma: no cover  (the child; coverage does not follow it)
        os.close(orders)
        _run_child(partial(_when_given, prepare, work, orders_in), reading, writing)
    os.close(orders_in)
    os.close(writing)
    return StandingBy(work, orders, reading, child)


def _when_given(prepare: Callable[[], object], work: Callable[[Any], T], orders: int) -> T:
    try:
        prepare()
    except Exception:  # noqa: S110  (only a head start: the work meets the same error, and reports it)
        pass
    with os.fdopen(orders, "rb") as pipe:
        given = pipe.read()
    if not given:  # dismissed while preparing: leave
        os._exit(0)
    return work(pickle.loads(given))


def _run_child(work: Callable[[], object], reading: int, writing: int) -> None:
    """In the child: run ``work``, send (True, result) or (False, None) when it raised, and leave
    at once (``os._exit``: no atexit handlers, no second flush of the parent's buffered output)."""
    status = 1
    try:
        os.close(reading)
        try:
            message = pickle.dumps((True, work()), pickle.HIGHEST_PROTOCOL)
        except BaseException:  # the parent runs the work again and meets the error itself
            message = pickle.dumps((False, None))
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(message)
        status = 0
    finally:
        os._exit(status)


def _result(work: Callable[[], T], reading: int, child: int) -> T:
    """The child's result, or ``work`` run here when the child gave none."""
    with os.fdopen(reading, "rb") as pipe:
        message = pipe.read()
    try:
        os.waitpid(child, 0)
    except ChildProcessError:
        pass
    try:
        finished, result = pickle.loads(message)
    except Exception:  # the child died before it finished writing
        finished = False
    return result if finished else work()
