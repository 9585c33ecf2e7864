"""One parametrised runner for every rule's data file of failing and passing cases.

Each ``cases/QBnnn.yaml`` is a mapping with ``rule: QBnnn`` and ``cases:``, a list.
A case has these keys (no others):

``name``
    Short, unique in its file; the test id is ``QBnnn-name``.
``bank``
    The text of ``bank.yaml``, written byte for byte as UTF-8; positions are counted
    from its first line. May be omitted when ``files`` holds the whole bank.
``files``
    More files of the same bank: a mapping of relative path to text. A file given
    as ``{bytes: "..."}`` is written as raw bytes, one byte per character of the
    string: write ``"\\xef\\xbb\\xbf"`` (a BOM), ``"\\r\\n"`` or ``"\\x00"`` in a
    double-quoted YAML string. ``bank`` may take this form too.
``config``
    ``[tool.qbank]`` as a mapping (for example ``severity: {QB105: info}``).
``expect``
    Every finding of the case's rule, and nothing else. ``[]`` makes it a passing case.
    Each item is a place, ``"line:col"`` in bank.yaml or ``"path:line:col"`` in another
    file, or a mapping with ``at`` (the place) and any of ``end`` (``"line:col"``),
    ``severity``, ``message`` and ``hint`` (substrings that must appear) and
    ``full_message`` (the whole message). Quote places: YAML 1.1 reads 2:9 as a number.

``broken_on_purpose``
    ``true`` when the bank has parse or schema errors (QB0xx, QB101) on purpose. Without
    it, a case for any other rule must load cleanly: a question that does not load is
    dropped, and the case would test nothing.

Only the case's rule runs (``--select`` it), so other rules' findings do not count.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from qbank.config import validated
from qbank.rules.registry import all_rules
from tests.conftest import lint_files

CASES = Path(__file__).parent / "cases"
CASE_KEYS = {"name", "bank", "files", "config", "expect", "broken_on_purpose"}
EXPECT_KEYS = {"at", "end", "severity", "message", "full_message", "hint"}
RULES = {rule.code: rule for rule in all_rules()}
ALWAYS_ON = {code for code, rule in RULES.items() if rule.always_on}


def _read(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["rule"] == path.stem, f"{path.name}: rule: must be {path.stem}"
    names = [case["name"] for case in data["cases"]]
    assert len(names) == len(set(names)), f"{path.name}: case names repeat"
    for case in data["cases"]:
        assert set(case) <= CASE_KEYS, f"{path.name} {case['name']}: unknown keys {set(case) - CASE_KEYS}"
        assert "expect" in case, f"{path.name} {case['name']}: no expect"
        assert "bank" in case or "files" in case, f"{path.name} {case['name']}: no bank and no files"
        for item in case["expect"]:
            expected = item if isinstance(item, dict) else {"at": item}
            assert set(expected) <= EXPECT_KEYS and "at" in expected, f"{path.name}: bad expectation {item!r}"
            # PyYAML reads YAML 1.1, where a plain 2:9 is the base-60 number 129.
            assert isinstance(expected["at"], str), f'{path.name}: quote the place {item!r} as "line:col"'
    return data


def _load_cases():
    for path in sorted(CASES.glob("*.yaml")):
        data = _read(path)
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{data['rule']}-{case['name']}")


def _content(value: str | dict) -> str | bytes:
    if isinstance(value, dict):
        assert set(value) == {"bytes"}, f"a file is text or {{bytes: ...}}, not {value}"
        return value["bytes"].encode("latin-1")
    return value


def _place(diagnostic, root: Path) -> str:
    name = Path(diagnostic.file).resolve().relative_to(root.resolve()).as_posix()
    where = f"{diagnostic.position.line}:{diagnostic.position.column}"
    return where if name == "bank.yaml" else f"{name}:{where}"


def _fits(diagnostic, expected: dict) -> bool:
    p = diagnostic.position
    return (
        ("end" not in expected or f"{p.end_line}:{p.end_column}" == expected["end"])
        and ("severity" not in expected or diagnostic.severity.value == expected["severity"])
        and ("message" not in expected or expected["message"] in diagnostic.message)
        and ("full_message" not in expected or expected["full_message"] == diagnostic.message)
        and ("hint" not in expected or expected["hint"] in diagnostic.hint)
    )


def _describe(diagnostic, root: Path) -> str:
    p = diagnostic.position
    return (
        f"{_place(diagnostic, root)} (end {p.end_line}:{p.end_column}) {diagnostic.severity.value} "
        f"{diagnostic.message} | hint: {diagnostic.hint}"
    )


@pytest.mark.parametrize("code,case", list(_load_cases()))
def test_rule_case(tmp_path, code, case):
    files = {name: _content(text) for name, text in case.get("files", {}).items()}
    if "bank" in case:
        files["bank.yaml"] = _content(case["bank"])
    config = validated(case.get("config", {}))
    result = lint_files(tmp_path, files, select=[code], config=config)
    if not RULES[code].always_on and not case.get("broken_on_purpose"):
        # A question that does not load is dropped, and the case would test nothing.
        broken = [_describe(d, tmp_path) for d in result.diagnostics if d.code in ALWAYS_ON and d.severity.value == "error"]
        assert not broken, "the case's bank does not load cleanly:\n" + "\n".join(broken)
    unmatched = [d for d in result.diagnostics if d.code == code]
    missing = []
    for item in case["expect"]:
        expected = item if isinstance(item, dict) else {"at": item}
        match = next((d for d in unmatched if _place(d, tmp_path) == expected["at"] and _fits(d, expected)), None)
        if match is None:
            missing.append(expected)
        else:
            unmatched.remove(match)
    report = [f"expected, not found: {m}" for m in missing]
    report += [f"found, not expected: {_describe(d, tmp_path)}" for d in unmatched]
    assert not report, "\n".join(report)


def test_every_rule_has_failing_and_passing_cases():
    missing = []
    for rule in all_rules():
        path = CASES / f"{rule.code}.yaml"
        if not path.exists():
            missing.append(f"{rule.code}: no case file")
            continue
        cases = _read(path)["cases"]
        if not any(c["expect"] for c in cases) or not any(not c["expect"] for c in cases):
            missing.append(f"{rule.code}: needs a failing and a passing case")
    assert not missing, missing


def test_every_case_file_is_a_registered_rule():
    codes = {rule.code for rule in all_rules()}
    strays = [path.name for path in CASES.glob("*.yaml") if path.stem not in codes]
    assert not strays, f"case files for rules that do not exist: {strays}"
