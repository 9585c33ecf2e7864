"""The assembled bank: every valid question with its place (file, index, category).

This is where questions meet files. The model stays file-agnostic; rules see a
:class:`BankQuestion` and report paths relative to the question.
"""

from __future__ import annotations

import hashlib
import pickle
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import accumulate
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from qbank.compact import Places
from qbank.diagnostics import Finding
from qbank.validated import ValidatedFile

if TYPE_CHECKING:
    from qbank.model import Question


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
    place: tuple[int, str] = field(init=False, repr=False, compare=False)
    """(index, id): one tuple per question, which every bank rule's summaries share (pickled once)."""

    def __post_init__(self) -> None:
        self.place = (self.index, self.question.id)

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


class Aside:
    """A bank rule's packed summaries of one file, set aside (:attr:`qbank.rules.base.BankRule.aside`).

    The lint cache stores them apart from the file's entry and reads them only when the
    rule asks for their :attr:`value`; until then, their :attr:`digest` tells whether
    they are the same as those a rule kept from an earlier lint. Only the digest is
    pickled with the entry; the value travels as :attr:`blob` beside it.
    """

    __slots__ = ("_value", "_blob", "_digest", "fetch")

    def __init__(self, value: Any = None) -> None:
        self._value = value
        self._blob: bytes | None = None
        self._digest: bytes | None = None
        self.fetch: Callable[[], bytes] | None = None
        """Where the blob comes from when it is not at hand (set by whoever unpickled the digest)."""

    @property
    def blob(self) -> bytes:
        if self._blob is None:
            self._blob = pickle.dumps(self._value, pickle.HIGHEST_PROTOCOL) if self.fetch is None else self.fetch()
        return self._blob

    @property
    def digest(self) -> bytes:
        if self._digest is None:
            self._digest = hashlib.blake2b(self.blob, digest_size=16).digest()
        return self._digest

    @property
    def value(self) -> Any:
        if self._value is None:
            self._value = pickle.loads(self.blob)
        return self._value

    def __getstate__(self) -> tuple[bytes | None]:
        return (self._digest,)  # None when no one asked for it (a worker's answer without the cache)

    def __setstate__(self, state: tuple[bytes | None]) -> None:
        self._value = self._blob = self.fetch = None
        (self._digest,) = state


class _Resolved(Sequence[Any]):
    """Each file's packed summaries, an :class:`Aside` read when first asked for."""

    def __init__(self, packed: list[Any]) -> None:
        self.raw = packed

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, at: int) -> Any:  # type: ignore[override]
        packed = self.raw[at]
        return packed.value if isinstance(packed, Aside) else packed


class Collected:
    """What one bank rule collected, file by file, in bank order.

    For each file that took part: the place (index, id) of each question that did, and
    what the rule packed of their summaries (:meth:`qbank.rules.base.BankRule.pack`; by
    default the list of summaries). ``number`` counts the questions across the whole
    bank, so that a rule can name the k-th with :meth:`member`. ``summaries`` is the flat
    list, for rules that keep the default packing.
    """

    def __init__(self, files: list[tuple[ValidatedFile, FileSummaries]], memo: Any = None) -> None:
        self.memo = memo
        """Where the rule may keep reusable work from one lint to the next (:class:`qbank.cache.Memo`), or None."""
        kept = [(file, places, packed) for file, (places, packed) in files if places]
        self.files: list[ValidatedFile] = [file for file, _, _ in kept]
        self.places: list[Places] = [places for _, places, _ in kept]
        self.packed = _Resolved([packed for _, _, packed in kept])
        """Each file's packed summaries, in the order of :attr:`files` (those set aside read when first asked for)."""
        self.starts: list[int] = list(accumulate((len(places) for places in self.places), initial=0))
        """The number of the first question of each file (and, last, how many there are)."""

    def __len__(self) -> int:
        return self.starts[-1]

    def digest(self, at: int) -> bytes | None:
        """The digest of file ``at``'s summaries when the rule sets them aside (see :class:`Aside`), else None."""
        packed = self.packed.raw[at]
        return packed.digest if isinstance(packed, Aside) else None

    @cached_property
    def summaries(self) -> list[Any]:
        return [summary for packed in self.packed for summary in packed]

    def locate(self, k: int) -> tuple[int, int]:
        """(file number, number within that file) of the k-th question."""
        at = bisect_right(self.starts, k) - 1
        return at, k - self.starts[at]

    def member(self, k: int, summary: Any = None) -> Member:
        """The k-th question, with ``summary`` (default: its own, for the default packing)."""
        at, local = self.locate(k)
        index, question_id = self.places[at][local]
        if summary is None and isinstance(self.packed.raw[at], list):
            summary = self.packed[at][local]
        return Member(self.files[at], index, question_id, summary)

    def __iter__(self) -> Iterator[Member]:
        for file, places, packed in zip(self.files, self.places, self.packed):
            for (index, question_id), summary in zip(places, packed):
                yield Member(file, index, question_id, summary)


FileSummaries = tuple[Places, Any]
"""What one bank rule collected in one file: (index, id) of each question that takes part, and their packed summaries."""


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

    def collected(self, code: str, memo: Any = None) -> Collected:
        """What bank rule ``code`` collected from every file (see :meth:`qbank.rules.base.BankRule.collect`)."""
        return Collected([(file, file.collected[code]) for file in self.files if code in file.collected], memo)

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
