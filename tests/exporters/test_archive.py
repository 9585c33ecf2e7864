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


def _spooled(writes: list[tuple[str, bytes]], open_streams: int) -> dict[str, bytes]:
    """The zip of what ``writes`` put in a DeflatingSpool of ``open_streams`` deflaters, entry by entry."""
    spool = archive.DeflatingSpool(open_streams)
    try:
        for name, data in writes:
            spool.write(name, data)
        out = io.BytesIO()
        deterministic_zip({name: spool.finish(name, b"<end of " + name.encode() + b">") for name in spool.names}, out)
    finally:
        spool.close()
    return {"zip": out.getvalue()}


def test_a_deflating_spool_gives_back_interleaved_entries_whole():
    """Three entries written in turns through two deflaters: each is cut and started afresh many times,
    and still reads back (every CRC and size checks) as the bytes written to it, in order."""
    rng = random.Random(3)
    writes = [(rng.choice("abc"), sample(rng.randint(0, 9000)) + bytes([n % 251])) for n in range(400)]
    for open_streams in (1, 2, 32):
        archived = zipfile.ZipFile(io.BytesIO(_spooled(writes, open_streams)["zip"]))
        assert archived.testzip() is None
        for name in "abc":
            written = b"".join(data for entry, data in writes if entry == name)
            assert archived.read(name) == written + b"<end of " + name.encode() + b">"


def test_a_deflating_spool_gives_the_same_bytes_for_the_same_writes():
    writes = [(name, sample(5000 + n)) for n, name in enumerate("abcabca")]
    assert _spooled(writes, 2) == _spooled(writes, 2)
    assert _spooled(writes, 32) == _spooled(writes, 32)


def test_an_entry_deflated_already_gets_the_crc_and_size_of_its_bytes():
    """zipfile counts what passes through; deterministic_zip gives it the inflated bytes' CRC and size,
    which the local header and the central directory must both hold (testzip reads the first, infolist the second)."""
    data = sample(70_000)
    deflater = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    stream = deflater.compress(data) + deflater.flush()
    raw = zipped({"ready": archive.Deflated([stream[:100], stream[100:]], zlib.crc32(data), len(data))})
    archived = zipfile.ZipFile(io.BytesIO(raw))
    info = archived.getinfo("ready")
    assert (info.CRC, info.file_size, info.compress_size) == (zlib.crc32(data), len(data), len(stream))
    assert archived.testzip() is None and archived.read("ready") == data
    assert int.from_bytes(raw[14:18], "little") == zlib.crc32(data)  # the local header's CRC
    assert int.from_bytes(raw[22:26], "little") == len(data)  # and its size
