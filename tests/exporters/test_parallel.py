"""Worker processes share a large bank's export: the output is the same bytes as one process writes."""

from __future__ import annotations

import shutil

import pytest

from qbank.exporters import EXPORTERS, parallel
from tests.exporters.conftest import FIXTURE, load, write_bank

MISSING_IMAGE = """questions:
  - id: lost-picture
    stem: "Which gate? ![gate](images/nowhere.png)"
    options:
      - {text: Input, correct: true}
      - {text: Output, why: "Not this one."}
  - id: after-it
    stem: Which layer keeps a cell state?
    explanation: The LSTM.
    options:
      - {text: LSTM, correct: true}
      - {text: GRU}
"""


@pytest.fixture
def bank_folder(tmp_path):
    folder = tmp_path / "bank"
    shutil.copytree(FIXTURE, folder)
    return write_bank(folder, {"networks/more.yaml": MISSING_IMAGE})


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_workers_write_the_same_bytes_and_notes_as_one_process(fmt, bank_folder, monkeypatch):
    monkeypatch.setattr(parallel, "SMALL_BANK", 0)
    shared_bank = load(bank_folder)
    assert parallel.workers_for(shared_bank, 2) == 2
    shared = EXPORTERS[fmt](jobs=2).export(shared_bank, "bank")
    alone = EXPORTERS[fmt](jobs=1).export(load(bank_folder), "bank")
    assert shared.files and shared.files == alone.files
    assert shared.notes == alone.notes and shared.skipped == alone.skipped


def test_a_small_bank_stays_in_this_process(bank_folder):
    assert parallel.workers_for(load(bank_folder), 2) == 0
