"""The machine formats: SARIF against the official schema, JUnit as XML a CI server can read."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from click.testing import CliRunner

from qbank.cli import main
from tests.conftest import ROOT

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

FLAWED = """\
questions:
  - id: negative
    stem: Which of these layers does not keep a hidden state?
    explanation: Dense has no recurrence.
    options:
      - text: Dense
        correct: true
      - text: LSTM
        why: It keeps a hidden and a cell state.
      - text: None of the above
        why: Dense is the answer.
  - id: no-key
    stem: Which layer maps ids to vectors?
    explanation: x
    options:
      - text: Embedding
        why: x
      - text: Dense
        why: x
  - id: clean
    stem: Which layer keeps a separate cell state?
    explanation: The LSTM.
    options:
      - text: LSTM
        correct: true
      - text: GRU
        why: It merges the states.
      - text: SimpleRNN
        why: It has one state.
"""
BROKEN = "questions:\n  - id: q1\n    stem: [unclosed\n"


@pytest.fixture
def bank(tmp_path, monkeypatch):
    (tmp_path / "banks").mkdir()
    (tmp_path / "banks" / "flawed.yaml").write_text(FLAWED, encoding="utf-8")
    (tmp_path / "banks" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def validate_sarif(text: str) -> dict:
    document = json.loads(text)
    jsonschema.Draft7Validator(SCHEMA).validate(document)
    return document


def test_sarif_is_valid_and_complete(bank):
    outcome = run("lint", "banks", "--format", "sarif")
    document = validate_sarif(outcome.stdout)
    run_ = document["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    results = run_["results"]
    by_rule = {r["ruleId"] for r in results}
    assert {"QB002", "QB103", "QB201", "QB206"} <= by_rule, by_rule
    for found in results:
        assert rules[found["ruleIndex"]]["id"] == found["ruleId"]
        region = found["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    negative = next(r for r in results if r["ruleId"] == "QB201")
    assert negative["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "banks/flawed.yaml"
    assert negative["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert negative["properties"]["evidence"]["negative"] == "not"
    assert negative["level"] == "warning"
    assert "Bad::" in rules[[r["id"] for r in rules].index("QB201")]["help"]["text"]
    assert run_["invocations"][0]["exitCode"] == outcome.exit_code == 1


def test_sarif_without_findings_is_valid(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.yaml").write_text("questions: []\n", encoding="utf-8")
    document = validate_sarif(run("lint", "ok.yaml", "--format", "sarif").stdout)
    assert document["runs"][0]["results"] == []


def test_sarif_rejects_what_the_schema_rejects():
    """The schema is really enforced: a result without a message is refused."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SCHEMA).validate({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "QB1"}]}]})


@pytest.mark.skipif(not (ROOT / "banks").is_dir(), reason="the sample bank is not in this checkout yet")
def test_sarif_of_the_sample_bank_is_valid(monkeypatch):
    monkeypatch.chdir(ROOT)
    validate_sarif(run("lint", "banks", "--format", "sarif").stdout)


def test_junit_has_one_case_per_question(bank):
    outcome = run("lint", "banks", "--format", "junit")
    root = ET.fromstring(outcome.stdout)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    flawed = suites["banks/flawed.yaml"]
    names = [c.get("name") for c in flawed.iter("testcase")]
    assert names == ["(file)", "negative", "no-key", "clean"]
    cases = {c.get("name"): c for c in flawed.iter("testcase")}
    assert "QB201" in cases["negative"].find("failure").get("type")
    assert "QB206" in cases["negative"].find("failure").text
    assert "QB103" in cases["no-key"].find("failure").get("type")
    assert cases["clean"].find("failure") is None
    assert flawed.get("tests") == "4" and flawed.get("failures") == "2"
    broken = suites["banks/broken.yaml"]
    assert "QB002" in broken.find("testcase").find("failure").text
    assert root.get("tests") == str(sum(int(s.get("tests")) for s in suites.values()))


def test_junit_info_findings_do_not_fail(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b.yaml").write_text(
        "questions:\n  - id: q1\n    stem: Which layer maps ids to vectors?\n    explanation: x\n"
        "    options: [{text: Embedding, correct: true}, {text: Dense, why: x}, {text: GRU, why: x}, {text: LSTM, why: x},"
        " {text: Flatten, why: x}, {text: Conv1D, why: x}]\n",
        encoding="utf-8",
    )
    root = ET.fromstring(run("lint", "b.yaml", "--format", "junit", "--select", "QB222").stdout)
    case = [c for c in root.iter("testcase") if c.get("name") == "q1"][0]
    assert case.find("failure") is None
    assert "QB222" in case.find("system-out").text


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github"])
def test_statistics_go_to_stderr_for_machine_formats(bank, fmt):
    outcome = run("lint", "banks", "--format", fmt, "--statistics")
    assert "QB201  negative-stem" in outcome.stderr
    assert "  QB201  negative-stem" not in outcome.stdout
    if fmt == "sarif":
        validate_sarif(outcome.stdout)
    if fmt == "junit":
        ET.fromstring(outcome.stdout)


def test_statistics_follow_the_text_report(bank):
    outcome = run("lint", "banks", "--statistics")
    assert "     1  QB201  negative-stem" in outcome.stdout
