"""Meta-test: every rule documents itself, and its examples do what they say."""

from __future__ import annotations

import pytest

from qbank.rules.registry import all_rules
from tests.conftest import lint_files

RULES = all_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_metadata(rule):
    assert rule.code.startswith("QB") and len(rule.code) == 5
    assert rule.name and rule.name == rule.name.lower() and " " not in rule.name
    assert rule.group in {"parse", "meta", "structure", "quality", "bank"}
    assert rule.summary(), f"{rule.code} has no docstring"
    assert set(rule.examples()) == {"bad", "good"}, f"{rule.code} needs Bad:: and Good:: examples"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_every_number_option_has_a_range_that_holds_its_default(rule):
    numbers = {key for key, value in rule.defaults.items() if isinstance(value, (int, float)) and not isinstance(value, bool)}
    assert set(rule.ranges) == numbers, f"{rule.code}: give each number option a range (and only those)"
    for key, (low, high) in rule.ranges.items():
        assert low <= rule.defaults[key] <= high, f"{rule.code}.{key}: the default is outside its range"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_bad_example_fires_and_good_does_not(tmp_path, rule):
    examples = rule.examples()
    bad = lint_files(tmp_path / "bad", {"bank.yaml": examples["bad"]}, select=[rule.code])
    good = lint_files(tmp_path / "good", {"bank.yaml": examples["good"]}, select=[rule.code])
    assert any(d.code == rule.code for d in bad.diagnostics), f"{rule.code}: the bad example does not fire"
    assert not any(d.code == rule.code for d in good.diagnostics), f"{rule.code}: the good example fires"
    assert not [d for d in good.diagnostics if d.severity.value == "error"], "the good example must be clean"


def test_names_and_codes_are_unique():
    assert len({r.name for r in RULES}) == len(RULES)
