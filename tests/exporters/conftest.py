from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from qbank.bank import Bank
from qbank.discovery import discover
from qbank.engine import load_bank
from qbank.exporters import export_bank

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "export-bank"
SAMPLE = ROOT / "banks"


def load(path: Path) -> Bank:
    return load_bank(discover([path]))


def export(path: Path, fmt: str, name: str = "export-bank", **options) -> bytes:
    result = export_bank(load(path), fmt, name, options or None)
    assert not result.refused, result.notes
    (data,) = result.files.values()
    return data


def write_bank(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


class Repo:
    """A throwaway git repository whose commits have the dates we give."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.git("init", "-q")

    def git(self, *args: str, date: str = "2026-01-01T00:00:00+00:00") -> None:
        env = {
            **os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
            "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        }
        subprocess.run(["git", "-C", str(self.folder), *args], check=True, env=env, capture_output=True)

    def commit(self, date: str) -> None:
        self.git("add", "-A", date=date)
        self.git("commit", "-q", "-m", "change", date=date)


@pytest.fixture
def bank_copy(tmp_path) -> Path:
    """The fixture bank copied to a fresh folder (outside any git repository)."""
    target = tmp_path / "export-bank"
    shutil.copytree(FIXTURE, target)
    return target
