"""Regular expressions compiled when first used, not when their module is imported.

The item-writing rules hold some fifty patterns, and compiling them took 7.6 ms of every
``qbank`` command that imports the rules. A re-lint that finds most files in the cache
imports them to know the rules, but checks no question in its own process: the files that
changed are linted in a forked child (and a cold lint's workers), which compile what they use.
"""

from __future__ import annotations

import re
from typing import Any

_USED = ("search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer", "groups", "groupindex", "flags")


class LazyPattern:
    """Stands for ``re.compile(pattern, flags)`` and behaves as the compiled pattern does; compiles it
    when one of its methods is first looked up (then they are found in the instance, as quickly as
    on the pattern itself). ``pattern`` is known without compiling."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:  # only called for what the instance does not hold yet
        if name.startswith("__"):
            raise AttributeError(name)  # copy and pickle probe these: not a use
        compiled = self.compiled()
        return getattr(compiled, name)

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if not yet, its methods then kept in the instance)."""
        compiled = re.compile(self.pattern, self._flags)
        for name in _USED:
            setattr(self, name, getattr(compiled, name))
        return compiled

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self._flags!r})"


def lazy_pattern(pattern: str, flags: int = 0) -> LazyPattern:
    """``re.compile`` put off until the pattern is first used (see :class:`LazyPattern`)."""
    return LazyPattern(pattern, flags)
