"""Small text helpers shared by rules and exporters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from qbank.memo import per_file

_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`|~~)(?=\S)(.+?)(?<=\S)\1")
_MARKS = re.compile(r"[*_`~]")
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot carry, not even escaped: the control characters other than tab and
line breaks, and the noncharacters U+FFFE and U+FFFF. (A lone surrogate cannot reach a text: YAML
refuses its escape, and UTF-8 cannot hold it.)"""
_XML_FORBIDDEN_BYTES = bytes(code for code in range(0x80) if XML_FORBIDDEN.match(chr(code)))
"""The ASCII bytes of :data:`XML_FORBIDDEN`: no byte of a longer UTF-8 sequence is ASCII."""


def holds_xml_forbidden(texts: Iterable[str]) -> bool:
    """Whether any of ``texts`` holds a character of :data:`XML_FORBIDDEN`, looked at all at once:
    deleting the forbidden bytes from their UTF-8 is one pass in C (1 µs for a question's 1,150
    characters, against 3.5 µs for the regular expression run on each text)."""
    joined = "\n".join(texts)
    data = joined.encode("utf-8", "surrogatepass")
    return len(data.translate(None, _XML_FORBIDDEN_BYTES)) != len(data) or "\ufffe" in joined or "\uffff" in joined


_TRAILING = " .,;:!?"
"""End punctuation, and the only space left once spaces are collapsed."""


def _inner(match: re.Match) -> str:
    return match.group(2)


def strip_emphasis(text: str) -> str:
    """Remove Markdown emphasis and code marks: ``**not**`` becomes ``not``."""
    previous = None
    while previous != text and _MARKS.search(text):
        # A function, not the template r"\2": re parses a template on every call (about 1 µs).
        previous, text = text, _EMPHASIS.sub(_inner, text)
    return text


def collapse_spaces(text: str) -> str:
    """Every run of white space as one space, as ``re.sub(r"\\s+", " ", text)`` makes it.

    Without a regular expression: :meth:`str.split` cuts at the very characters ``\\s``
    matches (both ask ``Py_UNICODE_ISSPACE``), and joining the words is three times
    sooner than the substitution for a stem of a few lines.
    """
    if text.isprintable() and "  " not in text:
        return text  # a cheap first look: every white space but the space is unprintable
    words = text.split()
    if not words:
        return " " if text else text
    joined = " ".join(words)
    if text[0].isspace():
        joined = " " + joined
    return joined + " " if text[-1].isspace() else joined


@per_file
def normalise_option(text: str) -> str:
    """The form two options are compared in: no emphasis, case, extra spaces or end punctuation."""
    text = unicodedata.normalize("NFKC", strip_emphasis(text))
    return collapse_spaces(text).strip().rstrip(_TRAILING).casefold()


def is_blank(text: str | None) -> bool:
    return text is None or not text.strip()
