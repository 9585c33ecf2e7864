"""Atomic writes leave a normal file behind: readable by others, as open() would make it."""

from __future__ import annotations

import os

from qbank.exporters.write import write_atomic


def test_written_file_has_the_mode_open_would_give(tmp_path):
    mask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "out" / "a.txt", b"data")
    finally:
        os.umask(mask)
    path = tmp_path / "out" / "a.txt"
    assert path.read_bytes() == b"data"
    assert path.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["a.txt"]
