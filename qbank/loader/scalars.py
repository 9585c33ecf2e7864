"""Scalar resolution: YAML 1.2 core schema, and the YAML 1.1 readings that trap authors.

qbank reads plain scalars with the YAML 1.2 core schema, so ``No``, ``off`` and
``2024-01-01`` stay text. Other tools (PyYAML, many editors) still read YAML 1.1,
where those are booleans and dates; :func:`yaml11_reading` names such readings so
that they can be flagged.
"""

from __future__ import annotations

import re
from typing import Any

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")

_YAML11_BOOL = re.compile(r"(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)\Z")
_YAML11_INT = re.compile(r"[-+]?(0b[0-1_]+|0[0-7_]+|[1-9][0-9_]*(:[0-5]?[0-9])+|[0-9][0-9_]*)\Z")
_YAML11_FLOAT = re.compile(r"[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?\Z|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*\Z")
_YAML11_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?\Z")

_DIGIT = re.compile(r"\d")
_NUMBER_START = frozenset("0123456789+-.")
"""Every non-text YAML 1.2 core reading other than null and booleans starts with one of these."""
_YAML11_START = _NUMBER_START | frozenset("yYnNoO")
"""Every YAML 1.1 boolean, number or date starts with one of these."""
MAY_NOT_BE_TEXT = _YAML11_START | frozenset(["", "~", "t", "T", "f", "F"])
"""The first characters (``raw[:1]``) of every plain scalar that YAML 1.2 or 1.1 reads as other than text:
a plain scalar that starts otherwise is text to both, and the loader keeps it as it is."""


def resolve_plain(raw: str) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema.

    A decimal integer longer than Python converts (``sys.get_int_max_str_digits()``,
    4,300 digits by default: a guard against slow conversions) stays text, as it was
    written; the caller notes that other tools read it as a number.
    """
    if raw in _NULL:
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    if raw[:1] not in _NUMBER_START:
        return raw
    if _INT.match(raw):
        try:
            return int(raw)
        except ValueError:  # more digits than Python converts
            return raw
    if _OCT.match(raw):
        return int(raw[2:], 8)
    if _HEX.match(raw):
        return int(raw[2:], 16)
    if _FLOAT.match(raw):
        return float(raw)
    if _INF.match(raw):
        return float("-inf") if raw.startswith("-") else float("inf")
    if _NAN.match(raw):
        return float("nan")
    return raw


def yaml11_reading(raw: str) -> str | None:
    """What a YAML 1.1 tool makes of a plain scalar that YAML 1.2 reads as text, if not text."""
    if raw[:1] not in _YAML11_START:
        return None
    if _YAML11_BOOL.match(raw):
        return "a boolean"
    if _YAML11_DATE.match(raw):
        return "a date"
    if _DIGIT.search(raw) and (_YAML11_INT.match(raw) or _YAML11_FLOAT.match(raw)):
        return "a number"
    return None
