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
