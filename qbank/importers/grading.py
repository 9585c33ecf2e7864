"""Answer weights (percent) from GIFT and Moodle XML, mapped onto qbank's correct flags.

qbank grades a single-answer question 100% for the key and 0% for every other
option, and a multiple-answer question with an equal share for each correct
option and an equal penalty for each wrong one (see :mod:`qbank.grades`).
Every weight that this model cannot express is returned as a message, with the
place the caller gave for it (a line, an offset).
"""

from __future__ import annotations

from typing import Any, TypeVar

from qbank.formats.gift import format_weight
from qbank.grades import equal_share

Where = TypeVar("Where")
TOLERANCE = 0.01
"""How far (in percentage points) a weight may be from the share qbank would give."""


def grade_single(options: list[dict[str, Any]], weights: list[tuple[float, Where]]) -> list[tuple[str, Where | None]]:
    """Mark the full-mark options correct; report partial credit, penalties and several keys."""
    losses: list[tuple[str, Where | None]] = []
    for option, (weight, where) in zip(options, weights):
        if abs(weight - 100) <= TOLERANCE:
            option["correct"] = True
        elif weight > 0:
            losses.append((f"option {option['text']!r} gives {format_weight(weight)}% partial credit; qbank's single-answer questions give 0% to every option but the key, so it was imported as a wrong option", where))
        elif weight < 0:
            losses.append((f"option {option['text']!r} takes {format_weight(weight)}%; qbank's single-answer questions give 0% to wrong options", where))
    keys = sum(o["correct"] for o in options)
    if keys > 1:
        losses.append((f"{keys} options give full marks; a qbank single-answer question has one key (qbank lint will ask you to keep one or make it type: multiple)", None))
    elif keys == 0:
        losses.append(("no option gives full marks; a qbank single-answer question needs one key (qbank lint will ask you to mark it)", None))
    return losses


def grade_multiple(options: list[dict[str, Any]], weights: list[tuple[float, Where]]) -> list[tuple[str, Where | None]]:
    """Mark the options with a positive weight correct; report shares that are not qbank's equal ones."""
    for option, (weight, _) in zip(options, weights):
        option["correct"] = weight > 0
    right = [w for w, _ in weights if w > 0]
    wrong = [w for w, _ in weights if w <= 0]
    if not right:
        return [("no option has a positive weight, so none is correct", None)]
    losses: list[tuple[str, Where | None]] = []
    share = equal_share(len(right)) or 100 / len(right)
    if any(abs(w - share) > TOLERANCE for w in right):
        listed = ", ".join(f"{format_weight(w)}%" for w in right)
        losses.append((f"the correct options weigh {listed}; qbank gives every correct option the same share ({format_weight(share)}%)", None))
    if wrong:
        penalty = -(equal_share(len(wrong)) or 100 / len(wrong))
        if any(abs(w - penalty) > TOLERANCE for w in wrong):
            listed = ", ".join(f"{format_weight(w)}%" for w in wrong)
            losses.append((f"the wrong options weigh {listed}; qbank's multiple-answer grading takes the same share from each wrong option ({format_weight(penalty)}%)", None))
    return losses
