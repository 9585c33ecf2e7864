"""Read source lines for excerpts, only for the files that have findings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from qbank.loader.decode import decode


@lru_cache(maxsize=256)
def source_lines(path: str) -> tuple[str, ...]:
    try:
        text, _ = decode(Path(path).read_bytes())
    except OSError:
        return ()
    return tuple(text.splitlines()) if text else ()
