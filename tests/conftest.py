from __future__ import annotations

from pathlib import Path

import pytest

from qbank.config import Config
from qbank.discovery import discover
from qbank.engine import lint

ROOT = Path(__file__).resolve().parent.parent

CLEAN_QUESTION = """\
  - id: {id}
    stem: Which layer keeps a separate cell state?
    explanation: Only the LSTM keeps a cell state besides its hidden state.
    options:
      - text: LSTM
        correct: true
      - text: GRU
        why: The GRU merges cell and hidden state.
"""
"""One question that breaks no rule, as an item of a questions: list; format it with an id."""


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    """Write ``files`` (relative path to text or bytes) under ``folder``, byte for byte."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def lint_files(folder: Path, files: dict[str, str | bytes], select=(), config: Config | None = None):
    """Write ``files`` under ``folder`` and lint them; returns the LintResult."""
    write_files(folder, files)
    return lint(discover([folder]), config or Config(), select)


@pytest.fixture
def lint_text(tmp_path):
    """Lint one bank file's text; returns the diagnostics."""

    def run(text: str, select=(), config: Config | None = None, name: str = "bank.yaml"):
        return lint_files(tmp_path, {name: text}, select, config).diagnostics

    return run
