"""Aiken import and export, after Moodle's reader (question/format/aiken/format.php)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given, settings

from qbank.exporters.aiken import AikenExporter
from qbank.formats import aiken
from qbank.formats.gift import PHP_TRIM
from qbank.importers.aiken import AikenImporter
from tests.bankdata import bank_files, bank_from, export_then_import
from tests.strategies import printable_text


def import_text(tmp_path: Path, text: str):
    path = tmp_path / "quiz.txt"
    path.write_text(text, encoding="utf-8")
    result = AikenImporter().read(path)
    (data,) = result.files.values()
    return data["questions"], result


def test_options_with_dot_or_parenthesis_and_the_answer_line(tmp_path):
    questions, result = import_text(tmp_path, """Which layer keeps a cell state?
A. GRU
B) LSTM
C)Dense
ANSWER: B

Which activation suits a binary output?
A) softmax
B) sigmoid
ANSWER:   B
""")
    assert result.notes == [] and result.skipped == []
    first, second = questions
    assert first["stem"] == "Which layer keeps a cell state?\n"
    assert first["options"] == [
        {"text": "GRU", "correct": False}, {"text": "LSTM", "correct": True}, {"text": "Dense", "correct": False},
    ]
    assert [o["correct"] for o in second["options"]] == [False, True]


def test_broken_questions_are_skipped_and_reported_with_their_lines(tmp_path):
    questions, result = import_text(tmp_path, """No answer line here
A) one
B) two

Answer out of range
A) one
B) two
ANSWER: D

Only one option
A) one
ANSWER: A

Fine one
A) yes
B) no
ANSWER: A
""")
    assert [q["stem"] for q in questions] == ["Fine one\n"]
    assert [n.line for n in result.notes] == [5, 8, 12]
    assert "a new question starts before its ANSWER: line" in result.notes[0].message
    assert "the answer 'D' is not one of its options A, B" in result.notes[1].message
    assert "fewer than two options" in result.notes[2].message
    assert len(result.skipped) == 3


def test_a_stem_over_several_lines_is_kept_and_reported(tmp_path):
    questions, result = import_text(tmp_path, "First line\nsecond line\nA) a\nB) b\nANSWER: A\n")
    assert questions[0]["stem"] == "First line\nsecond line\n"
    assert "spans 2 lines" in result.notes[0].message


def test_detection():
    assert AikenImporter.detect(Path("q.txt"), "Q?\nA) a\nB) b\nANSWER: A\n")
    assert not AikenImporter.detect(Path("q.txt"), "Question\nQ?\nA. a\nB. b\nAnswer\nA. a\n")


def export(questions: list[dict]):
    result = AikenExporter().export(bank_from({"questions": questions}), "quiz")
    return result.files["quiz.aiken.txt"].decode("utf-8"), result.notes


def test_export_writes_what_moodle_reads_and_reports_each_loss():
    text, notes = export([
        {"id": "one", "stem": "Which layer\nkeeps a cell state?", "explanation": "LSTM.",
         "options": [{"text": "LSTM", "correct": True}, {"text": "GRU", "why": "No cell state."}]},
        {"id": "many", "type": "multiple", "stem": "Pick two", "explanation": "e",
         "options": [{"text": "a", "correct": True}, {"text": "b", "correct": True}, {"text": "c", "why": "w"}]},
        {"id": "tf", "type": "true_false", "stem": "Sky is blue.\n\n![sky](sky.png)",
         "options": [{"text": "True", "correct": True}, {"text": "False", "why": "It is."}]},
        {"id": "letter", "stem": "A. Which looks like an option?",
         "options": [{"text": "a", "correct": True}, {"text": "b"}]},
    ])
    assert text == (
        "Which layer keeps a cell state?\nA) LSTM\nB) GRU\nANSWER: A\n\n"
        "Sky is blue. ![sky](sky.png)\nA) True\nB) False\nANSWER: A\n"
    )
    by_id = {n.question_id: n.message for n in notes}
    assert by_id["one"] == "Aiken cannot carry the explanation; 1 why"
    assert by_id["many"].startswith("skipped: Aiken has only single-answer questions")
    assert by_id["tf"] == (
        "Aiken cannot carry the layout of the question text (paragraphs, lists or code joined into one line); "
        "the true/false type (written as a two-option question); 1 why; "
        "images (sky.png; the Markdown reference is kept as text)"
    )
    assert by_id["letter"].startswith("skipped: the question text 'A. Which looks like an option?' would be read as an option")
    assert by_id[None].startswith("Aiken carries no ids, tags or categories")


one_line = printable_text.map(lambda t: " ".join(t.replace("\r", " ").split("\n")).strip(PHP_TRIM)).filter(
    lambda t: len(t) >= aiken.MIN_LINE
)


@settings(max_examples=200, deadline=None)
@given(bank_files(one_line, multiple=False, true_false=False, with_whys=False))
def test_export_then_import_gives_back_single_answer_questions(data):
    for question in data["questions"]:
        assume(not aiken.OPTION.match(question["stem"]) and not aiken.ANSWER.match(question["stem"]))
    bank = bank_from(data)
    exported, result = export_then_import(AikenExporter(), AikenImporter(), bank)
    assert [n for n in exported.notes if n.question_id] == []
    assert result.notes == [] and result.skipped == []
    (imported,) = result.files.values()
    assert len(imported["questions"]) == len(bank.questions)
    for item, back in zip(bank.questions, imported["questions"]):
        assert back["stem"].strip(PHP_TRIM) == item.question.stem.strip(PHP_TRIM)
        assert [(o["text"], o["correct"]) for o in back["options"]] == [
            (o.text.strip(PHP_TRIM), o.correct) for o in item.question.options
        ]
