"""Generated documentation stays current."""

from __future__ import annotations

from qbank.docs import rules_markdown
from tests.conftest import ROOT


def test_rules_md_is_current():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), "docs/rules.md is stale: run `make schema` to regenerate it"


def test_rules_md_has_every_rule():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    from qbank.rules.registry import all_rules

    for rule in all_rules():
        assert f"## {rule.code} {rule.name}\n" in committed
