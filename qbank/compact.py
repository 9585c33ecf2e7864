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
from typing import Any, TypeVar

T = TypeVar("T")


class Flat(Sequence[T]):
    """A sequence kept in the few flat values of its ``__slots__``, and pickled as them."""

    __slots__ = ()

    def __reduce__(self) -> tuple:
        return (_flat, (type(self), tuple(getattr(self, slot) for slot in self.__slots__)))

    def _item(self, at: int) -> T:
        raise NotImplementedError

    def __getitem__(self, at: Any) -> Any:
        if isinstance(at, slice):
            return [self._item(k) for k in range(*at.indices(len(self)))]
        return self._item(at)

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (list, tuple, Flat)) else NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"


def _flat(kind: type[Flat], values: tuple) -> Flat:
    made = kind.__new__(kind)
    for slot, value in zip(kind.__slots__, values):
        setattr(made, slot, value)
    return made


class Texts(Flat[str]):
    """Texts kept as one joined text and where each ends.

    When no text holds a NUL (the usual case) they are joined with one between each, so that
    all of them come back with one ``split`` in C, not a slice at a time (the ids of a
    100,000-question bank: 1 ms against 9 ms)."""

    __slots__ = ("joined", "ends", "separator")

    def __init__(self, texts: Iterable[str] = ()) -> None:
        texts = list(texts)
        self.separator = "" if "\0" in "".join(texts) else "\0"
        self.joined = self.separator.join(texts)
        # Where each text ends, counting the separators before it.
        self.ends = array("I", (end + at * len(self.separator) for at, end in enumerate(accumulate(map(len, texts)))))

    def __len__(self) -> int:
        return len(self.ends)

    def _item(self, at: int) -> str:
        if at < 0:
            at += len(self.ends)
        start = self.ends[at - 1] + len(self.separator) if at > 0 else 0
        return self.joined[start : self.ends[at]]

    def __iter__(self) -> Iterator[str]:
        if not self.ends:
            return iter(())
        if self.separator:
            return iter(self.joined.split(self.separator))
        return self._slices()

    def _slices(self) -> Iterator[str]:
        start, joined = 0, self.joined
        for end in self.ends:
            yield joined[start:end]
            start = end


class Places(Flat[tuple[int, str]]):
    """The place (index in its file, id) of each question of a file that a bank rule collected."""

    __slots__ = ("indices", "ids")

    def __init__(self, places: Iterable[tuple[int, str]] = ()) -> None:
        places = list(places)
        self.indices = array("i", [index for index, _ in places])
        self.ids = Texts(question_id for _, question_id in places)

    def __len__(self) -> int:
        return len(self.indices)

    def _item(self, at: int) -> tuple[int, str]:
        return self.indices[at], self.ids[at]

    def __iter__(self) -> Iterator[tuple[int, str]]:
        return zip(self.indices, self.ids)


def question_ids(places: Iterable[tuple[int, str]]) -> Iterable[str]:
    """The ids of ``places`` (a :class:`Places`, or a list of its pairs), without making the pairs."""
    return places.ids if isinstance(places, Places) else (question_id for _, question_id in places)
