"""Which files a lint reads, under which names and categories: qbank/discovery.py."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from qbank.discovery import DiscoveryError, discover


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("questions: []\n", encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    bank = tmp_path / "bank"
    for name in ("b.yaml", "a.yml", "notes.txt", ".hidden.yaml", "rnn/z.yaml", "rnn/lstm/a.yaml", ".git/x.yaml", "cnn/c.yaml"):
        _touch(bank / name)
    outside = _touch(tmp_path / "elsewhere" / "linked.yaml")
    (bank / "link.yaml").symlink_to(outside)
    (bank / "linked-folder").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return bank


def test_every_bank_file_once_sorted_with_its_place_below_the_root(tree):
    found = discover([tree])
    assert [s.name for s in found] == [
        "bank/a.yml",
        "bank/b.yaml",
        "bank/cnn/c.yaml",
        "bank/rnn/lstm/a.yaml",
        "bank/rnn/z.yaml",
        "elsewhere/linked.yaml",  # a linked file is read, and named by where it really is
    ]
    relative = {s.name: s.relative for s in found}
    assert relative["bank/rnn/lstm/a.yaml"] == PurePosixPath("rnn/lstm/a.yaml")
    assert relative["elsewhere/linked.yaml"] == PurePosixPath("link.yaml")
    assert {s.path for s in found} >= {tree / "rnn" / "z.yaml", tree / "link.yaml"}  # as given, not resolved


def test_a_linked_folder_is_not_entered_and_a_file_given_twice_counts_once(tree):
    names = [s.name for s in discover([tree, tree / "rnn", tree / "b.yaml"])]
    assert "elsewhere/linked.yaml" in names and len(names) == len(set(names)) == 6


def test_names_outside_the_current_folder_stay_whole(tree):
    os.chdir(tree / "rnn")
    assert [s.name for s in discover(["lstm"])] == ["lstm/a.yaml"]
    assert discover([tree / "cnn"])[0].name == (tree / "cnn" / "c.yaml").resolve().as_posix()


def test_configured_bank_folders_give_the_categories(tree):
    (only,) = discover([tree / "rnn" / "lstm"], bank_roots=[tree])
    assert only.relative == PurePosixPath("rnn/lstm/a.yaml")


def test_a_folder_without_bank_files_or_a_missing_path_is_an_error(tree):
    (tree / "empty" / ".hidden").mkdir(parents=True)
    _touch(tree / "empty" / ".hidden" / "x.yaml")
    with pytest.raises(DiscoveryError, match="no .yaml or .yml files"):
        discover([tree / "empty"])
    with pytest.raises(DiscoveryError, match="no such file or folder"):
        discover([tree / "missing"])
