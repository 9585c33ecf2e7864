"""Moodle XML import on files shaped the way Moodle 4.x and 5.x export them.

The fixtures in tests/data/moodle/ follow ``qformat_xml::writequestion`` in moodle/moodle
``question/format/xml/format.php``: a ``<!-- question: N  -->`` comment before each question,
category pseudo-questions with ``<info>`` and ``<idnumber>``, texts in CDATA only when they hold
markup (``xml_escape``), ``<file name path encoding="base64">`` inside the text element, fractions
as PHP prints them (``100``, ``-100``, ``33.33333``), ``<shownumcorrect/>``,
``<showstandardinstruction>``, tags as ``<tag><text>…</text>\\n</tag>``, and essay, shortanswer and
multianswer questions. Moodle 5 keeps shared banks in module contexts (``$module$/top/…``).
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from qbank.exporters.moodle import MoodleExporter
from qbank.importers.moodle import MoodleImporter
from qbank.importers.safe_xml import HostileXml, parse
from tests.bankdata import bank_from, export_then_import, loaded

DATA = Path(__file__).resolve().parents[1] / "data" / "moodle"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108020000009077")


def read(name: str):
    result = MoodleImporter().read(DATA / name)
    (data,) = result.files.values()
    return data, result


def by_id(data: dict) -> dict:
    return {q["id"]: q for q in data["questions"]}


def notes_at(result, line: int) -> list[str]:
    return [n.message for n in result.notes if n.line == line]


@pytest.fixture(scope="module")
def course():
    return read("moodle4-course.xml")


def test_categories_become_levels_without_context_and_top(course):
    data, _ = course
    questions = by_id(data)
    # "RNN//LSTM basics" is one level holding a slash, which qbank writes // as well.
    assert questions["lstm-forget"]["category"] == "Default for SENT101/RNN//LSTM basics"
    assert questions["gru-cell"]["category"] == "Default for SENT101/Essays"


def test_other_contexts_and_the_form_without_top():
    data, _ = read("moodle-grades-and-contexts.xml")
    assert [q["category"] for q in data["questions"]] == ["Quiz 1 bank/Week 1", "Shared", "Old category/Sub"]


def test_single_answer_question_with_feedback_tags_points_and_html_to_markdown(course):
    data, _ = course
    question = by_id(data)["lstm-forget"]
    assert question["tags"] == ["lstm", "gates"] and question["points"] == 2.0 and question["shuffle"] is True
    assert question["stem"] == (
        "Which gate decides what the **cell state** forgets?\n\n"
        '<img src="images/gate-diagram.png" alt="LSTM cell" width="120" height="80">\n'
    )
    assert question["options"] == [
        {"text": "The forget gate", "correct": True, "why": "Yes: it multiplies the old cell state."},
        {"text": "The input gate", "correct": False, "why": "It decides what is **written**, not what is kept."},
        {"text": "The output gate", "correct": False, "why": "It filters the hidden state."},
    ]
    # Math is kept exactly (no \_ escapes inside it); the list becomes a Markdown list.
    assert question["explanation"] == (
        "The forget gate \\(f_t = \\sigma(W_f x_t + U_f h_{t-1})\\) scales the cell state.\n\n"
        "- input gate: what to write\n- output gate: what to show\n"
    )


def test_embedded_file_is_written_beside_the_bank_file_and_linked(course):
    _, result = course
    assert list(result.assets) == ["images/gate-diagram.png"]
    assert result.assets["images/gate-diagram.png"].startswith(PNG[:8])


def test_multiple_answer_with_equal_shares_and_a_generated_id(course):
    data, result = course
    (question,) = [q for q in data["questions"] if q["id"].startswith("which-of-these-are-recurrent-layers-")]
    assert question["type"] == "multiple" and question["shuffle"] is False
    assert [o["correct"] for o in question["options"]] == [True, True, False]
    assert not [n for n in result.notes if "weigh" in n.message]  # 50/50/-100 is qbank's own grading


def test_truefalse_in_moodle_auto_format(course):
    data, _ = course
    question = by_id(data)["gru-cell"]
    assert question["type"] == "true_false"
    assert question["options"] == [
        {"text": "True", "correct": False, "why": "No: that is the LSTM."},
        {"text": "False", "correct": True, "why": "Right."},
    ]
    assert question["stem"] == "A GRU keeps a separate cell state.\\\nIt has two gates.\n"  # a kept line break


def test_other_types_are_skipped_and_listed_by_name_type_and_line(course):
    _, result = course
    source = str(DATA / "moodle4-course.xml")
    assert result.skipped == [
        f"Explain vanishing gradients (essay, {source}:131)",
        f"Name the gated cell (shortanswer, {source}:163)",
    ]
    assert notes_at(result, 131) == ["skipped essay question 'Explain vanishing gradients': qbank has only multichoice and truefalse questions"]


def test_what_is_lost_is_reported_with_its_line(course):
    _, result = course
    assert "the question name 'LSTM gates' is not kept" in notes_at(result, 16)[0]
    assert "hidden in Moodle" in notes_at(result, 28)[0]
    assert "answernumbering ABCD is not kept" in notes_at(result, 32)[0]
    assert "showstandardinstruction 0" in notes_at(result, 33)[0]
    assert "the incorrectfeedback 'Review the LSTM lecture.' is not kept" in notes_at(result, 40)[0]
    assert "description of category" in notes_at(result, 8)[0] and "idnumber 'rnn-cat'" in notes_at(result, 11)[0]
    # Settings equal to what qbank's export writes are not reported: penalty 0.3333333, the default
    # combined feedback, shownumcorrect, a name equal to the question text.
    assert not notes_at(result, 29) and not notes_at(result, 34) and not notes_at(result, 64)


def test_a_styled_span_keeps_its_text_as_html_and_says_why(course):
    data, result = course
    (question,) = [q for q in data["questions"] if q.get("type") == "multiple"]
    assert question["options"][2]["why"] == '<p>A <span style="color: #e03e2d;">Dense</span> layer has no state.</p>'
    (message,) = notes_at(result, 113)
    assert 'Markdown cannot say the attribute style="color: #e03e2d;" on <span>' in message


def test_grades_the_model_cannot_express_and_other_losses():
    data, result = read("moodle-grades-and-contexts.xml")
    half, unequal, old = data["questions"]
    assert [o["correct"] for o in half["options"]] == [True, False, False]
    assert "option 'tanh' gives 50% partial credit" in notes_at(result, 44)[0]
    assert [o["correct"] for o in unequal["options"]] == [True, True, False]
    assert any("the correct options weigh 70%, 30%" in m for m in notes_at(result, 67))
    assert "the penalty 0.5000000 is not kept" in notes_at(result, 26)[0]
    assert "a hint is not kept" in notes_at(result, 50)[0]
    assert "shownumcorrect is off" in notes_at(result, 15)[0]
    assert half["id"].startswith("has-spaces-") and "not a valid qbank id" in notes_at(result, 28)[0]
    # plain_text shows its characters as they are; markdown is taken as it is.
    assert half["stem"] == "Which is \\*the\\* activation of an LSTM gate? 1\\. think\n"
    assert half["explanation"] == "Gates use the **sigmoid**.\n"
    assert unequal["stem"].startswith('<table border="1">')
    assert [o["correct"] for o in old["options"]] == [True, False]
    assert "'Wahr' is neither true nor false" in notes_at(result, 140)[0]
    assert result.skipped == [f"Cloze (multianswer, {DATA / 'moodle-grades-and-contexts.xml'}:110)"]


@pytest.mark.parametrize("name", ["entity-bomb.xml", "external-entity.xml"])
def test_hostile_xml_is_refused_quickly_without_network(name, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the parser tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    started = time.perf_counter()
    result = MoodleImporter().read(DATA / name)
    assert time.perf_counter() - started < 5  # a generous guard: an expanded bomb takes minutes and gigabytes
    (note,) = result.notes
    assert note.severity == "error" and note.line == 2
    assert "declares a DOCTYPE" in note.message and result.files == {}


def test_malformed_xml_is_an_error_with_its_place(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("<quiz>\n  <question type='multichoice'>\n</quiz>\n", encoding="utf-8")
    (note,) = MoodleImporter().read(path).notes
    assert (note.severity, note.line) == ("error", 3) and "not well-formed" in note.message
    with pytest.raises(HostileXml):
        parse(b"<a>&undefined;</a>")


def test_grades_that_are_no_finite_numbers_are_reported_and_read_as_the_default(tmp_path):
    # float("abc") raised ValueError through the importer; "1e400", "inf" and "nan" became an infinite
    # or NaN grade that the bank file then refused (points: .inf).
    path = tmp_path / "odd.xml"
    path.write_text(
        "<quiz>\n<question type='multichoice'><questiontext><text>Stem?</text></questiontext>\n"
        "<defaultgrade>abc</defaultgrade>\n<penalty>nan</penalty>\n"
        "<answer fraction='100'><text>a</text></answer>\n<answer fraction='1e400'><text>b</text></answer>\n"
        "<answer fraction='nan'><text>c</text></answer>\n</question>\n"
        "<question type='truefalse'><questiontext><text>True?</text></questiontext>\n<defaultgrade>-inf</defaultgrade>\n"
        "<answer fraction='x'><text>true</text></answer>\n<answer fraction='0'><text>false</text></answer>\n</question>\n</quiz>\n",
        encoding="utf-8",
    )
    result = MoodleImporter().read(path)
    odd = [(n.line, n.message) for n in result.notes if "is not a finite number" in n.message]
    assert odd == [
        (3, "the default mark 'abc' is not a finite number; it was read as 1"),
        (4, "the penalty 'nan' is not a finite number; it was read as 0.3333333"),
        (6, "the fraction of answer 2 '1e400' is not a finite number; it was read as 0"),
        (7, "the fraction of answer 3 'nan' is not a finite number; it was read as 0"),
        (10, "the default mark '-inf' is not a finite number; it was read as 1"),
        (11, "the fraction of the true answer 'x' is not a finite number; it was read as 0"),
    ]
    (data,) = result.files.values()
    assert [q.get("points", 1.0) for q in data["questions"]] == [1.0, 1.0]
    assert [o["correct"] for o in data["questions"][0]["options"]] == [True, False, False]


def test_a_root_other_than_quiz_is_refused(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text("<assessment/>", encoding="utf-8")
    (note,) = MoodleImporter().read(path).notes
    assert note.severity == "error" and "root element is <assessment>" in note.message


def test_detection():
    assert MoodleImporter.detect(Path("x.xml"), '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<!-- question: 0  -->')
    assert MoodleImporter.detect(Path("x"), "<quiz>")
    assert MoodleImporter.detect(Path("x.txt"), '\ufeff<?xml version="1.0"?>\n<quiz>')
    assert not MoodleImporter.detect(Path("x.xml"), '<?xml version="1.0"?><questestinterop>')


# -- qbank's own export ---------------------------------------------------------------------------


QUESTION = {
    "id": "q1", "stem": "Pick `a_b` and *this*:\n\n- one\n- two\n", "difficulty": "hard", "source": "Book",
    "options": [{"text": "a_b", "correct": True}, {"text": "c", "why": "No."}], "explanation": "E\n",
}


def test_our_export_comes_back_exactly_and_without_notes():
    data = {"category": "A//B", "tags": ["t"], "questions": [QUESTION]}
    _, result = export_then_import(MoodleExporter(), MoodleImporter(), bank_from(data))
    assert result.notes == []
    assert loaded(result.files["bank.yaml"]) == loaded(data)


def test_a_question_changed_in_moodle_is_read_from_the_xml_and_reported(tmp_path):
    exported = MoodleExporter().export(bank_from({"questions": [QUESTION]}), "bank").files["bank.moodle.xml"]
    path = tmp_path / "bank.moodle.xml"
    path.write_bytes(exported.replace(b"<p>No.</p>", b"<p>No, edited in Moodle.</p>"))
    result = MoodleImporter().read(path)
    (data,) = result.files.values()
    (question,) = data["questions"]
    assert question["options"][1]["why"] == "No, edited in Moodle."
    assert "difficulty" not in question and "source" not in question
    assert any("changed after qbank exported it" in n.message for n in result.notes)


def test_without_the_source_comment_html_becomes_markdown():
    exporter = MoodleExporter({"source_comment": False})
    _, result = export_then_import(exporter, MoodleImporter(), bank_from({"questions": [QUESTION]}))
    (data,) = result.files.values()
    (question,) = data["questions"]
    assert question["stem"] == "Pick `a_b` and *this*:\n\n- one\n- two\n"
    assert question["options"][0] == {"text": "a\\_b", "correct": True, "why": None}
    assert data["category"] == "bank/bank" and result.notes == []


def test_a_source_comment_naming_a_file_outside_the_output_is_not_followed(tmp_path):
    exported = MoodleExporter().export(bank_from({"questions": [QUESTION]}), "bank").files["bank.moodle.xml"]
    path = tmp_path / "bank.moodle.xml"
    path.write_bytes(exported.replace(b'"file":"bank.yaml"', b'"file":"../../etc/x.yaml"'))
    result = MoodleImporter().read(path)
    assert list(result.files) == ["bank.yaml"]  # the source's own name, not the comment's
    assert any("not a .yaml file inside the output folder" in n.message for n in result.notes)
