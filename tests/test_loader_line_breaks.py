"""Positions as editors count lines, and characters YAML refuses.

libyaml (YAML 1.1) also ends a line at NEL, LS and PS (U+0085, U+2028, U+2029);
editors and GitHub do not. Every expected position below is counted by hand, as an
editor shows the text next to it.
"""

from __future__ import annotations

import pytest

from qbank.diagnostics import Position
from qbank.loader import load_text
from qbank.reporters.source import printable

AFTER_SEPARATOR = """\
questions:
  - id: q1
    stem: "Which layer{sep}keeps a cell state?"
    explanation: Only the LSTM.
    options:
      - text: LSTM
        correct: true
"""


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"])
def test_positions_after_a_unicode_line_separator_are_the_editors(separator):
    loaded = load_text(AFTER_SEPARATOR.format(sep=separator), "bank.yaml")
    assert not loaded.problems
    source_map = loaded.document.source_map
    assert source_map.values[("questions", 0, "explanation")] == Position(4, 18, 4, 32)
    assert source_map.keys[("questions", 0, "options")] == Position(5, 5, 5, 12)
    assert source_map.values[("questions", 0, "options", 0, "text")].line == 6


@pytest.mark.parametrize("text, wanted", [("(:\u2028!", Position(1, 4)), ("a: [1,\u2028", Position(1, 8))])
def test_a_problem_at_the_end_after_a_separator_is_at_most_one_line_past_the_editors_last(text, wanted):
    # Without a final line end, libyaml counts one more line at the end; after a separator that line
    # was kept in its own numbering (3:1 in a file an editor shows as one line).
    [problem] = load_text(text, "bank.yaml").problems
    assert problem.position == wanted


def test_a_finding_after_a_separator_is_on_the_line_the_author_sees(lint_text):
    text = AFTER_SEPARATOR.format(sep="\u2028") + "        colour: red\n"
    [finding] = [d for d in lint_text(text, select=["QB101"])]
    assert (finding.position.line, finding.position.column) == (8, 9)


def test_a_duplicate_key_after_a_separator_names_the_editors_lines():
    text = AFTER_SEPARATOR.format(sep="\x85").replace("    options:", "    explanation: Twice.\n    options:")
    [problem] = load_text(text, "bank.yaml").problems
    assert problem.kind == "duplicate-key"
    assert problem.position.line == 5
    assert "first at line 4" in problem.message


def test_an_unclosed_quote_is_reported_where_it_opens():
    text = 'questions:\n  - id: q1\n    stem: "Which layer?\n    explanation: x\n'
    [problem] = load_text(text, "bank.yaml").problems
    assert problem.kind == "yaml-syntax"
    assert "never closed" in problem.message
    assert problem.position == Position(3, 11)
    assert "closing quote" in problem.hint


def test_a_control_character_is_named_at_its_place():
    text = "questions:\n  - id: q1\n    stem: Which\x07 layer?\n"
    [problem] = load_text(text, "bank.yaml").problems
    assert problem.kind == "yaml-syntax"
    assert "U+0007" in problem.message
    assert problem.position == Position(3, 16)


@pytest.mark.parametrize("before", ["é", "日本", "😀", "\u00a0\u00a0"])
def test_a_control_character_after_wider_characters_is_placed_by_character_not_byte(before):
    # libyaml reports a reader error at its byte in UTF-8; an editor's column counts characters.
    text = f"questions:\n  - id: q1\n    stem: {before}Which\x07 layer?\n"
    [problem] = load_text(text, "bank.yaml").problems
    assert problem.position == Position(3, 16 + len(before))


def test_source_lines_are_printed_without_control_characters():
    assert printable("stem: a\x1b[31mred") == "stem: a\u241b[31mred"
    assert printable("a\u2028b") == "a\u23ceb"
    assert len(printable("x\x07y")) == 3  # one symbol each, so carets still line up


def test_a_long_source_line_is_shown_around_the_column(tmp_path):
    from click.testing import CliRunner  # noqa: PLC0415

    from qbank.cli import main  # noqa: PLC0415

    long_stem = "word " * 60 + "end"
    bank = tmp_path / "bank.yaml"
    bank.write_text(
        "questions:\n  - id: q1\n    stem: " + long_stem + "\n    explanation: x\n    options:\n"
        "      - text: A\n        correct: true\n      - text: B\n        why: b\n        colour: red\n",
        encoding="utf-8",
    )
    bank.write_text(bank.read_text().replace("    stem:", "    colour: " + "z" * 200 + "\n    stem:"), encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(bank), "--select", "QB101", "--no-cache"])
    excerpt = [line for line in result.output.splitlines() if " | " in line and "colour" in line]
    assert excerpt and all(len(line) < 140 for line in excerpt)
