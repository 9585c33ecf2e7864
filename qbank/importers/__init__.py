"""Importers, registered by format name. ``IMPORTERS`` feeds ``qbank import --from``.

An importer reads a source file into bank-file data (plain dicts in the canonical
shape of :class:`~qbank.model.BankFile`) plus assets, and reports everything it
cannot carry as an :class:`ImportNote` with the source location.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar


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


class Importer:
    name: ClassVar[str]
    summary: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]] = ()

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
