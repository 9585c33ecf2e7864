"""Byte-reproducible zip archives: sorted entries, fixed dates, fixed permissions.

The same files give the same bytes on every run and every machine (with the same zlib),
so an export can be diffed, cached and checked into a release without spurious changes.
Large entries are deflated a megabyte at a time on every core (:class:`PieceDeflater`):
the archive is written after every question, so its time adds straight to the export's.
"""

from __future__ import annotations

import zipfile
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from qbank.parallel import default_jobs

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
"""The earliest date a zip entry can hold; any fixed date would do."""
LEVEL = 3
"""zlib's level for every entry. Levels 1-3 skip lazy matching and deflate 2.3-2.5 times as fast as
the default 6 here, for archives 11-20 % larger. On 100,000 questions: the QTI banks (777 MB of XML)
deflate at 267 MB/s to 85 MB instead of 116 MB/s to 71 MB; the Anki collection (430 MB) at 172 MB/s
to 71 MB instead of 70 MB/s to 64 MB, on one core. (Level 1 is no faster and 6 % larger again.)"""
PIECE = 1 << 20
"""An entry is deflated a megabyte at a time, each on whichever core is free (see :class:`PieceDeflater`)."""
WINDOW = 32 * 1024
"""How far back deflate may refer: each piece is primed with this much of the entry before it."""


def file_pieces(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    """A file's bytes, a megabyte at a time (an entry of :func:`deterministic_zip`)."""
    with path.open("rb") as source:
        while piece := source.read(size):
            yield piece


def deterministic_zip(files: dict[str, bytes | Iterable[bytes]], out: BinaryIO) -> None:
    """Zip ``files`` into ``out``, entries sorted by name, deflated at :data:`LEVEL`.

    An entry is its bytes, or pieces of them given one after another (so that a large
    entry is never in memory whole); either way it is the same bytes in the zip.
    """
    threads = default_jobs()
    with zipfile.ZipFile(out, "w") as archive, ThreadPoolExecutor(threads, thread_name_prefix="qbank-deflate") as pool:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the permissions below mean the same everywhere
            info.external_attr = 0o100644 << 16
            info._compresslevel = LEVEL  # public as compress_level from Python 3.13; the only way before
            data = files[name]
            with archive.open(info, "w") as entry:
                # zipfile counts the bytes and their CRC and writes what its compressor returns;
                # nothing has gone through the compressor yet, so another deflater can take its place.
                entry._compressor = PieceDeflater(pool, threads)
                for piece in [data] if isinstance(data, bytes) else data:
                    entry.write(piece)


def _deflate(piece: bytes, before: bytes, last: bool) -> bytes:
    """One piece of a deflate stream: primed with the bytes ``before`` it, ending the stream when ``last``,
    else on a byte boundary (an empty stored block), so that the next piece can follow it."""
    deflater = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, zdict=before) if before else zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return deflater.compress(piece) + deflater.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


class PieceDeflater:
    """Deflate, as zipfile's compressor object (``compress``, then ``flush``), a megabyte at a time on
    every core, as pigz does: zlib lets go of the GIL while it deflates.

    Each piece of :data:`PIECE` bytes is deflated on its own, primed with the :data:`WINDOW` bytes
    before it, and ends on a byte boundary, so the pieces join into one deflate stream that any
    inflater reads. The pieces are cut at fixed offsets of the entry, whatever sizes it is written
    in, so its bytes depend neither on the number of cores nor on timing. An entry of one piece or
    less is deflated exactly as zlib alone would. At most two pieces per thread are in flight.
    """

    def __init__(self, pool: ThreadPoolExecutor, threads: int) -> None:
        self._pool = pool
        self._waiting = bytearray()
        self._before = b""
        self._running: deque[Future[bytes]] = deque()
        self._limit = 2 * threads

    def compress(self, data: bytes | memoryview) -> bytes:
        self._waiting += data
        cut = 0
        with memoryview(self._waiting) as waiting:
            while len(waiting) - cut > PIECE:  # the last piece stays until flush, which ends the stream
                self._start(bytes(waiting[cut : cut + PIECE]), last=False)
                cut += PIECE
        del self._waiting[:cut]
        return self._finished(wait=len(self._running) > self._limit)

    def flush(self) -> bytes:
        self._start(bytes(self._waiting), last=True)
        self._waiting = bytearray()
        return b"".join(self._running.popleft().result() for _ in range(len(self._running)))

    def _start(self, piece: bytes, last: bool) -> None:
        self._running.append(self._pool.submit(_deflate, piece, self._before, last))
        self._before = piece[-WINDOW:] if len(piece) >= WINDOW else (self._before + piece)[-WINDOW:]

    def _finished(self, wait: bool) -> bytes:
        """The deflated pieces that are done, in order (waiting for the oldest when too many are in flight)."""
        done = []
        while self._running and (self._running[0].done() or wait):
            done.append(self._running.popleft().result())
            wait = False
        return b"".join(done)
