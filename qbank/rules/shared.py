"""What rules share of the question in hand: worked out once, for the first rule that asks.

The engine runs every rule on one question before the next, so a function of the
question that several rules call can remember its answer for the last question only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from qbank.model.fields import text_fields as _text_fields

if TYPE_CHECKING:
    from qbank.model import Question

T = TypeVar("T")


def last_question_only(function: Callable[[Question], T]) -> Callable[[Question], T]:
    """Remember ``function`` for the last question it was asked about.

    Answers are shared between rules: keep them immutable.
    """
    last: list[tuple[Question | None, Any]] = [(None, None)]

    @wraps(function)
    def remembered(question: Question) -> T:
        seen, answer = last[0]
        if seen is not question:
            answer = function(question)
            last[0] = (question, answer)  # one assignment: a consistent pair even with threads
        return answer

    return remembered


text_fields = last_question_only(_text_fields)
""":func:`qbank.model.fields.text_fields` of the question in hand: every written text with its path."""
