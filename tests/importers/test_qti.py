"""QTI import: a Canvas-shaped quiz export (tests/data/qti/canvas, see the README there), qbank's own
package restored exactly or, once edited, read from its HTML, and XML from other tools.

Random banks round-trip in test_roundtrip.py.
"""

from __future__ import annotations

import io
import math
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from qbank import exitcodes
from qbank.cli import main
from qbank.importers.detect import candidates, head_of
from qbank.importers.ids import IdMaker
from qbank.importers.qti import QtiImporter
from qbank.loader import load_file
from tests.bankdata import loaded
from tests.conftest import ROOT
from tests.exporters.conftest import FIXTURE, export

CANVAS = ROOT / "tests" / "data" / "qti" / "canvas"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108020000009077")
RESTORED = ["networks/hostile.yaml", "networks/recurrent.yaml"]


def canvas_zip(folder: Path, source: Path = CANVAS) -> Path:
    """The Canvas export in ``source`` (by default the one in tests/data), zipped into ``folder``."""
    path = folder / "week3.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(source.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(source).as_posix())
        archive.writestr("web_resources/Uploaded Media/lstm cell.png", PNG)
    return path


@pytest.fixture
def canvas(tmp_path):
    path = canvas_zip(tmp_path)
    return path, QtiImporter().read(path)


def test_canvas_quiz_is_detected_and_its_choice_items_read(canvas):
    path, result = canvas
    assert candidates(path, head_of(path)) == ["qti"]
    data = result.files["week3.yaml"]
    assert data["category"] == "Week 3: Recurrent networks"
    forget, layers, gru = data["questions"]
    STEM = "Which gate decides what the cell forgets? ![lstm cell.png](images/lstm-cell.png)\n"  # noqa: N806
    assert forget == {
        "id": IdMaker().generate(STEM), "type": "single", "difficulty": None, "tags": [],
        "source": None, "stem": STEM,
        "options": [
            {"text": "Forget gate", "correct": True, "why": None},
            {"text": "Input gate", "correct": False, "why": "It decides what is *written*."},
            {"text": "Output gate", "correct": False, "why": None},
        ],
        "explanation": "The forget gate scales the previous cell state.\n", "points": 1.0,
    }
    assert result.assets == {"images/lstm-cell.png": PNG}
    assert layers["type"] == "multiple" and layers["points"] == 2.0
    assert [(o["text"], o["correct"], o["why"]) for o in layers["options"]] == [
        ("`SimpleRNN`", True, None), ("GRU", True, None), ("Dense", False, "A Dense layer keeps no state."),
    ]
    assert gru["type"] == "true_false" and [o["correct"] for o in gru["options"]] == [False, True]


def test_canvas_items_qbank_cannot_carry_are_listed_and_losses_reported(canvas):
    path, result = canvas
    document = f"{path}!g3a1c9e0b7d/g3a1c9e0b7d.xml"
    assert result.skipped == [f"Explain BPTT (essay_question, ident g1a3c5e7b9d, {document}:235)"]
    assert [(n.source, n.line, n.message) for n in result.notes] == [
        (document, 11, "the feedback for a right answer is not kept: qbank has only a general explanation and a why per option"),
        (document, 174, "the feedback for a wrong answer is not kept: qbank has only a general explanation and a why per option"),
        (document, 235, "skipped the item 'Explain BPTT' (essay_question): qbank has only multiple choice, multiple answers and true/false questions"),
        (document, 273, "the question group 'Pick 2 from the gates bank' draws its questions from the bank 'g6a8c0e2b4d', which is not in this file; import that bank's export as well"),
    ]


def test_the_command_imports_a_canvas_quiz_lists_the_skipped_item_and_exits_1(tmp_path):
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["import", str(canvas_zip(tmp_path)), "--out", str(out)])
    assert run.exit_code == exitcodes.FINDINGS
    assert "skipped 1 question:\n  - Explain BPTT (essay_question" in run.output
    assert (out / "images" / "lstm-cell.png").read_bytes() == PNG and (out / "week3.yaml").is_file()


# -- qbank's own package ---------------------------------------------------------------------------


def own_package(tmp_path, edit=None) -> Path:
    data = export(FIXTURE, "qti")
    if edit:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
        files = {name: edit(content) if name.endswith(".xml") else content for name, content in files.items()}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, content in files.items():
                archive.writestr(name, content)
        data = buffer.getvalue()
    path = tmp_path / "export-bank.qti.zip"
    path.write_bytes(data)
    return path


def test_our_package_comes_back_exactly_with_its_image(tmp_path):
    result = QtiImporter().read(own_package(tmp_path))
    assert result.notes == [] and result.skipped == [] and sorted(result.files) == RESTORED
    for path in RESTORED:
        assert loaded(result.files[path]) == loaded(load_file(FIXTURE / path).document.data), path
    assert result.assets == {"networks/images/gate.png": (FIXTURE / "networks" / "images" / "gate.png").read_bytes()}


def test_an_item_edited_in_another_tool_is_read_from_its_html_and_reported(tmp_path):
    edited = lambda xml: xml.replace(b"A GRU keeps one; an LSTM keeps two.", b"A GRU keeps one state; an LSTM two.")  # noqa: E731
    result = QtiImporter().read(own_package(tmp_path, edited))
    (note,) = result.notes
    assert "the item was changed after qbank exported it" in note.message and "difficulty, source and lint" in note.message
    assert note.source.endswith(".xml") and note.line
    (question,) = result.files["export-bank.yaml"]["questions"]
    assert question["id"] == "state-count" and question["options"][1]["why"] == "A GRU keeps one state; an LSTM two."
    assert [q["id"] for q in result.files["networks/recurrent.yaml"]["questions"]] == ["lstm-params", "gate-picture"]


def test_without_the_comment_our_metadata_still_gives_ids_tags_and_categories(tmp_path):
    path = tmp_path / "bank.qti.zip"
    path.write_bytes(export(FIXTURE, "qti", source_comment=False))
    result = QtiImporter().read(path)
    assert result.notes == []
    questions = {q["id"]: q for q in result.files["bank.yaml"]["questions"]}
    assert questions["lstm-params"]["difficulty"] == "medium" and questions["gate-picture"]["shuffle"] is False
    assert questions["state-count"]["category"] == "Neural Networks/Input//Output"
    assert questions["gate-picture"]["tags"] == ["rnn", "deep learning", "gates"]


# -- XML from other tools --------------------------------------------------------------------------

GENERIC = b"""<?xml version="1.0"?>
<!DOCTYPE questestinterop SYSTEM "ims_qtiasiv1p2p1.dtd">
<questestinterop>
  <item ident="i1" title="Primes">
    <presentation>
      <material><mattext>Which are prime?</mattext></material>
      <response_lid ident="r" rcardinality="Multiple">
        <render_choice shuffle="No">
          <response_label ident="a"><material><mattext>2</mattext></material></response_label>
          <response_label ident="b"><material><mattext>4</mattext></material></response_label>
          <response_label ident="c"><material><mattext>5</mattext></material></response_label>
        </render_choice>
      </response_lid>
    </presentation>
    <resprocessing>
      <respcondition><conditionvar><varequal respident="r">a</varequal></conditionvar><setvar action="Add">50</setvar></respcondition>
      <respcondition><conditionvar><varequal respident="r">c</varequal></conditionvar><setvar action="Add">50</setvar></respcondition>
    </resprocessing>
  </item>
  <item ident="i2" title="Half marks">
    <presentation>
      <material><mattext texttype="text/html">&lt;p&gt;Pick one&lt;/p&gt;</mattext></material>
      <response_lid ident="r"><render_choice>
        <response_label ident="x"><material><mattext>right</mattext></material></response_label>
        <response_label ident="y"><material><mattext>nearly</mattext></material></response_label>
      </render_choice></response_lid>
    </presentation>
    <resprocessing>
      <respcondition><conditionvar><varequal respident="r">x</varequal></conditionvar><setvar>100</setvar></respcondition>
      <respcondition><conditionvar><varequal respident="r">y</varequal></conditionvar><setvar>50</setvar></respcondition>
    </resprocessing>
  </item>
</questestinterop>
"""


def test_choice_items_without_canvas_metadata_are_read_from_their_structure(tmp_path):
    path = tmp_path / "quiz.xml"
    path.write_bytes(GENERIC)
    assert candidates(path, head_of(path)) == ["qti"]
    result = QtiImporter().read(path)
    primes, half = result.files["quiz.yaml"]["questions"]
    assert primes["type"] == "multiple" and primes["shuffle"] is False
    assert [(o["text"], o["correct"]) for o in primes["options"]] == [("2", True), ("4", False), ("5", True)]
    assert half["type"] == "single" and [o["correct"] for o in half["options"]] == [True, False]
    assert [(n.line, n.message) for n in result.notes] == [
        (20, "answer 2 gives 50 of the score; qbank's options are right or wrong, so it was imported as a wrong option"),
    ]


def test_a_dtd_with_declarations_is_refused_at_once_without_network(tmp_path):
    bomb = GENERIC.replace(
        b'<!DOCTYPE questestinterop SYSTEM "ims_qtiasiv1p2p1.dtd">',
        b'<!DOCTYPE questestinterop [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d SYSTEM "http://example.org/x">]>',
    ).replace(b"Which are prime?", b"&c;&d;")
    path = tmp_path / "bomb.xml"
    path.write_bytes(bomb)
    start = time.perf_counter()
    (note,) = QtiImporter().read(path).notes
    assert time.perf_counter() - start < 1
    assert note.severity == "error" and "DOCTYPE" in note.message and note.line == 2 and "QTI needs none" in note.message


def test_a_zip_without_qti_is_an_error(tmp_path):
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    (note,) = QtiImporter().read(path).notes
    assert note.severity == "error" and "holds no QTI document" in note.message


@pytest.mark.parametrize("points", ["inf", "nan", "-1e400", "many"])
def test_points_and_scores_that_are_no_finite_numbers_are_reported_not_carried(tmp_path, points):
    # float() reads "inf" and "nan": an infinite or NaN grade reached the bank file, which then failed.
    folder = tmp_path / "canvas"
    for file in CANVAS.rglob("*"):
        if file.is_file():
            target = folder / file.relative_to(CANVAS)
            target.parent.mkdir(parents=True, exist_ok=True)
            text = file.read_bytes()
            if file.name == "g3a1c9e0b7d.xml":
                text = text.replace(b"<fieldentry>2.0</fieldentry>", f"<fieldentry>{points}</fieldentry>".encode(), 1)
                text = text.replace(b'maxvalue="100"', f'maxvalue="{points}"'.encode(), 1)
            target.write_bytes(text)
    result = QtiImporter().read(canvas_zip(tmp_path, folder))
    assert any(f"points_possible is {points!r}; qbank's points must be a finite number above 0" in n.message for n in result.notes)
    questions = [q for data in result.files.values() for q in data["questions"]]
    assert all(math.isfinite(q.get("points", 1.0)) for q in questions)
    assert [o["correct"] for o in questions[0]["options"]].count(True) == 1  # the score read against SCORE_MAX

