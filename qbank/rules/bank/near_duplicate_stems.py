from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from qbank.bank import Bank, BankQuestion, Collected, Located, Member
from qbank.diagnostics import Finding, Severity
from qbank.rules.base import BankRule
from qbank.rules.bank._place import line_of
from qbank.rules.registry import register
from qbank.similarity import EXACT_BELOW, normalise, signatures, similar_normalised
from qbank.text import normalise_option


def keys_of(item: BankQuestion) -> frozenset[str]:
    return frozenset(normalise_option(o.text) for o in item.question.options if o.correct)


class Stem(NamedTuple):
    """What QB304 collects of a question: its normalised stem, its keys and the MinHash signature of the stem."""

    text: str
    keys: frozenset[str]
    signature: bytes


@register
class NearDuplicateStems(BankRule):
    """Two questions of the bank have the same or almost the same stem.

    Duplicates inflate a bank and let a learner who met one answer the other (Haladyna
    2002, guideline 4; NBME). Stems are compared as sets of character 5-grams after
    removing case, punctuation and Markdown marks; a Jaccard similarity of at least
    ``threshold`` counts. Large banks are searched with MinHash and LSH banding, which
    stays fast at 100,000 questions (see qbank/similarity.py); paraphrases in other
    words are not found. Each later question is reported once, against its closest
    earlier match:

    - the same stem with a different key: error, one of them is probably miskeyed;
    - a near-identical stem with the same key: warning, a duplicate;
    - a similar stem with a different key: info, often a deliberate variant; make the
      difference visible or suppress it with ``lint: {ignore: [QB304]}``.

    Bad::

        questions:
          - id: q1
            stem: Which layer turns token ids into dense vectors?
            explanation: Embedding is a trainable lookup table.
            options:
              - text: Embedding
                correct: true
              - text: Dense
                why: It acts on vectors, not ids.
          - id: q2
            stem: Which layer turns token IDs into dense vectors?
            explanation: Embedding is a trainable lookup table.
            options:
              - text: Embedding
                correct: true
              - text: Flatten
                why: It only reshapes.

    Good::

        questions:
          - id: q1
            stem: Which layer turns token ids into dense vectors?
            explanation: Embedding is a trainable lookup table.
            options:
              - text: Embedding
                correct: true
              - text: Dense
                why: It acts on vectors, not ids.
          - id: q2
            stem: Which argument of pad_sequences chooses the side that gets the zeros?
            explanation: padding="pre" or "post".
            options:
              - text: padding
                correct: true
              - text: truncating
                why: It chooses the side that is cut.
    """

    code = "QB304"
    name = "near-duplicate-stems"
    group = "bank"
    severity = Severity.ERROR
    defaults = {"threshold": 0.8}

    def collect_file(self, items: list[BankQuestion]) -> list[Stem]:
        stems = [normalise(item.question.stem) for item in items]
        return [Stem(stem, keys_of(item), row.tobytes()) for item, stem, row in zip(items, stems, signatures(stems))]

    def check(self, bank: Bank, collected: Collected) -> Iterator[Located]:
        stems: list[Stem] = collected.summaries
        signature = None
        if len(stems) > EXACT_BELOW:
            signature = np.frombuffer(b"".join(stem.signature for stem in stems), dtype=np.uint32).reshape(len(stems), -1)
        best: dict[int, tuple[tuple, int, float]] = {}
        for i, j, similarity in similar_normalised([stem.text for stem in stems], signature, self.options["threshold"]):
            level = self._level(stems[i], stems[j])
            rank = (level.rank, -similarity, i)
            if j not in best or rank < best[j][0]:
                best[j] = (rank, i, similarity)
        for j in sorted(best):
            _, i, similarity = best[j]
            second = collected.member(j)
            yield second.at(self._finding(collected.member(i), second, similarity))

    @staticmethod
    def _level(first: Stem, second: Stem) -> Severity:
        same_key = first.keys == second.keys
        if first.text == second.text and not same_key:
            return Severity.ERROR
        return Severity.WARNING if same_key else Severity.INFO

    def _finding(self, first: Member, second: Member, similarity: float) -> Finding:
        level = self._level(first.summary, second.summary)
        where = f"question {first.id!r} ({line_of(first, 'stem', seen_from=second)})"
        if level is Severity.ERROR:
            message = f"the same stem as {where} but a different key; one of them is probably miskeyed"
            hint = "fix the key, or make the stems ask different things"
        elif level is Severity.WARNING:
            message = f"the stem is {similarity:.0%} similar to {where}, with the same key: a duplicate"
            hint = "delete one, or rewrite it to test something else"
        else:
            message = f"the stem is {similarity:.0%} similar to {where}, with a different key"
            hint = "if they ask the same thing one is miskeyed; if not, make the difference stand out"
        return Finding(
            message,
            ("stem",),
            hint=hint,
            evidence={"similar_to": first.id, "place": line_of(first, "stem"), "similarity": round(similarity, 3), "same_key": first.summary.keys == second.summary.keys},
            severity=level,
        )
