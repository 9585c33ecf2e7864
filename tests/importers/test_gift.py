"""GIFT import and export: Moodle's grammar, what cannot be carried, and round trips."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbank.bank import split_category
from qbank.exporters.gift import GiftExporter
from qbank.formats.gift import PHP_TRIM
from qbank.grades import moodle_grade
from qbank.importers.gift import GiftImporter
from tests.bankdata import bank_files, bank_from, export_then_import
from tests.strategies import awkward_text, printable_text

# The weight syntax Moodle accepts: giftanswerweightregex in question/format/gift/format.php.
MOODLE_WEIGHT = re.compile(r"^%\-*([0-9]{1,2})\.?([0-9]*)%")


def import_text(tmp_path: Path, text: str, name: str = "quiz.gift"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = GiftImporter().read(path)
    (data,) = result.files.values()
    return data, result


def test_single_answer_with_feedback_general_feedback_id_tags_and_category(tmp_path):
    data, result = import_text(tmp_path, """// exported by Moodle
$CATEGORY: $course$/top/Keras/Recurrent layers

// question: 12  name: Which layer keeps...
// [id:lstm-cell] [tag:lstm] [tag:gates\\]]
::Which layer keeps...::Which layer keeps a cell state?{
\t~GRU#It merges cell and hidden state.
\t=LSTM#Right.
\t####Only the LSTM has a separate cell state.
}
""")
    assert result.notes == [] and result.skipped == []
    assert data["category"] == "Keras/Recurrent layers"
    (question,) = data["questions"]
    assert question["id"] == "lstm-cell"
    assert question["tags"] == ["lstm", "gates]"]
    assert question["stem"] == "Which layer keeps a cell state?\n"
    assert question["options"] == [
        {"text": "GRU", "correct": False, "why": "It merges cell and hidden state."},
        {"text": "LSTM", "correct": True, "why": "Right."},
    ]
    assert question["explanation"] == "Only the LSTM has a separate cell state.\n"


def test_every_escape_is_read(tmp_path):
    data, _ = import_text(tmp_path, r"Escapes \~ \= \# \{ \} \: \\ \n and \(x\){=a\=b\#c ~d\~e#f\}g\\}")
    (question,) = data["questions"]
    assert question["stem"] == "Escapes ~ = # { } : \\ \n and \\(x\\)\n"
    assert [o["text"] for o in question["options"]] == ["a=b#c", "d~e"]
    assert question["options"][1]["why"] == "f}g\\"


@pytest.mark.parametrize("answer,key", [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)])
def test_true_false_and_its_two_feedbacks(tmp_path, answer, key):
    data, result = import_text(tmp_path, f"The sky is blue.{{{answer}#wrong answer chosen#right answer chosen####Physics.}}")
    (question,) = data["questions"]
    assert result.notes == []
    assert question["type"] == "true_false"
    true, false = question["options"]
    assert (true["text"], true["correct"], false["text"], false["correct"]) == ("True", key, "False", not key)
    # Moodle: the first feedback is shown for the wrong answer, the second for the right one.
    assert (true if key else false)["why"] == "right answer chosen"
    assert (false if key else true)["why"] == "wrong answer chosen"
    assert question["explanation"] == "Physics.\n"


def test_format_prefixes_are_removed_and_html_is_kept(tmp_path):
    data, _ = import_text(tmp_path, "[html]<p>Pick <b>one</b></p>{=[markdown]**yes** ~no#[plain]because}")
    (question,) = data["questions"]
    assert question["stem"] == "<p>Pick <b>one</b></p>\n"
    assert question["options"][0]["text"] == "**yes**"
    assert question["options"][1]["why"] == "because"


def test_weights_make_a_multiple_answer_question(tmp_path):
    data, result = import_text(tmp_path, "Which are primes?{~%50%2 ~%50%3#odd ~%-100%4}")
    (question,) = data["questions"]
    assert result.notes == []
    assert question["type"] == "multiple"
    assert [o["correct"] for o in question["options"]] == [True, True, False]


def test_weights_the_model_cannot_express_are_reported_with_their_line(tmp_path):
    data, result = import_text(tmp_path, """Pick one.{
=right
~%50%half right
~%-25%costly
}

Pick some.{
~%70%a
~%30%b
~%0%c
}
""")
    messages = [(n.line, n.message) for n in result.notes]
    assert messages[0][0] == 3 and "50% partial credit" in messages[0][1]
    assert messages[1][0] == 4 and "-25%" in messages[1][1]
    assert messages[2][0] == 7 and "70%, 30%" in messages[2][1]
    assert messages[3][0] == 7 and "the wrong options weigh 0%" in messages[3][1]
    single, multiple = data["questions"]
    assert [o["correct"] for o in single["options"]] == [True, False, False]
    assert [o["correct"] for o in multiple["options"]] == [True, True, False]


def test_unsupported_types_are_skipped_and_listed_with_their_lines(tmp_path):
    data, result = import_text(tmp_path, """::Essay:: Tell me about LSTMs.{}

::Year:: When was the LSTM published?{#1997:1}

::Pairs:: Match.{=LSTM -> 1997 =GRU -> 2014}

::Short:: Name the gated layer.{=LSTM =GRU}

::Lower:: Lowercase true is not true/false to Moodle.{true}

Just a description, no braces.

::Kept:: Which is recurrent?{=LSTM ~Dense}
""")
    assert [q["stem"] for q in data["questions"]] == ["Which is recurrent?\n"]
    where = tmp_path / "quiz.gift"
    assert result.skipped == [
        f"Essay (essay, {where}:1)", f"Year (numerical, {where}:3)", f"Pairs (matching, {where}:5)",
        f"Short (short answer, {where}:7)", f"Lower (short answer, {where}:9)",
        f"Just a description, no braces. (description, {where}:11)",
    ]
    lines = [n.line for n in result.notes if n.message.startswith("skipped")]
    assert lines == [1, 3, 5, 7, 9, 11]


def test_missing_word_questions_keep_their_blank(tmp_path):
    data, _ = import_text(tmp_path, "An LSTM has a {=cell ~kernel} state.")
    assert data["questions"][0]["stem"] == "An LSTM has a _____ state.\n"


def test_a_name_that_is_neither_the_id_nor_the_start_of_the_stem_is_reported(tmp_path):
    _, result = import_text(tmp_path, "::Q7 gates::Which gate forgets?{=forget ~input}\n\n::Which gate::Which gate remembers?{=input ~forget}")
    assert [n.message for n in result.notes] == [
        "the question name 'Q7 gates' is not kept: qbank questions have no name "
        f"(the id is {result.files['quiz.yaml']['questions'][0]['id']!r})"
    ]


def test_an_invalid_id_is_replaced_and_reported(tmp_path):
    data, result = import_text(tmp_path, "// [id:has spaces]\nWhich?{=a ~b}")
    assert data["questions"][0]["id"].startswith("has-spaces-")
    assert "is not a valid qbank id" in result.notes[0].message


def test_detection():
    assert GiftImporter.detect(Path("a.txt"), "Who?{=a ~b}")
    assert GiftImporter.detect(Path("a.txt"), "::T:: Sky is blue {T}")
    assert GiftImporter.detect(Path("a.txt"), "$CATEGORY: x\n")
    assert not GiftImporter.detect(Path("a.txt"), "Who?\nA) a\nB) b\nANSWER: A\n")


# -- export ---------------------------------------------------------------------------------------


def export(data: dict) -> tuple[str, list]:
    result = GiftExporter().export(bank_from(data), "quiz")
    return result.files["quiz.gift.txt"].decode("utf-8"), result.notes


def test_export_writes_moodle_style_gift():
    text, notes = export({
        "category": "Keras/RNN",
        "tags": ["keras"],
        "questions": [{
            "id": "lstm-cell", "tags": ["lstm"], "stem": "Which layer has a `{cell}` state?\n",
            "options": [{"text": "LSTM", "correct": True}, {"text": "GRU", "why": "It has none: h only."}],
            "explanation": "Only the LSTM.\n",
        }],
    })
    assert notes == []
    assert text == (
        "$CATEGORY: Keras/RNN\n\n"
        "// [id:lstm-cell] [tag:keras] [tag:lstm]\n"
        "::lstm-cell::[markdown]Which layer has a `\\{cell\\}` state?{\n"
        "\t=LSTM\n"
        "\t~GRU#It has none\\: h only.\n"
        "\t####Only the LSTM.\n"
        "}\n"
    )


def test_multiple_answer_weights_are_equal_moodle_grades():
    text, _ = export({"questions": [{
        "id": "q", "type": "multiple", "stem": "s", "explanation": "e",
        "options": [{"text": t, "correct": t in "abc", "why": "w"} for t in "abcdefg"],
    }]})
    weights = re.findall(r"^\t~(%[^%]*%)", text, re.MULTILINE)
    assert weights == ["%33.33333%"] * 3 + ["%-25%"] * 4
    for weight in weights:
        assert MOODLE_WEIGHT.match(weight)
        assert moodle_grade(float(weight.strip("%"))) is not None


def test_texts_that_look_like_a_format_or_a_weight_get_an_explicit_format():
    text, _ = export({"questions": [{
        "id": "q", "stem": "s", "explanation": "[e]",
        "options": [{"text": "[html] is a tag", "correct": True}, {"text": "%50% off", "why": "%why"}],
    }]})
    assert "\t=[markdown][html] is a tag\n" in text
    assert "\t~[markdown]%50% off#[markdown]%why\n" in text
    assert "\t####[markdown][e]\n" in text


def test_true_false_feedback_order_follows_moodle():
    text, _ = export({"questions": [{
        "id": "q", "type": "true_false", "stem": "s",
        "options": [{"text": "True", "why": "no"}, {"text": "False", "correct": True, "why": "yes"}],
    }]})
    assert "::q::[markdown]s{FALSE#no#yes}\n" in text


def test_images_and_settings_are_reported_and_too_many_keys_refused():
    result = GiftExporter().export(bank_from({"questions": [
        {"id": "img", "stem": "![cell](images/cell.png)", "difficulty": "easy", "source": "book",
         "options": [{"text": "a", "correct": True}, {"text": "b"}]},
        {"id": "many", "type": "multiple", "stem": "s",
         "options": [{"text": str(i), "correct": True} for i in range(11)] + [{"text": "x"}]},
    ]}), "quiz")
    messages = [(n.question_id, n.severity, n.message) for n in result.notes]
    assert messages[0][:2] == ("img", "warning") and "images/cell.png" in messages[0][2]
    assert messages[1][:2] == ("many", "error") and "11 correct" in messages[1][2]
    assert ("GIFT cannot carry difficulty (1 question: img)") in [m for _, _, m in messages]
    assert "![cell](images/cell.png)" in result.files["quiz.gift.txt"].decode()
    assert "many" not in result.files["quiz.gift.txt"].decode()


# -- round trip -----------------------------------------------------------------------------------

_RESERVED = re.compile("[\0\r\ufdd0-\ufdd7]")
gift_text = st.one_of(awkward_text, printable_text).filter(lambda t: t.strip(PHP_TRIM) and not _RESERVED.search(t))
"""Text that GIFT can carry: it trims every text and writes carriage returns as line breaks; a GIFT
file is text, so no NUL; U+FDD0 to U+FDD7 are reserved by qbank's reader."""


def _trim(text):
    return (text or "").strip(PHP_TRIM) or None


@settings(max_examples=200, deadline=None)
@given(bank_files(gift_text))
def test_export_then_import_gives_back_what_gift_carries(data):
    bank = bank_from(data)
    exported, result = export_then_import(GiftExporter(), GiftImporter(), bank)
    assert exported.refused == []
    assert result.notes == [] and result.skipped == []
    (imported,) = result.files.values()
    by_id = {q["id"]: q for q in imported["questions"]}
    assert list(by_id) == [item.id for item in bank.questions]
    for item in bank.questions:
        original, back = item.question, by_id[item.id]
        assert (back.get("type") or "single") == original.type
        assert _trim(back["stem"]) == _trim(original.stem)
        assert _trim(back["explanation"]) == _trim(original.explanation)
        assert [(_trim(o["text"]), o["correct"], _trim(o["why"])) for o in back["options"]] == [
            (_trim(o.text), o.correct, _trim(o.why)) for o in original.options
        ]
        assert back["tags"] == list(item.tags)
        assert split_category(back.get("category") or imported.get("category") or "") == item.category
