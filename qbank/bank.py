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
class Bank:
    files: list[ValidatedFile] = field(default_factory=list)
    questions: list[BankQuestion] = field(default_factory=list)
    relative: dict[str, PurePosixPath] = field(default_factory=dict)
    """Each file's path below the bank root, by its display name (exports place files by it)."""


def folder_category(relative: PurePosixPath) -> tuple[str, ...]:
    """The default category of a file: its folder under the bank root, else its name."""
    parts = relative.parent.parts
    return tuple(parts) if parts else (relative.stem,)


def assemble(files: list[tuple[ValidatedFile, PurePosixPath]]) -> Bank:
    """Build the bank from validated files and their paths relative to the bank root."""
    bank = Bank()
    for validated, relative in files:
        bank.files.append(validated)
        bank.relative[validated.loaded.name] = relative
        header = validated.header
        file_category = split_category(header.category) if header and header.category else folder_category(relative)
        file_tags = tuple(header.tags) if header else ()
        for index, question in validated.questions:
            category = split_category(question.category) if question.category else file_category
            tags = tuple(dict.fromkeys(file_tags + tuple(question.tags)))
            bank.questions.append(BankQuestion(question, validated, index, category, tags))
    return bank
