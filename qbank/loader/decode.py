"""Turn a file's bytes into text, or say precisely why that is impossible."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from qbank.diagnostics import Position
from qbank.loader.tree import position_at


@dataclass
class DecodeProblem:
    message: str
    hint: str
    position: Position


def _position_of_offset(data: bytes, offset: int) -> Position:
    """1-based line and column (in characters, lines as editors count them) of a byte offset in mostly-UTF-8 data."""
    before = data[:offset].decode("utf-8", errors="replace")
    return position_at(before, len(before))


def decode(data: bytes) -> tuple[str | None, DecodeProblem | None]:
    """Decode UTF-8 (with or without a BOM). CRLF is left to the YAML parser."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, DecodeProblem(
            "the file is UTF-16; qbank reads UTF-8",
            "re-save the file as UTF-8 in your editor",
            Position(1, 1),
        )
    nul = data.find(b"\0")
    if nul >= 0:
        return None, DecodeProblem(
            "this looks like a binary file (it holds a NUL byte), not YAML",
            "remove it from the bank folder, or give qbank only .yaml files",
            _position_of_offset(data, nul),
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, DecodeProblem(
            f"invalid UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
            "re-save the file as UTF-8; the character at this position was written in another encoding",
            _position_of_offset(data, exc.start),
        )
    if not text.strip():
        return None, DecodeProblem(
            "the file is empty",
            "add a questions: list, or delete the file",
            Position(1, 1),
        )
    return text, None
