"""QB2xx: item-writing flaws in one question, after the literature on test-wiseness cues.

Each rule follows a published heuristic (see docs/rules.md for the sources) and is
tuned for precision: a wrong nag costs more than a miss. Weak rules report at info.
"""

from qbank.rules.quality import (  # noqa: F401  (importing registers the rules)
    absolute_terms,
    all_of_the_above,
    article_cue,
    blank_not_at_end,
    combination_options,
    longest_option_is_key,
    near_duplicate_options,
    negative_stem,
    none_of_the_above,
    numeric_order,
    option_count,
    overlapping_options,
    stem_key_repeat,
)
