from __future__ import annotations

import math
from collections.abc import Iterator

from qbank.bank import Bank, BankQuestion, Collected, Located
from qbank.diagnostics import Finding, Severity
from qbank.model import SINGLE, TRUE_FALSE
from qbank.rules.base import BankRule
from qbank.rules.bank._place import at_bank
from qbank.rules.bank._stats import chi_square
from qbank.rules.quality._text import has_digit, letter, single_key, substantive
from qbank.rules.quality.numeric_order import sort_value
from qbank.rules.registry import register


NUMERIC = "numeric"
"""Collected for a question whose options are all numbers: ordering them pushes keys to the middle on purpose."""


def key_place(item: BankQuestion) -> tuple[str, int, int] | str | None:
    """(type, option count, key position) of a single-key question, NUMERIC, or None (no single key)."""
    question = item.question
    key = single_key(question)
    if key is None or question.type not in (SINGLE, TRUE_FALSE):
        return None
    if question.type == TRUE_FALSE:
        answer = [o.text.strip().lower() for o in question.options]
        if sorted(answer) != ["false", "true"]:
            return None  # not a true/false question QB105 accepts: its positions mean nothing here
        return TRUE_FALSE, 2, 0 if answer[key] == "true" else 1  # grouped by the answer, not its place
    options = substantive(question)
    if options and all(has_digit(o.text) for _, o in options) and all(sort_value(o.text) is not None for _, o in options):
        return NUMERIC
    return question.type, len(question.options), key


Groups = dict[tuple[str, int], tuple[int, list[int]]]
"""Single-key questions by (type, option count): (number of the first, how many have the key at each position)."""


def key_groups(places: list[tuple[str, int, int] | str], first: int = 0) -> tuple[Groups, int]:
    """The groups of ``places`` (what :func:`key_place` gave, in order, numbered from ``first``),
    and how many numeric questions were left out."""
    groups: Groups = {}
    numeric = 0
    for number, place in enumerate(places, first):
        if place == NUMERIC:
            numeric += 1
        else:
            kind, count, key = place
            if (kind, count) not in groups:
                groups[(kind, count)] = (number, [0] * count)
            groups[(kind, count)][1][key] += 1
    return groups, numeric


def merged_groups(collected: Collected) -> tuple[Groups, int]:
    """The groups of the whole bank, from each file's (see :meth:`KeyPositionImbalance.pack`)."""
    groups: Groups = {}
    numeric = 0
    for start, (file_groups, file_numeric) in zip(collected.starts, collected.packed):
        numeric += file_numeric
        for group, (first, counts) in file_groups.items():
            if group in groups:
                total = groups[group][1]
                for position, count in enumerate(counts):
                    total[position] += count
            else:
                groups[group] = (start + first, list(counts))
    return groups, numeric


def position_name(kind: str, position: int) -> str:
    """A key position as the message shows it: a letter, or the answer of a true/false question."""
    return ("True", "False")[position] if kind == TRUE_FALSE else letter(position)


@register
class KeyPositionImbalance(BankRule):
    """The keys of the bank lean to some positions (say, mostly B), or are too evenly spread.

    Test-wise learners guess the favourite position; writers tend to hide keys in the
    middle (Haladyna 2002, guideline 20; Attali & Bar-Hillel 2003). Single-answer
    questions are grouped by option count, true/false questions by their answer, and
    each group of at least ``min_per_position`` × k questions gets a χ² goodness-of-fit
    test against equal shares. The rule fires when p < ``alpha`` or when one position
    holds more than 1/k + ``share_margin`` of the keys; the message gives every
    position's share, χ², degrees of freedom and p. Questions with numeric options are
    left out (ordering them pushes keys to the middle). With ``warn_too_balanced``, a
    distribution that is suspiciously even (p > 0.99, at least 50 questions) is
    reported at info level, since perfectly balanced keys are exploitable too.
    Platforms that shuffle options hide positions from learners, but paper, Aiken and
    Anki exports keep them.

    Bad::

        questions:
          - {id: q1, stem: Which layer has a cell state?, explanation: LSTM., options: [{text: GRU, why: No cell state.}, {text: LSTM, correct: true}]}
          - {id: q2, stem: Which layer maps ids to vectors?, explanation: Embedding., options: [{text: Dense, why: Vectors in.}, {text: Embedding, correct: true}]}
          - {id: q3, stem: Which loss suits 0/1 labels?, explanation: Binary cross-entropy., options: [{text: MSE, why: For regression.}, {text: Binary cross-entropy, correct: true}]}
          - {id: q4, stem: Which activation gives a probability?, explanation: Sigmoid., options: [{text: ReLU, why: Unbounded.}, {text: Sigmoid, correct: true}]}
          - {id: q5, stem: Which optimiser adapts step sizes?, explanation: Adam., options: [{text: Plain SGD, why: Fixed rate.}, {text: Adam, correct: true}]}
          - {id: q6, stem: Which layer reads both directions?, explanation: Bidirectional., options: [{text: TimeDistributed, why: Per step.}, {text: Bidirectional, correct: true}]}
          - {id: q7, stem: Which callback stops training early?, explanation: EarlyStopping., options: [{text: CSVLogger, why: It logs.}, {text: EarlyStopping, correct: true}]}
          - {id: q8, stem: Which metric is threshold-free?, explanation: AUC., options: [{text: Accuracy, why: Needs a threshold.}, {text: AUC, correct: true}]}
          - {id: q9, stem: Which layer drops random inputs?, explanation: Dropout., options: [{text: Flatten, why: Reshapes.}, {text: Dropout, correct: true}]}
          - {id: q10, stem: Which split holds out the last samples?, explanation: validation_split., options: [{text: test_split, why: Does not exist.}, {text: validation_split, correct: true}]}

    Good::

        questions:
          - {id: q1, stem: Which layer has a cell state?, explanation: LSTM., options: [{text: LSTM, correct: true}, {text: GRU, why: No cell state.}]}
          - {id: q2, stem: Which layer maps ids to vectors?, explanation: Embedding., options: [{text: Dense, why: Vectors in.}, {text: Embedding, correct: true}]}
          - {id: q3, stem: Which loss suits 0/1 labels?, explanation: Binary cross-entropy., options: [{text: Binary cross-entropy, correct: true}, {text: MSE, why: For regression.}]}
          - {id: q4, stem: Which activation gives a probability?, explanation: Sigmoid., options: [{text: ReLU, why: Unbounded.}, {text: Sigmoid, correct: true}]}
          - {id: q5, stem: Which optimiser adapts step sizes?, explanation: Adam., options: [{text: Adam, correct: true}, {text: Plain SGD, why: Fixed rate.}]}
          - {id: q6, stem: Which layer reads both directions?, explanation: Bidirectional., options: [{text: TimeDistributed, why: Per step.}, {text: Bidirectional, correct: true}]}
          - {id: q7, stem: Which callback stops training early?, explanation: EarlyStopping., options: [{text: EarlyStopping, correct: true}, {text: CSVLogger, why: It logs.}]}
          - {id: q8, stem: Which metric is threshold-free?, explanation: AUC., options: [{text: Accuracy, why: Needs a threshold.}, {text: AUC, correct: true}]}
          - {id: q9, stem: Which layer drops random inputs?, explanation: Dropout., options: [{text: Dropout, correct: true}, {text: Flatten, why: Reshapes.}]}
          - {id: q10, stem: Which split holds out the last samples?, explanation: validation_split., options: [{text: test_split, why: Does not exist.}, {text: validation_split, correct: true}]}
    """

    code = "QB301"
    name = "key-position-imbalance"
    group = "bank"
    severity = Severity.WARNING
    defaults = {"alpha": 0.01, "share_margin": 0.15, "min_per_position": 5, "warn_too_balanced": False}
    ranges = {"alpha": (0, 1), "share_margin": (0, 1), "min_per_position": (1, math.inf)}

    def collect(self, item: BankQuestion) -> tuple[str, int, int] | str | None:
        return key_place(item)

    def pack(self, summaries: list[tuple[str, int, int] | str]) -> tuple[Groups, int]:
        return key_groups(summaries)

    def check(self, bank: Bank, collected: Collected) -> Iterator[Located]:
        groups, numeric = merged_groups(collected)
        for (kind, k), (first, counts) in sorted(groups.items()):
            n = sum(counts)
            if k < 2 or n < self.options["min_per_position"] * k:
                continue
            statistic, p_value = chi_square(counts)
            shares = [c / n for c in counts]
            heavy = [position_name(kind, p) for p, share in enumerate(shares) if share > 1 / k + self.options["share_margin"]]
            distribution = ", ".join(f"{position_name(kind, p)} {c} ({c / n:.0%})" for p, c in enumerate(counts))
            what = f"the {n} true/false questions" if kind == TRUE_FALSE else f"the {n} single-answer questions with {k} options"
            stats = f"χ² = {statistic:.2f}, df = {k - 1}, p = {p_value:.2g}"
            evidence = {
                "group": f"{kind}/{k}", "questions": n, "counts": {position_name(kind, p): c for p, c in enumerate(counts)},
                "shares": {position_name(kind, p): round(s, 3) for p, s in enumerate(shares)},
                "chi2": round(statistic, 3), "df": k - 1, "p_value": p_value, "numeric_questions_left_out": numeric,
            }
            if p_value < self.options["alpha"] or heavy:
                lean = f"lean to {', '.join(heavy)}" if heavy else "are unevenly spread"
                yield at_bank(bank, [collected.member(first)], Finding(
                    f"the keys of {what} {lean}: {distribution}; {stats}",
                    hint="move keys so that each position holds about the same share, or let the platform shuffle",
                    evidence=evidence,
                ))
            elif self.options["warn_too_balanced"] and n >= 50 and p_value > 0.99:
                yield at_bank(bank, [collected.member(first)], Finding(
                    f"the keys of {what} are spread almost perfectly evenly: {distribution}; {stats}",
                    hint="perfect balance is a cue too (a learner can count); let positions vary at random",
                    evidence=evidence,
                    severity=Severity.INFO,
                ))
