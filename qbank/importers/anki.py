"""Anki packages (.apkg, .colpkg) in every layout Anki writes, back into bank files.

A package is a zip holding the collection, an SQLite database (``collection.anki21``,
or ``collection.anki2`` from older Anki and from genanki, which qbank's export
uses), a ``media`` JSON map (``{"0": "name.png"}``) and the media files under
those numbers. Anki 2.1.50 and later write, unless "Support older Anki versions" is
ticked, a zstd-compressed ``collection.anki21b`` (schema 18) beside a stub
``collection.anki2``, with a protobuf media list; its ``meta`` entry says which
collection is the package's, so the stub is never read as the bank
(:mod:`qbank.importers.anki_latest`). What is read, after Anki's schema 11
(ankitects/anki ``rslib/src/storage/schema11.sql``) or its schema 18 tables:

- the note types: each one's fields (``flds``, by ``ord``); a note type whose
  fields are qbank's (Id, Stem, Options, Answer, Explanation, Whys, Source) is
  qbank's, whatever its id or name; notes of any other type are skipped and listed;
- ``notes``: ``flds`` (fields joined by ``\\x1f``), ``tags`` (space separated), in
  note id order;
- ``cards``: the deck of each note's card (its original deck when it sits in a
  filtered deck), whose name ``Bank::Category::Sub`` gives the category ``Category/Sub``.

Each note of qbank's type is restored from its comment or rebuilt from its fields
(:mod:`qbank.importers.anki_note`); images come from the package's media.
"""

from __future__ import annotations

import json
import posixpath
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from qbank.importers import ImportNote, ImportResult, Importer, register
from qbank.importers.anki_latest import COLLECTION_OF, LATEST, LatestFormatError, media_map, package_version, read_member, tables
from qbank.importers.anki_note import Note, NoteReader, field_text, is_ours, other_note_types
from qbank.importers.detect import zip_names
from qbank.importers.restore import BankFiles
from qbank.importers.shape import output_name


class PackageError(ValueError):
    """The file is not a package qbank can read; the message says why and what to do."""


def _zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(f"this is not an Anki package: it is not a zip file ({exc})") from exc


def _media_list(data: bytes, version: int) -> dict:
    """The media map (zip member -> file name): JSON in a legacy package, protobuf in a version 3 one."""
    if version == LATEST:
        return media_map(data)
    try:
        mapping = json.loads(data)
    except ValueError as exc:
        raise ValueError(f"its media map is not valid JSON ({exc})") from exc
    if not isinstance(mapping, dict):
        raise ValueError("its media map is not valid JSON (not a JSON object)")
    return mapping


def _media(archive: zipfile.ZipFile, names: set[str], version: int, notes: list[str]) -> dict[str, bytes]:
    """The media files by name, from the ``media`` map."""
    if "media" not in names:
        return {}
    try:
        mapping = _media_list(read_member(archive, "media", version, "media list"), version)
    except ValueError as exc:
        notes.append(f"{exc}; no image was read")
        return {}
    media = {}
    for number, name in mapping.items():
        if str(number) not in names:
            notes.append(f"the media file {name!r} is listed but not in the package")
            continue
        try:
            media[str(name)] = read_member(archive, str(number), version, f"media file {name!r}")
        except LatestFormatError as exc:
            notes.append(f"{exc}; it was not read")
    return media


def _without_wal(data: bytes) -> bytes:
    """The database marked as using a rollback journal when it is marked for write-ahead logging (Anki's
    schema 18 collections are): SQLite cannot open a WAL database held in memory. Header bytes 18 and 19
    are the file format's write and read versions, 2 for WAL and 1 for legacy (sqlite.org/fileformat.html);
    nothing else differs in the file."""
    if data[:16] == b"SQLite format 3\x00" and data[18:20] == b"\x02\x02":
        return data[:18] + b"\x01\x01" + data[20:]
    return data


def _rows(data: bytes, version: int) -> tuple[dict[str, Any], dict[str, Any], list[tuple], dict[int, int]]:
    """(note types, decks, notes, the deck of each note) from the collection database."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(_without_wal(data))
        connection.execute("PRAGMA trusted_schema = OFF")
        if version == LATEST:
            models, decks = tables(connection)
        else:
            models, decks = (json.loads(value) for value in connection.execute("SELECT models, decks FROM col").fetchone())
        notes = connection.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id").fetchall()
        deck_of: dict[int, int] = {}
        for nid, did, odid in connection.execute("SELECT nid, did, odid FROM cards ORDER BY nid, ord"):
            deck_of.setdefault(nid, odid or did)
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
        try:
            version = package_version(archive.read("meta") if "meta" in names else None, names)
        except LatestFormatError as exc:
            raise PackageError(f"this package cannot be read: {exc}") from exc
        found = COLLECTION_OF[version]
        if found not in names:
            if "meta" in names:
                raise PackageError(f"its meta entry names the collection {found}, which the package does not hold")
            raise PackageError("this zip holds no Anki collection (collection.anki21b, collection.anki21 or collection.anki2)")
        notes: list[str] = []
        media = _media(archive, names, version, notes)
        try:
            models, decks, rows, deck_of = _rows(read_member(archive, found, version, found), version)
        except (sqlite3.Error, ValueError, TypeError) as exc:
            raise PackageError(f"its collection {found} cannot be read as an Anki collection ({exc})") from exc
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
        return any(name in names for name in COLLECTION_OF.values())

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
