"""Importers, registered by format name. ``IMPORTERS`` feeds ``qbank import --from``.

An importer reads a source file into bank-file data (plain dicts in the canonical
shape of :class:`~qbank.model.BankFile`) plus assets, and reports everything it
cannot carry as an :class:`ImportNote` with the source location.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from qbank.importers.ids import IdMaker


@dataclass
class ImportNote:
    """Something that could not be carried over, with where it is in the source."""

    source: str
    message: str
    line: int | None = None
    column: int | None = None
    severity: str = "warning"  # "warning": carried with a loss or skipped; "error": unreadable


@dataclass
class ImportResult:
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Bank files to write, by relative path (``category/name.yaml``), as plain data."""
    assets: dict[str, bytes] = field(default_factory=dict)
    """Files to write beside them (images), by relative path."""
    notes: list[ImportNote] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Names of questions not imported (unsupported types)."""


class UnreadableSource(Exception):
    """A source file that cannot be read at all (missing, binary, not UTF-8)."""


def read_source_text(path: Path) -> str:
    """The text of a source file: UTF-8 with or without a BOM, any line endings turned into LF."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableSource(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if b"\0" in data:
        raise UnreadableSource(f"{path}: this is a binary file (it holds a NUL byte), not a question file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableSource(
            f"{path}:{line}: invalid UTF-8 (byte 0x{data[exc.start]:02x}); re-save the file as UTF-8"
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Importer:
    name: ClassVar[str]
    summary: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]] = ()
    signature: ClassVar[bool] = False
    """True when :meth:`detect` looks for a mark no other format has (a header line, a zip entry, a root
    element): then a match settles the format even if a looser detector also matches."""

    def __init__(self, ids: IdMaker | None = None) -> None:
        self.ids = ids or IdMaker()
        """Shared by every importer of one run, so that generated ids are unique across files."""

    @classmethod
    def detect(cls, path: Path, head: str) -> bool:
        """True when ``head`` (the first few KB of text) is clearly this format."""
        return False

    def read(self, path: Path) -> ImportResult:
        raise NotImplementedError


IMPORTERS: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    IMPORTERS[cls.name] = cls
    return cls


from qbank.importers import aiken, anki, anki_text, gift, json_import, moodle, qa_text, qti  # noqa: E402,F401  (registers them)
