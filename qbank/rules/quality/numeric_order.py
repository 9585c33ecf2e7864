from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.model import TRUE_FALSE
from qbank.rules.base import QuestionRule
from qbank.rules.quality._text import NUMBER, has_digit, letter, numeric_option, plain, substantive, to_float
from qbank.rules.registry import register


def sort_value(text: str) -> float | None:
    """The value an option is ordered by: the number, a range's low end, an inequality's bound."""
    parsed = numeric_option(text)
    if parsed is None:
        return None
    low, high, _ = parsed
    return high if low == float("-inf") else low


def skeleton_values(texts: list[str]) -> list[float] | None:
    """For options that share one wording in which a single number varies, that number."""
    shapes = [NUMBER.sub("#", plain(t)) for t in texts]
    if len(set(shapes)) != 1 or "#" not in shapes[0]:
        return None
    numbers = [[to_float(n) for n in NUMBER.findall(plain(t))] for t in texts]
    varying = [slot for slot in range(len(numbers[0])) if len({row[slot] for row in numbers}) > 1]
    if len(varying) != 1:
        return None
    return [row[varying[0]] for row in numbers]


def ordered(values: list[float]) -> bool:
    pairs = list(zip(values, values[1:]))
    return all(a <= b for a, b in pairs) or all(a >= b for a, b in pairs)


@register
class NumericOptionsUnordered(QuestionRule):
    """Numeric options are not in ascending or descending order.

    Ordered numbers let learners find the value they computed instead of hunting for
    it, and unordered ones add a reading task unrelated to the content (Haladyna 2002,
    guideline 21; Tarrant 2006; NBME). Options count as numeric when each is a number
    with at most a unit (``0.75``, ``1e-3``, ``5 mg``, ``10–20%``, ``> 10``), or when all
    share one wording in which a single number varies ("after 3 epochs", "after 5
    epochs"). Meta options are left out. Platforms shuffle options unless the question
    says ``shuffle: false``, so set that too.

    Bad::

        questions:
          - id: q1
            stem: What is sigmoid(0)?
            explanation: e^0 = 1, so 1 / (1 + 1) = 0.5.
            shuffle: false
            options:
              - text: "0.73"
                why: That is sigmoid(1).
              - text: "0.50"
                correct: true
              - text: "0.88"
                why: That is sigmoid(2).

    Good::

        questions:
          - id: q1
            stem: What is sigmoid(0)?
            explanation: e^0 = 1, so 1 / (1 + 1) = 0.5.
            shuffle: false
            options:
              - text: "0.50"
                correct: true
              - text: "0.73"
                why: That is sigmoid(1).
              - text: "0.88"
                why: That is sigmoid(2).
    """

    code = "QB215"
    name = "numeric-options-unordered"
    group = "quality"
    severity = Severity.WARNING

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        if item.question.type == TRUE_FALSE:
            return
        options = substantive(item.question)
        if len(options) < 3 or not all(has_digit(o.text) for _, o in options):
            return
        values = [sort_value(o.text) for _, o in options]
        if any(v is None for v in values):
            values = skeleton_values([o.text for _, o in options])
            if values is None:
                return
        if ordered(values):
            return
        shown = ", ".join(f"{letter(i)} {plain(o.text)!r}" for i, o in options)
        yield Finding(
            f"numeric options are out of order: {shown}",
            ("options",),
            hint="order them from smallest to largest, and set shuffle: false so platforms keep the order",
            evidence={"values": [v if v not in (float("inf"), float("-inf")) else str(v) for v in values]},
        )
