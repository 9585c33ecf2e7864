"""The installed ``qbank`` console script and ``python -m qbank``, run as real processes (and its set-up, in this one)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qbank import __version__
from qbank.loader.tree import lean_compiled
from tests.conftest import CLEAN_QUESTION

SCRIPT = Path(sys.executable).parent / "qbank"

GOOD = "questions:\n" + CLEAN_QUESTION.format(id="q1")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=60)


def test_script_is_installed():
    assert SCRIPT.is_file(), f"{SCRIPT} is missing: install qbank (make test does)"


def test_clean_bank_exits_0(tmp_path):
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "good.yaml").write_text(GOOD, encoding="utf-8")
    result = run([str(SCRIPT), "lint", "bank"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "1 file, 1 question: 0 errors, 0 warnings, 0 infos\n"
    assert result.stderr == ""


def test_findings_exit_1(tmp_path):
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "bad.yaml").write_text(GOOD.replace("        why: The GRU merges cell and hidden state.\n", ""), encoding="utf-8")
    result = run([str(SCRIPT), "lint", "bank"], tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("bank/bad.yaml:8:9: QB109 error wrong option B has no why\n")
    assert "Traceback" not in result.stdout + result.stderr


def test_usage_error_exits_2(tmp_path):
    result = run([str(SCRIPT), "lint", "nowhere"], tmp_path)
    assert result.returncode == 2
    assert result.stderr == "qbank: error: nowhere: no such file or folder\n"


def test_python_dash_m_version(tmp_path):
    result = run([sys.executable, "-m", "qbank", "--version"], tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"qbank, version {__version__}\n"


def test_a_long_report_arrives_whole_before_the_fast_exit(tmp_path):
    """The script ends with os._exit (qbank.cli.run): a report on a pipe or in a file still arrives whole."""
    from click.testing import CliRunner

    from bench.generate import generate
    from qbank.cli import main

    generate(tmp_path / "bank", questions=1500, per_file=15, errors=100)
    result = run([str(SCRIPT), "lint", "bank", "--format", "json", "--select", "QB", "--no-cache"], tmp_path)
    assert result.returncode == 1 and result.stderr == ""
    in_process = CliRunner().invoke(main, ["lint", str(tmp_path / "bank"), "--format", "json", "--select", "QB", "--no-cache"])
    # more than the 8 KiB that Python buffers for a pipe: some was written before the exit, the rest by its flush
    assert len(result.stdout) > 8192 and result.stdout == in_process.output.replace(f"{tmp_path}/", "")
    written = run([str(SCRIPT), "lint", "bank", "--no-cache", "--output", "report.txt"], tmp_path)
    assert written.returncode == 1 and (tmp_path / "report.txt").read_text(encoding="utf-8").endswith(" infos\n")


@pytest.mark.parametrize(("chosen", "expected"), [(None, "1"), ("4", "4")])
def test_the_script_starts_no_openblas_thread_pool_unless_the_user_chose_one(monkeypatch, chosen, expected):
    """qbank does no linear algebra; a pool that OpenBLAS starts with numpy spins on the cores the workers need."""
    import qbank.cli as cli  # noqa: PLC0415

    monkeypatch.setenv("OPENBLAS_NUM_THREADS", chosen or "")  # recorded, so the test leaves it as it was
    if chosen is None:
        monkeypatch.delenv("OPENBLAS_NUM_THREADS")
    seen = {}

    def command() -> None:
        seen["threads"] = os.environ.get("OPENBLAS_NUM_THREADS")
        raise SystemExit(0)

    monkeypatch.setattr(cli, "main", command)
    monkeypatch.setattr(cli.os, "_exit", lambda status: seen.setdefault("status", status))
    with pytest.raises(SystemExit):  # reached only because os._exit, replaced here, returned
        cli.run()
    assert seen == {"threads": expected, "status": 0}


def _imported_by_a_lint(folder: Path, text: str = GOOD) -> set[str]:
    """The modules that ``qbank lint`` of one file imports."""
    (folder / "bank").mkdir(parents=True)
    (folder / "bank" / "one.yaml").write_text(text, encoding="utf-8")
    result = run([sys.executable, "-X", "importtime", "-m", "qbank", "lint", "bank"], folder)
    assert "Traceback" not in result.stderr, result.stderr
    return {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def test_the_command_does_not_look_for_pydantic_plugins(tmp_path):
    """Looking for them imports importlib.metadata and reads every installed package's metadata (qbank/cli/__init__.py)."""
    imported = _imported_by_a_lint(tmp_path)
    assert {"pydantic", "qbank.config"} <= imported  # models were built ...
    assert "importlib.metadata" not in imported  # ... without the plugin search


@pytest.mark.skipif(lean_compiled is None, reason="without the compiled reader, the loader reads PyYAML's events")
def test_pyyaml_is_imported_only_for_a_file_the_compiled_reader_hands_over(tmp_path):
    assert "yaml" not in _imported_by_a_lint(tmp_path / "plain")
    assert "yaml" in _imported_by_a_lint(tmp_path / "anchored", GOOD.replace("  - id: q1", "  - &first\n    id: q1"))


def test_pydantic_names_other_than_get_plugins_come_from_its_real_module():
    script = (
        "import sys, qbank.cli, pydantic.plugin\n"
        "stand_in = sys.modules['pydantic.plugin._loader']\n"
        "print(list(stand_in.get_plugins()), stand_in.PYDANTIC_ENTRY_POINT_GROUP, sys.modules['pydantic.plugin._loader'].__file__ is not None)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout == "[] pydantic True\n", result.stderr


def test_importing_what_a_lint_imports_builds_no_model_validator():
    """A cached re-lint validates no question in its own process (a changed file is linted in a forked
    child), so the models' validators are built when first used, not on import (``defer_build``)."""
    script = (
        "import qbank.cli, qbank.cli.lint, qbank.engine, qbank.cache, qbank.validation\n"
        "from qbank.rules.registry import all_rules\n"
        "all_rules()\n"
        "from qbank.model import BankFile, Question\n"
        "print(BankFile.__pydantic_complete__, Question.__pydantic_complete__)\n"
        "from qbank.validation import validate_file\n"
        "from qbank.loader import load_text\n"
        "validated = validate_file(load_text('questions:\\n' + sys.argv[1], 'one.yaml'))\n"
        "print([type(question).__name__ for _, question in validated.questions])\n"
    )
    result = subprocess.run([sys.executable, "-c", "import sys\n" + script, CLEAN_QUESTION.format(id="q1")], capture_output=True, text=True, timeout=60)
    assert result.stdout == "False False\n['Question']\n", result.stderr


RELINT_REPORTS_ITS_IMPORTS = """
import os, sys
from qbank.cli import run
exit_now = os._exit
def report(status, parent=os.getpid()):
    if os.getpid() == parent:
        print("imported:", sorted(m for m in ("pydantic", "qbank.model.question", "qbank.validation") if m in sys.modules), file=sys.stderr)
    exit_now(status)
os._exit = report
sys.argv = ["qbank", "lint", "bank"]
run()
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="without fork, the changed file is linted in this process")
def test_a_cached_relint_imports_no_pydantic_in_its_own_process(tmp_path):
    """The cached files' outcomes, their headers and the configuration need no models, and the changed
    file (with enough files left to read, see engine.AHEAD_OF_READS) is linted in a forked child."""
    from qbank.engine import AHEAD_OF_READS  # noqa: PLC0415

    bank = tmp_path / "bank"
    bank.mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.qbank]\nselect = ["QB"]\nseverity = { QB210 = "warning" }\n', encoding="utf-8")
    for number in range(AHEAD_OF_READS + 2):
        (bank / f"f{number:03}.yaml").write_text("category: Units/One\n" + GOOD.replace("q1", f"q{number}"), encoding="utf-8")
    assert run([str(SCRIPT), "lint", "bank"], tmp_path).returncode == 0
    first = bank / "f000.yaml"
    first.write_text(first.read_text(encoding="utf-8").replace("        why: The GRU merges cell and hidden state.\n", ""), encoding="utf-8")

    result = run([sys.executable, "-c", RELINT_REPORTS_ITS_IMPORTS], tmp_path)

    assert result.returncode == 1, result.stderr
    assert "bank/f000.yaml:" in result.stdout and "QB109" in result.stdout  # the changed file was linted
    assert "imported: []" in result.stderr
    unchanged = run([sys.executable, "-c", RELINT_REPORTS_ITS_IMPORTS], tmp_path)
    assert "imported: []" in unchanged.stderr and unchanged.returncode == 1
