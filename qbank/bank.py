"""The assembled bank: every valid question with its place (file, index, category).

This is where questions meet files. The model stays file-agnostic; rules see a
:class:`BankQuestion` and report paths relative to the question.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

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
