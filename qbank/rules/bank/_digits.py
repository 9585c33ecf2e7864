"""A cheap test for digits in option texts, which the bank rules ask of every option."""

from __future__ import annotations

import re

_ASCII_DIGIT = re.compile(r"[0-9]")


def has_digit(text: str) -> bool:
    """Whether any character of ``text`` is a digit in the sense of :meth:`str.isdigit` (superscripts too)."""
    if text.isascii():
        return _ASCII_DIGIT.search(text) is not None
    return any(c.isdigit() for c in text)
