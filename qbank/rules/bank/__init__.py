"""QB3xx: flaws that only show across the whole bank: key balance, length bias, duplicates, cueing.

Bank rules are deterministic: findings come out sorted and any hashing uses fixed seeds.
"""

from qbank.rules.bank import (  # noqa: F401  (importing registers the rules)
    cross_item_cueing,
    key_length_bias,
    key_position_balance,
    near_duplicate_stems,
    option_count_consistency,
)
