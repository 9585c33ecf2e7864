"""Which questions changed since a git revision, for reviewing a pull request.

Each bank file is read as it was at the revision (``git show REF:./file``) with
qbank's own loader, and each question is compared with its current form: its content
and the category and tags it gets from its file. A question whose id is new counts as
changed; a file that did not exist then makes all its questions new.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from qbank.bank import Bank, BankQuestion, assemble
from qbank.discovery import BankSource
from qbank.loader import load_text
from qbank.loader.decode import decode
from qbank.validation import validate_file


class GitError(Exception):
    """git cannot answer: not installed, not a repository, or an unknown revision."""


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from exc


def _check_revision(folder: Path, ref: str) -> None:
    inside = _git(folder, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise GitError(f"{folder} is not inside a git repository, so --changed-since cannot compare")
    if _git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        raise GitError(f"{ref!r} is not a commit, branch or tag of the repository at {folder}")


def _old_text(path: Path, ref: str) -> str | None:
    """The file's text at ``ref``, or None when it did not exist there or cannot be decoded."""
    shown = _git(path.parent, "show", f"{ref}:./{path.name}")
    if shown.returncode != 0:
        return None
    text, problem = decode(shown.stdout)
    return None if problem else text


def _snapshot(item: BankQuestion) -> tuple:
    return item.question.model_dump(), item.category, item.tags


def changed_question_ids(sources: list[BankSource], bank: Bank, ref: str) -> set[str]:
    """Ids of the questions of ``bank`` that are new or different since ``ref``."""
    checked: set[Path] = set()
    before: dict[str, tuple] = {}
    for source in sources:
        folder = source.path.parent.resolve()
        if folder not in checked:
            _check_revision(folder, ref)
            checked.add(folder)
        text = _old_text(source.path, ref)
        if text is None:
            continue
        old = assemble([(validate_file(load_text(text, source.name, source.path)), source.relative)])
        before.update((item.id, _snapshot(item)) for item in old.questions)
    return {item.id for item in bank.questions if before.get(item.id) != _snapshot(item)}
