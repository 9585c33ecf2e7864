"""One parametrised runner for every rule's data file of failing and passing cases.

Each ``cases/QBnnn.yaml`` holds ``cases:``; each case has a ``bank`` (a bank file's
text, positions counted from its first line), optional ``files`` (more files of the
same bank), optional ``config`` ([tool.qbank] as a mapping) and ``expect``: the
``line:col`` of every finding of that rule, or mappings with ``at``, ``severity``
and ``message`` (a substring).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from qbank.config import Config
from qbank.rules.registry import all_rules
from tests.conftest import lint_files

CASES = Path(__file__).parent / "cases"


def _load_cases():
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{data['rule']}-{case['name']}")


@pytest.mark.parametrize("code,case", list(_load_cases()))
def test_rule_case(tmp_path, code, case):
    files = {"bank.yaml": case["bank"], **case.get("files", {})}
    config = Config.model_validate(case.get("config", {}))
    result = lint_files(tmp_path, files, select=[code], config=config)
    found = [d for d in result.diagnostics if d.code == code]
    expected = [e if isinstance(e, dict) else {"at": e} for e in case["expect"]]
    def place(d):
        name = d.file.rsplit("/", 1)[-1]
        return f"{name + ':' if name != 'bank.yaml' else ''}{d.position.line}:{d.position.column}"

    got = sorted(place(d) for d in found)
    assert got == sorted(e["at"] for e in expected), "\n".join(f"{d.position.line}:{d.position.column} {d.message}" for d in found)
    by_place = {place(d): d for d in found}
    for e in expected:
        d = by_place.get(e["at"])
        if d is None:
            continue
        if "severity" in e:
            assert d.severity.value == e["severity"], d.message
        if "message" in e:
            assert e["message"] in d.message, d.message


def test_every_rule_has_failing_and_passing_cases():
    missing = []
    for rule in all_rules():
        path = CASES / f"{rule.code}.yaml"
        if not path.exists():
            missing.append(f"{rule.code}: no case file")
            continue
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        if not any(c["expect"] for c in cases) or not any(not c["expect"] for c in cases):
            missing.append(f"{rule.code}: needs a failing and a passing case")
    assert not missing, missing
