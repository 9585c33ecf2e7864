"""Anki .apkg: a deck per category, one note per question, updated in place on re-import.

genanki builds the collection database: its tables, then each note and its card as soon
as a worker sends it, written with the time its question last changed (see
:mod:`qbank.exporters.note_times`), so the notes never pile up in memory; then the decks
and the note type, in the collection's row. qbank writes the zip with fixed entry dates
(:mod:`qbank.exporters.archive`), so that the same bank always gives the same bytes. The package is the
legacy layout every Anki version reads: ``collection.anki2``, a ``media`` map and
numbered media files.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from qbank.bank import Bank
from qbank.exporters import Exporter, ExportResult, register
from qbank.exporters.archive import deterministic_zip, file_pieces
from qbank.exporters.anki_note import NOTETYPE_TIME, bank_notes, deck_id, model
from qbank.exporters.media import Image
from qbank.exporters.note_times import NoteTimes
from qbank.exporters.write import Output

ID_BASE = NOTETYPE_TIME * 1000
"""genanki numbers notes and cards from here; Anki matches notes by GUID, not by these ids."""


@contextmanager
def collection_database(path: Path) -> Iterator[sqlite3.Cursor]:
    """A cursor on a new collection database at ``path``, committed and closed on leaving.

    It is built in a file, not in memory, so that a large bank's database never sits in
    memory (twice, once serialised). The header fields that only a file database fills
    in (change counter, version-valid-for, SQLite version at offsets 24, 92 and 96) are
    set to zero, as an in-memory database leaves them: they say how the file was written,
    not what it holds, so the package is the same bytes as when the database was built in memory.
    """
    connection = sqlite3.connect(path)
    try:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.execute("PRAGMA synchronous = OFF")  # a scratch file, zipped next: no fsync (0.25 s at 100,000 notes)
        yield cursor
        connection.commit()
    finally:
        connection.close()
    with path.open("r+b") as handle:
        for offset in (24, 92, 96):
            handle.seek(offset)
            handle.write(bytes(4))


def write_decks(cursor: sqlite3.Cursor, decks: list, note_type, timestamp: int) -> None:
    """The decks, and the note type (its default deck the last of them), into the collection's row at once.

    genanki's ``Deck.write_to_db`` reads, extends and writes back the whole list of decks and of
    note types for each deck: quadratic in the decks (0.9 s for the 483 categories of bench
    bank-100k). The JSON written here is what the last of those writes leaves, but for a note type
    key that genanki writes twice, as a number and as a text (JSON readers keep the last).
    """
    decks_json, models_json = cursor.execute("SELECT decks, models FROM col").fetchone()
    all_decks, models = json.loads(decks_json), json.loads(models_json)
    all_decks.update((str(deck.deck_id), deck.to_json()) for deck in decks)
    if decks:
        models[str(note_type.model_id)] = note_type.to_json(timestamp, decks[-1].deck_id)
    cursor.execute("UPDATE col SET decks = ?, models = ?", (json.dumps(all_decks), json.dumps(models)))


@register
class AnkiPackageExporter(Exporter):
    """An Anki package (File > Import in Anki)."""

    name = "anki"
    summary = "Anki .apkg: one frozen note type, decks Bank::Category, GUIDs from ids, media included."
    extension = ".apkg"
    defaults: dict[str, Any] = {"source_comment": True}
    """source_comment: end the Id field with the qbank comment that lets `qbank import` restore the question."""

    def write(self, bank: Bank, bank_name: str, output: Output, result: ExportResult, progress=None) -> None:
        """Each note goes into the collection database as soon as its worker sends it, with the time
        its question last changed (see :mod:`qbank.exporters.note_times`); the decks and the note type,
        which genanki keeps in the collection's row, once every note is in."""
        import genanki

        note_type = model()
        decks: dict[str, genanki.Deck] = {}
        files: dict[str, Image] = {}
        times = NoteTimes(bank)
        ids = itertools.count(ID_BASE)
        with tempfile.TemporaryDirectory(prefix="qbank-anki-") as folder:
            collection = Path(folder) / "collection.anki2"
            with collection_database(collection) as cursor:
                genanki.Package([]).write_to_db(cursor, NOTETYPE_TIME, ids)  # the tables and the collection's row
                for content in bank_notes(bank, bank_name, result, progress, self.options["source_comment"], self.jobs, times):
                    if content.deck not in decks:
                        decks[content.deck] = genanki.Deck(deck_id(content.deck), content.deck)
                    note = genanki.Note(model=note_type, fields=content.fields, tags=content.tags, guid=content.guid)
                    note.write_to_db(cursor, content.time, decks[content.deck].deck_id, ids)  # with its card
                    for image in content.media:
                        files[image.name] = image
                write_decks(cursor, list(decks.values()), note_type, NOTETYPE_TIME)
            names = sorted(files)
            entries: dict[str, bytes | Iterable[bytes]] = {"collection.anki2": file_pieces(collection)}
            entries["media"] = json.dumps({str(i): name for i, name in enumerate(names)}).encode("utf-8")
            entries.update((str(i), files[name].data) for i, name in enumerate(names))
            with output.open(bank_name + self.extension) as out:
                deterministic_zip(entries, out)
