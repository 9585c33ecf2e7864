from __future__ import annotations

import math
from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.model import TRUE_FALSE
from qbank.rules.base import QuestionRule
from qbank.rules.quality._text import letter, normalised, numeric_option, plain, substantive, words
from qbank.rules.registry import register

NEGATORS = frozenset({"not", "no", "never", "without", "non", "nor", "neither", "lacks", "lacking"})


def _word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


def contained(short: str, long: str) -> bool:
    """``short`` occurs in ``long`` at word boundaries, and not right after a negation."""
    start = long.find(short)
    while start >= 0:
        end = start + len(short)
        if not _word_char(long, start - 1) and not _word_char(long, end):
            before = words(long[:start])
            if not before or before[-1].lower() not in NEGATORS:
                return True
        start = long.find(short, start + 1)
    return False


def intervals_overlap(a: tuple[float, float, str], b: tuple[float, float, str]) -> bool:
    """Two ranges or open inequalities share values (points are not compared)."""
    (low_a, high_a, unit_a), (low_b, high_b, unit_b) = a, b
    if low_a == high_a or low_b == high_b:
        return False
    if unit_a and unit_b and unit_a != unit_b:
        return False
    return max(low_a, low_b) <= min(high_a, high_b)


def describe(interval: tuple[float, float, str]) -> str:
    low, high, unit = interval
    if low == float("-inf"):
        return f"below {high:g}{unit}"
    if high == float("inf"):
        return f"above {low:g}{unit}"
    return f"{low:g}–{high:g}{unit}"


@register
class OverlappingOptions(QuestionRule):
    """Two options overlap: one contains the other, or their number ranges share values.

    Overlapping options cannot both be wrong if one is right, so learners can strike
    or pick them as a pair (Haladyna 2002, guideline 22; NBME "collectively exhaustive
    options"). Text containment is checked at word boundaries on options of at least
    two words and ``min_chars`` characters, so "800 mL" is not inside "4800 mL" and
    "complete" is not inside "incomplete"; a containing option that negates the other
    ("no elevated troponin") is not an overlap. Numeric ranges and open inequalities
    overlap when they share a value ("10–20%" and "15–25%", "> 5" and "> 10"), also at
    a shared end point ("10–20" and "20–30").

    Bad::

        questions:
          - id: q1
            stem: How much of the data does validation_split=0.2 hold out?
            explanation: The last 20% of the samples.
            options:
              - text: 10–20%
                correct: true
              - text: 15–25%
                why: It is exactly 20%, which both ranges hold.
              - text: 30–40%
                why: Too much.

    Good::

        questions:
          - id: q1
            stem: How much of the data does validation_split=0.2 hold out?
            explanation: The last 20% of the samples.
            options:
              - text: 20%
                correct: true
              - text: 800 mL
                why: Not a share.
              - text: 4800 mL
                why: Not a share.
    """

    code = "QB217"
    name = "overlapping-options"
    group = "quality"
    severity = Severity.WARNING
    defaults = {"min_chars": 6}
    ranges = {"min_chars": (1, math.inf)}

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        if item.question.type == TRUE_FALSE:
            return
        options = [(i, numeric_option(o.text), normalised(o.text)) for i, o in substantive(item.question)]
        for position, a in enumerate(options):
            for b in options[position + 1 :]:
                if (a[1] is None or b[1] is None) and a[2] not in b[2] and b[2] not in a[2]:
                    continue  # a cheap first look: not two number readings, and neither text inside the other
                finding = self._pair(*a, *b)
                if finding:
                    yield finding

    def _pair(self, i: int, num_a, norm_a: str, j: int, num_b, norm_b: str) -> Finding | None:
        """Options ``i`` and ``j``, each given as its number reading and its normalised text."""
        if num_a is not None and num_b is not None:
            if intervals_overlap(num_a, num_b):
                return Finding(
                    f"options {letter(i)} ({describe(num_a)}) and {letter(j)} ({describe(num_b)}) overlap",
                    ("options", j, "text"),
                    hint="make the ranges disjoint, so that exactly one option holds the right value",
                    evidence={"options": [letter(i), letter(j)], "ranges": [describe(num_a), describe(num_b)]},
                )
            return None
        if norm_a == norm_b or norm_a not in norm_b and norm_b not in norm_a:
            return None  # an exact duplicate (QB108), or neither inside the other
        for (x, short), (y, long) in (((i, norm_a), (j, norm_b)), ((j, norm_b), (i, norm_a))):
            if len(short) >= self.options["min_chars"] and len(short.split()) >= 2 and contained(short, long):
                return Finding(
                    f"option {letter(x)} {plain(short)!r} is contained in option {letter(y)} {plain(long)!r}",
                    ("options", max(x, y), "text"),
                    hint="if one is right the other is partly right too; make the options exclusive",
                    evidence={"contained": letter(x), "container": letter(y), "text": short},
                )
        return None
