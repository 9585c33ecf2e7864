"""Anki packages (.apkg, .colpkg) in the layout every Anki version reads, back into bank files.

A package is a zip holding the collection, an SQLite database (``collection.anki21``,
or ``collection.anki2`` from older Anki and from genanki, which qbank's export
uses), a ``media`` JSON map (``{"0": "name.png"}``) and the media files under
those numbers. What is read, after Anki's schema 11 (ankitects/anki
``rslib/src/storage/schema11.sql``):

- ``col.models``: each note type's fields (``flds``, by ``ord``); a note type whose
  fields are qbank's (Id, Stem, Options, Answer, Explanation, Whys, Source) is
  qbank's, whatever its id or name; notes of any other type are skipped and listed;
- ``notes``: ``flds`` (fields joined by ``\\x1f``), ``tags`` (space separated), in
  note id order;
- ``cards``: the deck of each note's card (its original deck when it sits in a
  filtered deck), whose name ``Bank::Category::Sub`` gives the category ``Category/Sub``.

Each note of qbank's type is restored from its comment or rebuilt from its fields
(:mod:`qbank.importers.anki_note`); images come from the package's media. Anki 2.1.50
and later write, unless "Support older Anki versions" is ticked, a compressed
``collection.anki21b`` beside a stub ``collection.anki2``: that form is refused with
that advice, never read as the stub.
"""

from __future__ import annotations

import json
import posixpath
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from qbank.importers import ImportNote, ImportResult, Importer, register
from qbank.importers.anki_note import Note, NoteReader, field_text, is_ours, other_note_types
from qbank.importers.detect import zip_names
from qbank.importers.restore import BankFiles
from qbank.importers.shape import output_name

COLLECTIONS = ("collection.anki21", "collection.anki2")
"""The collection files qbank reads, preferred first (a package may hold both: then anki2 is a stub)."""
NEWER = "collection.anki21b"


class PackageError(ValueError):
    """The file is not a package qbank can read; the message says why and what to do."""


def _zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(f"this is not an Anki package: it is not a zip file ({exc})") from exc


def _media(archive: zipfile.ZipFile, names: set[str], notes: list[str]) -> dict[str, bytes]:
    """The media files by name, from the ``media`` map."""
    if "media" not in names:
        return {}
    try:
        mapping = json.loads(archive.read("media"))
        if not isinstance(mapping, dict):
            raise ValueError("not a JSON object")
    except ValueError as exc:
        notes.append(f"its media map is not valid JSON ({exc}); no image was read")
        return {}
    media = {}
    for number, name in mapping.items():
        if str(number) in names:
            media[str(name)] = archive.read(str(number))
        else:
            notes.append(f"the media file {name!r} is listed but not in the package")
    return media


def _rows(data: bytes) -> tuple[dict[str, Any], dict[str, Any], list[tuple], dict[int, int]]:
    """(note types, decks, notes, the deck of each note) from the collection database."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        connection.execute("PRAGMA trusted_schema = OFF")
        models, decks = connection.execute("SELECT models, decks FROM col").fetchone()
        notes = connection.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id").fetchall()
        deck_of: dict[int, int] = {}
        for nid, did, odid in connection.execute("SELECT nid, did, odid FROM cards ORDER BY nid, ord"):
            deck_of.setdefault(nid, odid or did)
        models, decks = json.loads(models), json.loads(decks)
        if not isinstance(models, dict) or not isinstance(decks, dict):
            raise ValueError("its note types or decks are not JSON objects")
        return models, decks, notes, deck_of
    finally:
        connection.close()


def _object(value: Any) -> dict[str, Any]:
    """A JSON object of the collection, or {} when a damaged collection holds something else there."""
    return value if isinstance(value, dict) else {}


def read_package(path: Path) -> tuple[dict[str, Any], dict[str, Any], list[tuple], dict[int, int], dict[str, bytes], list[str]]:
    """Everything qbank reads from a package, or :class:`PackageError`."""
    with _zip(path) as archive:
        names = set(archive.namelist())
        found = [name for name in COLLECTIONS if name in names]
        if NEWER in names and "collection.anki21" not in names:
            raise PackageError(
                "this package is in the compressed format of Anki 2.1.50 and later (collection.anki21b), which "
                "qbank does not read; in Anki, export it again with \"Support older Anki versions\" ticked"
            )
        if not found:
            raise PackageError("this zip holds no Anki collection (collection.anki21 or collection.anki2)")
        notes: list[str] = []
        media = _media(archive, names, notes)
        collection = archive.read(found[0])
    try:
        models, decks, rows, deck_of = _rows(collection)
    except (sqlite3.Error, ValueError, TypeError) as exc:
        raise PackageError(f"its collection {found[0]} cannot be read as an Anki collection ({exc})") from exc
    return models, decks, rows, deck_of, media, notes


@register
class AnkiImporter(Importer):
    name = "anki"
    summary = "Anki package (.apkg): qbank's notes restored exactly (or rebuilt from their fields), images, decks as categories"
    suffixes = (".apkg", ".colpkg")
    signature = True

    @classmethod
    def detect(cls, path: Path, head: str) -> bool:
        names = zip_names(path, head)
        return any(name in names for name in (*COLLECTIONS, NEWER))

    def read(self, path: Path) -> ImportResult:
        source = str(path)
        result = ImportResult()
        try:
            models, decks, rows, deck_of, media, problems = read_package(path)
        except PackageError as exc:
            result.notes.append(ImportNote(source, str(exc), severity="error"))
            return result
        result.notes.extend(ImportNote(source, message) for message in problems)
        own = output_name(path.name)
        reader = NoteReader(source, result, self.ids, posixpath.dirname(own), media)
        files = BankFiles()
        foreign = 0
        for nid, guid, mid, tags, flds in rows:
            model = _object(models.get(str(mid)))
            field_names = [_object(f).get("name") for f in sorted(model.get("flds") or [], key=lambda f: _object(f).get("ord") or 0)]
            fields = str(flds).split("\x1f")
            deck = str(_object(decks.get(str(deck_of.get(nid)))).get("name", ""))
            if not is_ours(field_names):
                foreign += 1
                result.skipped.append(f"{field_text(fields[0])[:50] or '(empty)'} (note type {model.get('name', mid)!r}, {source} note {nid})")
                continue
            fields += [""] * (len(field_names) - len(fields))
            note = Note(f"note {nid}", None, fields[: len(field_names)], deck, str(tags).split(), str(guid))
            files.take(reader.read(note))
        if foreign:
            result.notes.append(ImportNote(source, other_note_types(foreign)))
        result.files.update(files.files(own))
        return result
