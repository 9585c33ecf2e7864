"""write_atomic: the new file replaces the old one whole, with the permissions open() would give."""

from __future__ import annotations

import os
import stat

from qbank.exporters.write import write_atomic


def test_a_new_file_gets_the_usual_permissions_and_no_temporary_file_is_left(tmp_path):
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "sub" / "bank.yaml", b"data")
    finally:
        os.umask(umask)
    written = tmp_path / "sub" / "bank.yaml"
    assert written.read_bytes() == b"data"
    assert stat.S_IMODE(written.stat().st_mode) == 0o644
    assert [p.name for p in written.parent.iterdir()] == ["bank.yaml"]


def test_an_existing_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_bytes(b"old")
    path.chmod(0o640)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o640
