"""The rule registry: every rule class, keyed by code."""

from __future__ import annotations

from qbank.rules.base import Rule

RULES: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    if cls.code in RULES:
        raise RuntimeError(f"two rules share the code {cls.code}")
    RULES[cls.code] = cls
    return cls


def all_rules() -> list[type[Rule]]:
    """Every rule, sorted by code (importing the rule packages registers them)."""
    import qbank.rules.bank  # noqa: F401
    import qbank.rules.meta  # noqa: F401
    import qbank.rules.parse  # noqa: F401
    import qbank.rules.quality  # noqa: F401
    import qbank.rules.structure  # noqa: F401

    return [RULES[code] for code in sorted(RULES)]


def matches(code: str, patterns: list[str] | tuple[str, ...]) -> bool:
    """True when ``code`` equals a pattern or starts with a prefix pattern (QB2)."""
    return any(code.startswith(pattern.upper()) for pattern in patterns)
