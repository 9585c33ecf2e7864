from __future__ import annotations

import hashlib
from collections.abc import Iterator
from itertools import chain

from qbank.bank import Bank, Collected, Located
from qbank.compact import Places, question_ids
from qbank.diagnostics import Finding, Severity
from qbank.rules.base import BankRule
from qbank.rules.registry import register


@register
class DuplicateId(BankRule):
    """Two questions in the bank share an id.

    The id is how exports update a question instead of duplicating it (Anki's GUID,
    Moodle's idnumber), so it must be unique across the whole bank, not just the file.
    Both places are reported.

    Bad::

        questions:
          - id: q1
            stem: What does an Embedding layer output?
            explanation: It maps token ids to dense vectors.
            options:
              - text: Dense vectors
                correct: true
              - text: Token ids
                why: Token ids are its input.
          - id: q1
            stem: What does pad_sequences return?
            explanation: A 2D array of equal-length sequences.
            options:
              - text: A 2D array
                correct: true
              - text: A ragged list
                why: Padding makes the lengths equal.

    Good::

        questions:
          - id: q1
            stem: What does an Embedding layer output?
            explanation: It maps token ids to dense vectors.
            options:
              - text: Dense vectors
                correct: true
              - text: Token ids
                why: Token ids are its input.
    """

    code = "QB102"
    name = "duplicate-id"
    group = "structure"
    severity = Severity.ERROR

    def check(self, bank: Bank, collected: Collected) -> Iterator[Located]:
        memo, seen = collected.memo, None
        if memo is not None:  # with the cache: a bank whose ids are those of a lint that found none repeated
            seen = _ids_digest(bank)
            if memo.read() == seen:
                return
        ids = list(chain.from_iterable(question_ids(file.ids) for file in bank.files))
        if len(set(ids)) == len(ids):
            if memo is not None:
                memo.write(seen)
            return  # the usual case, told apart in C
        if memo is not None:
            memo.discard()
        first: dict[str, tuple] = {}
        repeated: dict[str, list] = {}  # only ids seen twice get a list: linear in the bank's size
        for file in bank.files:
            for index, question_id in file.ids:
                if question_id in first:
                    repeated.setdefault(question_id, [first[question_id]]).append((file, index))
                else:
                    first[question_id] = (file, index)
        for question_id, places in repeated.items():
            names = [f"{f.loaded.name}:{f.loaded.document.source_map.locate(('questions', i, 'id')).line}" for f, i in places]
            for (file, index), name in zip(places, names):
                others = ", ".join(n for n in names if n != name)
                yield Located(
                    file,
                    Finding(
                        f"id {question_id!r} is used {len(places)} times; also at {others}",
                        ("questions", index, "id"),
                        hint="give each question its own id; ids are how exports recognise a question",
                        evidence={"id": question_id, "places": names},
                    ),
                    question_id,
                )


def _ids_digest(bank: Bank) -> bytes:
    """What identifies every id of ``bank``, file by file in bank order, without making a text per id
    (kept to skip the check while the ids are those of a bank without a repeated one)."""
    digest = hashlib.blake2b(digest_size=16)
    for file in bank.files:
        ids = file.ids if isinstance(file.ids, Places) else Places(file.ids)
        digest.update(ids.ids.ends)
        digest.update(ids.ids.joined.encode("utf-8", "surrogatepass"))
        digest.update(b"\xff")  # never in UTF-8: the end of a file's ids
    return digest.digest()
