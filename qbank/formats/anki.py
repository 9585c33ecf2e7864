"""What qbank's Anki export and import share: where the source comment goes and what its fingerprint covers.

The note type is frozen (:mod:`qbank.exporters.anki_note`), so the source comment
(:mod:`qbank.formats.source_comment`) goes inside an existing field: at the end of
**Id**, the one field no template shows. An HTML comment renders as nothing in
Anki's editor, and Anki's duplicate check strips comments from the first field
(rslib ``text.rs``, ``strip_html``), so it still compares the id alone.

The fingerprint covers what Anki holds of a note and a learner can change: the
seven fields (Id without the comment), the deck and the tags. Anki matches decks
and tags without regard to case and stores text in NFC, so the fingerprint does
too; the comment itself is pure ASCII for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from qbank.formats.source_comment import clean, digest


def fingerprint(fields: Sequence[str], deck: str, tags: Iterable[str]) -> str:
    """A short hash of a note as Anki holds it; ``fields[0]`` is the Id field without its comment."""
    return digest([
        [clean(field, nfc=True) for field in fields],
        clean(deck, nfc=True).casefold(),
        sorted({clean(tag, nfc=True).casefold() for tag in tags if tag.strip()}),
    ])
