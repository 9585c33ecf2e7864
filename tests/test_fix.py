"""qbank lint --fix and --diff: safe fixes that keep comments and layout, written atomically."""

from __future__ import annotations

from click.testing import CliRunner

from qbank.cli import main

BANK = """\
# A comment that must survive
questions:
  - id: q1   # an inline comment too
    type: true_false
    stem: "An LSTM keeps a cell state.   "
    explanation: |
      The cell state carries long-term memory.
    options:
      - text: false
        why: It does keep one.
      - text: TRUE
        correct: true
  - id: q2
    stem: Is padding applied before the sequence by default?
    explanation: pad_sequences pads at the start by default.
    options:
      - text: Yes
        correct: true
      - text: "No "
        why: The default is padding="pre".
      - text: 1.10
        why: A version number, not a padding side.
"""
FIXED = """\
# A comment that must survive
questions:
  - id: q1   # an inline comment too
    type: true_false
    stem: "An LSTM keeps a cell state."
    explanation: |
      The cell state carries long-term memory.
    options:
      - text: "True"
        correct: true
      - text: "False"
        why: It does keep one.
  - id: q2
    stem: Is padding applied before the sequence by default?
    explanation: pad_sequences pads at the start by default.
    options:
      - text: "Yes"
        correct: true
      - text: "No"
        why: The default is padding="pre".
      - text: "1.10"
        why: A version number, not a padding side.
"""


def lint(tmp_path, monkeypatch, text, *args):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bank.yaml").write_text(text, encoding="utf-8", newline="")
    return CliRunner().invoke(main, ["lint", "bank.yaml", *args], catch_exceptions=False)


def test_diff_shows_the_fixes_and_writes_nothing(tmp_path, monkeypatch):
    outcome = lint(tmp_path, monkeypatch, BANK, "--diff")
    assert outcome.exit_code == 1
    assert '-      - text: Yes\n+      - text: "Yes"\n' in outcome.stdout
    assert '-    stem: "An LSTM keeps a cell state.   "\n+    stem: "An LSTM keeps a cell state."\n' in outcome.stdout
    assert "(nothing written)" in outcome.stderr
    assert (tmp_path / "bank.yaml").read_text(encoding="utf-8") == BANK


def test_fix_rewrites_in_place_keeping_comments_and_layout(tmp_path, monkeypatch):
    outcome = lint(tmp_path, monkeypatch, BANK, "--fix")
    assert (tmp_path / "bank.yaml").read_text(encoding="utf-8") == FIXED
    assert "fixed 7 problems in 1 file" in outcome.stderr
    assert outcome.exit_code == 0
    assert "0 errors, 0 warnings, 0 infos" in outcome.stdout
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_fix_is_idempotent_and_diff_then_finds_nothing(tmp_path, monkeypatch):
    lint(tmp_path, monkeypatch, BANK, "--fix")
    again = CliRunner().invoke(main, ["lint", "bank.yaml", "--diff"])
    assert again.exit_code == 0 and again.stdout == ""
    assert "0 fixes in 0 files" in again.stderr


def test_fix_reports_what_remains(tmp_path, monkeypatch):
    text = BANK.replace("        correct: true\n  - id: q2", "  - id: q2").replace("      - text: TRUE\n", "      - text: TRUE\n        why: x\n")
    outcome = lint(tmp_path, monkeypatch, text, "--fix")
    assert "QB105 error a true/false question needs exactly one correct option, not 0" in outcome.stdout
    assert outcome.exit_code == 1
    after = (tmp_path / "bank.yaml").read_text(encoding="utf-8")
    assert '- text: "TRUE"' in after and '- text: "false"' in after  # quoted, but with no key the options stay as written


def test_fix_only_selected_and_unsuppressed_findings(tmp_path, monkeypatch):
    text = BANK.replace("  - id: q2\n", "  - id: q2\n    lint: {ignore: [QB007]}\n")
    lint(tmp_path, monkeypatch, text, "--fix", "--select", "QB007")
    after = (tmp_path / "bank.yaml").read_text(encoding="utf-8")
    assert 'stem: "An LSTM keeps a cell state."' in after
    assert '- text: "No "' in after  # suppressed in q2
    assert "- text: Yes" in after  # QB005 was not selected


def test_files_the_editor_would_reformat_are_left_alone(tmp_path, monkeypatch):
    outcome = lint(tmp_path, monkeypatch, BANK.replace("\n", "\r\n"), "--fix")
    assert "not rewritten: the YAML editor would change its layout" in outcome.stderr
    assert (tmp_path / "bank.yaml").read_bytes() == BANK.replace("\n", "\r\n").encode("utf-8")


def test_byte_order_mark_is_kept(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bank.yaml").write_bytes(b"\xef\xbb\xbf" + BANK.encode("utf-8"))
    CliRunner().invoke(main, ["lint", "bank.yaml", "--fix"], catch_exceptions=False)
    assert (tmp_path / "bank.yaml").read_bytes() == b"\xef\xbb\xbf" + FIXED.encode("utf-8")


def test_a_file_the_editor_warns_about_is_left_alone_with_the_warning_in_the_note(tmp_path, monkeypatch):
    """An anchor defined twice is valid YAML (an alias takes the last one), but ruamel.yaml warns and would
    not write it back as it was: the note says so with the lines, and no Python warning reaches the user."""
    text = BANK.replace("    explanation: pad_sequences", "    tags: &t [padding]\n    explanation: pad_sequences").replace(
        "    explanation: |", "    tags: &t [lstm]\n    explanation: |"
    )
    outcome = lint(tmp_path, monkeypatch, text, "--fix")
    assert outcome.exit_code == 0
    assert "bank.yaml: not rewritten: the YAML editor warns \"found duplicate anchor 't'\" (lines 6, 16); fix it by hand" in outcome.stderr
    assert "Warning" not in outcome.stderr and "ruamel" not in outcome.stderr
    assert (tmp_path / "bank.yaml").read_text(encoding="utf-8") == text


def test_a_file_the_editor_cannot_read_is_left_alone_with_a_note(tmp_path, monkeypatch):
    # A duplicate key made ruamel.yaml raise while guessing the indentation, before the guarded load.
    text = BANK.replace("  - id: q2\n", "  - id: q2\n    stem: A second stem\n")
    outcome = lint(tmp_path, monkeypatch, text, "--fix")
    assert outcome.exit_code == 1
    assert "bank.yaml: not rewritten: the YAML editor cannot read it (DuplicateKeyError); fix this file's errors first" in outcome.stderr
    assert "QB003 error duplicate key 'stem'" in outcome.stdout
    assert (tmp_path / "bank.yaml").read_text(encoding="utf-8") == text
