"""Moodle's import rules, encoded here because Moodle (PHP) cannot run in the suite.

Sources, all in moodle/moodle:
- ``question/engine/bank.php``, ``question_bank::fraction_options_full()``: the allowed grades;
  ``question/format.php`` refuses a question whose fraction is not within 0.001 of one.
- ``question/format/xml/format.php``: ``import_multichoice`` (``<single>`` defaults to true,
  ``<shuffleanswers>`` to false, ``trans_single``), ``import_truefalse`` (answers matched on the
  literal texts ``true``/``false``), ``import_headers`` (``<name>`` required), ``xml_escape``
  (``]]>`` split across CDATA sections), ``import_text_with_files`` (``<file>`` inside the text element).
- ``question/format.php``, ``assemble_category_path`` / ``split_category_path``: ``/`` in a name is ``//``.
"""

from __future__ import annotations

import base64
import re

import pytest
from lxml import etree

from qbank.bank import split_category
from qbank.exporters import export_bank
from qbank.exporters.media import Media
from qbank.exporters.moodle import MoodleExporter, _fragment, _streamed, category_path, plain_name
from qbank.exporters.parallel import each_question
from qbank.grades import MOODLE_GRADES, NoExactGrade, format_fraction, option_fractions
from tests.exporters.conftest import FIXTURE, SAMPLE, export, load, write_bank

STRICT = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, STRICT)


def questions(root, qtype=None):
    return [q for q in root.iter("question") if q.get("type") != "category" and (qtype is None or q.get("type") == qtype)]


def split_moodle_path(path: str) -> list[str]:
    """Moodle's split_category_path: split on a single /, then // becomes /, trimmed."""
    return [name.replace("//", "/").strip() for name in re.split(r"(?<!/)/(?!/)", path)]


@pytest.fixture(scope="module", params=["fixture", "sample"])
def document(request):
    path = FIXTURE if request.param == "fixture" else SAMPLE
    if not path.is_dir():
        pytest.skip("banks/ is not in this checkout")
    return parse(export(path, "moodle", name="bank"))


def test_parses_under_a_strict_parser(document):
    assert document.tag == "quiz"


def test_every_fraction_is_an_allowed_grade_with_five_decimals(document):
    fractions = [a.get("fraction") for a in document.iter("answer")]
    assert fractions
    for fraction in fractions:
        assert re.fullmatch(r"-?\d+\.\d{5}", fraction), fraction
        assert any(abs(abs(float(fraction)) - grade) <= 0.001 for grade in MOODLE_GRADES), fraction


def test_single_answer_questions_have_exactly_one_100(document):
    singles = [q for q in questions(document, "multichoice") if q.findtext("single") == "true"]
    assert singles
    for question in singles:
        assert [float(a.get("fraction")) for a in question.iter("answer")].count(100.0) == 1


def test_multiple_answer_positive_fractions_sum_to_100(document):
    multiples = [q for q in questions(document, "multichoice") if q.findtext("single") == "false"]
    assert multiples
    for question in multiples:
        positive = [float(a.get("fraction")) for a in question.iter("answer") if float(a.get("fraction")) > 0]
        assert abs(sum(positive) - 100) <= 0.001


def test_truefalse_answers_are_literal_and_one_is_the_key(document):
    truefalse = questions(document, "truefalse")
    assert truefalse
    for question in truefalse:
        answers = {a.findtext("text"): float(a.get("fraction")) for a in question.iter("answer")}
        assert set(answers) == {"true", "false"}
        assert sorted(answers.values()) == [0.0, 100.0]


def test_settings_are_always_written(document):
    for question in questions(document, "multichoice"):
        for tag in ("single", "shuffleanswers", "answernumbering", "penalty", "defaultgrade"):
            assert question.find(tag) is not None, tag
        assert question.findtext("single") in ("true", "false")
        assert question.findtext("shuffleanswers") in ("true", "false")
        assert question.findtext("answernumbering") in ("abc", "ABCD", "123", "iii", "IIII", "none")
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            assert question.find(tag).get("format") == "html"
    for question in questions(document):
        name = question.findtext("name/text")
        assert name and len(name) <= 255
        assert question.findtext("idnumber")


def test_every_question_follows_a_category(document):
    first = next(iter(document))
    assert first.get("type") == "category"
    for category in document.iterfind("question[@type='category']"):
        assert category.findtext("category/text").startswith("$course$/top/bank/")


def test_acceptance_three_of_five_correct():
    assert [format_fraction(f) for f in option_fractions([True, True, True, False, False], multiple=True)] == [
        "33.33333", "33.33333", "33.33333", "-50.00000", "-50.00000",
    ]
    assert option_fractions([True, True, True, False, False], True, "zero")[3:] == [0.0, 0.0]


def test_fixture_multiple_question_grades():
    root = parse(export(FIXTURE, "moodle"))
    (question,) = [q for q in questions(root) if q.findtext("idnumber") == "gate-picture"]
    assert [a.get("fraction") for a in question.iter("answer")] == ["33.33333"] * 3 + ["-50.00000"] * 2
    assert question.findtext("defaultgrade") == "2.0000000"
    assert question.findtext("shuffleanswers") == "false"


def test_wrong_scheme_zero_is_configurable():
    root = parse(export(FIXTURE, "moodle", wrong="zero"))
    (question,) = [q for q in questions(root) if q.findtext("idnumber") == "gate-picture"]
    assert [a.get("fraction") for a in question.iter("answer")][3:] == ["0.00000", "0.00000"]


@pytest.mark.parametrize("right,wrong", [(11, 1), (2, 11), (0, 3)])
def test_no_exact_grade_is_refused(right, wrong):
    with pytest.raises(NoExactGrade):  # no key (0, 3) divided by zero while saying why
        option_fractions([True] * right + [False] * wrong, multiple=True)


def test_refused_question_is_named(tmp_path):
    options = "".join(f"      - {{text: opt{i}, correct: true}}\n" for i in range(11))
    bank = write_bank(tmp_path, {"b.yaml": f"questions:\n  - id: big\n    type: multiple\n    stem: Which?\n    options:\n{options}      - {{text: no, why: x}}\n"})
    result = export_bank(load(bank), "moodle", "b")
    (note,) = result.refused
    assert note.question_id == "big" and note.file.endswith("b.yaml")
    assert "11 correct options" in note.message


def test_cdata_with_end_marker_is_split_and_read_back(tmp_path):
    """HTML escapes ``>``, so a literal ``]]>`` reaches CDATA only in plain texts: categories, feedback."""
    bank = write_bank(tmp_path, {"b.yaml": (
        'category: "Odd ]]> name"\nquestions:\n  - id: q\n    stem: "Is ]]> an end marker?"\n'
        '    options:\n      - {text: "]]>", correct: true}\n      - {text: other, why: "no ]]>"}\n'
    )})
    raw = export(bank, "moodle", correctfeedback="Right ]]> and ]]>!")
    assert raw.count(b"]]]]><![CDATA[>") == 3
    root = parse(raw)
    assert root.find("question[@type='category']").findtext("category/text").endswith("/Odd ]]> name")
    (question,) = questions(root)
    assert question.findtext("correctfeedback/text") == "Right ]]> and ]]>!"
    assert [a.findtext("text") for a in question.iter("answer")] == ["]]&gt;", "other"]


def test_category_slash_is_doubled_and_splits_back():
    assert category_path("$course$/top", ("bank", "Input/Output", "/edge/")) == "$course$/top/bank/Input//Output/ //edge// "
    levels = ("bank", "Neural Networks", "Input/Output")
    assert split_moodle_path(category_path("$course$/top", levels))[2:] == list(levels)
    root = parse(export(FIXTURE, "moodle"))
    paths = [c.findtext("category/text") for c in root.iterfind("question[@type='category']")]
    assert "$course$/top/export-bank/Neural Networks/Input//Output" in paths
    assert split_category("Neural Networks/Input//Output") == ("Neural Networks", "Input/Output")


def test_image_is_a_file_inside_the_element_that_uses_it():
    root = parse(export(FIXTURE, "moodle"))
    (question,) = [q for q in questions(root) if q.findtext("idnumber") == "gate-picture"]
    text_element = question.find("questiontext")
    (file,) = text_element.findall("file")
    assert file.get("path") == "/" and file.get("encoding") == "base64"
    assert f'src="@@PLUGINFILE@@/{file.get("name")}"' in text_element.findtext("text")
    assert base64.b64decode(file.text) == (FIXTURE / "networks" / "images" / "gate.png").read_bytes()


def test_name_is_plain_text_within_255_characters():
    long_stem = "<p>" + "word " * 100 + "<code>x</code></p>"
    name = plain_name(long_stem, "fallback")
    assert len(name) <= 255 and name.endswith("…") and "<" not in name
    assert plain_name("", "q-id") == "q-id"
    assert plain_name("<p>a &lt;b&gt;</p>", "x") == "a &lt;b&gt;"


def test_deterministic_bytes():
    assert export(FIXTURE, "moodle") == export(FIXTURE, "moodle")


def test_twenty_correct_options_share_exactly_five_percent():
    assert set(option_fractions([True] * 20 + [False], multiple=True)) == {5.0, -100.0}


def test_a_text_ending_in_one_bracket_is_written(tmp_path):
    """lxml's xmlfile crashed (segfault) on a CDATA section ending in exactly one ``]``: ``[1, 2]``."""
    bank = write_bank(tmp_path, {"b.yaml": (
        'questions:\n  - id: q\n    stem: "Pick [x]"\n    options:\n      - {text: "[1, 2]", correct: true}\n'
        '      - {text: "]", why: "a]"}\n      - {text: "]]", why: "]]]"}\n'
    )})
    (question,) = questions(parse(export(bank, "moodle")))
    assert [a.findtext("text") for a in question.iter("answer")] == ["[1, 2]", "]", "]]"]
    assert [a.findtext("feedback/text") for a in question.iter("answer")] == ["", "<p>a]</p>", "<p>]]]</p>"]


@pytest.mark.parametrize("path", [FIXTURE, SAMPLE], ids=["fixture", "sample"])
def test_a_question_built_as_a_tree_prints_as_the_streaming_writer_writes_it(path):
    """The tree (the common case) and lxml's incremental writer (kept for a text holding ``]]>``)
    must print a question alike, indentation, empty elements and all, or a bank would mix two layouts."""
    if not path.is_dir():
        pytest.skip("banks/ is not in this checkout")
    bank = load(path)
    exporter = MoodleExporter()
    media = Media(bank)
    printed_as_trees = 0
    for item in each_question(bank):
        try:
            write = exporter._question(bank, item, media, category_path("$course$/top", ("bank", *item.category)))
        except Exception:  # noqa: BLE001  (a question the export refuses writes nothing either way)
            continue
        streamed = _streamed(write)
        assert _fragment(write) == streamed, item.id
        printed_as_trees += b"]]]]><![CDATA[>" not in streamed
    assert printed_as_trees >= 4
