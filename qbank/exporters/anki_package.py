"""Anki .apkg: a deck per category, one note per question, updated in place on re-import.

genanki builds the collection database (note type, decks, notes, cards). qbank
then gives each note the time its question last changed (see
:mod:`qbank.exporters.note_times`) and writes the zip with fixed entry dates
(:mod:`qbank.exporters.archive`), so that the same bank always gives the same bytes. The package is the
legacy layout every Anki version reads: ``collection.anki2``, a ``media`` map and
numbered media files.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import tempfile
from collections.abc import Iterable
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


def write_collection(package, times: dict[str, int], path: Path) -> Path:
    """The collection database, written to ``path``, each note stamped with its question's time.

    It is built in a file, not in memory, so that a large bank's database never sits in
    memory (twice, once serialised). The header fields that only a file database
    fills in (change counter, version-valid-for, SQLite version at offsets 24, 92
    and 96) are set to zero, as an in-memory database leaves them, so the package is
    the same bytes as when the database was built in memory.
    """
    connection = sqlite3.connect(path)
    try:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode = OFF")
        package.write_to_db(cursor, NOTETYPE_TIME, itertools.count(ID_BASE))
        cursor.execute("CREATE TEMP TABLE note_time (guid TEXT PRIMARY KEY, mod INTEGER)")
        cursor.executemany("INSERT INTO note_time VALUES (?, ?)", times.items())
        cursor.execute("UPDATE notes SET mod = (SELECT mod FROM note_time WHERE note_time.guid = notes.guid)")
        cursor.execute("DROP TABLE note_time")
        cursor.execute("UPDATE cards SET mod = (SELECT mod FROM notes WHERE notes.id = cards.nid)")
        connection.commit()
    finally:
        connection.close()
    with path.open("r+b") as handle:
        for offset in (24, 92, 96):
            handle.seek(offset)
            handle.write(bytes(4))
    return path


@register
class AnkiPackageExporter(Exporter):
    """An Anki package (File > Import in Anki)."""

    name = "anki"
    summary = "Anki .apkg: one frozen note type, decks Bank::Category, GUIDs from ids, media included."
    extension = ".apkg"
    defaults: dict[str, Any] = {"source_comment": True}
    """source_comment: end the Id field with the qbank comment that lets `qbank import` restore the question."""

    def write(self, bank: Bank, bank_name: str, output: Output, result: ExportResult, progress=None) -> None:
        import genanki

        note_type = model()
        decks: dict[str, genanki.Deck] = {}
        files: dict[str, Image] = {}
        times = NoteTimes(bank)
        stamped: dict[str, int] = {}
        for content in bank_notes(bank, bank_name, result, progress, self.options["source_comment"], self.jobs, times):
            if content.deck not in decks:
                decks[content.deck] = genanki.Deck(deck_id(content.deck), content.deck)
                decks[content.deck].add_model(note_type)
            decks[content.deck].add_note(
                genanki.Note(model=note_type, fields=content.fields, tags=content.tags, guid=content.guid)
            )
            stamped[content.guid] = content.time
            for image in content.media:
                files[image.name] = image
        package = genanki.Package(list(decks.values()))
        names = sorted(files)
        with tempfile.TemporaryDirectory(prefix="qbank-anki-") as folder:
            collection = write_collection(package, stamped, Path(folder) / "collection.anki2")
            del package, decks  # the notes are in the database now
            entries: dict[str, bytes | Iterable[bytes]] = {"collection.anki2": file_pieces(collection)}
            entries["media"] = json.dumps({str(i): name for i, name in enumerate(names)}).encode("utf-8")
            entries.update((str(i), files[name].data) for i, name in enumerate(names))
            with output.open(bank_name + self.extension) as out:
                deterministic_zip(entries, out)
