"""The loader's shortcut for plain scalars: one that starts with another character is text to YAML 1.2 and 1.1."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from qbank.loader.scalars import MAY_NOT_BE_TEXT, resolve_plain, yaml11_reading

NOT_TEXT = ["", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "1", "-1", "+12", ".5",
            "1e3", "-.inf", ".NaN", "0x1F", "0o17", "y", "Y", "yes", "No", "n", "on", "Off", "OFF", "2024-01-01",
            "1_000", "1:30", "012", "0b101", "1.10"]
"""Plain scalars that YAML 1.2 or 1.1 reads as something other than text."""
TAILS = sorted({word[1:] for word in NOT_TEXT} | {"", "es", "ull", "rue", "alse", "x", " text"})


def _is_text(raw: str) -> bool:
    return resolve_plain(raw) is raw and yaml11_reading(raw) is None


def test_every_reading_other_than_text_starts_with_a_listed_character():
    assert all(not _is_text(raw) for raw in NOT_TEXT)  # the examples are what they claim
    assert all(raw[:1] in MAY_NOT_BE_TEXT for raw in NOT_TEXT)


def test_any_other_first_character_makes_text():
    firsts = set(string.printable) | {"é", "Ω", "…", "\u00a0", "日"}
    for first in sorted(firsts - MAY_NOT_BE_TEXT):
        for tail in TAILS:
            assert _is_text(first + tail), first + tail


@given(st.text(min_size=1, max_size=12))
def test_generated_scalars_outside_the_set_are_text(raw):
    if raw[:1] not in MAY_NOT_BE_TEXT:
        assert _is_text(raw)


def test_an_integer_longer_than_python_converts_stays_text_and_is_noted_as_a_number():
    """int() refuses more than sys.get_int_max_str_digits() digits (4,300 by default): that was a traceback."""
    assert resolve_plain("9" * 4300) == int("9" * 4300)
    for raw in ("9" * 4301, "-" + "9" * 4301, "0" * 5000):
        assert resolve_plain(raw) is raw
        assert yaml11_reading(raw) == "a number"  # the loader notes it: QB005 says other tools read a number
