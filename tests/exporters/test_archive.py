"""The zip writer every archive export shares: reproducible bytes, deflated on every core."""

from __future__ import annotations

import io
import random
import zipfile
import zlib

import pytest

from qbank.exporters import archive
from qbank.exporters.archive import FIXED_DATE, LEVEL, PIECE, deterministic_zip


def zipped(files) -> bytes:
    out = io.BytesIO()
    deterministic_zip(files, out)
    return out.getvalue()


def sample(size: int) -> bytes:
    """Text that deflates like an export's (repeats within and across pieces), with random stretches."""
    rng = random.Random(size)
    words = [bytes(rng.choice(b"abcdefghij<>/ ") for _ in range(rng.randint(2, 9))) for _ in range(400)]
    out = bytearray()
    while len(out) < size:
        out += rng.choice(words) if rng.random() < 0.97 else rng.randbytes(50)
    return bytes(out[:size])


def test_an_entry_of_many_pieces_reads_back_whole():
    data = sample(3 * PIECE + 12345)
    archived = zipfile.ZipFile(io.BytesIO(zipped({"big": data, "small": b"abc"})))
    assert archived.testzip() is None  # every CRC checks
    assert archived.read("big") == data
    assert archived.read("small") == b"abc"
    # Read as one raw deflate stream, as any unzip does: the pieces join into one.
    info = archived.getinfo("big")
    assert info.compress_type == zipfile.ZIP_DEFLATED and info.date_time == FIXED_DATE
    raw = zipped({"big": data})
    start = 30 + len("big") + int.from_bytes(raw[28:30], "little")
    assert zlib.decompressobj(-15).decompress(raw[start : start + info.compress_size]) == data


def test_the_bytes_do_not_depend_on_how_the_entry_is_written_nor_on_the_threads(monkeypatch):
    data = sample(2 * PIECE + 777)
    whole = zipped({"big": data})
    in_odd_pieces = zipped({"big": (data[i : i + 99_991] for i in range(0, len(data), 99_991))})
    monkeypatch.setattr(archive, "default_jobs", lambda: 1)
    one_thread = zipped({"big": data})
    monkeypatch.setattr(archive, "default_jobs", lambda: 7)
    seven_threads = zipped({"big": data})
    assert whole == in_odd_pieces == one_thread == seven_threads


def test_an_entry_of_one_piece_is_deflated_as_zlib_alone_would():
    data = sample(PIECE)
    deflater = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    assert deflater.compress(data) + deflater.flush() in zipped({"one": data})


def test_pieces_are_deflated_on_their_own_but_refer_back_across_them():
    """Each piece is primed with the 32 KB before it: a text repeated across a piece boundary
    deflates as well as in one stream (a deflater that forgot the window would store it again)."""
    chunk = random.Random(1).randbytes(20_000)
    data = (chunk * (2 * PIECE // len(chunk) + 2))[: 2 * PIECE]
    one_stream = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    alone = len(one_stream.compress(data) + one_stream.flush())
    assert len(zipped({"rep": data})) < alone + 2_000


@pytest.mark.parametrize("size", [0, 1, PIECE - 1, PIECE, PIECE + 1, 2 * PIECE])
def test_sizes_at_the_piece_boundaries(size):
    data = sample(size)
    assert zipfile.ZipFile(io.BytesIO(zipped({"e": data}))).read("e") == data


def test_large_entries_go_through_the_piece_deflater():
    """zipfile has no public hook for a compressor: deterministic_zip swaps the private one of an entry
    opened for writing. If a Python release renamed it, plain zlib would write a valid but slower zip,
    and this test would say so: the stored stream is exactly the pieces, each deflated on its own."""
    data = sample(PIECE + 5000)
    first, rest = data[:PIECE], data[PIECE:]
    expected = archive._deflate(first, b"", last=False) + archive._deflate(rest, first[-archive.WINDOW :], last=True)
    raw = zipped({"big": data})
    start = 30 + len("big") + int.from_bytes(raw[28:30], "little")
    assert raw[start : start + len(expected)] == expected
