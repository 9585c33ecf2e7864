"""QB305's search for every key of the bank in every stem, kept between lints.

All keys go into one Aho-Corasick automaton, which finds them in the stems of the
whole bank in one pass. What it found in each file's stems is kept in the lint cache
(:class:`qbank.cache.Memo`, by the digest of the stems) with the index of the keys
(each key's places, by the digest of each file's keys). The next lint reuses them for
every file whose keys and stems are unchanged (a file may have moved or been copied:
only its keys and stems count), so an unchanged file costs nothing but its digests.
Keys of files that are gone match nothing; the keys of changed files get a small
automaton of their own; and the stems of a few changed files are searched by looking
up their runs of words among the keys. The results are exactly what one automaton of
the current keys finds.

The automaton itself is not kept. Pickling it (some 40 MB at 100,000 questions) cost
0.28 s of every lint that builds it, on top of the 0.34 s of building it, while reading
it back saves only when many files' stems changed at once: then it is built again
(:data:`LOOK_UP_BELOW`). When the changed keys or the keys gone pass
:data:`REBUILD_SHARE`, the index is built again from the current bank.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from qbank.compact import Flat, Texts

REBUILD_SHARE = 0.05
LOOK_UP_BELOW = 20
"""Up to this many files with new stems (or REBUILD_SHARE of the files), their stems are searched
by looking their words up (:func:`_looked_up`) instead of building the automaton of every key again."""
FORMAT = 4

class FileKeys(Flat[tuple[int, str, str]]):
    """(number of the question in its file, key as compared, key as written) of a file's keys that
    count, kept compact (:mod:`qbank.compact`): only the keys of changed files are read."""

    __slots__ = ("numbers", "compared", "written", "firsts")

    def __init__(self, keys: Iterable[tuple[int, str, str]] = ()) -> None:
        keys = list(keys)
        self.numbers = array("i", [number for number, _, _ in keys])
        self.compared = Texts(key for _, key, _ in keys)
        self.written = Texts(written for _, _, written in keys)
        self.firsts = " ".join(sorted({key.partition(" ")[0] for _, key, _ in keys}))
        """The first word of each key, once each (a key is words between single spaces): a file none
        of whose keys starts with a word of the stems searched is passed over (:func:`_looked_up`)."""

    def __len__(self) -> int:
        return len(self.numbers)

    def _item(self, at: int) -> tuple[int, str, str]:
        return self.numbers[at], self.compared[at], self.written[at]

    def __iter__(self) -> Iterator[tuple[int, str, str]]:
        return zip(self.numbers, self.compared, self.written)


def digest(keys: FileKeys) -> bytes:
    """What identifies a file's keys (normalised keys hold neither NUL nor line breaks)."""
    h = hashlib.blake2b(digest_size=16)
    for local, key, _ in keys:
        h.update(f"{local}\0{key}\0".encode())
    return h.digest()


def stems_digest(haystack: str) -> bytes:
    """What identifies a file's stems, as searched."""
    return hashlib.blake2b(haystack.encode(), digest_size=16).digest()


@dataclass
class KeyIndex:
    """An automaton of keys: each key found leads to where it is, as (file digest, number in the file).

    Key k's places are ``files[starts[k]:starts[k + 1]]`` and ``locals_`` alike (flat
    arrays, quick to read back from the cache), and ``lengths[k]`` is its length.
    """

    digests: list[bytes]
    automaton: Any
    """pyahocorasick automaton: each key between spaces -> its number; None in an index read back
    from the cache (the automaton is not kept)."""
    lengths: array
    starts: array
    files: array
    """Numbers in ``digests``."""
    locals_: array
    format: int = FORMAT

    @property
    def token(self) -> bytes:
        """What tells this automaton from another: its files' digests in order (they fix the keys' numbers)."""
        return hashlib.blake2b(b"".join(self.digests), digest_size=16).digest()

    @classmethod
    def build(cls, files: list[tuple[bytes, FileKeys]]) -> KeyIndex:
        import ahocorasick  # noqa: PLC0415  (only a lint with QB305 on needs it)

        digests: dict[bytes, int] = {}
        places: dict[str, list[tuple[int, int]]] = {}
        for file_digest, keys in files:
            if file_digest in digests:
                continue  # the same keys at the same places: found once, reported for each file
            number = digests[file_digest] = len(digests)
            for local, key, _ in keys:
                places.setdefault(key, []).append((number, local))
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for number, key in enumerate(places):
            automaton.add_word(f" {key} ", number)
        if places:
            automaton.make_automaton()
        flat = [place for found in places.values() for place in found]
        return cls(
            list(digests),
            automaton,
            array("q", map(len, places)),
            array("q", accumulate(map(len, places.values()), initial=0)),
            array("q", [file for file, _ in flat]),
            array("q", [local for _, local in flat]),
        )

    def __getstate__(self) -> dict:
        return {**self.__dict__, "automaton": None}  # not kept: see the module's docstring

    def save(self, memo: Any) -> None:
        memo.write(self)
        memo.beside("automaton").discard()  # what earlier versions kept

    def scan(self, haystack: str) -> list[tuple[int, int, int]]:
        """(number of the stem in ``haystack``, end of the key, number of the key) of each key found in one file's stems."""
        if not len(self.automaton):
            return []
        return [(haystack.count("\n", 0, end), end, number) for end, number in self.automaton.iter(haystack)]

    def found(self, haystack: str, scanned: list[tuple[int, int, int]]) -> Iterator[tuple[int, str, list[tuple[bytes, int]]]]:
        """(number of the stem, key, where the key is: (file digest, number in the file)) of each key :meth:`scan` found."""
        for local, end, number in scanned:
            places = range(self.starts[number], self.starts[number + 1])
            yield local, haystack[end - self.lengths[number] : end], [(self.digests[self.files[k]], self.locals_[k]) for k in places]


@dataclass
class Scans:
    """What a kept automaton found in each file's stems, by the digest of the stems (kept beside it)."""

    token: bytes
    found: dict[bytes, list[tuple[int, int, int]]]
    format: int = FORMAT


def find_keys(
    files: list[tuple[bytes, FileKeys]], haystacks: list[str], stems: list[bytes], memo: Any
) -> Iterator[tuple[int, int, str, list[tuple[bytes, int]]]]:
    """(file number, stem number in that file, key, where the key is) of each key of ``files`` found in their stems.

    ``haystacks`` holds each file's stems, one per line between spaces, and ``stems``
    their :func:`stems_digest`. With a ``memo``, a file whose stems the kept automaton
    has already searched is not searched again (an unchanged file costs nothing but its
    digest), and the kept automaton is read only when some file must be searched.
    """
    kept, *fresh = key_index(files, memo)
    apart: list[int] = []
    if memo is None:
        found = [kept.scan(haystack) for haystack in haystacks]
    else:
        searched, found, apart = _scanned(kept, files, haystacks, stems, memo)
        if searched is not kept:
            kept, fresh = searched, []
    for number, scanned in enumerate(found):
        if scanned:
            for local, key, places in kept.found(haystacks[number], scanned):
                yield number, local, key, places
    if apart:
        yield from _looked_up(files, {number: haystacks[number] for number in apart})
    for index in fresh:
        for number, haystack in enumerate(haystacks):
            for local, key, places in index.found(haystack, index.scan(haystack)):
                yield number, local, key, places


def _scanned(
    kept: KeyIndex, files: list[tuple[bytes, FileKeys]], haystacks: list[str], stems: list[bytes], memo: Any
) -> tuple[KeyIndex, list, list[int]]:
    """What ``kept`` finds in each haystack, taken from the scans kept beside it where the stems are unchanged.

    Returns the index that searched too (a new one of all ``files`` when the kept
    automaton is needed but lost), what it found in each haystack, and the files whose
    stems are new: when they are few (:data:`LOOK_UP_BELOW`), they are not scanned but
    left to :func:`_looked_up` (nothing found is listed for them), and no automaton is
    built.
    """
    scans_memo = memo.beside("scans")
    scans = scans_memo.read()
    earlier = scans.found if isinstance(scans, Scans) and scans.format == FORMAT and scans.token == kept.token else {}
    new = [number for number, seen in enumerate(stems) if seen not in earlier]
    if len(new) <= max(LOOK_UP_BELOW, REBUILD_SHARE * len(stems)):
        now = {seen: earlier[seen] for seen in stems if seen in earlier}
        if now.keys() != earlier.keys():
            scans_memo.write(Scans(kept.token, now))
        return kept, [now.get(seen, []) for seen in stems], new
    if kept.automaton is None:  # read back from the cache, without its automaton
        kept, earlier = _rebuilt(files, memo), {}
    found = [earlier[seen] if seen in earlier else kept.scan(haystack) for seen, haystack in zip(stems, haystacks)]
    now = dict(zip(stems, found))
    if now.keys() != earlier.keys():
        scans_memo.write(Scans(kept.token, now))
    return kept, found, []


def _looked_up(files: list[tuple[bytes, FileKeys]], haystacks: dict[int, str]) -> Iterator[tuple[int, int, str, list[tuple[bytes, int]]]]:
    """(file number, stem number, key, where the key is) of each key of ``files`` in a few ``haystacks``
    (by file number), found without an automaton: every run of words of each stem is looked up
    among the keys. Normalised stems and keys are words between single spaces, so these runs are
    exactly the places where an automaton of every key between spaces matches."""
    present = {word for haystack in haystacks.values() for word in haystack.split()}
    places: dict[str, list[tuple[bytes, int]]] = {}
    seen: set[bytes] = set()
    for file_digest, keys in files:
        if file_digest not in seen:  # the same keys at the same places: found once, reported for each file
            seen.add(file_digest)
            if isinstance(keys, FileKeys) and present.isdisjoint(keys.firsts.split(" ")):
                continue  # one look, not one per key: at 100,000 questions (43,000 keys) 5 ms instead of 8
            for local, key in _numbered(keys):
                if key.partition(" ")[0] in present:  # else no run of these stems starts with it
                    places.setdefault(key, []).append((file_digest, local))
    firsts = {key.partition(" ")[0] for key in places}
    lengths = sorted({key.count(" ") + 1 for key in places})
    for number, haystack in haystacks.items():
        for local, line in enumerate(haystack.split("\n")):
            words = line.split(" ")[1:-1]  # a stem between spaces
            for start, word in enumerate(words):
                if word in firsts:
                    for length in lengths:
                        if start + length > len(words):
                            break
                        key = " ".join(words[start : start + length])
                        if key in places:
                            yield number, local, key, places[key]


def _numbered(keys: FileKeys | list[tuple[int, str, str]]) -> Iterable[tuple[int, str]]:
    """(number of the question, key as compared) of each key, without the keys as written: a walk
    over every file's keys (a re-lint's few changed stems) need not split those."""
    if isinstance(keys, FileKeys):
        return zip(keys.numbers, keys.compared)
    return ((local, key) for local, key, _ in keys)


def _rebuilt(files: list[tuple[bytes, FileKeys]], memo: Any) -> KeyIndex:
    """An index of all ``files``, kept in ``memo`` when there is one."""
    rebuilt = KeyIndex.build(files)
    if memo is not None:
        rebuilt.save(memo)
    return rebuilt


def key_index(files: list[tuple[bytes, FileKeys]], memo: Any) -> list[KeyIndex]:
    """Automata that together hold exactly the keys of ``files`` ((digest, keys) of each file).

    With a ``memo`` (:class:`qbank.cache.Memo`), the kept automaton and one of the keys
    it lacks; without, one automaton of all keys.
    """
    kept = memo.read() if memo is not None else None
    if not isinstance(kept, KeyIndex) or kept.format != FORMAT:
        kept = None
    if kept is not None:
        known = set(kept.digests)
        current = {file_digest for file_digest, _ in files}
        fresh = [(file_digest, keys) for file_digest, keys in files if file_digest not in known]
        total = sum(len(keys) for _, keys in files)
        gone = sum(file_digest not in current for file_digest in kept.digests)
        if sum(len(keys) for _, keys in fresh) <= REBUILD_SHARE * total and gone <= REBUILD_SHARE * len(kept.digests):
            return [kept, KeyIndex.build(fresh)] if fresh else [kept]
    return [_rebuilt(files, memo)]
