"""Stable question ids for imported questions: a slug of the stem plus a short hash.

The same stem always gives the same id, so importing a file twice gives the same
ids and re-exports update rather than duplicate. Two questions with the same stem
in one import get ``-2``, ``-3``... in the order they are read.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from qbank.model.question import ID_PATTERN

SLUG_WORDS = 6
SLUG_CHARS = 48
HASH_CHARS = 6

_VALID = re.compile(ID_PATTERN)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SPACE = re.compile(r"\s+")


def slug(text: str, words: int = SLUG_WORDS) -> str:
    """``What does the training loss represent?`` → ``what-does-the-training-loss-represent``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    parts = [p for p in _NOT_SLUG.split(ascii_text) if p][:words]
    return "-".join(parts)[:SLUG_CHARS].strip("-")


def short_hash(text: str) -> str:
    normalised = _SPACE.sub(" ", text).strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:HASH_CHARS]


def is_valid_id(candidate: str) -> bool:
    return bool(_VALID.match(candidate)) and len(candidate) <= 100


class IdMaker:
    """Hands out ids, unique within one import run."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def generate(self, basis: str) -> str:
        """A new id from ``basis`` (usually the stem): ``slug-hash``, made unique."""
        stem_slug = slug(basis) or "q"
        candidate = f"{stem_slug}-{short_hash(basis)}"
        return self._unique(candidate)

    def keep(self, given: str) -> str:
        """Record an id that the source gave (duplicates are left for lint to report)."""
        self.taken.add(given)
        return given

    def _unique(self, candidate: str) -> str:
        chosen, n = candidate, 1
        while chosen in self.taken:
            n += 1
            chosen = f"{candidate}-{n}"
        self.taken.add(chosen)
        return chosen
