"""Tell a source file's format from its content, with the suffix as a tie-breaker."""

from __future__ import annotations

import zipfile
from pathlib import Path

from qbank.importers import IMPORTERS

HEAD_BYTES = 64 * 1024


def head_of(path: Path) -> str:
    """The first few KB of a file as text (undecodable bytes replaced), for detection."""
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES).decode("utf-8", errors="replace").replace("\r\n", "\n")


def zip_names(path: Path, head: str) -> list[str]:
    """The entry names of a zip file, or [] when ``path`` is not one (for detectors of zipped formats)."""
    if not head.startswith("PK\x03\x04"):
        return []
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return []


def candidates(path: Path, head: str) -> list[str]:
    """The formats ``path`` may be in: one when the format is clear, several or none otherwise."""
    suffix = path.suffix.lower()
    by_content = [name for name, importer in IMPORTERS.items() if importer.detect(path, head)]
    certain = [name for name in by_content if IMPORTERS[name].signature]
    if len(certain) == 1:
        return certain
    by_suffix = [name for name, importer in IMPORTERS.items() if suffix in importer.suffixes]
    if len(by_content) > 1:
        narrowed = [name for name in by_content if name in by_suffix]
        return narrowed if len(narrowed) == 1 else sorted(by_content)
    return by_content or by_suffix
