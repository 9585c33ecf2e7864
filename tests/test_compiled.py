"""qbank's compiled modules (setup.py, qbank/compiled.py): used only while current, and alike in results.

The rest of the suite runs the compiled modules where they are built (make test builds them);
the comparison below runs the same code as plain Python beside them.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from qbank import compiled
from qbank.compiled import CompiledOrSource, source_digest

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = importlib.machinery.EXTENSION_SUFFIXES[0]


def _module_pair(folder: Path, name: str = "fakemod", source: bytes = b"X = 1\n") -> Path:
    """A module ``name`` in ``folder`` as both a source and an extension file beside it (which the
    finder never loads: it only chooses between them)."""
    (folder / f"{name}.py").write_bytes(source)
    (folder / f"{name}{EXTENSION}").write_bytes(b"not loaded here")
    return folder / f"{name}.py"


def _chosen(finder: CompiledOrSource, folder: Path, name: str = "fakemod") -> str:
    spec = finder.find_spec(f"qbank.{name}", [str(folder)])
    assert spec is not None
    return "compiled" if isinstance(spec.loader, importlib.machinery.ExtensionFileLoader) else Path(spec.origin).name


def test_a_compiled_module_is_chosen_only_while_its_source_is_the_one_it_was_built_from(tmp_path):
    source = _module_pair(tmp_path)
    listed = {"qbank.fakemod": source_digest(source.read_bytes())}
    assert _chosen(CompiledOrSource(listed), tmp_path) == "compiled"
    source.write_bytes(b"X = 2\n")  # an edit, or a pull, after the build
    assert _chosen(CompiledOrSource(listed), tmp_path) == "fakemod.py"


def test_a_module_the_build_did_not_list_runs_from_its_source(tmp_path):
    """An extension left from an earlier build (its module failed to build this time, or the list is gone)."""
    _module_pair(tmp_path)
    assert _chosen(CompiledOrSource({}), tmp_path) == "fakemod.py"
    assert _chosen(CompiledOrSource(compiled.built(str(tmp_path / "no-manifest.json"))), tmp_path) == "fakemod.py"


def test_pure_python_is_chosen_on_request(tmp_path):
    source = _module_pair(tmp_path)
    listed = {"qbank.fakemod": source_digest(source.read_bytes())}
    assert _chosen(CompiledOrSource(listed, pure=True), tmp_path) == "fakemod.py"


def test_modules_compiled_from_a_source_of_their_own_and_other_packages_are_left_alone(tmp_path):
    (tmp_path / f"reader{EXTENSION}").write_bytes(b"")  # as qbank/loader/lean_compiled.pyx builds
    assert _chosen(CompiledOrSource({}), tmp_path, "reader") == "compiled"
    _module_pair(tmp_path)
    assert CompiledOrSource({}).find_spec("fakemod", [str(tmp_path)]) is None


def test_a_damaged_manifest_lists_nothing(tmp_path):
    manifest = tmp_path / "compiled.json"
    for text in ("{not json", "[1, 2]", ""):
        manifest.write_text(text, encoding="utf-8")
        assert compiled.built(str(manifest)) == {}


def _finder() -> CompiledOrSource:
    return next(finder for finder in sys.meta_path if isinstance(finder, CompiledOrSource))


def test_the_modules_that_run_for_every_question_are_compiled_where_a_compiler_is():
    """An install that found a C compiler must have compiled them and still use them, or every lint
    silently runs slower. After editing one, `make test` (or `pip install -e .`) builds it again."""
    if shutil.which("cc") is None or not (Path(sysconfig.get_paths()["include"]) / "Python.h").exists():
        pytest.skip("no C compiler or no Python headers here: qbank runs as plain Python")
    if os.environ.get(compiled.PURE_PYTHON, "") not in ("", "0"):
        pytest.skip(f"{compiled.PURE_PYTHON} is set")
    finder = _finder()
    assert {"qbank.engine", "qbank.rules.shared", "qbank.rules.quality.negative_stem"} <= finder.listed.keys()
    stale = [name for name in finder.listed if not finder.uses_compiled(name)]
    assert not stale, f"built from another source: {stale}; run `make test` or `pip install -e .` to build them again"
    import qbank.engine  # noqa: PLC0415

    assert qbank.engine.__file__.endswith(EXTENSION)


def _bank_of_every_rule_case(folder: Path) -> Path:
    """One file per single-file case of tests/rules/cases: every rule's failing and passing examples."""
    bank = folder / "bank"
    bank.mkdir()
    for path in sorted((ROOT / "tests" / "rules" / "cases").glob("*.yaml")):
        for number, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]):
            if isinstance(case.get("bank"), str) and "files" not in case:
                (bank / f"{path.stem}-{number}.yaml").write_text(case["bank"], encoding="utf-8")
    return bank


def _lint(bank: Path, folder: Path, pure: bool) -> dict:
    env = {**os.environ, compiled.PURE_PYTHON: "1" if pure else "0"}
    command = [sys.executable, "-m", "qbank", "lint", str(bank), "--no-cache", "--format", "json", "--jobs", "1"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=folder, env=env, check=False)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_compiled_and_pure_python_find_the_same(tmp_path):
    """The same findings, messages and places from the compiled modules and from their sources,
    on every rule's cases at once."""
    if not _finder().listed:
        pytest.skip("nothing compiled here: the rest of the suite runs plain Python")
    bank = _bank_of_every_rule_case(tmp_path)
    compiled_run, pure_run = _lint(bank, tmp_path, pure=False), _lint(bank, tmp_path, pure=True)
    assert len(compiled_run["diagnostics"]) > 300  # the cases break every rule
    assert compiled_run == pure_run


def test_compiled_and_pure_python_export_the_same_bytes(tmp_path):
    """Every format of the sample bank, byte for byte, from the compiled exporters and from their sources."""
    if not _finder().listed:
        pytest.skip("nothing compiled here: the rest of the suite runs plain Python")
    formats = [option for name in ("moodle", "json", "anki", "anki-text", "qti", "gift", "aiken") for option in ("--to", name)]
    outputs = {}
    for pure in (False, True):
        out = tmp_path / ("pure" if pure else "compiled")
        env = {**os.environ, compiled.PURE_PYTHON: "1" if pure else "0"}
        command = [sys.executable, "-m", "qbank", "export", str(ROOT / "banks"), *formats, "--out", str(out), "--no-cache"]
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env, check=False)
        assert done.returncode == 0, done.stderr
        outputs[pure] = {path.name: path.read_bytes() for path in sorted(out.iterdir())}
    assert len(outputs[False]) == 7
    assert outputs[False] == outputs[True]


def test_make_rebuilds_when_any_compiled_source_changes():
    """The Makefile repeats setup.py's list of compiled sources as the install's prerequisites: one
    missing there would stay stale after an edit (run from its source) until something else changed."""
    if shutil.which("make") is None:
        pytest.skip("no make here")
    import runpy  # noqa: PLC0415

    listed = runpy.run_path(str(ROOT / "setup.py"), run_name="qbank_setup")["COMPILED"]
    printed = subprocess.run(
        ["make", "-s", "--no-print-directory", "-f", "Makefile", "-f", "-", "print-compiled"],
        input="print-compiled:\n\t@echo $(COMPILED)\n", capture_output=True, text=True, cwd=ROOT, check=True,
    ).stdout.split()
    assert set(printed) == {*listed, "qbank/loader/lean_compiled.pyx"}
