"""Our .apkg and text exports, imported by the real Anki (the ``anki`` package, headless).

Update rules under test are Anki's own (ankitects/anki
``rslib/src/import_export/package/apkg/import/notes.rs``): a note is matched by
GUID and replaced only when the incoming modification time is newer.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest, ImportCsvRequest
from anki.notes import NoteFieldsCheckResult

from qbank.exporters import archive
from qbank.exporters.anki_note import FIELDS, MODEL_ID, MODEL_NAME, TEMPLATE_NAME, deck_name, guid
from qbank.exporters.note_times import RENDER_EPOCH
from qbank.formats.source_comment import split_source_comment
from tests.exporters.conftest import FIXTURE, Repo, export, load

EDITED_ID = "state-count"


@pytest.fixture
def collection(tmp_path):
    opened = []

    def make(name: str = "collection") -> Collection:
        folder = tmp_path / name
        folder.mkdir()
        col = Collection(str(folder / "collection.anki2"))
        opened.append(col)
        return col

    yield make
    for col in opened:
        col.close()


def import_apkg(col: Collection, data: bytes, tmp_path: Path):
    path = tmp_path / f"deck-{len(list(tmp_path.glob('deck-*')))}.apkg"
    path.write_bytes(data)
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path))).log


def import_text(col: Collection, data: bytes, tmp_path: Path):
    path = tmp_path / f"notes-{len(list(tmp_path.glob('notes-*')))}.txt"
    path.write_bytes(data)
    metadata = col.get_csv_metadata(str(path), None)
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def counts(log) -> tuple[int, int, int]:
    return len(log.new), len(log.updated), len(log.duplicate)


def notes(col: Collection) -> dict[str, dict]:
    out = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        out[note.guid] = {
            "id": note.id,
            "fields": dict(note.items()),
            "tags": sorted(note.tags),
            "decks": sorted({col.decks.name(card.did) for card in note.cards()}),
            "notetype": note.note_type()["name"],
            "mod": note.mod,
        }
    return out


def test_every_question_becomes_one_note_with_fields_deck_and_tags(collection, tmp_path):
    bank = load(FIXTURE)
    col = collection()
    log = import_apkg(col, export(FIXTURE, "anki"), tmp_path)
    assert counts(log) == (len(bank.questions), 0, 0)
    found = notes(col)
    assert set(found) == {guid(item.id) for item in bank.questions}
    for item in bank.questions:
        note = found[guid(item.id)]
        assert note["notetype"] == MODEL_NAME
        assert list(note["fields"]) == list(FIELDS)
        rest, comment, problem = split_source_comment(note["fields"]["Id"])
        assert (rest, comment["question"]["id"], problem) == (item.id, item.id, None)
        assert note["decks"] == [deck_name("export-bank", item.category)]
        assert note["tags"] == sorted(t.replace(" ", "_") for t in item.tags)
        assert all(" " not in tag for tag in note["tags"])
    model = col.models.get(MODEL_ID)
    assert [t["name"] for t in model["tmpls"]] == [TEMPLATE_NAME]


def test_a_collection_deflated_in_many_pieces_imports(collection, tmp_path, monkeypatch):
    """Large entries are deflated a piece at a time on every core (qbank/exporters/archive.py); Anki
    reads the joined stream. Pieces of 4 KB stand in for the megabyte ones of a large bank."""
    monkeypatch.setattr(archive, "PIECE", 4096)
    data = export(FIXTURE, "anki")
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("collection.anki2").file_size > 10 * 4096
    log = import_apkg(collection(), data, tmp_path)
    assert counts(log) == (len(load(FIXTURE).questions), 0, 0)


def test_fields_carry_the_question(collection, tmp_path):
    col = collection()
    import_apkg(col, export(FIXTURE, "anki"), tmp_path)
    found = notes(col)
    multiple = found[guid("gate-picture")]["fields"]
    assert "Choose 3." in multiple["Options"]
    assert multiple["Answer"].count("<br>") == 2  # three keys
    assert "The reset gate belongs to the GRU." in multiple["Whys"]
    single = found[guid("lstm-params")]["fields"]
    assert "B. 144" in single["Answer"]
    assert "<pre><code" in single["Stem"]
    assert "\\[ 4 \\times (u (u + d) + u) \\]" in single["Explanation"]  # display math as Anki's MathJax wants
    assert single["Source"] == "Keras documentation, LSTM layer"


def test_the_source_comment_shows_on_no_card_and_leaves_the_duplicate_check_to_the_id(collection, tmp_path):
    col = collection()
    import_apkg(col, export(FIXTURE, "anki"), tmp_path)
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        assert "qbank:" in note["Id"]
        for card in note.cards():
            assert "qbank:" not in card.question() + card.answer()
        assert note.fields_check() == NoteFieldsCheckResult.NORMAL  # Anki compares the id alone: no duplicate
    copy = col.new_note(col.models.get(MODEL_ID))
    copy["Id"] = "state-count"  # the same id without a comment is a duplicate of the exported note
    assert copy.fields_check() == NoteFieldsCheckResult.DUPLICATE


def test_media_arrive_with_content_addressed_names(collection, tmp_path):
    col = collection()
    import_apkg(col, export(FIXTURE, "anki"), tmp_path)
    stem = notes(col)[guid("gate-picture")]["fields"]["Stem"]
    (name,) = re.findall(r'src="([^"]+)"', stem)
    assert re.fullmatch(r"[0-9a-f]{64}\.png", name)
    stored = Path(col.media.dir()) / name
    assert stored.read_bytes() == (FIXTURE / "networks" / "images" / "gate.png").read_bytes()


def test_text_export_gives_the_same_notes(collection, tmp_path):
    from_package = collection("package")
    import_apkg(from_package, export(FIXTURE, "anki"), tmp_path)
    from_text = collection("text")
    import_apkg(from_text, export(FIXTURE, "anki"), tmp_path)  # brings the note type, as docs/exports.md says
    from_text.remove_notes(from_text.find_notes(""))
    log = import_text(from_text, export(FIXTURE, "anki-text"), tmp_path)
    assert counts(log) == (len(load(FIXTURE).questions), 0, 0)

    def comparable(col):
        return {g: (n["fields"], n["tags"], n["decks"], n["notetype"]) for g, n in notes(col).items()}

    assert comparable(from_text) == comparable(from_package)


def test_text_export_after_the_package_adds_nothing(collection, tmp_path):
    col = collection()
    import_apkg(col, export(FIXTURE, "anki"), tmp_path)
    new, updated, duplicate = counts(import_text(col, export(FIXTURE, "anki-text"), tmp_path))
    assert (new, updated) == (0, 0) and duplicate == len(load(FIXTURE).questions)


def test_unchanged_reexport_updates_nothing(collection, tmp_path):
    col = collection()
    first = export(FIXTURE, "anki")
    import_apkg(col, first, tmp_path)
    again = export(FIXTURE, "anki")
    assert again == first
    assert counts(import_apkg(col, again, tmp_path))[:2] == (0, 0)


def edit_stem(folder: Path) -> None:
    path = folder / "networks" / "recurrent.yaml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("keeps **two** state vectors", "keeps **exactly two** state vectors")
    assert edited != text
    path.write_text(edited, encoding="utf-8")


def assert_only_edited_note_updated(col, before: dict, log) -> None:
    assert counts(log)[:2] == (0, 1)
    assert [n.fields[0] for n in log.updated] == [EDITED_ID]
    after = notes(col)
    assert set(after) == set(before)
    edited = guid(EDITED_ID)
    assert after[edited]["id"] == before[edited]["id"]  # in place: same note, review history kept
    assert "exactly two" in after[edited]["fields"]["Stem"]
    assert after[edited]["mod"] > before[edited]["mod"]
    for key in set(before) - {edited}:
        assert after[key] == before[key]


def save_edit(folder: Path) -> None:
    """Edit without committing, saved after the last commit (2027-05-28)."""
    edit_stem(folder)
    os.utime(folder / "networks" / "recurrent.yaml", (1_811_462_400, 1_811_462_400))


@pytest.mark.parametrize(
    "change",
    [lambda repo: (edit_stem(repo.folder), repo.commit("2027-02-01T00:00:00+00:00")), lambda repo: save_edit(repo.folder)],
    ids=["committed", "uncommitted"],
)
def test_edited_question_updates_exactly_its_note(collection, tmp_path, bank_copy, change):
    repo = Repo(bank_copy)
    repo.commit("2027-01-01T00:00:00+00:00")
    col = collection()
    import_apkg(col, export(bank_copy, "anki"), tmp_path)
    before = notes(col)
    change(repo)
    assert_only_edited_note_updated(col, before, import_apkg(col, export(bank_copy, "anki"), tmp_path))


def test_outside_git_an_edit_refreshes_its_file_and_adds_nothing(collection, tmp_path, bank_copy):
    """Without git the file's time on disk is all we know: its notes update, none is added."""
    path = bank_copy / "networks" / "recurrent.yaml"
    for saved in (path, bank_copy / "networks" / "images" / "gate.png"):
        os.utime(saved, (RENDER_EPOCH + 1000, RENDER_EPOCH + 1000))
    col = collection()
    import_apkg(col, export(bank_copy, "anki"), tmp_path)
    edit_stem(bank_copy)
    os.utime(path, (RENDER_EPOCH + 1060, RENDER_EPOCH + 1060))
    new, updated, _ = counts(import_apkg(col, export(bank_copy, "anki"), tmp_path))
    same_file = [q for q in load(bank_copy).questions if q.file.loaded.path == path]
    assert new == 0 and updated == len(same_file)


def test_text_export_of_an_edit_updates_exactly_that_note(collection, tmp_path, bank_copy):
    col = collection()
    import_apkg(col, export(bank_copy, "anki"), tmp_path)
    before = notes(col)
    edit_stem(bank_copy)
    log = import_text(col, export(bank_copy, "anki-text"), tmp_path)
    assert counts(log)[:2] == (0, 1)
    after = notes(col)
    edited = guid(EDITED_ID)
    assert after[edited]["id"] == before[edited]["id"] and "exactly two" in after[edited]["fields"]["Stem"]
    assert {k: v["fields"] for k, v in after.items() if k != edited} == {k: v["fields"] for k, v in before.items() if k != edited}


def test_decks_and_note_type_are_written_as_genanki_writes_them(tmp_path):
    """write_decks puts every deck into the collection's row in one update (genanki's Deck.write_to_db
    rewrites the whole list once per deck); what Anki reads of it is the same JSON."""
    import sqlite3

    import genanki

    from qbank.exporters.anki_note import NOTETYPE_TIME, deck_id, model
    from qbank.exporters.anki_package import write_decks

    note_type = model()
    names = ["bank::b", "bank::a", "bank::a::deeper"]

    def collection_row(write) -> tuple[dict, dict]:
        connection = sqlite3.connect(tmp_path / f"{len(list(tmp_path.iterdir()))}.anki2")
        cursor = connection.cursor()
        genanki.Package([]).write_to_db(cursor, NOTETYPE_TIME, iter(range(10**6)))
        decks = [genanki.Deck(deck_id(name), name) for name in names]
        write(cursor, decks)
        row = cursor.execute("SELECT decks, models FROM col").fetchone()
        connection.close()
        return json.loads(row[0]), json.loads(row[1])

    def by_genanki(cursor, decks):
        for deck in decks:
            deck.add_model(note_type)
            deck.write_to_db(cursor, NOTETYPE_TIME, iter(range(10**6)))

    ours = collection_row(lambda cursor, decks: write_decks(cursor, decks, note_type, NOTETYPE_TIME))
    assert ours == collection_row(by_genanki)
    assert [deck["name"] for deck in ours[0].values()] == ["Default", *names]
