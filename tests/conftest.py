from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs a fixed set of examples (the same on every run, no example database), so a
# red build always reproduces; on a laptop hypothesis keeps exploring new examples.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

from qbank.config import Config
from qbank.discovery import discover
from qbank.engine import lint

ROOT = Path(__file__).resolve().parent.parent

class _CleanQuestion:
    """One question that breaks no rule, as an item of a questions: list; format it with an id.

    Each id gets its own stem (same layout, same line count), so that several clean
    questions in one bank are not near-duplicates of each other (QB304).
    """

    TEMPLATE = """\
  - id: {id}
    stem: {stem}
    explanation: Only the LSTM keeps a cell state besides its hidden state.
    options:
      - text: LSTM
        correct: true
      - text: GRU
        why: The GRU merges cell and hidden state.
"""
    STEMS = (
        "Which layer keeps a separate cell state?",
        "Which recurrent layer has an output gate and a forget gate?",
        "Which Keras layer carries long-term memory in a cell vector?",
        "A review is fed to two layers; which one stores a cell state?",
    )

    def format(self, id: str) -> str:
        digits = "".join(c for c in id if c.isdigit())
        index = (int(digits) - 1 if digits else 0) % len(self.STEMS)
        return self.TEMPLATE.format(id=id, stem=self.STEMS[index])


CLEAN_QUESTION = _CleanQuestion()


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
