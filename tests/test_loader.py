"""The loader: exact positions, encodings, unsafe input and YAML 1.1 traps.

Positions are 1-based line and column, columns counted in characters. Every
expected position below is counted by hand from the text next to it.
"""

from __future__ import annotations

import codecs
import tracemalloc
from pathlib import Path

import pytest

from qbank.diagnostics import Position
from qbank.loader import LoadedFile, load_file, load_text
from qbank.validation import validate_file

BLOCK = """\
questions:
  - id: q1
    stem: Which layer keeps a cell state?
    explanation: Only the LSTM.
    options:
      - text: LSTM
        correct: true
      - text: GRU
        why: It merges the states.
"""


def values(text: str):
    loaded = load_text(text, "bank.yaml")
    assert not loaded.problems, loaded.problems
    return loaded.document.source_map.values


def keys(text: str):
    return load_text(text, "bank.yaml").document.source_map.keys


def only_problem(loaded: LoadedFile):
    assert len(loaded.problems) == 1, loaded.problems
    return loaded.problems[0]


def load_bytes(tmp_path: Path, data: bytes) -> LoadedFile:
    path = tmp_path / "bank.yaml"
    path.write_bytes(data)
    return load_file(path)


# -- positions -------------------------------------------------------------


def test_block_style_value_positions():
    v = values(BLOCK)
    assert v[("questions", 0, "id")] == Position(2, 9, 2, 11)
    assert v[("questions", 0, "stem")] == Position(3, 11, 3, 42)
    assert v[("questions", 0, "options", 0, "text")] == Position(6, 15, 6, 19)
    assert v[("questions", 0, "options", 0, "correct")] == Position(7, 18, 7, 22)
    assert v[("questions", 0, "options", 1, "why")] == Position(9, 14, 9, 35)


def test_block_style_key_positions():
    k = keys(BLOCK)
    assert k[("questions",)] == Position(1, 1, 1, 10)
    assert k[("questions", 0, "id")] == Position(2, 5, 2, 7)
    assert k[("questions", 0, "options")] == Position(5, 5, 5, 12)
    assert k[("questions", 0, "options", 1, "why")] == Position(9, 9, 9, 12)


def test_containers_start_at_their_first_item_and_end_after_the_last():
    v = values(BLOCK)
    assert v[("questions", 0)] == Position(2, 5, 10, 1)
    assert v[("questions", 0, "options")] == Position(6, 7, 10, 1)
    assert v[("questions", 0, "options", 1)] == Position(8, 9, 10, 1)


def test_flow_style_positions():
    text = """\
questions:
  - {id: q1, stem: "Which?", options: [{text: LSTM, correct: true}, {text: GRU, why: No gate.}]}
"""
    v, k = values(text), keys(text)
    assert v[("questions", 0)] == Position(2, 5, 2, 97)
    assert v[("questions", 0, "id")] == Position(2, 10, 2, 12)
    assert k[("questions", 0, "stem")] == Position(2, 14, 2, 18)
    assert v[("questions", 0, "stem")] == Position(2, 20, 2, 28)  # the quotes belong to the node
    assert v[("questions", 0, "options")] == Position(2, 39, 2, 96)
    assert v[("questions", 0, "options", 0, "text")] == Position(2, 47, 2, 51)
    assert v[("questions", 0, "options", 1)] == Position(2, 69, 2, 95)
    assert k[("questions", 0, "options", 1, "why")] == Position(2, 81, 2, 84)
    assert v[("questions", 0, "options", 1, "why")] == Position(2, 86, 2, 94)


def test_block_scalar_positions_span_its_lines():
    text = """\
questions:
  - id: q1
    stem: |
      First line.
      Second line.
    options: []
"""
    v = values(text)
    assert v[("questions", 0, "stem")] == Position(3, 11, 6, 1)
    assert v[("questions", 0, "options")] == Position(6, 14, 6, 16)


def test_columns_count_characters_not_bytes():
    v = values("tags: [été, 日本語, x]\nquestions: []\n")
    assert v[("tags", 1)] == Position(1, 13, 1, 16)
    assert v[("tags", 2)] == Position(1, 18, 1, 19)


def test_locate_falls_back_to_the_nearest_ancestor():
    source_map = load_text(BLOCK, "bank.yaml").document.source_map
    assert source_map.locate(("questions", 0, "options", 0, "why")) == Position(6, 9, 8, 7)
    assert source_map.locate(("questions", 0, "options"), on_key=True) == Position(5, 5, 5, 12)
    assert source_map.locate(("nowhere", 3)) == Position(1, 1, 10, 1)


def test_schema_errors_point_at_the_node(tmp_path):
    text = BLOCK.replace("correct: true", "correct: yes").replace("    explanation:", "    explantion:")
    loaded = load_text(text, "bank.yaml")
    validated = validate_file(loaded)
    found = {
        f.message: loaded.document.source_map.locate(f.path, f.on_key) for f in validated.schema_findings
    }
    assert found == {
        "unknown key 'explantion'": Position(4, 5, 4, 15),
        "'correct' must be true or false, not the text 'yes'": Position(7, 18, 7, 21),
    }


# -- encodings and line ends -------------------------------------------------


def test_utf8_with_bom(tmp_path):
    loaded = load_bytes(tmp_path, codecs.BOM_UTF8 + BLOCK.encode("utf-8"))
    assert not loaded.problems
    assert loaded.document.data["questions"][0]["id"] == "q1"
    # The BOM is not a column: the key still starts at column 1.
    assert loaded.document.source_map.keys[("questions",)] == Position(1, 1, 1, 10)
    assert loaded.document.source_map.values[("questions", 0, "stem")] == Position(3, 11, 3, 42)


def test_crlf_line_ends_keep_positions(tmp_path):
    loaded = load_bytes(tmp_path, BLOCK.replace("\n", "\r\n").encode("utf-8"))
    assert not loaded.problems
    v = loaded.document.source_map.values
    assert v[("questions", 0, "stem")] == Position(3, 11, 3, 42)
    assert v[("questions", 0, "options", 1, "why")] == Position(9, 14, 9, 35)
    assert loaded.document.data["questions"][0]["stem"] == "Which layer keeps a cell state?"


def test_crlf_block_scalar_gets_plain_newlines(tmp_path):
    loaded = load_bytes(tmp_path, b"questions: []\r\ntags: []\r\ncategory: |\r\n  a\r\n  b\r\n")
    assert loaded.document.data["category"] == "a\nb\n"


def test_invalid_utf8_at_the_bad_byte(tmp_path):
    loaded = load_bytes(tmp_path, b"questions:\n  - id: q1\n    stem: na\xc3\xafve caf\xe9\n")
    problem = only_problem(loaded)
    assert loaded.document is None
    assert problem.kind == "unreadable"
    assert problem.message == "invalid UTF-8: byte 0xe9 cannot be decoded"
    # "    stem: naïve caf" is 19 characters (ï is two bytes, one character).
    assert problem.position == Position(3, 20)


@pytest.mark.parametrize("breaks", ["\r", "\r\n", "\r\r\n", "\n\r"])
@pytest.mark.parametrize("bad", [b"\0", b"\xe9"])
def test_an_unreadable_byte_is_on_the_line_an_editor_shows_after_any_line_ends(tmp_path, breaks, bad):
    # Editors end a line at LF, CRLF or a lone CR; counting LF only put the problem lines too early.
    lines = breaks.count("\r") + breaks.count("\n") - breaks.count("\r\n")
    problem = only_problem(load_bytes(tmp_path, b"questions: []" + breaks.encode() + b"tags: [" + bad + b"]\n"))
    assert problem.position == Position(1 + lines, 8)


def test_latin1_file_on_the_first_line(tmp_path):
    problem = only_problem(load_bytes(tmp_path, "tags: [é]\nquestions: []\n".encode("latin-1")))
    assert problem.position == Position(1, 8)


def test_binary_junk_at_the_nul_byte(tmp_path):
    problem = only_problem(load_bytes(tmp_path, b"questions: []\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert problem.kind == "unreadable"
    assert "binary file" in problem.message
    assert problem.position == Position(4, 1)  # lines end at \n only


def test_utf16_is_named(tmp_path):
    problem = only_problem(load_bytes(tmp_path, BLOCK.encode("utf-16")))
    assert problem.message == "the file is UTF-16; qbank reads UTF-8"
    assert problem.position == Position(1, 1)


@pytest.mark.parametrize("data", [b"", b"\n\n", b"  \t\n", codecs.BOM_UTF8])
def test_empty_file(tmp_path, data):
    problem = only_problem(load_bytes(tmp_path, data))
    assert problem.kind == "unreadable"
    assert problem.message == "the file is empty"
    assert problem.position == Position(1, 1)


def test_unreadable_path_is_a_problem_not_an_exception(tmp_path):
    loaded = load_file(tmp_path / "missing.yaml")
    problem = only_problem(loaded)
    assert problem.kind == "unreadable"
    assert "cannot read the file" in problem.message


# -- shapes and YAML features ------------------------------------------------


@pytest.mark.parametrize(
    "text, described, position",
    [
        ("- id: q1\n- id: q2\n", "not a list", Position(1, 1, 3, 1)),
        ("just text\n", "not the text 'just text'", Position(1, 1, 1, 10)),
        ("42\n", "not the number 42", Position(1, 1, 1, 3)),
        ("# only a comment\n", "not nothing (null)", Position(1, 1)),
    ],
)
def test_wrong_root_type(text, described, position):
    loaded = load_text(text, "bank.yaml")
    assert not loaded.problems
    validated = validate_file(loaded)
    [finding] = validated.schema_findings
    assert finding.message == f"a bank file must be a mapping with a questions: list, {described}"
    assert loaded.document.source_map.locate(finding.path) == position
    assert validated.questions == []


def test_duplicate_key_is_reported_and_the_first_value_kept():
    loaded = load_text("questions: []\ntags: [first]\ntags: [second]\n", "bank.yaml")
    problem = only_problem(loaded)
    assert problem.kind == "duplicate-key"
    assert problem.message.startswith("duplicate key 'tags' (first at line 2)")
    assert problem.position == Position(3, 1, 3, 5)
    assert loaded.document.data["tags"] == ["first"]
    assert loaded.document.source_map.values[("tags",)].line == 2


def test_billion_laughs_is_refused_cleanly():
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    text = "\n".join(levels) + "\nquestions: *i\n"
    tracemalloc.start()
    try:
        loaded = load_text(text, "bank.yaml")
        validate_file(loaded)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    problem = only_problem(loaded)
    assert problem.kind == "unsafe-yaml"
    assert "aliases expand to more than 10,000 nodes" in problem.message
    assert problem.position.line == 4  # stops where the limit is crossed, not at the end
    assert loaded.document.data is None
    assert peak < 5_000_000, f"loading took {peak:,} bytes"


def test_modest_aliases_are_fine():
    text = "questions: []\ntags: &t [a, b]\ncategory: &c Keras\nlint: {ignore: [QB1]}\nx: *t\ny: *c\n"
    loaded = load_text(text, "bank.yaml")
    assert not loaded.problems
    assert loaded.document.data["x"] == ["a", "b"]
    assert loaded.document.data["y"] == "Keras"


@pytest.mark.parametrize(
    "text, position",
    [
        ("questions: !!python/object/apply:os.system [ls]\n", Position(1, 12)),
        ("questions:\n  - !!python/object:builtins.dict {id: q1}\n", Position(2, 5)),
        ("questions:\n  - id: !!python/name:os.system ''\n", Position(2, 9, 2, 35)),
    ],
)
def test_python_tags_are_refused(text, position):
    loaded = load_text(text, "bank.yaml")
    problem = only_problem(loaded)
    assert problem.kind == "unsafe-yaml"
    assert "tag:yaml.org,2002:python/" in problem.message
    assert problem.position == position
    assert loaded.document.data is None


def test_multiple_documents_are_refused():
    loaded = load_text("questions: []\n---\nquestions: []\n", "bank.yaml")
    problem = only_problem(loaded)
    assert problem.kind == "yaml-syntax"
    assert problem.message == "a second YAML document (---) in one file"
    assert problem.position == Position(2, 1)


def test_syntax_error_position():
    loaded = load_text("questions:\n  - id: q1\n    stem: Which layer: the first?\n", "bank.yaml")
    problem = only_problem(loaded)
    assert problem.kind == "yaml-syntax"
    assert problem.position == Position(3, 22)
    assert loaded.document.data is None


# -- YAML 1.1 traps ----------------------------------------------------------

TRAPS = """\
questions:
  - id: 2024-01-01
    stem: Which of these does YAML 1.1 read as something other than text?
    explanation: All of them but the quoted one.
    type: multiple
    options:
      - text: No
        correct: true
      - text: off
        correct: true
      - text: 1.10
        correct: true
      - text: 2024-01-01
        correct: true
      - text: "1.10"
        why: Quoted, so every reader keeps it as text.
      - text: Yes
        correct: true
      - text: 0o17
        correct: true
"""


def test_yaml_1_1_traps_stay_text_in_the_model():
    validated = validate_file(load_text(TRAPS, "bank.yaml"))
    assert not validated.schema_findings
    [(_, question)] = validated.questions
    assert question.id == "2024-01-01"
    assert [o.text for o in question.options] == ["No", "off", "1.10", "2024-01-01", "1.10", "Yes", "0o17"]
    assert all(isinstance(o.text, str) for o in question.options)


def test_yaml_1_1_traps_are_noted_for_qb005():
    validated = validate_file(load_text(TRAPS, "bank.yaml"))
    noted = {f.evidence["written"]: f.evidence["other_readers_see"] for f in validated.scalar_findings}
    assert noted == {
        "2024-01-01": "a date",  # the id, and option D: one entry per text
        "No": "a boolean",
        "off": "a boolean",
        "1.10": "a number",
        "Yes": "a boolean",
        "0o17": "a number",
    }
    assert len(validated.scalar_findings) == 7


def test_non_text_fields_use_yaml_1_2():
    text = "questions:\n  - {id: q1, stem: s, points: 1.50, shuffle: false, options: [{text: a, correct: true}]}\n"
    [(_, question)] = validate_file(load_text(text, "bank.yaml")).questions
    assert question.points == 1.5
    assert question.shuffle is False
    assert question.options[0].correct is True


def test_yes_is_not_a_boolean_in_yaml_1_2():
    loaded = load_text("questions:\n  - {id: q1, stem: s, options: [{text: a, correct: yes}]}\n", "bank.yaml")
    assert loaded.document.data["questions"][0]["options"][0]["correct"] == "yes"
