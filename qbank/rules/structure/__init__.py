"""QB1xx: structural rules. A question must be complete and unambiguous to be exported."""

from qbank.rules.structure import (  # noqa: F401  (importing registers the rules)
    control_character,
    correct_options,
    duplicate_id,
    duplicate_option,
    empty_text,
    missing_explanation,
    missing_image,
    missing_why,
    moodle_grade,
    too_few_options,
    true_false_shape,
)
