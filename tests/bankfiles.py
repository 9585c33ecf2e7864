"""Read and rewrite the files of a generated bank on disk, as an author would edit them."""

from __future__ import annotations

from pathlib import Path

import yaml

from qbank.writer import dump_bank_file


def bank_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.yaml"))


def read_bank_file(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_bank_file(path: Path, data: dict) -> None:
    path.write_text(dump_bank_file(data), encoding="utf-8")
