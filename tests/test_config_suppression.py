"""[tool.qbank] configuration and suppressions, through the command line as users meet them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qbank.cli import main

NEGATIVE = """\
  - id: {id}
    stem: Which of these layers does not keep a hidden state?
    explanation: Dense has no recurrence.{lint}
    options:
      - text: Dense
        correct: true
      - text: LSTM
        why: It keeps a hidden and a cell state.
      - text: GRU
        why: It keeps a hidden state.
"""
NO_WHY = """\
  - id: {id}
    stem: Which layer keeps a separate cell state?
    explanation: The LSTM.{lint}
    options:
      - text: LSTM
        correct: true
      - text: GRU
      - text: SimpleRNN
        why: It has one state.
"""


def bank_file(*questions: str, header: str = "") -> str:
    return header + "questions:\n" + "".join(questions)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "banks" / "legacy").mkdir(parents=True)

    def make(config: str = "", **files: str):
        (tmp_path / "pyproject.toml").write_text('[tool.qbank]\npaths = ["banks"]\n' + config, encoding="utf-8")
        for name, text in files.items():
            (tmp_path / "banks" / (name.replace("__", "/") + ".yaml")).write_text(text, encoding="utf-8")
        return tmp_path

    return make


def codes(*args) -> list[tuple[str, str | None]]:
    outcome = CliRunner().invoke(main, ["lint", "--format", "json", *args], catch_exceptions=False)
    return [(d["code"], d["question_id"]) for d in json.loads(outcome.stdout)["diagnostics"]]


def test_defaults_report_both(project):
    project(a=bank_file(NEGATIVE.format(id="neg", lint=""), NO_WHY.format(id="why", lint="")))
    assert ("QB201", "neg") in codes() and ("QB109", "why") in codes()


def test_select_in_config(project):
    project('select = ["QB2"]\n', a=bank_file(NEGATIVE.format(id="neg", lint=""), NO_WHY.format(id="why", lint="")))
    assert {c for c, _ in codes()} == {"QB201"}


def test_ignore_in_config_and_on_the_command_line(project):
    project('ignore = ["QB201"]\n', a=bank_file(NEGATIVE.format(id="neg", lint=""), NO_WHY.format(id="why", lint="")))
    assert ("QB201", "neg") not in codes() and ("QB109", "why") in codes()
    assert {c for c, _ in codes("--ignore", "QB1")} == set()


def test_per_file_ignores(project):
    project(
        '[tool.qbank.per-file-ignores]\n"banks/legacy/*.yaml" = ["QB2"]\n',
        a=bank_file(NEGATIVE.format(id="n1", lint="")),
        legacy__old=bank_file(NEGATIVE.format(id="n2", lint="")),
    )
    assert [c for c in codes() if c[0].startswith("QB2")] == [("QB201", "n1")]
    assert ("QB304", "n2") in codes()  # bank rules (QB3) still see the legacy file


def test_per_question_suppression_hides_only_that_question(project):
    project(a=bank_file(NEGATIVE.format(id="n1", lint="\n    lint: {ignore: [QB201]}"), NEGATIVE.format(id="n2", lint="")))
    assert [c for c in codes() if c[0] == "QB201"] == [("QB201", "n2")]


def test_file_suppression_and_prefixes(project):
    project(a=bank_file(NEGATIVE.format(id="n1", lint=""), NO_WHY.format(id="why", lint=""), header="lint: {ignore: [QB2]}\n"))
    assert [c for c, _ in codes()] == ["QB109"]


def test_unused_suppression_is_reported_where_it_is_written(project):
    project(a=bank_file(NO_WHY.format(id="why", lint="\n    lint: {ignore: [QB201, QB109]}")))
    outcome = CliRunner().invoke(main, ["lint"], catch_exceptions=False)
    assert "banks/a.yaml:5:21: QB006 warning the suppression of QB201 is unused" in outcome.stdout
    assert "QB109" not in outcome.stdout.replace("QB201, QB109", "")


def test_unused_suppression_only_for_rules_that_ran(project):
    project(a=bank_file(NO_WHY.format(id="why", lint="\n    lint: {ignore: [QB201]}")))
    assert ("QB006", "why") not in codes("--select", "QB1,QB006")
    assert ("QB006", None) in codes("--select", "QB2,QB006")


def test_severity_override_changes_the_exit_code(project):
    project('[tool.qbank.severity]\nQB201 = "error"\n', a=bank_file(NEGATIVE.format(id="neg", lint="")))
    outcome = CliRunner().invoke(main, ["lint", "--select", "QB201"])
    assert outcome.exit_code == 1 and "QB201 error" in outcome.stdout


def test_rule_options_change_the_rule(project):
    six = "  - {id: s, stem: Which layer?, explanation: x, options: [{text: a, correct: true}, {text: b, why: x}, {text: c, why: x}, {text: d, why: x}, {text: e, why: x}, {text: f, why: x}]}\n"
    project(a=bank_file(six))
    assert ("QB222", "s") in codes()
    project("[tool.qbank.rules.QB222]\nmax_options = 6\n", a=bank_file(six))
    assert ("QB222", "s") not in codes()


@pytest.mark.parametrize(
    "table, message",
    [
        ("[tool.qbank.rules.QB210]\nratoi = 1.5\n", "QB210 has no option ratoi"),
        ('[tool.qbank.rules.QB210]\nratio = "big"\n', "ratio must be a number, not 'big'"),
        ('[tool.qbank.rules.QB208]\nterms = ["always", 3]\n', "terms must be a list of texts"),
        ("[tool.qbank.rules.QB222]\nmax_options = -1\n", "max_options must be at least 2, not -1 (default: 5)"),
        ("[tool.qbank.rules.QB304]\nthreshold = 2.5\n", "threshold must be between 0 and 1, not 2.5"),
        ("[tool.qbank.rules.near-duplicate-stems]\nthreshold = nan\n", "threshold must be between 0 and 1, not nan"),
        ("[tool.qbank.rules.QB301]\nalpha = inf\n", "alpha must be between 0 and 1, not inf"),
        ("[tool.qbank.rules.QB222]\nmin_options = 6\n", "min_options (6) is more than max_options (5): no question could pass"),
    ],
)
def test_bad_rule_options_are_usage_errors(project, table, message):
    project(table, a=bank_file(NEGATIVE.format(id="neg", lint="")))
    outcome = CliRunner().invoke(main, ["lint"])
    assert outcome.exit_code == 2
    assert message in outcome.stderr
    assert "Traceback" not in outcome.output
