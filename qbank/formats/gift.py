"""The GIFT grammar that import and export share, after Moodle's own reader.

Reference: moodle/moodle ``question/format/gift/format.php`` (``qformat_gift``) and
https://docs.moodle.org/en/GIFT_format. What matters here:

- Questions are separated by blank lines; every line is trimmed, and lines that
  start with ``//`` are comments. ``// [id:…] [tag:…]`` comments carry the idnumber
  and tags, ``]`` inside them written ``\\]``.
- ``\\~ \\= \\# \\{ \\} \\:`` stand for the character itself, ``\\n`` for a line break and
  ``\\\\`` for a backslash. Any other backslash is kept as it is. There is no escape
  for a line break written as such, so texts are written on one line.
- Every text is trimmed, so leading and trailing white space cannot be carried.
- A text may start with a format, ``[markdown]``, ``[html]``, ``[moodle]`` or
  ``[plain]``; answers and feedback default to the question text's format.
- In an answer list, ``=`` marks a full-mark answer, ``~`` any other, ``~%50%``
  a weight in percent (``-?\\d{1,2}(\\.\\d*)?`` between percent signs; 100 too), and
  ``#`` starts the answer's feedback. ``####`` starts the general feedback.
- A multiple-choice question with no ``=`` answer lets learners pick several.
- ``$CATEGORY: path`` switches the category; levels are separated by ``/`` and a
  literal slash is written ``//``. Moodle prefixes a context (``$course$``) and a
  ``top`` level that are not part of the category's name.
"""

from __future__ import annotations

import re

PHP_TRIM = " \t\n\r\0\x0b"
"""The characters PHP's trim() removes, which Moodle applies to every line and text."""

FORMATS = ("markdown", "html", "moodle", "plain")

SPECIAL = "\\:#={}~"
"""Characters written with a backslash before them."""
_PLACEHOLDER_BASE = 0xFDD0
"""Unicode noncharacters, reserved for a program's internal use: safe placeholders."""
PLACEHOLDERS = {char: chr(_PLACEHOLDER_BASE + i) for i, char in enumerate(SPECIAL + "n")}
_RESTORE = {v: ("\n" if k == "n" else k) for k, v in PLACEHOLDERS.items()}
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)

WEIGHT = re.compile(r"%(-*)([0-9]{1,2}\.?[0-9]*)%")
"""An answer weight at the start of an answer, as Moodle's ``giftanswerweightregex`` reads it."""

ID_TOKEN = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
TAG_TOKEN = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])*)\]")
CONTEXT = re.compile(r"^\$[a-z]+\$$")


def has_placeholders(text: str) -> bool:
    return any(ch in _RESTORE for ch in text)


def protect(text: str) -> str:
    """Replace escape sequences by placeholders before parsing (so line numbers stay right)."""

    def replace(match: re.Match) -> str:
        char = match.group(1)
        if char in PLACEHOLDERS:
            return PLACEHOLDERS[char]
        return match.group(0)  # an unknown escape such as \( stays as written

    return _ESCAPE_RE.sub(replace, text)


def restore(text: str) -> str:
    """Turn placeholders back into the characters they stand for."""
    return "".join(_RESTORE.get(ch, ch) for ch in text)


def escape(text: str) -> str:
    """Write ``text`` so that GIFT reads it back as it is, on one line."""
    out = []
    for ch in text.replace("\r\n", "\n").replace("\r", "\n"):
        if ch == "\n":
            out.append("\\n")
        elif ch in SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def split_format(text: str, default: str) -> tuple[str, str]:
    """``[html]<b>x</b>`` → ("html", "<b>x</b>"); an unknown ``[word]`` is left in the text."""
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end] if end > 0 else ""
        if name in FORMATS:
            return name, text[end + 1 :]
    return default, text


def needs_format_prefix(text: str) -> bool:
    """True when a text would be misread without an explicit format: as a format, or as a weight."""
    return text.startswith(("[", "%"))


def category_path(raw: str) -> str:
    """``$course$/top/A/B`` → ``A/B``: the context and the ``top`` level are Moodle's, not the name."""
    path = raw.strip(PHP_TRIM)
    first, _, rest = path.partition("/")
    if CONTEXT.match(first):
        path = rest
    if path == "top" or path.startswith("top/"):
        path = path[4:]
    return path


def format_weight(percent: float) -> str:
    """A weight as Moodle reads it: ``50``, ``33.33333``, ``-25`` (never ``100.00000``)."""
    text = f"{percent:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
