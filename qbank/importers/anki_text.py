"""Anki text files (``.anki.txt`` from qbank, "Notes in Plain Text" from Anki) back into bank files.

The file is read as Anki's own text importer reads it (ankitects/anki
``rslib/src/import_export/text/csv/metadata.rs`` and ``import.rs``):

- leading ``#key:value`` lines are its settings: ``#separator`` (``tab``, ``comma``,
  ``semicolon``, ``space``, ``pipe``, ``colon`` or the character itself), ``#html``,
  ``#notetype`` or ``#notetype column``, ``#deck`` or ``#deck column``, ``#tags`` (added to
  every note) and ``#tags column``, ``#guid column``, ``#columns``;
- then one note per record, fields separated by the separator, a field holding it,
  a line break or ``"`` wrapped in double quotes (a ``"`` inside doubled); a line that
  starts with ``#`` between records is a comment;
- the columns that are not the note type, deck, tags or GUID are the fields, in order.

Rows of qbank's note type (named ``qbank multiple choice``, or in a file whose
``#columns`` are qbank's fields) are restored from their comment or rebuilt from
their fields (:mod:`qbank.importers.anki_note`); rows of other note types are
skipped and listed with their line. A text file carries no images: restored
questions keep their links, and each missing image is reported.
"""

from __future__ import annotations

import csv
import posixpath
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from qbank.exporters.anki_note import FIELDS, MODEL_NAME
from qbank.importers import ImportNote, ImportResult, Importer, read_source_text, register
from qbank.importers.anki_note import Note, NoteReader, field_text, other_note_types
from qbank.importers.restore import BankFiles
from qbank.importers.shape import output_name

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
_SETTING = re.compile(r"^#([a-z ]+):(.*)$")
_COLUMN = re.compile(r"[0-9]{1,6}\Z")
"""A column number as Anki writes it: ASCII digits (``str.isdigit`` also takes ``²``, which int() refuses)."""
_KNOWN = {"separator", "html", "notetype", "notetype column", "deck", "deck column", "tags", "tags column",
          "guid column", "columns", "if matches", "match scope"}


@dataclass
class Settings:
    separator: str = "\t"
    html: bool = False
    notetype: str | None = None
    deck: str = ""
    tags: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)
    """``notetype``, ``deck``, ``tags``, ``guid``: 0-based column of each, when the file has one."""
    names: list[str] = field(default_factory=list)
    """The column names of ``#columns``."""


def read_settings(lines: list[str], source: str, result: ImportResult) -> tuple[Settings, int]:
    """The settings of the leading ``#key:value`` lines, and how many lines they take."""
    settings = Settings()
    count = 0
    for number, line in enumerate(lines, 1):
        match = _SETTING.match(line)
        if not match or match.group(1) not in _KNOWN:
            break
        count = number
        key, value = match.group(1), match.group(2).strip()
        if key == "separator":
            settings.separator = SEPARATORS.get(value.lower(), value[:1] or "\t")
        elif key == "html":
            settings.html = value.lower() == "true"
        elif key in ("notetype", "deck"):
            setattr(settings, key, value)
        elif key == "tags":
            settings.tags = value.split()
        elif key == "columns":
            settings.names = line.split(":", 1)[1].split(settings.separator)
        elif key.endswith(" column"):
            if _COLUMN.match(value) and int(value) > 0:
                settings.columns[key[: -len(" column")]] = int(value) - 1
            else:
                result.notes.append(ImportNote(source, f"#{key} is {value!r}, not a column number; it was ignored", number))
    return settings, count


class OverlongField(Exception):
    """A field ran past ``csv.field_size_limit()``: most likely a quote that is never closed."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def records(lines: list[str], first: int, separator: str):
    """``(line number, fields)`` of each record from line ``first`` (1-based); comment lines skipped."""
    state = {"at_start": True, "line": first - 1}

    def physical():
        for number in range(first, len(lines) + 1):
            line = lines[number - 1]
            if state["at_start"] and (line.startswith("#") or not line.strip()):
                continue
            if state["at_start"]:
                state["line"] = number
            state["at_start"] = False
            yield line + "\n"

    rows = csv.reader(physical(), delimiter=separator, quotechar='"', doublequote=True, strict=False)
    try:
        for row in rows:
            state["at_start"] = True
            yield state["line"], row
    except csv.Error as exc:  # not strict, so only a field longer than the limit
        raise OverlongField(state["line"]) from exc


@register
class AnkiTextImporter(Importer):
    name = "anki-text"
    summary = "Anki text file (.anki.txt, or Anki's Notes in Plain Text): qbank's notes restored or rebuilt, decks as categories"
    suffixes = ()  # told by its header lines only: a .txt could be anything
    signature = True

    @classmethod
    def detect(cls, path: Path, head: str) -> bool:
        first = head.lstrip("\ufeff").split("\n", 1)[0]
        match = _SETTING.match(first)
        return bool(match) and match.group(1) in _KNOWN

    def read(self, path: Path) -> ImportResult:
        source = str(path)
        result = ImportResult()
        lines = read_source_text(path).split("\n")
        settings, count = read_settings(lines, source, result)
        own = output_name(path.name)
        reader = NoteReader(source, result, self.ids, posixpath.dirname(own), None)
        files = BankFiles()
        try:
            foreign = self._read_rows(lines, count + 1, settings, reader, files, result)
        except OverlongField as exc:
            limit = f"{csv.field_size_limit():,}"
            message = f'a field of the note on this line runs past {limit} characters: most likely a quote (") that is never closed'
            result.notes.append(ImportNote(source, message, exc.line, None, "error"))
            return result
        if foreign:
            result.notes.append(ImportNote(source, other_note_types(foreign)))
        result.files.update(files.files(own))
        return result

    @staticmethod
    def _read_rows(lines: list[str], first: int, settings: Settings, reader: NoteReader, files: BankFiles, result: ImportResult) -> int:
        """Read every record into ``files``; the count of notes of other note types."""
        source = reader.source
        special = set(settings.columns.values())
        ours_by_columns = settings.names[: len(FIELDS)] == list(FIELDS)
        foreign = 0
        for line, row in records(lines, first, settings.separator):
            def column(name: str, default: str = "") -> str:
                index = settings.columns.get(name)
                return row[index] if index is not None and index < len(row) else default

            notetype = column("notetype", settings.notetype or "")
            fields = [value for index, value in enumerate(row) if index not in special]
            if not (notetype == MODEL_NAME or (not notetype and ours_by_columns)):
                foreign += 1
                named = f"note type {notetype!r}" if notetype else "no note type named"
                first = (fields[0] if fields else "") if settings.html else escape(fields[0] if fields else "")
                result.skipped.append(f"{field_text(first)[:50] or '(empty)'} ({named}, {source}:{line})")
                continue
            if not settings.html:
                fields = [escape(value, quote=False).replace("\n", "<br>") for value in fields]
            if len(fields) > len(FIELDS) and any(value.strip() for value in fields[len(FIELDS):]):
                result.notes.append(ImportNote(source, f"the row has {len(fields)} fields; qbank's note type has {len(FIELDS)}, so the rest were left out", line))
            fields = (fields + [""] * len(FIELDS))[: len(FIELDS)]
            tags = [*settings.tags, *column("tags").split()]
            note = Note(f"line {line}", line, fields, column("deck", settings.deck), tags, column("guid") or None)
            files.take(reader.read(note))
        return foreign
