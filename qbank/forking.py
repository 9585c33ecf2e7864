"""Run a piece of work in a forked copy of this process while this one goes on with other work.

The bank-wide checks run after every file is linted, in one process: on a bank of
100,000 questions they take some 0.6 s, during which the other cores idle. A check
that stands apart from the others (QB304 builds its own index) can run in a child
forked at that moment: the child shares the parent's memory, copy-on-write, so it
needs nothing sent to it, and sends back only its findings, pickled through a pipe.

Running apart never changes a result. Where ``os.fork`` is missing (Windows), in a
process with other threads (a lock one of them holds at the fork would stay held in the
child for ever), or when the fork or the child fails in any way, the work runs here
instead, so that an error it raises is raised here as it would have been.
"""

from __future__ import annotations

import os
import pickle
import select
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

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


def started_apart(work: Callable[[], T]) -> Started[T]:
    """Start ``work`` in a forked child; calling what is returned waits for it and gives its result."""
    threading = sys.modules.get("threading")  # not imported: no thread was started through it
    if not hasattr(os, "fork") or (threading is not None and threading.active_count() > 1):
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
