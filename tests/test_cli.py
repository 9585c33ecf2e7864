"""The command line through click's CliRunner: the issue's acceptance scenario, formats,
rule selection, exit codes and configuration."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qbank import __version__, exitcodes
from qbank.cli import main
from qbank.exporters import EXPORTERS
from qbank.rules.registry import all_rules
from tests.conftest import CLEAN_QUESTION, ROOT, write_files

QUESTION = CLEAN_QUESTION

ACCEPTANCE = {
    # (a) a duplicate key: the second stem, line 4 column 5
    "folder/a_duplicate_key.yaml": """\
questions:
  - id: a1
    stem: Which gated layer has a memory cell?
    stem: Which layer has a cell state?
    explanation: Only the LSTM keeps a cell state besides its hidden state.
    options:
      - text: LSTM
        correct: true
      - text: GRU
        why: The GRU merges cell and hidden state.
""",
    # (b) a YAML syntax error: the unquoted ': ' at line 3 column 22
    "folder/b_syntax_error.yaml": """\
questions:
  - id: b1
    stem: Which layer: the first or the second?
    explanation: The first.
""",
    # (c) the second option duplicates the first up to case and spacing: line 8 column 15
    "folder/c_duplicate_option.yaml": """\
questions:
  - id: c1
    stem: Which layer stores a cell vector apart from its output?
    explanation: Only the LSTM keeps a cell state besides its hidden state.
    options:
      - text: The LSTM layer
        correct: true
      - text: "the  lstm   LAYER"
        why: Same as the first.
      - text: The GRU layer
        why: The GRU merges cell and hidden state.
""",
    # (d) a good file with two questions
    "folder/d_good.yaml": "questions:\n" + QUESTION.format(id="d1") + QUESTION.format(id="d2"),
}

EXPECTED = {
    ("folder/a_duplicate_key.yaml", 4, 5, "QB003"),
    ("folder/b_syntax_error.yaml", 3, 22, "QB002"),
    ("folder/c_duplicate_option.yaml", 8, 15, "QB108"),
}

# Findings of several rules and severities, for selection tests.
MIXED = """\
questions:
  - id: no-why
    stem: Which layer adds a cell state to its hidden state?
    explanation: Only the LSTM keeps a cell state besides its hidden state.
    options:
      - text: LSTM
        correct: true
      - text: GRU
  - id: no-explanation
    stem: Which recurrent layer owns a forget gate?
    options:
      - text: LSTM
        correct: true
      - text: GRU
        why: The GRU merges cell and hidden state.
  - id: order
    type: true_false
    stem: An LSTM keeps a cell state.
    explanation: It does.
    options:
      - {text: "False", why: It does keep one.}
      - {text: "True", correct: true}
"""
MIXED_FINDINGS = {("QB109", "error"), ("QB110", "error"), ("QB105", "warning")}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project folder as the working directory, with its own pyproject.toml."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    return tmp_path


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    # A user's mistake is never a traceback: only sys.exit may end a command.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def from_json(output: str) -> set[tuple]:
    return {(d["file"], d["line"], d["column"], d["code"]) for d in json.loads(output)["diagnostics"]}


GITHUB = re.compile(
    r"^::(?P<level>error|warning|notice) file=(?P<file>[^,]*),line=(?P<line>\d+),col=(?P<col>\d+)"
    r"(?:,endLine=\d+,endColumn=\d+)?,title=(?P<code>QB\d{3})::(?P<message>.*)$"
)


def from_github(output: str) -> set[tuple]:
    found = set()
    for line in output.splitlines():
        match = GITHUB.match(line)
        assert match, f"not a workflow command: {line!r}"
        file = match["file"].replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
        found.add((file, int(match["line"]), int(match["col"]), match["code"]))
    return found


TEXT = re.compile(r"^(?P<file>\S+):(?P<line>\d+):(?P<col>\d+): (?P<code>QB\d{3}) (?P<severity>error|warning|info) ")


def from_text(output: str) -> set[tuple]:
    return {(m["file"], int(m["line"]), int(m["col"]), m["code"]) for m in map(TEXT.match, output.splitlines()) if m}


# -- the acceptance scenario -------------------------------------------------


def test_acceptance_text(project):
    write_files(project, ACCEPTANCE)
    result = run("lint", "folder")
    assert result.exit_code == exitcodes.FINDINGS == 1
    assert from_text(result.output) == EXPECTED
    # (d) is linted: its two questions count, beside the one of (a) and (c).
    assert result.output.rstrip().endswith("4 files, 4 questions: 3 errors, 0 warnings, 0 infos")
    # Each finding shows its line with a caret under the column.
    assert "    3 |     stem: Which layer: the first or the second?\n      |                      ^\n" in result.output
    assert "\x1b[" not in result.output  # no colour when not on a terminal


def test_acceptance_json_and_github_agree(project):
    write_files(project, ACCEPTANCE)
    as_json = run("lint", "folder", "--format", "json")
    as_github = run("lint", "folder", "--format", "github")
    assert as_json.exit_code == as_github.exit_code == 1
    assert from_json(as_json.stdout) == from_github(as_github.stdout) == EXPECTED


def test_three_formats_agree_on_everything(project):
    """Messages and severities too, on findings of several severities."""
    write_files(project, {"bank/mixed.yaml": MIXED, **ACCEPTANCE})
    report = json.loads(run("lint", ".", "-f", "json").stdout)
    github = run("lint", ".", "-f", "github").stdout.splitlines()
    text = run("lint", ".").stdout
    assert len(report["diagnostics"]) == len(github) == 6
    level = {"error": "error", "warning": "warning", "info": "notice"}
    for d, line in zip(report["diagnostics"], github):
        message = d["message"] + (f" (hint: {d['hint']})" if d["hint"] else "")
        assert line.startswith(f"::{level[d['severity']]} file={d['file']},line={d['line']},col={d['column']},")
        assert line.endswith(f",title={d['code']}::{message}")
        assert f"{d['file']}:{d['line']}:{d['column']}: {d['code']} {d['severity']} {d['message']}\n" in text
        assert f"      = hint: {d['hint']}" in text


def test_every_file_is_linted_even_when_others_are_broken(project):
    write_files(project, {"bank/a.yaml": "\x00", "bank/b.yaml": "questions: [", "bank/c.yaml": MIXED})
    found = from_json(run("lint", "bank", "-f", "json").stdout)
    assert {code for *_, code in found} == {"QB001", "QB002", "QB105", "QB109", "QB110"}


def test_output_is_identical_from_run_to_run(project):
    write_files(project, {"bank/mixed.yaml": MIXED, **ACCEPTANCE})
    assert run("lint", ".", "-f", "json").stdout == run("lint", ".", "-f", "json").stdout


# -- the JSON report -----------------------------------------------------------

DIAGNOSTIC_KEYS = [
    "file", "line", "column", "end_line", "end_column", "code", "rule", "severity",
    "message", "hint", "question_id", "evidence",
]


def test_json_report_shape(project):
    write_files(project, {"bank/mixed.yaml": MIXED})
    report = json.loads(run("lint", "bank", "-f", "json").stdout)
    assert list(report) == ["format_version", "qbank_version", "summary", "diagnostics"]
    assert report["format_version"] == 1
    assert report["qbank_version"] == __version__
    assert report["summary"] == {"files": 1, "questions": 3, "error": 2, "warning": 1, "info": 0}
    first = report["diagnostics"][0]
    assert list(first) == DIAGNOSTIC_KEYS
    assert first == {
        "file": "bank/mixed.yaml",
        "line": 8,
        "column": 9,
        "end_line": 9,
        "end_column": 3,
        "code": "QB109",
        "rule": "missing-why",
        "severity": "error",
        "message": "wrong option B has no why",
        "hint": "add why: explaining what makes this option wrong",
        "question_id": "no-why",
        "evidence": {"option": "B"},
    }
    assert {(d["code"], d["severity"]) for d in report["diagnostics"]} == MIXED_FINDINGS


def test_json_report_shape_is_documented():
    doc = (ROOT / "docs" / "lint-output.md").read_text(encoding="utf-8")
    for key in [*DIAGNOSTIC_KEYS, "format_version", "qbank_version", "summary", "diagnostics"]:
        assert f"`{key}`" in doc, f"docs/lint-output.md does not describe {key}"


def test_json_clean_bank(project):
    write_files(project, {"bank/good.yaml": "questions:\n" + QUESTION.format(id="g1")})
    result = run("lint", "bank", "--format=json")
    assert result.exit_code == exitcodes.OK
    assert json.loads(result.stdout)["diagnostics"] == []


# -- selecting rules -------------------------------------------------------------


def codes(*args: str) -> set[str]:
    return {code for *_, code in from_json(run("lint", "bank", "-f", "json", *args).stdout)}


@pytest.mark.parametrize(
    "args, expected",
    [
        ((), {"QB105", "QB109", "QB110"}),
        (("--select", "QB109"), {"QB109"}),
        (("--select", "qb109,QB110"), {"QB109", "QB110"}),
        (("--select", "QB11"), {"QB110"}),
        (("--select", "QB1", "--ignore", "QB110"), {"QB105", "QB109"}),
        (("--ignore", "QB109"), {"QB105", "QB110"}),
        (("--ignore", "QB10"), {"QB110"}),
        (("--ignore", "QB1"), set()),
    ],
)
def test_select_and_ignore(project, args, expected):
    write_files(project, {"bank/mixed.yaml": MIXED})
    assert codes(*args) == expected


def test_always_on_rules_cannot_be_ignored(project):
    write_files(project, {"bank/broken.yaml": "questions: [", "bank/mixed.yaml": MIXED})
    assert codes("--ignore", "QB0,QB1") == {"QB002"}


def test_exit_code_follows_error_level_findings(project):
    write_files(project, {"bank/mixed.yaml": MIXED})
    assert run("lint", "bank").exit_code == 1
    assert run("lint", "bank", "--select", "QB105").exit_code == 0  # a warning only


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_code_is_a_usage_error(project, option):
    write_files(project, {"bank/mixed.yaml": MIXED})
    result = run("lint", "bank", option, "QB999")
    assert result.exit_code == exitcodes.USAGE == 2
    assert "no rule matches 'QB999'" in result.stderr
    assert result.stdout == ""


def test_missing_path_is_a_usage_error(project):
    result = run("lint", "nowhere")
    assert result.exit_code == 2
    assert result.stderr == "qbank: error: nowhere: no such file or folder\n"


def test_folder_without_bank_files_is_a_usage_error(project):
    (project / "empty").mkdir()
    result = run("lint", "empty")
    assert result.exit_code == 2
    assert "no .yaml or .yml files under empty" in result.stderr


def test_unknown_format_is_a_usage_error(project):
    write_files(project, {"bank/mixed.yaml": MIXED})
    result = run("lint", "bank", "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of" in result.stderr


def test_quiet_shows_only_errors(project):
    write_files(project, {"bank/mixed.yaml": MIXED})
    result = run("lint", "bank", "--quiet")
    assert from_text(result.stdout) == {("bank/mixed.yaml", 8, 9, "QB109"), ("bank/mixed.yaml", 10, 5, "QB110")}
    assert "1 warning" in result.stdout  # the summary still counts it
    github = run("lint", "bank", "-q", "-f", "github").stdout
    assert "::warning" not in github and github.count("::error") == 2


def test_quiet_is_silent_without_errors(project):
    write_files(project, {"bank/mixed.yaml": MIXED})
    result = run("lint", "bank", "--quiet", "--select", "QB105")
    assert result.exit_code == 0
    assert result.output == ""


def test_output_file(project):
    write_files(project, ACCEPTANCE)
    result = run("lint", "folder", "-f", "json", "--output", "report.json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert from_json((project / "report.json").read_text(encoding="utf-8")) == EXPECTED


def test_unwritable_output_is_a_usage_error(project):
    write_files(project, ACCEPTANCE)
    result = run("lint", "folder", "--output", "no/such/folder/report.txt")
    assert result.exit_code == 2
    assert "cannot write the report to no/such/folder/report.txt" in result.stderr


def test_statistics(project):
    write_files(project, {"bank/mixed.yaml": MIXED})
    output = run("lint", "bank", "--statistics").stdout
    assert "     1  QB109  missing-why\n" in output
    assert "     1  QB105  true-false-shape\n" in output


# -- the other commands ------------------------------------------------------------


def test_version():
    for flag in ("--version", "-V"):
        result = run(flag)
        assert result.exit_code == 0
        assert result.output == f"qbank, version {__version__}\n"


def test_help_teaches():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("lint", "rules", "rule", "schema"):
        assert re.search(rf"^  {command}\b", result.output, re.MULTILINE), command
    assert "Exit codes: 0 clean, 1 error-level findings, 2 bad usage" in result.output
    lint_help = run("lint", "--help").output
    for option in ("--format", "--select", "--ignore", "--quiet", "--output", "--config"):
        assert option in lint_help


def test_export_help_names_the_file_of_every_format():
    export_help = run("export", "--help").output
    for name, exporter in EXPORTERS.items():
        assert exporter.extension, name
        assert re.search(rf"^ +DIR/NAME{re.escape(exporter.extension)} +{re.escape(name)}: ", export_help, re.MULTILINE), name


def test_rules_lists_every_registered_rule():
    result = run("rules")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    rules = all_rules()
    assert len(lines) == len(rules)
    for line, rule in zip(lines, rules):
        assert line.split()[:3] == [rule.code, rule.name, rule.severity.value]
        assert rule.summary() in line


@pytest.mark.parametrize("name", ["QB109", "qb109", "missing-why"])
def test_rule_prints_its_documentation(name):
    result = run("rule", name)
    assert result.exit_code == 0
    rule = next(r for r in all_rules() if r.code == "QB109")
    assert result.output.startswith("QB109 missing-why (structure, default severity error)\n\n")
    assert rule.doc() in result.output
    assert "Bad::" in result.output and "Good::" in result.output


def test_unknown_rule_is_a_usage_error():
    result = run("rule", "QB999")
    assert result.exit_code == 2
    assert "no rule 'QB999'" in result.stderr


def test_schema_is_json():
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "questions" in schema["required"]


# -- configuration ---------------------------------------------------------------


def configure(project: Path, table: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.qbank]\n{table}\n", encoding="utf-8")


def test_config_paths_are_the_default(project):
    configure(project, 'paths = ["questions"]')
    write_files(project, {"questions/mixed.yaml": MIXED, "bank/other.yaml": "\x00"})
    files = {file for file, *_ in from_json(run("lint", "-f", "json").stdout)}
    assert files == {"questions/mixed.yaml"}


def test_config_paths_are_relative_to_the_config_file(project, monkeypatch):
    configure(project, 'paths = ["questions"]\nper-file-ignores = { "questions/legacy/*.yaml" = ["QB109"] }')
    write_files(project, {"questions/legacy/old.yaml": MIXED, "sub/readme.txt": ""})
    monkeypatch.chdir(project / "sub")
    report = json.loads(run("lint", "-f", "json").stdout)
    assert report["summary"]["files"] == 1
    assert {d["code"] for d in report["diagnostics"]} == {"QB105", "QB110"}


def test_config_select_and_ignore(project):
    write_files(project, {"bank/mixed.yaml": MIXED})
    configure(project, 'select = ["QB1"]\nignore = ["QB110"]')
    assert codes() == {"QB105", "QB109"}
    assert codes("--ignore", "QB105") == {"QB109"}


def test_config_per_file_ignores(project):
    configure(project, 'per-file-ignores = { "bank/legacy/*.yaml" = ["QB109", "QB11"] }')
    write_files(project, {"bank/legacy/old.yaml": MIXED, "bank/new.yaml": MIXED.replace("id: ", "id: new-")})
    found = from_json(run("lint", "bank", "-f", "json").stdout)
    assert {(file, code) for file, _, _, code in found} == {
        ("bank/legacy/old.yaml", "QB105"),
        ("bank/new.yaml", "QB105"),
        ("bank/new.yaml", "QB109"),
        ("bank/new.yaml", "QB110"),
        ("bank/new.yaml", "QB304"),  # bank rules see both files: new.yaml repeats old.yaml's stems
    }


def test_config_severity_override(project):
    configure(project, 'severity = { QB109 = "warning", missing-explanation = "info", QB105 = "error" }')
    write_files(project, {"bank/mixed.yaml": MIXED})
    result = run("lint", "bank", "-f", "json")
    severities = {(d["code"], d["severity"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert severities == {("QB109", "warning"), ("QB110", "info"), ("QB105", "error")}
    assert result.exit_code == 1  # QB105 is an error now


def test_config_severity_can_make_a_bank_pass(project):
    configure(project, 'severity = { QB109 = "warning", QB110 = "warning" }')
    write_files(project, {"bank/mixed.yaml": MIXED})
    assert run("lint", "bank").exit_code == 0


def test_file_level_lint_ignore(project):
    write_files(project, {"bank/mixed.yaml": "lint: {ignore: [QB109, QB105]}\n" + MIXED})
    assert codes() == {"QB110"}


def test_question_level_lint_ignore(project):
    text = MIXED.replace("  - id: no-explanation\n", "  - id: no-explanation\n    lint:\n      ignore: [QB110, QB109]\n")
    write_files(project, {"bank/mixed.yaml": text})
    assert codes() == {"QB105", "QB109", "QB006"}  # QB109 is in another question, so QB006 calls its entry unused


def test_explicit_config_file(project):
    (project / "strict.toml").write_text('[tool.qbank]\nselect = ["QB110"]\n', encoding="utf-8")
    write_files(project, {"bank/mixed.yaml": MIXED})
    assert codes("--config", "strict.toml") == {"QB110"}


@pytest.mark.parametrize(
    "table, message",
    [
        ("paths = [", "invalid TOML"),
        ("colour = 'red'", "colour: not a setting; the settings are paths, select, ignore, per-file-ignores, severity, rules, exports, cache"),
        ('severity = { QB109 = "fatal" }', "severity.QB109"),
        ('select = ["QB9"]', "select: no rule matches 'QB9'"),
        ('ignore = ["E501"]', "ignore: no rule matches 'E501'"),
        ('severity = { QB999 = "info" }', "severity: no rule 'QB999'"),
        ('per-file-ignores = { "x/*" = ["QB99"] }', "no rule matches 'QB99'"),
        ("[tool.qbank.rules.QB109]\nmax = 3", "rules.QB109: QB109 has no option max"),
        ("[tool.qbank.rules.no-such-rule]\nmax = 3", "rules: no rule 'no-such-rule'"),
    ],
)
def test_broken_config_is_a_usage_error(project, table, message):
    configure(project, table)
    write_files(project, {"bank/mixed.yaml": MIXED})
    result = run("lint", "bank")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"qbank: error: {project.resolve() / 'pyproject.toml'}: ")
    assert message in result.stderr


def test_categories_do_not_depend_on_the_folder_linted(tmp_path, monkeypatch):
    """Linting a subfolder of a configured bank keeps the bank's categories."""
    from qbank.cli.common import get_sources
    from qbank.config import Config

    (tmp_path / "banks" / "rnn").mkdir(parents=True)
    (tmp_path / "banks" / "rnn" / "a.yaml").write_text("questions: []\n")
    config = Config(paths=["banks"], root=str(tmp_path))
    whole = get_sources((), config)
    part = get_sources((str(tmp_path / "banks" / "rnn"),), config)
    assert [s.relative.as_posix() for s in whole] == ["rnn/a.yaml"]
    assert [s.relative.as_posix() for s in part] == ["rnn/a.yaml"]
