"""Documentation stays true: generated files are current, examples lint clean."""

from __future__ import annotations

import re

from qbank.docs import rules_markdown
from qbank.rules.registry import all_rules
from tests.conftest import ROOT, lint_files


def test_rules_md_is_current():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), "docs/rules.md is stale: run `make schema` to regenerate it"


def test_rules_md_has_every_rule():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"## {rule.code} {rule.name}\n" in committed


def format_examples() -> list[str]:
    """The complete YAML examples of docs/format.md, as bank files.

    Blocks with an ellipsis are fragments and are skipped; a block that is one
    question (``  - id:``) is put under ``questions:``.
    """
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    examples = []
    for block in re.findall(r"^```yaml\n(.*?)^```$", text, re.MULTILINE | re.DOTALL):
        if "…" in block:
            continue
        if block.startswith("  - id:"):
            examples.append("questions:\n" + block)
        elif re.search(r"^questions:", block, re.MULTILINE):
            examples.append(block)
    return examples


def test_format_examples_lint_clean(tmp_path):
    examples = format_examples()
    assert len(examples) >= 2, "docs/format.md lost its complete examples"
    for index, example in enumerate(examples):
        result = lint_files(tmp_path / str(index), {"example.yaml": example})
        assert result.bank.questions, example
        assert [f"{d.position.line}:{d.position.column} {d.code} {d.message}" for d in result.diagnostics] == []
