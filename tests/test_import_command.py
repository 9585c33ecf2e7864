"""``qbank import``: detection, --force, what is reported, and the exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qbank import exitcodes
from qbank.cli import main
from qbank.loader import load_file
from tests.importers.test_qa_text import SEED

GIFT = """$CATEGORY: RNN

// [id:lstm-cell]
::Cell::Which layer keeps a cell state?{
\t=LSTM
\t~GRU#It merges the cell state into the hidden state.
\t####Only the LSTM keeps a separate cell state.
}

::Essay on gates::Explain the forget gate.{}
"""
AIKEN = """Which activation suits a binary output?
A) softmax
B) sigmoid
ANSWER: B
"""


def run(*args: str):
    return CliRunner().invoke(main, ["import", *args])


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_seed_imports_and_lints_clean(tmp_path):
    out = tmp_path / "x"
    result = run(str(SEED), "--out", str(out))
    assert result.exit_code == exitcodes.OK, result.output
    written = out / "000_9200b7ba3504442c.yaml"
    assert written.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    assert "imported 1 question into 1 file" in result.output
    assert "lint: 1 file, 1 question: 0 errors, 0 warnings, 0 infos" in result.output
    lint = CliRunner().invoke(main, ["lint", str(out)])
    assert lint.exit_code == exitcodes.OK, lint.output


def test_the_format_is_detected_from_the_content(tmp_path):
    sources = [write(tmp_path, "quiz.txt", GIFT), write(tmp_path, "simple.txt", AIKEN)]
    result = run(*map(str, sources), "--out", str(tmp_path / "out"))
    assert result.exit_code == exitcodes.FINDINGS, result.output  # the essay was skipped
    quiz = load_file(tmp_path / "out" / "quiz.yaml").document.data
    assert quiz["category"] == "RNN" and quiz["questions"][0]["id"] == "lstm-cell"
    simple = load_file(tmp_path / "out" / "simple.yaml").document.data
    assert simple["questions"][0]["options"][1] == {"text": "sigmoid", "correct": True}


def test_skipped_questions_are_listed_by_name_with_their_place_and_exit_1(tmp_path):
    source = write(tmp_path, "quiz.gift", GIFT)
    result = run(str(source), "--out", str(tmp_path / "out"))
    assert result.exit_code == exitcodes.FINDINGS
    assert f"{source}:10: warning: skipped essay question 'Essay on gates': qbank has no essay questions" in result.output
    assert f"skipped 1 question:\n  - Essay on gates (essay, {source}:10)" in result.output
    assert "imported 1 question into 1 file" in result.output


def test_an_unclear_format_asks_for_from_and_writes_nothing(tmp_path):
    source = write(tmp_path, "notes.txt", "Just some notes.\nNothing like a question.\n")
    result = run(str(source), "--out", str(tmp_path / "out"))
    assert result.exit_code == exitcodes.USAGE
    assert "cannot tell the format of this file; say it with --from aiken|anki|anki-text|gift|json|moodle|qa-text|qti" in result.output
    assert not (tmp_path / "out").exists()


def test_from_overrides_detection(tmp_path):
    source = write(tmp_path, "quiz.dat", AIKEN)
    result = run(str(source), "--from", "aiken", "--out", str(tmp_path / "out"))
    assert result.exit_code == exitcodes.FINDINGS  # imported, but lint finds no explanation and no whys
    assert "QB110" in result.output and "QB109" in result.output
    assert (tmp_path / "out" / "quiz.yaml").exists()


def test_existing_files_are_never_overwritten_without_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    existing = out / "000_9200b7ba3504442c.yaml"
    existing.write_text("mine", encoding="utf-8")
    refused = run(str(SEED), "--out", str(out))
    assert refused.exit_code == exitcodes.USAGE
    assert "exist already; nothing was written (use --force to overwrite them)" in refused.output
    assert existing.read_text(encoding="utf-8") == "mine"
    forced = run(str(SEED), "--out", str(out), "--force")
    assert forced.exit_code == exitcodes.OK
    assert existing.read_text(encoding="utf-8").startswith("# yaml-language-server")


@pytest.mark.parametrize("content", [b"\xff\xfe\x00b", b"Question\nQ?\n\xe9t\xe9\nAnswer\n"])
def test_unreadable_input_exits_2_and_writes_nothing(tmp_path, content):
    source = tmp_path / "broken.txt"
    source.write_bytes(content)
    result = run(str(source), "--from", "qa-text", "--out", str(tmp_path / "out"))
    assert result.exit_code == exitcodes.USAGE
    assert str(source) in result.output
    assert not (tmp_path / "out").exists()


def test_a_missing_source_is_a_usage_error(tmp_path):
    result = run(str(tmp_path / "nope.txt"), "--out", str(tmp_path / "out"))
    assert result.exit_code == exitcodes.USAGE and "no such file or folder" in result.output


def test_a_folder_is_imported_file_by_file_keeping_sub_folders(tmp_path):
    (tmp_path / "in" / "rnn").mkdir(parents=True)
    write(tmp_path / "in", "seed.txt", SEED.read_text(encoding="utf-8"))
    write(tmp_path / "in" / "rnn", "simple.aiken", AIKEN)
    result = run(str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    assert (tmp_path / "out" / "seed.yaml").exists() and (tmp_path / "out" / "rnn" / "simple.yaml").exists()
    assert "imported 2 questions into 2 files" in result.output


def test_generated_ids_are_unique_across_files(tmp_path):
    sources = [write(tmp_path, f"{n}.txt", AIKEN) for n in ("a", "b")]
    run(*map(str, sources), "--out", str(tmp_path / "out"))
    ids = [load_file(tmp_path / "out" / f"{n}.yaml").document.data["questions"][0]["id"] for n in ("a", "b")]
    assert ids[0] != ids[1] and ids[1] == ids[0] + "-2"


def test_the_schema_comment_points_at_the_committed_schema_when_there_is_one(tmp_path):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "qbank-file.schema.json").write_text("{}", encoding="utf-8")
    run(str(SEED), "--out", str(tmp_path / "banks" / "imported"))
    first = (tmp_path / "banks" / "imported" / "000_9200b7ba3504442c.yaml").read_text(encoding="utf-8").split("\n")[0]
    assert first == "# yaml-language-server: $schema=../../schemas/qbank-file.schema.json"


MOODLE = Path(__file__).resolve().parent / "data" / "moodle"


def test_acceptance_moodle_file_with_an_essay_imports_the_rest_lists_it_and_exits_1(tmp_path):
    source = MOODLE / "moodle4-course.xml"
    result = run(str(source), "--out", str(tmp_path / "out"))
    assert result.exit_code == exitcodes.FINDINGS, result.output
    assert "imported 3 questions into 1 file" in result.output
    assert f"skipped 2 questions:\n  - Explain vanishing gradients (essay, {source}:131)\n" in result.output
    written = load_file(tmp_path / "out" / "moodle4-course.yaml").document.data
    assert [q["id"] for q in written["questions"]][0::2] == ["lstm-forget", "gru-cell"]
    assert (tmp_path / "out" / "images" / "gate-diagram.png").is_file()


def test_hostile_xml_exits_2_and_writes_nothing(tmp_path):
    result = run(str(MOODLE / "entity-bomb.xml"), "--out", str(tmp_path / "out"))
    assert result.exit_code == exitcodes.USAGE
    assert "entity-bomb.xml:2: error: the file declares a DOCTYPE" in result.output
    assert not (tmp_path / "out").exists()


def test_moodle_and_json_are_detected_and_a_qbank_bank_comes_back_lint_clean(tmp_path):
    bank = Path(__file__).resolve().parent / "data" / "export-bank"
    exported = CliRunner().invoke(main, ["export", str(bank), "--to", "moodle", "--to", "json", "--embed-images", "--out", str(tmp_path / "dist")])
    assert exported.exit_code == exitcodes.OK, exported.output
    for name in ("export-bank.moodle.xml", "export-bank.json"):
        out = tmp_path / name
        result = run(str(tmp_path / "dist" / name), "--out", str(out))
        assert result.exit_code == exitcodes.OK, result.output
        assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
            "networks/hostile.yaml", "networks/images/gate.png", "networks/recurrent.yaml",
        ]
        assert (out / "networks" / "images" / "gate.png").read_bytes() == (bank / "networks" / "images" / "gate.png").read_bytes()
