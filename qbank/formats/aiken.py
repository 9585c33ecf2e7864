"""The Aiken grammar that import and export share, after Moodle's own reader.

Reference: moodle/moodle ``question/format/aiken/format.php`` (``qformat_aiken``) and
https://docs.moodle.org/en/Aiken_format. Every line is trimmed, and lines shorter
than two characters are ignored. A line that starts with a capital letter and
``.`` or ``)`` is an option; a line that starts with ``ANSWER:`` ends the question
and names its key by letter; any other line starts a new question, so a question
text is one line. There is no feedback, no id, no category and only one key.
Moodle reads every text as plain text (it HTML-escapes it).
"""

from __future__ import annotations

import re

OPTION = re.compile(r"([A-Z])[).][ \t]?(.*)")
"""An option line (Moodle: ``/^[A-Z][).][ \\t]?/``); the text is the rest, trimmed."""
ANSWER = re.compile(r"ANSWER:(.*)")
MAX_OPTIONS = 26
MIN_LINE = 2
"""Moodle skips lines shorter than this."""


def letter(index: int) -> str:
    return chr(ord("A") + index)
