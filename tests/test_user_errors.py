"""What a new user runs into, found by trying the command line by hand: each answer is a message, never a
traceback, with the documented exit code."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qbank import exitcodes
from qbank.cli import main
from tests.conftest import CLEAN_QUESTION, ROOT, write_files

SEED = ROOT / "tests" / "importers" / "data" / "000_9200b7ba3504442c.txt"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def bank(tmp_path):
    write_files(tmp_path / "bank", {"good.yaml": "questions:\n" + CLEAN_QUESTION.format(id="q1")})
    return tmp_path / "bank"


@pytest.mark.parametrize(
    "command",
    [
        ["export", "{bank}", "--to", "json", "--out", "{out}"],
        ["preview", "{bank}", "--out", "{out}"],
        ["import", str(SEED), "--out", "{out}"],
    ],
    ids=["export", "preview", "import"],
)
def test_an_out_folder_that_cannot_be_made_is_a_usage_error(tmp_path, bank, command):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "a-file" / "sub"  # the parent is a file: mkdir fails even for root
    outcome = run(*(part.format(bank=bank, out=out) for part in command))
    assert outcome.exit_code == exitcodes.USAGE
    assert outcome.stderr == f"qbank: error: cannot write {out}: Not a directory; check the folder given with --out\n"


def test_a_fix_that_cannot_be_written_is_reported_and_the_rest_still_linted(tmp_path, monkeypatch):
    import qbank.fix  # noqa: PLC0415

    def refuse(path, data):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(qbank.fix, "write_atomic", refuse)
    text = "questions:\n" + CLEAN_QUESTION.format(id="q1").replace("text: GRU", "text: 'GRU  '")
    write_files(tmp_path, {"bank.yaml": text})
    monkeypatch.chdir(tmp_path)
    outcome = run("lint", "bank.yaml", "--fix", "--no-cache")
    assert "bank.yaml: not rewritten: cannot write it: Permission denied" in outcome.stderr
    assert "fixed 0 problems in 0 files" in outcome.stderr
    assert "QB007" in outcome.stdout  # still there, and reported
    assert (tmp_path / "bank.yaml").read_text(encoding="utf-8") == text
