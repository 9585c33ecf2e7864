"""Anki import, judged with the real Anki: our package goes into a collection, a learner edits it, Anki exports it.

Anki writes the legacy package (``collection.anki21`` beside a stub ``collection.anki2``)
when "Support older Anki versions" is ticked (``legacy=True``), else the latest form: a
zstd-compressed ``collection.anki21b`` at schema 18, compressed media and a protobuf media
list, beside the same stub. Every test of a package Anki made runs on both. Anki's "Notes
in Plain Text" export is the text file. Random banks round-trip in test_roundtrip.py.
"""

from __future__ import annotations

import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.import_export_pb2 import ExportAnkiPackageOptions
from click.testing import CliRunner

from qbank import exitcodes
from qbank.cli import main
from qbank.importers.anki import AnkiImporter
from qbank.importers.anki_note import field_text
from qbank.importers.anki_text import AnkiTextImporter
from qbank.loader import load_file
from tests.bankdata import loaded
from tests.exporters.conftest import FIXTURE, export
from tests.exporters.test_anki import collection, import_apkg  # noqa: F401  (a fixture, and the import through Anki)

IMAGE = FIXTURE / "networks" / "images" / "gate.png"
RESTORED = ["networks/hostile.yaml", "networks/recurrent.yaml"]


def from_anki(col: Collection, folder: Path, legacy: bool = True) -> Path:
    path = folder / f"from-anki{'' if legacy else '-latest'}.apkg"
    options = ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, with_media=True, legacy=legacy)
    col.export_anki_package(out_path=str(path), options=options, limit=None)
    return path


def notes_text(col: Collection, folder: Path) -> Path:
    path = folder / "notes.txt"
    col.export_note_csv(out_path=str(path), limit=None, with_html=True, with_tags=True, with_deck=True, with_notetype=True, with_guid=True)
    return path


def cli_run(*args):
    """``qbank import ARGS… --out LAST``."""
    return CliRunner().invoke(main, ["import", *map(str, args[:-1]), "--out", str(args[-1])])


@pytest.fixture
def studied(collection, tmp_path) -> Collection:  # noqa: F811
    """A collection that imported the fixture bank's package."""
    col = collection()
    import_apkg(col, export(FIXTURE, "anki"), tmp_path)
    return col


LAYOUTS = pytest.mark.parametrize("legacy", [True, False], ids=["legacy", "latest"])


def assert_fixture_bank(result) -> None:
    for path in RESTORED:
        assert loaded(result.files[path]) == loaded(load_file(FIXTURE / path).document.data), path


@LAYOUTS
def test_a_package_exported_by_anki_comes_back_exactly_with_its_image(studied, tmp_path, legacy):
    result = AnkiImporter().read(from_anki(studied, tmp_path, legacy))
    assert result.notes == [] and result.skipped == []
    assert sorted(result.files) == RESTORED
    assert_fixture_bank(result)
    assert result.assets == {"networks/images/gate.png": IMAGE.read_bytes()}


@LAYOUTS
def test_a_collection_package_exported_by_anki_comes_back_exactly_with_its_image(studied, tmp_path, legacy):
    path = tmp_path / f"backup-{legacy}.colpkg"
    studied.export_collection_package(str(path), True, legacy)  # Anki closes the collection to write it
    result = AnkiImporter().read(path)
    assert result.notes == [] and sorted(result.files) == RESTORED
    assert_fixture_bank(result)
    assert result.assets == {"networks/images/gate.png": IMAGE.read_bytes()}


@LAYOUTS
def test_a_note_edited_in_anki_is_rebuilt_from_its_fields_and_reported_with_its_note_id(studied, tmp_path, legacy):
    note = studied.get_note(studied.find_notes("Id:state-count*")[0])
    note["Stem"] = "<p>An LSTM layer keeps <b>exactly two</b> state vectors.</p>"
    studied.update_note(note)
    path = from_anki(studied, tmp_path, legacy)
    result = AnkiImporter().read(path)
    (message,) = [n.message for n in result.notes]
    assert message.startswith(f"note {note.id}: the note was changed after qbank exported it")
    assert "difficulty, points, shuffle and lint settings" in message
    own = f"{path.stem}.yaml"
    assert result.files[own]["category"] == "Neural Networks/Input//Output"  # a deck name with '/' in a part
    (rebuilt,) = result.files[own]["questions"]
    assert rebuilt == {
        "id": "state-count", "type": "true_false", "tags": ["deep_learning", "rnn"], "source": None,
        "stem": "An LSTM layer keeps **exactly two** state vectors.\n",
        "options": [
            {"text": "True", "correct": True, "why": "The hidden state and the cell state."},
            {"text": "False", "correct": False, "why": "A GRU keeps one; an LSTM keeps two."},
        ],
        "explanation": "The cell state `c` carries the long-term memory.\n",
    }
    recurrent = result.files["networks/recurrent.yaml"]["questions"]
    assert [q["id"] for q in recurrent] == ["lstm-params", "gate-picture"]  # the others are restored


@LAYOUTS
def test_notes_of_other_note_types_are_skipped_and_listed(studied, tmp_path, legacy):
    basic = studied.new_note(studied.models.by_name("Basic"))
    basic["Front"], basic["Back"] = "What is a <i>gate</i>?", "A sigmoid layer."
    studied.add_note(basic, studied.decks.id("Other"))
    path = from_anki(studied, tmp_path, legacy)
    result = AnkiImporter().read(path)
    assert result.skipped == [f"What is a gate? (note type 'Basic', {path} note {basic.id})"]
    assert [n.message for n in result.notes] == [
        "skipped 1 note of other note types: qbank reads only its own note type, 'qbank multiple choice' "
        "(fields Id, Stem, Options, Answer, Explanation, Whys, Source)"
    ]
    assert_fixture_bank(result)


def _rezipped(path: Path, to: Path, **changed: bytes | None) -> Path:
    """A copy of the package at ``path`` with members replaced (bytes) or left out (None)."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(to, "w") as target:
        for name in source.namelist():
            data = changed.get(name, source.read(name))
            if data is not None:
                target.writestr(name, data)
    return to


def test_the_latest_package_is_read_from_its_compressed_collection_not_the_stub(studied, tmp_path):
    path = from_anki(studied, tmp_path, legacy=False)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        assert {"meta", "collection.anki21b", "collection.anki2"} <= names and "collection.anki21" not in names
        assert archive.read("collection.anki21b")[:4] == b"\x28\xb5\x2f\xfd"  # zstd's magic number
    result = AnkiImporter().read(path)
    assert sorted(result.files) == RESTORED and result.notes == []
    stub_only = _rezipped(path, tmp_path / "stub.apkg", **{"collection.anki21b": None})
    (note,) = AnkiImporter().read(stub_only).notes
    assert note.severity == "error" and note.message == (
        "its meta entry names the collection collection.anki21b, which the package does not hold"
    )


def test_a_damaged_latest_package_is_an_error_that_says_which_part(studied, tmp_path):
    path = from_anki(studied, tmp_path, legacy=False)
    newer = _rezipped(path, tmp_path / "newer.apkg", meta=b"\x08\x07")  # version 7
    (note,) = AnkiImporter().read(newer).notes
    assert note.severity == "error" and "package version 7" in note.message and "Support older Anki versions" in note.message
    garbled = _rezipped(path, tmp_path / "garbled.apkg", **{"collection.anki21b": b"\x28\xb5\x2f\xfd not zstd"})
    (note,) = AnkiImporter().read(garbled).notes
    assert note.severity == "error" and note.message.startswith(
        "its collection collection.anki21b cannot be read as an Anki collection (its collection.anki21b is not valid zstd data"
    )
    run = cli_run(garbled, tmp_path / "out")
    assert run.exit_code == exitcodes.USAGE and not (tmp_path / "out").exists()


def test_a_damaged_media_part_of_a_latest_package_is_reported_and_the_questions_still_come(studied, tmp_path):
    path = from_anki(studied, tmp_path, legacy=False)
    bad_file = AnkiImporter().read(_rezipped(path, tmp_path / "a.apkg", **{"0": b"not zstd"}))
    assert sorted(bad_file.files) == RESTORED and bad_file.assets == {}
    damaged, lost = [n.message for n in bad_file.notes]
    assert re.fullmatch(r"its media file '[0-9a-f]{64}\.png' is not valid zstd data \(.+\); it was not read", damaged), damaged
    assert re.fullmatch(r"note \d+: the image 'images/gate.png' was not written: .+", lost), lost
    bad_list = AnkiImporter().read(_rezipped(path, tmp_path / "b.apkg", media=b"not zstd"))
    assert sorted(bad_list.files) == RESTORED and bad_list.assets == {}
    damaged, lost = [n.message for n in bad_list.notes]
    assert damaged.startswith("its media list is not valid zstd data") and damaged.endswith("; no image was read")
    assert "the image 'images/gate.png' was not written" in lost


@LAYOUTS
def test_the_command_imports_a_package_and_writes_its_image(studied, tmp_path, legacy):
    out = tmp_path / "out"
    run = cli_run(from_anki(studied, tmp_path, legacy), out)
    assert run.exit_code == exitcodes.OK, run.output
    assert "imported 4 questions into 2 files" in run.output and "0 errors" in run.output
    assert (out / "networks" / "images" / "gate.png").read_bytes() == IMAGE.read_bytes()


def test_anki_notes_in_plain_text_come_back_exactly_but_for_the_image(studied, tmp_path):
    result = AnkiTextImporter().read(notes_text(studied, tmp_path))
    assert_fixture_bank(result)
    assert result.assets == {}
    (note,) = result.notes
    assert "'images/gate.png' is not in a text file" in note.message and note.line is not None


def test_our_text_export_comes_back_exactly(tmp_path):
    path = tmp_path / "export-bank.anki.txt"
    path.write_bytes(export(FIXTURE, "anki-text"))
    result = AnkiTextImporter().read(path)
    assert sorted(result.files) == RESTORED
    assert_fixture_bank(result)


# -- notes without a usable comment -----------------------------------------------------------------


def without_comments(tmp_path) -> Path:
    path = tmp_path / "bank.apkg"
    path.write_bytes(export(FIXTURE, "anki", source_comment=False))
    return path


def test_notes_without_comment_are_rebuilt_from_their_fields(tmp_path):
    result = AnkiImporter().read(without_comments(tmp_path))
    assert {n.message.split(": ", 1)[1] for n in result.notes} == {
        "the note has no qbank comment (exported without one, or removed in Anki); it was rebuilt from its fields, "
        "and its difficulty, points, shuffle and lint settings, which an Anki note does not hold, are not restored"
    }
    questions = {q["id"]: q for q in result.files["bank.yaml"]["questions"]}
    gate = questions["gate-picture"]
    assert gate["type"] == "multiple" and [o["correct"] for o in gate["options"]] == [True, True, True, False, False]
    (image,) = re.findall(r"!\[LSTM cell\]\((images/[0-9a-f]{64}\.png)\)", gate["stem"])  # the package's content-addressed name
    assert result.assets == {image: IMAGE.read_bytes()}
    assert gate["options"][3]["why"] == "The reset gate belongs to the GRU."
    assert "| forget | yes | no |" in gate["explanation"]
    params = questions["lstm-params"]
    assert params["source"] == "Keras documentation, LSTM layer" and params["category"] == "Neural Networks/Input//Output"
    assert "```python\n# four gates" in params["stem"] and params["options"][1]["correct"]
    assert questions["state-count"]["type"] == "true_false"


def test_a_broken_comment_is_reported_and_the_note_rebuilt(tmp_path):
    path = tmp_path / "bank.anki.txt"
    text = export(FIXTURE, "anki-text").decode()
    path.write_text(text.replace('""v"":1,', '""v"":1,,', 1), encoding="utf-8")
    result = AnkiTextImporter().read(path)
    note = result.notes[0]
    assert "its qbank comment is not valid JSON" in note.message and note.line == 8
    assert "is not in a text file" in result.notes[1].message and len(result.notes) == 2
    assert sum(len(data["questions"]) for data in result.files.values()) == 4


def test_a_note_whose_fields_lost_their_structure_is_skipped_with_its_line(tmp_path):
    path = tmp_path / "deck.txt"
    path.write_text(
        "#separator:tab\n#html:true\n#notetype:qbank multiple choice\n#deck column:8\n"
        "q1\t<p>Stem?</p>\tjust text, no list\tA. x\t\t\t\tBank::Cat\n"
        "q2\t<p>Which?</p>\t<ol><li>x</li><li>y</li><li>z</li></ol>\tB. y<br>AA. nothing\t\t"
        "<dl><dt>C. ✗ z</dt><dd><p>No.</p></dd><dt>Q. ✗ ?</dt><dd>stray</dd></dl>\t\tBank::Cat::Sub\n",
        encoding="utf-8",
    )
    result = AnkiTextImporter().read(path)
    assert result.skipped == [f"q1 ({path}:5)"]
    assert [(n.line, n.message) for n in result.notes] == [
        (5, "skipped: its Options field holds no list of options"),
        (6, "the Answer line 'AA. nothing' names no option; it was left out"),
        (6, "the Whys entry 'Q. ✗ ?' names no option; it was left out"),
    ]
    assert result.files["deck.yaml"]["category"] == "Cat/Sub"
    (question,) = result.files["deck.yaml"]["questions"]
    assert [o["correct"] for o in question["options"]] == [False, True, False]
    assert question["options"][2]["why"] == "No."


def test_rows_of_other_note_types_are_listed_with_their_line(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_text(
        "#separator:Comma\n#html:true\n#notetype column:1\n#tags:imported\n"
        "Basic,Front <i>text</i>!,Back\n"
        "# a comment line\n"
        'qbank multiple choice,q-1,"<p>Is 1 &lt; 2?<br>\nReally?</p>",<ol><li>x</li></ol>,A. x,,,Book &amp; co\n',
        encoding="utf-8",
    )
    result = AnkiTextImporter().read(path)
    assert result.skipped == [f"Front text! (note type 'Basic', {path}:5)"]
    (question,) = result.files["mixed.yaml"]["questions"]
    assert question["stem"] == "Is 1 \\< 2?\\\nReally?\n" and question["source"] == "Book & co"
    assert question["tags"] == ["imported"] and question["id"] == "q-1"


def test_column_numbers_and_option_labels_that_are_no_numbers_are_reported_not_a_traceback(tmp_path):
    # "²" passes str.isdigit() and int() refuses it; int() also refuses more than 4,300 digits.
    path = tmp_path / "odd.txt"
    long = "9" * 5000
    path.write_text(
        f"#separator:tab\n#html:true\n#notetype:qbank multiple choice\n#deck column:\u00b2\n#tags column:{long}\n"
        f"q1\t<p>Stem?</p>\t<ol><li>x</li><li>y</li></ol>\tA. x<br>{long}. y\n",
        encoding="utf-8",
    )
    result = AnkiTextImporter().read(path)
    wanted = [
        (4, "#deck column is '²', not a column number; it was ignored"),
        (5, f"#tags column is '{long}', not a column number"),
        (6, f"the Answer line '{long}. y' names no option"),
    ]
    assert [(n.line, n.message[: len(start)]) for n, (_, start) in zip(result.notes, wanted)] == wanted
    assert len(result.notes) == len(wanted)
    (question,) = result.files["odd.yaml"]["questions"]
    assert [o["correct"] for o in question["options"]] == [True, False]


def test_a_quote_never_closed_is_an_error_at_its_note_not_a_csv_traceback(tmp_path):
    # Python's csv refuses a field over csv.field_size_limit() (131,072 characters): an unclosed quote swallows the file.
    path = tmp_path / "open.txt"
    rows = "".join(f"q{n}\t<p>Stem {n}?</p>\t<ol><li>x</li><li>y</li></ol>\tA. x\n" for n in range(4000))
    path.write_text("#separator:tab\n#html:true\n#notetype:qbank multiple choice\n" + 'q\t"<p>Open\n' + rows, encoding="utf-8")
    (note,) = AnkiTextImporter().read(path).notes
    assert (note.severity, note.line) == ("error", 4)
    assert note.message == 'a field of the note on this line runs past 131,072 characters: most likely a quote (") that is never closed'
    closed = AnkiTextImporter().read(_written(tmp_path / "closed.txt", path.read_text().replace('"<p>Open', "<p>Open")))
    assert [(n.severity, n.line) for n in closed.notes] == [("warning", 4)]  # closed, the note is read (and has no options)
    assert len(closed.files["closed.yaml"]["questions"]) == 4000


def _written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_text_of_a_field_skips_comments_and_processing_instructions():
    # lxml's text_content() refuses a comment: a field holding one at its top level was a traceback.
    assert field_text("x<!-- a comment -->y <b>z</b><?pi data?> w") == "xy z w"


def test_plain_text_fields_are_text_not_html(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("#html:false\n#notetype:qbank multiple choice\nq-1\tStem\t<ol><li>x</li></ol>\tA. x\n", encoding="utf-8")
    result = AnkiTextImporter().read(path)
    assert [n.message for n in result.notes] == ["skipped: its Options field holds no list of options"]


def test_package_problems_are_errors_that_say_what_to_do(tmp_path):
    not_zip = tmp_path / "a.apkg"
    not_zip.write_bytes(b"not a zip")
    assert "not a zip file" in AnkiImporter().read(not_zip).notes[0].message
    empty = tmp_path / "b.apkg"
    empty.write_bytes(export(FIXTURE, "qti"))
    assert "holds no Anki collection" in AnkiImporter().read(empty).notes[0].message



def test_a_damaged_collection_is_an_error_not_a_traceback(tmp_path):
    database = sqlite3.connect(":memory:")
    database.executescript("CREATE TABLE col (models TEXT, decks TEXT); INSERT INTO col VALUES ('[]', '{}');")
    path = tmp_path / "damaged.apkg"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("collection.anki2", database.serialize())
    (note,) = AnkiImporter().read(path).notes
    assert note.severity == "error" and note.message.startswith("its collection collection.anki2 cannot be read as an Anki collection")
