"""Read bank files: bytes to text to data, with the position of every node.

The loader knows nothing of rules or of the question model. It reports what it
cannot read as :class:`LoadProblem` values, each with a position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qbank.diagnostics import Position
from qbank.loader.decode import decode
from qbank.loader.tree import Document, LoadProblem, ScalarNote, SourceMap, build_document

__all__ = ["Document", "LoadProblem", "LoadedFile", "ScalarNote", "SourceMap", "load_file", "load_text"]


@dataclass
class LoadedFile:
    """One file as read: its document (None when unreadable) and its problems."""

    name: str
    """The path shown to users, relative to where qbank runs when possible."""
    path: Path
    document: Document | None
    problems: list[LoadProblem] = field(default_factory=list)


def load_text(text: str, name: str, path: Path | None = None) -> LoadedFile:
    path = path or Path(name)
    document = build_document(text, str(path))
    return LoadedFile(name, path, document, list(document.problems))


def load_file(path: Path, name: str | None = None, data: bytes | None = None) -> LoadedFile:
    """Read one file (or take its bytes, when already read). Never raises for a user's mistake."""
    name = name or str(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problem = LoadProblem("unreadable", f"cannot read the file: {exc.strerror or exc}", "check the path and its permissions", Position(1, 1))
            return LoadedFile(name, path, None, [problem])
    text, problem = decode(data)
    if problem is not None:
        return LoadedFile(name, path, None, [LoadProblem("unreadable", problem.message, problem.hint, problem.position)])
    return load_text(text, name, path)
