"""Byte-reproducible zip archives: sorted entries, fixed dates, fixed permissions.

The same files give the same bytes on every run and every machine (with the same zlib),
so an export can be diffed, cached and checked into a release without spurious changes.
Large entries are deflated a megabyte at a time on every core (:class:`PieceDeflater`):
the archive is written after every question, so its time adds straight to the export's.
An exporter that produces many entries piece by piece can instead deflate them as it
goes (:class:`DeflatingSpool`), while its workers prepare the next questions, and hand the zip
entries deflated already (:class:`Deflated`).
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Deflated:
    """An entry deflated already: its raw deflate stream (in pieces), and the CRC-32 and size of the bytes it inflates to."""

    pieces: Iterable[bytes]
    crc: int
    size: int


class _Passed:
    """zipfile's compressor for an entry that is :class:`Deflated` already: what is written passes
    through as it is, and at the end zipfile is given the CRC and size of the inflated bytes (zipfile
    computed its own from the deflated ones, and writes them in the entry's header when it closes)."""

    def __init__(self, entry: object, deflated: Deflated) -> None:
        self._entry = entry
        self._deflated = deflated

    def compress(self, data: bytes | memoryview) -> bytes | memoryview:
        return data

    def flush(self) -> bytes:
        self._entry._crc = self._deflated.crc
        self._entry._file_size = self._deflated.size
        return b""


def deterministic_zip(files: dict[str, bytes | Iterable[bytes] | Deflated], out: BinaryIO) -> None:
    """Zip ``files`` into ``out``, entries sorted by name, deflated at :data:`LEVEL`.

    An entry is its bytes, or pieces of them given one after another (so that a large
    entry is never in memory whole); either way it is the same bytes in the zip. An entry
    :class:`Deflated` already is written as it is.
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
            if isinstance(data, Deflated):
                info.file_size = data.size  # so that zipfile chooses ZIP64 for a large entry, as it would have
            with archive.open(info, "w") as entry:
                # zipfile counts the bytes and their CRC and writes what its compressor returns;
                # nothing has gone through the compressor yet, so another deflater can take its place.
                entry._compressor = _Passed(entry, data) if isinstance(data, Deflated) else PieceDeflater(pool, threads)
                pieces = data.pieces if isinstance(data, Deflated) else [data] if isinstance(data, bytes) else data
                for piece in pieces:
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


OPEN_STREAMS = 32
"""How many entries a :class:`DeflatingSpool` deflates at once. Each deflater holds some 270 KB; an
entry written to after this many others were is ended on a byte boundary and started afresh, which
costs it a little compression (its next bytes cannot refer back to the ones before), never correctness."""


class DeflatingSpool:
    """Entries deflated as their bytes come, in any order of entries, kept in a temporary file.

    An exporter writes each question's bytes onto the end of its entry (:meth:`write`) while
    its workers prepare the next ones, then ends each entry (:meth:`finish`) and gives the
    zip the :class:`Deflated` entries; nothing of them is held in memory. The bytes depend
    only on what was written to which entry in which order. At most ``open_streams``
    deflaters are kept: the one written to least recently is flushed to a byte boundary and
    let go, and a new one goes on with its entry when it is next written to (a raw deflate
    stream may be cut so and joined again, as :class:`PieceDeflater`'s pieces are).
    """

    def __init__(self, open_streams: int = OPEN_STREAMS) -> None:
        self.file = tempfile.TemporaryFile(prefix="qbank-spool-", buffering=1 << 20)
        """A megabyte of buffer: most writes are a few kilobytes."""
        self._open: OrderedDict[str, zlib._Compress] = OrderedDict()
        self._limit = open_streams
        self._runs: dict[str, list[list[int]]] = {}
        """Entry → its (offset, length) runs in the file, adjacent ones joined."""
        self._crc: dict[str, int] = {}
        self._size: dict[str, int] = {}
        self._end = 0

    @property
    def names(self) -> list[str]:
        """The entries, in the order they were first written to."""
        return list(self._runs)

    def write(self, name: str, data: bytes) -> None:
        """Deflate ``data`` onto the end of entry ``name``."""
        deflater = self._open.get(name)
        if deflater is None:
            if len(self._open) >= self._limit:
                oldest, let_go = self._open.popitem(last=False)
                self._keep(oldest, let_go.flush(zlib.Z_SYNC_FLUSH))
            deflater = self._open[name] = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
            self._runs.setdefault(name, [])
        else:
            self._open.move_to_end(name)
        self._crc[name] = zlib.crc32(data, self._crc.get(name, 0))
        self._size[name] = self._size.get(name, 0) + len(data)
        self._keep(name, deflater.compress(data))

    def finish(self, name: str, last: bytes = b"") -> Deflated:
        """End entry ``name`` with ``last``; its deflated stream is read back from the file when the zip asks."""
        deflater = self._open.pop(name, None) or zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        self._runs.setdefault(name, [])
        crc, size = zlib.crc32(last, self._crc.get(name, 0)), self._size.get(name, 0) + len(last)
        self._keep(name, deflater.compress(last) + deflater.flush(zlib.Z_FINISH))
        return Deflated(self._read(name), crc, size)

    def _keep(self, name: str, deflated: bytes) -> None:
        if not deflated:
            return
        self.file.write(deflated)
        runs = self._runs[name]
        if runs and runs[-1][0] + runs[-1][1] == self._end:
            runs[-1][1] += len(deflated)
        else:
            runs.append([self._end, len(deflated)])
        self._end += len(deflated)

    def _read(self, name: str, chunk: int = 1 << 20) -> Iterator[bytes]:
        """An entry's deflated stream, a megabyte at a time (written to the end of the file meanwhile is fine)."""
        for offset, length in self._runs[name]:
            while length:
                size = min(chunk, length)
                self.file.seek(offset)
                yield self.file.read(size)
                offset, length = offset + size, length - size
        self.file.seek(self._end)

    def close(self) -> None:
        self.file.close()
