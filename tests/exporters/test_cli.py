"""``qbank export``: refuses a bank with errors, writes atomically, exits with the documented codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from click.testing import CliRunner

from qbank.cli import main
from tests.exporters.conftest import FIXTURE, write_bank

GOOD = "questions:\n  - id: q1\n    stem: Which?\n    explanation: Because.\n    options:\n      - {text: a, correct: true}\n      - {text: b, why: no}\n"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_writes_every_format_named_after_the_bank(tmp_path):
    out = tmp_path / "dist"
    result = run("export", str(FIXTURE), "--to", "moodle", "--to", "json", "--to", "anki", "--to", "anki-text", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "export-bank.anki.txt", "export-bank.apkg", "export-bank.json", "export-bank.moodle.xml",
    ]


def test_name_option_and_same_bytes_twice(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert run("export", str(FIXTURE), "-t", "anki", "-t", "moodle", "-o", str(out), "--name", "release-2").exit_code == 0
    for name in ("release-2.apkg", "release-2.moodle.xml"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    assert b"$course$/top/release-2/" in (first / "release-2.moodle.xml").read_bytes()


def test_bank_with_errors_is_refused_with_its_findings(tmp_path):
    bank = write_bank(tmp_path / "bank", {"b.yaml": "questions:\n  - id: q1\n    stem: Which?\n    options:\n      - {text: a}\n      - {text: b}\n"})
    out = tmp_path / "dist"
    result = run("export", str(bank), "--to", "moodle", "--out", str(out))
    assert result.exit_code == 1
    assert "b.yaml:" in result.stderr and " error " in result.stderr
    assert "export refused" in result.stderr
    assert not out.exists()


def test_refused_question_writes_nothing_for_that_format(tmp_path):
    options = "".join(f"      - {{text: o{i}, correct: true}}\n" for i in range(11))
    bank = write_bank(tmp_path / "bank", {"b.yaml": f"questions:\n  - id: big\n    type: multiple\n    stem: Which?\n    explanation: All.\n    options:\n{options}      - {{text: no, why: x}}\n"})
    out = tmp_path / "dist"
    result = run("export", str(bank), "--to", "moodle", "--to", "json", "--out", str(out))
    assert result.exit_code == 1
    assert "b.yaml:2:5: question big: moodle export error: 11 correct options" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["bank.json"]


def test_usage_errors_exit_2(tmp_path):
    assert run("export", str(FIXTURE), "--out", str(tmp_path)).exit_code == 2  # no --to
    assert run("export", str(FIXTURE), "--to", "docx", "--out", str(tmp_path)).exit_code == 2
    assert run("export", str(tmp_path / "missing"), "--to", "json").exit_code == 2
    result = run("export", str(FIXTURE), str(FIXTURE / "networks"), "--to", "json", "--out", str(tmp_path))
    assert result.exit_code == 2 and "--name" in result.stderr


def test_configured_options_and_bad_ones(tmp_path):
    bank = write_bank(tmp_path / "bank", {"b.yaml": GOOD})
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.qbank.exports.moodle]\nanswernumbering = "ABCD"\n', encoding="utf-8")
    assert run("export", str(bank), "-t", "moodle", "-o", str(tmp_path / "d"), "--config", str(config)).exit_code == 0
    assert b"<answernumbering>ABCD</answernumbering>" in (tmp_path / "d" / "bank.moodle.xml").read_bytes()
    config.write_text('[tool.qbank.exports.moodle]\nnumbering = "ABCD"\n', encoding="utf-8")
    result = run("export", str(bank), "-t", "moodle", "-o", str(tmp_path / "d"), "--config", str(config))
    assert result.exit_code == 2 and "no option numbering (it has: root, wrong, answernumbering" in result.stderr
    config.write_text('[tool.qbank.exports.modle]\nanswernumbering = "ABCD"\n', encoding="utf-8")  # a typo: it set nothing
    result = run("export", str(bank), "-t", "json", "-o", str(tmp_path / "e"), "--config", str(config))
    assert result.exit_code == 2 and "[tool.qbank.exports.modle]: no export format 'modle' (formats: aiken," in result.stderr
    assert not (tmp_path / "e").exists()


def test_embed_images_flag(tmp_path):
    assert run("export", str(FIXTURE), "-t", "json", "-o", str(tmp_path), "--embed-images").exit_code == 0
    (image,) = json.loads((tmp_path / "export-bank.json").read_text(encoding="utf-8"))["images"]
    assert image["data"]


def test_no_temporary_files_left_and_no_progress_bar_off_a_terminal(tmp_path):
    result = run("export", str(FIXTURE), "-t", "json", "-o", str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["export-bank.json"]
    assert "Exporting" not in result.stderr


def test_a_failure_midway_leaves_no_file_of_any_format(tmp_path, monkeypatch):
    """Moodle is written (to a temporary file) before QTI fails: neither it nor a temporary file stays."""
    from qbank.exporters.qti import QtiExporter

    def broken(self, bank, bank_name, output, result, progress=None):
        with output.open("half.qti.zip") as handle:
            handle.write(b"PK half")
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(QtiExporter, "write", broken)
    out = tmp_path / "dist"
    with pytest.raises(RuntimeError, match="disk on fire"):
        run("export", str(FIXTURE), "-t", "moodle", "-t", "qti", "-o", str(out))
    assert list(out.iterdir()) == []


def test_help_teaches():
    result = run("export", "--help")
    for words in ("--to", "moodle", "anki-text", "--name", "Exit code", "[tool.qbank.exports.moodle]"):
        assert words in result.output


def test_the_summary_counts_questions_a_format_skipped(tmp_path):
    """Aiken has no multiple-answer questions: the summary says how many were left out."""
    result = run("export", str(Path(__file__).parents[2] / "banks"), "--to", "aiken", "--out", str(tmp_path))
    assert result.exit_code == 0
    assert "(28 questions of 33; 5 skipped, see above)" in result.stdout
