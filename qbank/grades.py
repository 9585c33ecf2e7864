"""Moodle's grade list, and how qbank splits a question's marks over its options.

Moodle accepts an answer fraction only when it is one of these grades (within
0.001 percentage points); see ``question_bank::fraction_options_full()`` in
moodle/moodle ``question/engine/bank.php`` and the XML importer in
``question/format/xml/format.php``. Everything here is in percent.
"""

from __future__ import annotations

MOODLE_GRADES: tuple[float, ...] = (
    100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333, 30.0,
    25.0, 20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0, 0.0,
)
TOLERANCE = 0.001


def moodle_grade(percent: float) -> float | None:
    """The allowed grade equal to ``percent`` (either sign), or None if there is none."""
    for grade in MOODLE_GRADES:
        if abs(abs(percent) - grade) <= TOLERANCE:
            return grade if percent >= 0 else -grade
    return None


def equal_share(count: int, total: float = 100.0) -> float | None:
    """``total / count`` as an allowed grade, or None when Moodle has no such grade."""
    if count <= 0:
        return None
    return moodle_grade(total / count)


def format_fraction(percent: float) -> str:
    """Write a fraction as Moodle expects it: 5 decimals (``33.33333``, never ``33.33``)."""
    return f"{percent + 0.0:.5f}" if percent else "0.00000"


WRONG_SCHEMES = ("negative-share", "zero")
"""How wrong options of a multiple-answer question are graded: -100/wrong each, or 0."""


class NoExactGrade(ValueError):
    """The question's marks cannot be split over its options with Moodle's grades."""


def option_fractions(correct: list[bool], multiple: bool, wrong_scheme: str = "negative-share") -> list[float]:
    """Each option's fraction in percent, from Moodle's list, or :class:`NoExactGrade`.

    Single answer: the key 100, the others 0. Multiple answers: the keys share 100
    equally; with ``negative-share`` the wrong options share -100 equally (so
    ticking everything scores 0), with ``zero`` they are worth 0.
    """
    right = sum(correct)
    wrong = len(correct) - right
    if not multiple:
        if right != 1:
            raise NoExactGrade(f"a single-answer question needs exactly one correct option, not {right}")
        return [100.0 if c else 0.0 for c in correct]
    if wrong_scheme not in WRONG_SCHEMES:
        raise ValueError(f"unknown scheme {wrong_scheme!r}; use one of {', '.join(WRONG_SCHEMES)}")
    if not right:
        raise NoExactGrade("a multiple-answer question needs at least one correct option")
    share = equal_share(right)
    if share is None:
        raise NoExactGrade(
            f"{right} correct options: 100/{right} = {100 / right:.5g} is not one of Moodle's grades "
            "(only 1 to 10, or 20, correct options share 100 exactly)"
        )
    penalty = 0.0
    if wrong and wrong_scheme == "negative-share":
        loss = equal_share(wrong)
        if loss is None:
            raise NoExactGrade(
                f"{wrong} wrong options: -100/{wrong} = {-100 / wrong:.5g} is not one of Moodle's grades "
                "(use 1 to 10, or 20, wrong options, or the scheme wrong = \"zero\")"
            )
        penalty = -loss
    return [share if c else penalty for c in correct]
