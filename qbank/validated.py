"""A validated file: a loaded file with its valid questions, its schema findings and what rules
collected of it. It crosses process boundaries and is kept in the lint cache.

This module imports no pydantic: a cached re-lint reads a thousand of these and validates
nothing in its own process. The models come in only when questions are unpacked
(:attr:`ValidatedFile.questions`) or a header is read (:attr:`ValidatedFile.header`); the
validation itself is in :mod:`qbank.validation`.
"""

from __future__ import annotations

import marshal
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from qbank.compact import Places
from qbank.diagnostics import Finding, Path
from qbank.loader import LoadedFile

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from qbank.model import BankFile, Question


@dataclass
class ValidatedFile:
    """A loaded file with its valid questions and the schema findings (absolute paths).

    A ValidatedFile crosses process boundaries and is kept in the lint cache. When
    pickled, its questions travel as one packed blob that is unpacked only when
    :attr:`questions` is first read, and the parsed document data (no longer needed
    once validated) is left behind.
    """

    loaded: LoadedFile
    _header: BankFile | bytes | None = field(default=None, repr=False)
    ids: list[tuple[int, str]] | Places = field(default_factory=list)
    """Every question id found, valid question or not, for bank-wide id checks: (index in the file, id);
    kept compact (:class:`~qbank.compact.Places`) in a copy sent to another process or the cache."""
    schema_findings: list[Finding] = field(default_factory=list)
    scalar_findings: list[Finding] = field(default_factory=list)
    probes: dict[str, bool] = field(default_factory=dict)
    """Files that rules looked for (absolute path: found?), so that a cache can tell when they change."""
    question_count: int = 0
    suppressions: list[tuple[Path, str]] = field(default_factory=list)
    """Every ``lint.ignore`` entry of the file and its valid questions: (path of the entry, code), in file order.
    Kept apart from the questions so that suppressions are judged without unpacking them."""
    collected: dict[str, tuple[list[tuple[int, str]], list[Any]]] = field(default_factory=dict)
    """What each bank rule collected from this file's questions (see :class:`qbank.bank.Collected`)."""
    _questions: list[tuple[int, Question]] | None = field(default=None, repr=False)
    _packed: bytes | None = field(default=None, repr=False)
    _fetch: Callable[[], bytes | None] | None = field(default=None, repr=False, compare=False)

    @property
    def header(self) -> BankFile | None:
        """File-level settings (category, tags, lint); ``questions`` is left empty here.

        A copy sent elsewhere holds it pickled until it is first read: unpickling it imports the models."""
        if type(self._header) is bytes:
            self._header = pickle.loads(self._header)
        return self._header  # type: ignore[return-value]

    @header.setter
    def header(self, header: BankFile | None) -> None:
        self._header = header

    @property
    def questions(self) -> list[tuple[int, Question]]:
        """Valid questions with their index in the file's ``questions`` list."""
        if self._questions is None:
            if self._packed is None and self._fetch is not None:
                self._packed = self._fetch()
            self._questions = _unpack(self._packed) if self._packed is not None else []
            self._packed = None
        return self._questions

    def release(self) -> None:
        """Let the unpacked questions go when they can be fetched again (from the lint cache)."""
        if self._fetch is not None:
            self._questions = None

    def file_exists(self, path: FilePath) -> bool:
        """Whether ``path`` is a file, remembered so that the lint cache can check it again."""
        found = path.is_file()
        self.probes[os.path.abspath(path)] = found
        return found

    def pack(self) -> bytes:
        """The questions as one blob, for another process or the cache (see :meth:`detached`).

        While the parsed data is at hand, the blob holds each valid question's data,
        which pickles several times faster than the models and is validated again
        (to the same models) when unpacked; else it holds the models.
        """
        if self._packed is not None:
            return self._packed
        document = self.loaded.document
        data = document.data if document is not None else None
        if isinstance(data, dict) and isinstance(data.get("questions"), list) and self._questions is not None:
            items = data["questions"]
            placed = [(index, items[index]) for index, _ in self._questions]
            try:  # plain data: marshal writes it in two thirds of pickle's time, and reads it back faster too
                return MARSHALLED + marshal.dumps(placed)
            except ValueError:  # a value marshal cannot write (a date that a YAML tag made)
                return pickle.dumps(("data", placed), pickle.HIGHEST_PROTOCOL)
        return pickle.dumps(("models", self.questions), pickle.HIGHEST_PROTOCOL)

    def detached(self) -> ValidatedFile:
        """A light copy to send elsewhere: no questions (send :meth:`pack` beside it), no parsed data.

        Give the copy its questions back with ``_packed`` (or a ``_fetch`` that returns them).
        """
        loaded = self.loaded
        if loaded.document is not None:
            loaded = replace(loaded, document=replace(loaded.document, data=None, notes={}))
        count = len(self._questions) if self._questions is not None else self.question_count
        ids = _shared(Places(self.ids), self.collected)  # compact: a cached re-lint unpickles every file's ids
        header = self._header
        if header is not None and type(header) is not bytes:
            header = pickle.dumps(header, pickle.HIGHEST_PROTOCOL)
        return replace(self, loaded=loaded, _header=header, ids=ids, question_count=count, _questions=None, _packed=None, _fetch=None)


def _shared(ids: Places, collected: dict[str, tuple[Any, Any]]) -> Places:
    """The places a bank rule collected when they are the same as ``ids`` (every question of the file
    took part), else ``ids``: one object, which pickle writes once and a re-lint reads once."""
    for places, _ in collected.values():
        if isinstance(places, Places) and places.indices == ids.indices and places.ids.ends == ids.ids.ends and places.ids.joined == ids.ids.joined:
            return places
    return ids


@cache
def _question_list() -> TypeAdapter[list[Question]]:
    """Made when first needed: making it builds the question model's validators (see qbank/model)."""
    from pydantic import TypeAdapter  # noqa: PLC0415  (see the module's docstring)

    from qbank.model import Question  # noqa: PLC0415

    return TypeAdapter(list[Question])


MARSHALLED = b"M"
"""The first byte of packed questions written with :mod:`marshal` (a pickle starts with byte 0x80). The
lint cache's key holds the Python version, whose marshal format may change."""


def _unpack(packed: bytes) -> list[tuple[int, Question]]:
    if packed[:1] == MARSHALLED:
        items = marshal.loads(memoryview(packed)[1:])
    else:
        kind, items = pickle.loads(packed)
        if kind == "models":
            return items
    return list(zip((index for index, _ in items), _question_list().validate_python([data for _, data in items])))
