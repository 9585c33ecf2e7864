"""Read source lines for excerpts, only for the files that have findings."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from qbank.loader.decode import decode

LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""Lines as editors and the loader count them (str.splitlines also splits at form feeds, U+2028...)."""

_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\u23ce"


def printable(line: str) -> str:
    """A source line safe to print: control characters (an escape could drive the terminal) and
    line separators become one visible symbol each, so that carets still line up."""
    return _UNPRINTABLE.sub(_visible, line)


@lru_cache(maxsize=256)
def source_lines(path: str) -> tuple[str, ...]:
    try:
        text, _ = decode(Path(path).read_bytes())
    except OSError:
        return ()
    return tuple(LINE_BREAK.split(text)) if text else ()
