"""write_atomic and FolderOutput: the new file replaces the old one whole, with the permissions open() would give."""

from __future__ import annotations

import os
import stat

import pytest

from qbank.exporters.write import FolderOutput, write_atomic


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


def test_a_folder_output_shows_nothing_until_committed(tmp_path):
    (tmp_path / "a.xml").write_bytes(b"old")
    output = FolderOutput(tmp_path)
    for name in ("a.xml", "b.json"):
        with output.open(name) as handle:
            handle.write(b"new " + name.encode())
    assert (tmp_path / "a.xml").read_bytes() == b"old" and not (tmp_path / "b.json").exists()
    assert sorted(p.name for p in output.commit()) == ["a.xml", "b.json"]
    assert (tmp_path / "a.xml").read_bytes() == b"new a.xml"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml", "b.json"]


def test_a_discarded_or_failed_folder_output_leaves_the_old_files_alone(tmp_path):
    (tmp_path / "a.xml").write_bytes(b"old")
    output = FolderOutput(tmp_path)
    with output.open("a.xml") as handle:
        handle.write(b"new")
    with pytest.raises(RuntimeError), output.open("b.json") as handle:
        handle.write(b"half")
        raise RuntimeError("failed while writing")
    output.discard()
    assert [p.name for p in tmp_path.iterdir()] == ["a.xml"] and (tmp_path / "a.xml").read_bytes() == b"old"
