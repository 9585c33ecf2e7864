from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import Bank, BankQuestion, Collected, Located, Member
from qbank.diagnostics import Finding, Severity
from qbank.rules.bank._place import line_of
from qbank.rules.bank._stem_index import BankStems, Pair, Stem, Stems, keys_digest, similar_stems
from qbank.rules.base import BankRule
from qbank.rules.registry import register
from qbank.similarity import band_keys, normalise, np, signatures
from qbank.text import normalise_option


def keys_of(item: BankQuestion) -> frozenset[str]:
    return frozenset(normalise_option(o.text) for o in item.question.options if o.correct)


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
    preload = ("numpy",)  # MinHash signatures are made in the workers
    aside = True  # most re-lints answer from the kept index (rules/bank/_stem_index.py)
    apart = True  # its index and search are its own: on a large bank it runs beside QB305
    name = "near-duplicate-stems"
    group = "bank"
    severity = Severity.ERROR
    defaults = {"threshold": 0.8}
    ranges = {"threshold": (0, 1)}

    def collect(self, item: BankQuestion) -> Stem:
        return Stem(normalise(item.question.stem), keys_digest(keys_of(item)))

    def pack(self, summaries: list[Stem]) -> Stems:
        texts = [stem.text for stem in summaries]
        signature = signatures(texts)
        high = (signature >> np.uint32(16)).astype(np.uint16)
        keys = b"".join(stem.keys for stem in summaries)
        present = np.array([bool(text) for text in texts], dtype=bool).tobytes()
        return Stems("\n".join(texts), high.tobytes(), band_keys(signature).tobytes(), keys, present)

    def check(self, bank: Bank, collected: Collected) -> Iterator[Located]:
        best: dict[int, tuple[tuple, Pair]] = {}
        for pair in similar_stems(BankStems(collected), self.options["threshold"]):
            rank = (self._level(pair).rank, -pair.similarity, pair.first)
            if pair.second not in best or rank < best[pair.second][0]:
                best[pair.second] = (rank, pair)
        for j in sorted(best):
            _, pair = best[j]
            second = collected.member(j, pair)
            yield second.at(self._finding(collected.member(pair.first, pair), second, pair))

    @staticmethod
    def _level(pair: Pair) -> Severity:
        if pair.same_text and not pair.same_keys:
            return Severity.ERROR
        return Severity.WARNING if pair.same_keys else Severity.INFO

    def _finding(self, first: Member, second: Member, pair: Pair) -> Finding:
        level, similarity = self._level(pair), pair.similarity
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
            evidence={"similar_to": first.id, "place": line_of(first, "stem"), "similarity": round(similarity, 3), "same_key": pair.same_keys},
            severity=level,
        )
