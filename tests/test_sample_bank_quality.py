"""The sample bank is written to the guidelines, so the quality rules must find nothing in it.

A finding here is either a real flaw in the bank (fix the bank) or a false positive
(fix the rule): either way someone has to look.
"""

from __future__ import annotations

from qbank.config import Config
from qbank.discovery import discover
from qbank.engine import lint
from tests.conftest import ROOT


def test_sample_bank_has_no_item_writing_flaws():
    result = lint(discover([ROOT / "banks"]), Config(), select=["QB2", "QB3", "QB006", "QB007"])
    assert len(result.bank.questions) >= 30
    assert [f"{d.file}:{d.position.line}: {d.code} {d.message}" for d in result.diagnostics] == []
