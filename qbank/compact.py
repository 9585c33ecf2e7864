"""Compact forms of many small values that a lint reads back on every run.

A cached re-lint unpickles every file's entry, and pickle's cost is per object: a
hundred ``(index, id)`` tuples cost a hundred tuples, ints and strings. These keep a
file's worth of small values in a few flat objects (an ``array``, one joined text) and
hand out the values only when they are asked for, which on a re-lint is seldom.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import overload


class Texts(Sequence[str]):
    """Texts kept as one joined text and where each ends."""

    __slots__ = ("joined", "ends")

    def __init__(self, texts: Iterable[str] = ()) -> None:
        texts = list(texts)
        self.joined = "".join(texts)
        self.ends = array("I", accumulate(map(len, texts)))

    def __reduce__(self) -> tuple:
        return (_texts, (self.joined, self.ends))

    def __len__(self) -> int:
        return len(self.ends)

    @overload
    def __getitem__(self, at: int) -> str: ...
    @overload
    def __getitem__(self, at: slice) -> list[str]: ...
    def __getitem__(self, at: int | slice) -> str | list[str]:
        if isinstance(at, slice):
            return [self[k] for k in range(*at.indices(len(self)))]
        if at < 0:
            at += len(self.ends)
        start = self.ends[at - 1] if at > 0 else 0
        return self.joined[start : self.ends[at]]

    def __iter__(self) -> Iterator[str]:
        start, joined = 0, self.joined
        for end in self.ends:
            yield joined[start:end]
            start = end

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Texts):
            return self.joined == other.joined and self.ends == other.ends
        return list(self) == list(other) if isinstance(other, (list, tuple)) else NotImplemented

    def __repr__(self) -> str:
        return f"Texts({list(self)!r})"


def _texts(joined: str, ends: array) -> Texts:
    texts = Texts.__new__(Texts)
    texts.joined, texts.ends = joined, ends
    return texts


class Places(Sequence[tuple[int, str]]):
    """The place (index in its file, id) of each question of a file that a bank rule collected."""

    __slots__ = ("indices", "ids")

    def __init__(self, places: Iterable[tuple[int, str]] = ()) -> None:
        places = list(places)
        self.indices = array("i", [index for index, _ in places])
        self.ids = Texts(question_id for _, question_id in places)

    def __reduce__(self) -> tuple:
        return (_places, (self.indices, self.ids))

    def __len__(self) -> int:
        return len(self.indices)

    @overload
    def __getitem__(self, at: int) -> tuple[int, str]: ...
    @overload
    def __getitem__(self, at: slice) -> list[tuple[int, str]]: ...
    def __getitem__(self, at: int | slice) -> tuple[int, str] | list[tuple[int, str]]:
        if isinstance(at, slice):
            return [self[k] for k in range(*at.indices(len(self)))]
        return self.indices[at], self.ids[at]

    def __iter__(self) -> Iterator[tuple[int, str]]:
        return zip(self.indices, self.ids)

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (list, tuple, Places)) else NotImplemented

    def __repr__(self) -> str:
        return f"Places({list(self)!r})"


def _places(indices: array, ids: Texts) -> Places:
    places = Places.__new__(Places)
    places.indices, places.ids = indices, ids
    return places
