"""The pre-commit hooks and the GitHub Action call commands that exist, with options that exist."""

from __future__ import annotations

import shlex

import yaml
from click.testing import CliRunner

from qbank.cli import main
from tests.conftest import ROOT


def invoke(command: str, *extra: str):
    words = shlex.split(command)
    assert words[0] == "qbank"
    return CliRunner().invoke(main, [*words[1:], *extra, "--help"])


def test_pre_commit_hooks():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    whole, staged = hooks["qbank-lint"], hooks["qbank-lint-files"]
    assert whole["entry"] == "qbank lint" and whole["pass_filenames"] is False
    assert staged["pass_filenames"] is True and "--ignore QB3" in staged["entry"]
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["files"] == r"\.ya?ml$"
        assert invoke(hook["entry"]).exit_code == 0, hook["entry"]


def test_github_action():
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert "${GITHUB_ACTION_PATH}" in steps[1]["run"]
    lint_step = steps[-1]["run"]
    assert lint_step.startswith("qbank lint --format github")
    assert invoke("qbank lint --format github").exit_code == 0
    assert invoke("qbank lint --format sarif --output x.sarif").exit_code == 0
    # The per-question modules are compiled only when asked (setup.py reads QBANK_COMPILE_MODULES).
    assert action["inputs"]["compiled"]["default"] == "false"
    assert steps[1]["env"]["QBANK_COMPILE_MODULES"] == "${{ inputs.compiled == 'true' && '1' || '0' }}"
    assert "QBANK_COMPILE_MODULES" in (ROOT / "setup.py").read_text(encoding="utf-8")
    for step in steps:
        assert step.get("shell", "bash") == "bash"
        assert "${{ inputs." not in step.get("run", ""), "inputs go through env, never into the script text"
