"""Diagnostics: what every check reports, with a position resolved by the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


Path = tuple[str | int, ...]
"""A path into a YAML document, e.g. ``("questions", 2, "options", 1, "text")``."""


@dataclass(frozen=True)
class Position:
    """A 1-based line and column, with the end of the node when known."""

    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None


@dataclass
class Finding:
    """What a rule yields: a problem relative to a question (or to a file).

    ``path`` is relative to the question for question rules; the engine adds the
    question's own place in its file and resolves it to a line and column.
    ``severity`` is only a request to lower the rule's default (for example an
    emphasised negative); the engine decides the final severity.
    """

    message: str
    path: Path = ()
    hint: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None
    on_key: bool = False
    """Point at the key of ``path`` rather than its value (unknown keys, duplicates)."""
    position: Position | None = None
    """Set only by the loader's problems, which have a position but no path."""


@dataclass
class Diagnostic:
    """A finding with its file, position, rule code and final severity."""

    file: str
    position: Position
    code: str
    severity: Severity
    message: str
    hint: str = ""
    question_id: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    rule_name: str = ""
    path: Path = ()
    """The node within the file, for --fix."""
    suppressed_by: tuple[Path, ...] = ()
    """The lint.ignore entries (or per-file-ignores) that hide this finding; hidden ones are not reported."""

    def sort_key(self) -> tuple:
        p = self.position
        return (self.file, p.line, p.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        p = self.position
        return {
            "file": self.file,
            "line": p.line,
            "column": p.column,
            "end_line": p.end_line,
            "end_column": p.end_column,
            "code": self.code,
            "rule": self.rule_name,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
            "question_id": self.question_id,
            "evidence": self.evidence,
        }
