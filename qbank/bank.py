"""The assembled bank: every valid question with its place (file, index, category).

This is where questions meet files. The model stays file-agnostic; rules see a
:class:`BankQuestion` and report paths relative to the question.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from qbank.diagnostics import Finding
from qbank.model import Question
from qbank.validation import ValidatedFile


def split_category(path: str) -> tuple[str, ...]:
    """Split ``A/B`` into levels; ``//`` is a literal slash inside one level."""
    parts = path.replace("//", "\0").split("/")
    return tuple(p.replace("\0", "/").strip() for p in parts if p.strip())


@dataclass
class BankQuestion:
    """A valid question, placed in its file."""

    question: Question
    file: ValidatedFile
    index: int
    category: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def base_dir(self) -> Path:
        """The folder that relative image paths in this question start from."""
        return self.file.loaded.path.parent

    def file_exists(self, relative: str) -> bool:
        """Whether a path relative to this question's file exists (rules use this, not the disk)."""
        return self.file.file_exists(self.base_dir / relative)

    def at(self, finding: Finding) -> Located:
        """A finding relative to this question, made absolute within the file."""
        return Located(self.file, replace(finding, path=("questions", self.index) + finding.path), self.id)


@dataclass
class Located:
    """A finding whose path is absolute within its file."""

    file: ValidatedFile
    finding: Finding
    question_id: str | None = None


@dataclass
class Member:
    """A question as a bank rule sees it: its place, and what the rule collected of it."""

    file: ValidatedFile
    index: int
    id: str
    summary: Any

    def at(self, finding: Finding) -> Located:
        """A finding relative to this question, made absolute within the file."""
        return Located(self.file, replace(finding, path=("questions", self.index) + finding.path), self.id)


class Collected:
    """The summaries one bank rule collected, over the whole bank in file order.

    ``summaries`` is the flat list (cheap to scan); :meth:`member` gives the k-th with
    its place, for the few that a rule reports. Questions whose summary was None are
    not here.
    """

    def __init__(self, files: list[tuple[ValidatedFile, FileSummaries]]) -> None:
        self._files = [file for file, _ in files]
        self._places = [places for _, (places, _) in files]
        self.summaries: list[Any] = [summary for _, (_, values) in files for summary in values]
        self._starts: list[int] = []
        start = 0
        for _, (places, _) in files:
            self._starts.append(start)
            start += len(places)

    def __len__(self) -> int:
        return len(self.summaries)

    def member(self, k: int) -> Member:
        at = bisect_right(self._starts, k) - 1
        index, question_id = self._places[at][k - self._starts[at]]
        return Member(self._files[at], index, question_id, self.summaries[k])

    def __iter__(self) -> Iterator[Member]:
        summaries = iter(self.summaries)
        for file, places in zip(self._files, self._places):
            for index, question_id in places:
                yield Member(file, index, question_id, next(summaries))


FileSummaries = tuple[list[tuple[int, str]], list[Any]]
"""What one bank rule collected in one file: (index, id) of each question that takes part, and its summary."""


class Bank:
    """Every file of a bank, and its valid questions in file order.

    ``questions`` is assembled on first use: a lint whose bank-wide rules only need
    the files (ids, headers) never unpacks the questions that worker processes or the
    lint cache handed over.
    """

    def __init__(self, files: list[tuple[ValidatedFile, PurePosixPath]] | None = None) -> None:
        self.placed = list(files or [])
        """Each file with its path relative to the bank root (which gives its default category)."""
        self.files: list[ValidatedFile] = [validated for validated, _ in self.placed]
        self.relative: dict[str, PurePosixPath] = {validated.loaded.name: rel for validated, rel in self.placed}
        """Each file's path below the bank root, by its display name (exports place files by it)."""
        self._questions: list[BankQuestion] | None = None

    @property
    def questions(self) -> list[BankQuestion]:
        if self._questions is None:
            self._questions = [item for validated, relative in self.placed for item in place_questions(validated, relative)]
        return self._questions

    def collected(self, code: str) -> Collected:
        """What bank rule ``code`` collected from every file (see :meth:`qbank.rules.base.BankRule.collect`)."""
        return Collected([(file, file.collected[code]) for file in self.files if code in file.collected])

    @property
    def question_count(self) -> int:
        """How many valid questions the bank has, without assembling them."""
        if self._questions is not None:
            return len(self._questions)
        return sum(validated.question_count for validated in self.files)


def folder_category(relative: PurePosixPath) -> tuple[str, ...]:
    """The default category of a file: its folder under the bank root, else its name."""
    parts = relative.parent.parts
    return tuple(parts) if parts else (relative.stem,)


def place_questions(validated: ValidatedFile, relative: PurePosixPath) -> list[BankQuestion]:
    """The valid questions of one file, each with its category and tags."""
    header = validated.header
    file_category = split_category(header.category) if header and header.category else folder_category(relative)
    file_tags = tuple(header.tags) if header else ()
    placed = []
    for index, question in validated.questions:
        category = split_category(question.category) if question.category else file_category
        tags = tuple(dict.fromkeys(file_tags + tuple(question.tags)))
        placed.append(BankQuestion(question, validated, index, category, tags))
    return placed


def assemble(files: list[tuple[ValidatedFile, PurePosixPath]]) -> Bank:
    """Build the bank from validated files and their paths relative to the bank root."""
    return Bank(files)
