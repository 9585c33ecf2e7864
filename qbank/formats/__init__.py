"""The grammar of the exchange formats, shared by their importer and exporter."""

from __future__ import annotations

import math


def finite_number(text: str) -> float:
    """``float(text)`` for a grade or a mark, refusing infinities and NaN (which ``float`` reads) as ValueError too."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value
