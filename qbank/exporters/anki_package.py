"""Anki .apkg: a deck per category, one note per question, updated in place on re-import.

genanki builds the collection database (note type, decks, notes, cards), each note
and its card written with the time its question last changed (see
:mod:`qbank.exporters.note_times`). qbank writes the zip with fixed entry dates
(:mod:`qbank.exporters.archive`), so that the same bank always gives the same bytes. The package is the
legacy layout every Anki version reads: ``collection.anki2``, a ``media`` map and
numbered media files.
"""

from __future__ import annotations

import functools
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


def write_collection(package, path: Path) -> Path:
    """The collection database, written to ``path`` (each note and its card stamped with its question's time,
    see :func:`timed_note_class`).

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
        connection.commit()
    finally:
        connection.close()
    with path.open("r+b") as handle:
        for offset in (24, 92, 96):
            handle.seek(offset)
            handle.write(bytes(4))
    return path


@functools.cache
def timed_note_class() -> type:
    """genanki's note, writing itself and its card with its own ``time`` (the time its question last changed).

    genanki stamps every note and card of a package with the one time it is given (``mod``);
    Anki compares a note's time with its own copy's on import to decide whether to update it.
    (A class made on first use: genanki is imported only when an Anki package is written.)
    """
    import genanki

    class TimedNote(genanki.Note):
        time: int

        def write_to_db(self, cursor, timestamp, deck_id, id_gen):
            super().write_to_db(cursor, self.time, deck_id, id_gen)

    return TimedNote


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
        timed_note = timed_note_class()
        for content in bank_notes(bank, bank_name, result, progress, self.options["source_comment"], self.jobs, times):
            if content.deck not in decks:
                decks[content.deck] = genanki.Deck(deck_id(content.deck), content.deck)
                decks[content.deck].add_model(note_type)
            note = timed_note(model=note_type, fields=content.fields, tags=content.tags, guid=content.guid)
            note.time = content.time
            decks[content.deck].add_note(note)
            for image in content.media:
                files[image.name] = image
        package = genanki.Package(list(decks.values()))
        names = sorted(files)
        with tempfile.TemporaryDirectory(prefix="qbank-anki-") as folder:
            collection = write_collection(package, Path(folder) / "collection.anki2")
            del package, decks  # the notes are in the database now
            entries: dict[str, bytes | Iterable[bytes]] = {"collection.anki2": file_pieces(collection)}
            entries["media"] = json.dumps({str(i): name for i, name in enumerate(names)}).encode("utf-8")
            entries.update((str(i), files[name].data) for i, name in enumerate(names))
            with output.open(bank_name + self.extension) as out:
                deterministic_zip(entries, out)
