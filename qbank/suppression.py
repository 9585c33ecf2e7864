"""Suppressions: the ``lint: {ignore: [...]}`` lists of a file or a question, and per-file-ignores.

The engine asks :func:`matching` which suppressions hide a finding and keeps the
answer on the diagnostic, so that hidden findings still tell which suppressions are
in use; QB006 reports the others.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path as FilePath

from qbank.bank import Located
from qbank.config import Config
from qbank.diagnostics import Path
from qbank.rules.registry import matches
from qbank.validated import ValidatedFile

CONFIG = "config"
"""First element of the path recorded for a per-file-ignores match (not a place in the file)."""


@dataclass(frozen=True)
class Entry:
    """One code in a ``lint.ignore`` list, with its path in the file."""

    path: Path
    pattern: str


def entries(file: ValidatedFile) -> list[Entry]:
    """Every suppression written in a file: its own lint.ignore, then each question's."""
    return [Entry(path, pattern) for path, pattern in file.suppressions]


def _question_index(path: Path) -> int | None:
    if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
        return path[1]
    return None


def matching(code: str, always_on: bool, located: Located, config: Config) -> tuple[Path, ...]:
    """The suppressions that hide a finding of rule ``code``: paths of lint.ignore entries, or config markers."""
    if always_on:
        return ()
    file = located.file
    index = _question_index(located.finding.path)
    found: list[Path] = [
        path for path, pattern in file.suppressions
        if (path[0] == "lint" or index is not None and path[1] == index) and matches(code, [pattern])
    ]
    if config.per_file_ignores:
        names = names_for_patterns(file.loaded.name, file.loaded.path, config)
        for pattern, codes in config.per_file_ignores.items():
            if any(fnmatch.fnmatch(name, pattern) for name in names) and matches(code, codes):
                found.append((CONFIG, pattern))
    return tuple(found)


def names_for_patterns(name: str, path: FilePath, config: Config) -> tuple[str, ...]:
    """per-file-ignores patterns are relative to the configuration's folder, wherever
    qbank runs from; the name as shown is tried too."""
    try:
        return (path.resolve().relative_to(FilePath(config.root).resolve()).as_posix(), name)
    except ValueError:
        return (name,)
