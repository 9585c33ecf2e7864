"""The lint cache: what linting one file gave, kept so that an unchanged file is not read again.

An entry holds one file's outcome: its validated questions (packed), the
diagnostics of the file and question rules, with final positions and severities,
and what the bank-wide rules collected of its questions. Bank-wide checks are never
cached: they run on every lint, on the summaries of the whole (partly cached) bank,
so a duplicate id or stem across files is found whichever file changed. A bank rule
may keep work it can reuse in a :class:`Memo` (``bank/CODE.memo``), which it checks
against the bank before use, and may set large summaries aside
(:class:`~qbank.bank.Aside`): they are stored beside the entry with the questions and
read only when the rule asks, so that a rule answering from its memo never reads them.

An entry is used only when its key matches. The key covers the file's bytes, its
name and place in the bank, the qbank, pydantic and Python versions, the
configuration and the active rules with their options. An entry also lists the
files that rules looked for (such as images) and is dropped when one of them
appeared or vanished.

The cache lives in ``.qbank_cache/`` beside the pyproject.toml that holds the
configuration (else in the current folder). It is safe to delete at any time; an
unreadable or corrupt entry is ignored and rewritten. One entry per bank file is
kept (named by a hash of the file's name), so the cache does not grow with edits.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import mmap
import os
import pickle
import platform
import re
import struct
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import partial
from itertools import count
from pathlib import Path

from qbank import __version__
from qbank.bank import Aside
from qbank.config import Config
from qbank.diagnostics import Diagnostic
from qbank.discovery import BankSource
from qbank.loader import load_file
from qbank.loader.tree import DeferredSourceMap, SourceMap
from qbank.rules.base import Rule
from qbank.validated import ValidatedFile

CACHE_DIR = ".qbank_cache"
LAYOUT = "v16"


@dataclass
class FileOutcome:
    """What linting one file gave: the validated file and its file/question diagnostics."""

    validated: ValidatedFile
    diagnostics: list[Diagnostic]


def pydantic_version() -> str:
    """pydantic's version, read from its ``version`` module's source: a cached re-lint never imports pydantic."""
    spec = importlib.util.find_spec("pydantic")
    folders = spec.submodule_search_locations if spec is not None else None
    for folder in folders or []:
        with suppress(OSError, UnicodeDecodeError):
            found = re.search(r"^VERSION = ['\"]([^'\"]+)['\"]", Path(folder, "version.py").read_text(encoding="utf-8"), re.M)
            if found:
                return found.group(1)
    import pydantic  # noqa: PLC0415  (laid out otherwise: ask it)

    return pydantic.VERSION


def fingerprint(config: Config, rules: list[Rule]) -> str:
    """Everything besides the file itself that a file's outcome depends on."""
    active = [(rule.code, rule.options) for rule in rules]
    text = json.dumps(
        [__version__, pydantic_version(), platform.python_version(), config.settings(), active],
        sort_keys=True,
        default=repr,
    )
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def context_key(fingerprint_: str, source: BankSource) -> str:
    """What a file's outcome depends on besides its bytes: the run's fingerprint and the file's place."""
    place = f"{fingerprint_}\0{source.name}\0{source.relative}\0{source.absolute}"
    return hashlib.sha256(place.encode()).hexdigest()


def file_key(fingerprint_: str, source: BankSource, data: bytes) -> str:
    """The key of one file's entry: its context and its bytes."""
    digest = hashlib.sha256(context_key(fingerprint_, source).encode())
    digest.update(data)
    return digest.hexdigest()


def signature(source: BankSource) -> tuple[int, ...] | None:
    """The file's size, inode and change times: when they are unchanged, so are its bytes."""
    try:
        status = os.stat(source.path)
    except OSError:
        return None
    return (status.st_size, status.st_ino, status.st_mtime_ns, status.st_ctime_ns)


def cache_root(config: Config) -> Path:
    """Where the cache of a configuration lives: beside its pyproject.toml, or here."""
    return Path(config.root) / CACHE_DIR


@dataclass
class Entry:
    """One file's outcome as three blobs: the outcome without its questions and without the
    summaries set aside (:class:`~qbank.bank.Aside`), the questions, and those summaries."""

    outcome: bytes
    questions: bytes
    asides: bytes

    @classmethod
    def make(cls, outcome: FileOutcome, key: str, context: str, stamp: tuple[int, ...] | None, questions: bool = True) -> Entry:
        """The entry of ``outcome``; without ``questions``, its questions blob is left empty (:meth:`open` fetches them again)."""
        asides = _asides_blob(outcome.validated)
        if key:  # a cache entry: its summaries set aside are known by their digest from now on
            for _, aside in _asides(outcome.validated):
                aside.digest  # noqa: B018  (computed here, pickled with the outcome)
        light = FileOutcome(_outline_packed(_pathless(outcome.validated.detached())), outcome.diagnostics)
        return cls(
            pickle.dumps((key, context, stamp, light), pickle.HIGHEST_PROTOCOL),
            outcome.validated.pack() if questions else b"",
            asides,
        )

    def without_questions(self) -> Entry:
        return replace(self, questions=b"")

    def open(self, source: BankSource, store: LintCache | None = None) -> FileOutcome:
        """The outcome of ``source`` again, with its summaries set aside and its questions (unpacked only
        when first read; when the entry came without them, read from ``store`` or from the file)."""
        key, _, _, outcome = pickle.loads(self.outcome)
        validated = outcome.validated
        validated.loaded.path = source.path
        if self.questions:
            validated._packed = self.questions
        elif store is not None and key:
            validated._fetch = lambda: store._questions(source, key)
        else:
            validated._fetch = lambda: read_questions(source)
        _fetch_asides(validated, lambda: self.asides)
        return outcome


def read_questions(source: BankSource) -> bytes:
    """The questions of a bank file, read and validated again (packed, see :meth:`ValidatedFile.pack`)."""
    from qbank.validation import validate_file  # noqa: PLC0415  (pydantic: only when the questions are needed)

    return validate_file(load_file(source.path, source.name)).pack()


def _asides(validated: ValidatedFile) -> list[tuple[str, Aside]]:
    """The summaries set aside of ``validated``, by rule code."""
    return [(code, packed) for code, (_, packed) in validated.collected.items() if isinstance(packed, Aside)]


def _asides_blob(validated: ValidatedFile) -> bytes:
    """The summaries set aside of ``validated``, pickled by rule code."""
    return pickle.dumps({code: aside.blob for code, aside in _asides(validated)}, pickle.HIGHEST_PROTOCOL)


def _fetch_asides(validated: ValidatedFile, blob: Callable[[], bytes]) -> None:
    """Let each summary set aside of ``validated`` fetch its value from ``blob`` (pickled by code), read once."""
    asides = _asides(validated)
    if asides:
        read = _AsidesBlob(blob)
        for code, aside in asides:
            aside.fetch = partial(read.of, code)


class _AsidesBlob:
    """A file's summaries set aside, pickled by code: read when one is first asked for."""

    __slots__ = ("blob", "by_code")

    def __init__(self, blob: Callable[[], bytes]) -> None:
        self.blob = blob
        self.by_code: dict[str, bytes] | None = None

    def of(self, code: str) -> bytes:
        if self.by_code is None:
            self.by_code = pickle.loads(self.blob())
        return self.by_code[code]


def _pathless(validated: ValidatedFile) -> ValidatedFile:
    """``validated`` (a detached copy) without the path of its file, which whoever opens the entry
    knows (a thousand paths cost a thousand ``Path`` objects to unpickle)."""
    validated.loaded = replace(validated.loaded, path=None)
    return validated


class PackedSourceMap(SourceMap):
    """A source map kept as one blob, unpacked when a position is first asked for.

    The outline of a file (a position per question) is some hundred small objects;
    most cached files never have a position asked, so they are not rebuilt on every read.
    """

    def __init__(self, source: SourceMap) -> None:
        self._blob = pickle.dumps((source.values, source.keys), pickle.HIGHEST_PROTOCOL)
        self._maps: tuple[dict, dict] | None = (source.values, source.keys)

    def _unpacked(self) -> tuple[dict, dict]:
        if self._maps is None:
            self._maps = pickle.loads(self._blob)
        return self._maps

    @property
    def values(self) -> dict:  # type: ignore[override]
        return self._unpacked()[0]

    @property
    def keys(self) -> dict:  # type: ignore[override]
        return self._unpacked()[1]

    def __getstate__(self) -> dict:
        return {"_blob": self._blob, "_maps": None}


def _outline_packed(validated: ValidatedFile) -> ValidatedFile:
    """``validated`` (a detached copy) with the outline of its source map packed (see :class:`PackedSourceMap`)."""
    document = validated.loaded.document
    source_map = document.source_map if document is not None else None
    if not isinstance(source_map, DeferredSourceMap) or source_map.outline is None:
        return validated
    source_map = copy.copy(source_map)
    source_map.outline = PackedSourceMap(source_map.outline)
    validated.loaded = replace(validated.loaded, document=replace(document, source_map=source_map))
    return validated


class LintCache:
    """Per-file outcomes on disk, under ``root``, valid for one fingerprint.

    Each bank file has an entry (``NAME.entry``): key, file signature and outcome without
    the questions, then, beside them in the same file, the questions and the summaries that
    bank rules set aside, read only when a bank-wide rule or a caller asks for them.
    """

    def __init__(self, root: Path, fingerprint_: str, relint: Callable[[BankSource], FileOutcome] | None = None) -> None:
        self.root = root
        self.fingerprint = fingerprint_
        self.folder = root / LAYOUT
        self._folder = str(self.folder)
        self.relint = relint
        """How to lint a file again when the summaries set aside of its entry went missing."""

    def __getstate__(self) -> dict:
        return {**self.__dict__, "relint": None}  # a worker process never reads summaries set aside

    def _entry(self, source: BankSource) -> str:
        """Where the entry of ``source`` lives (a string: a thousand Path joins per lint add up)."""
        name = hashlib.sha256(source.absolute.encode()).hexdigest()[:24]
        return os.path.join(self._folder, name[:2], name[2:] + ".entry")

    def get(self, source: BankSource) -> tuple[FileOutcome | None, bytes | None]:
        """The cached outcome of ``source`` if still valid, else None and the file's bytes (when read)."""
        try:
            stored_key, context, stamp, outcome = pickle.loads(_read_outcome(self._entry(source)))
            if not isinstance(outcome, FileOutcome):
                raise TypeError
        except Exception:  # missing, corrupt or foreign: a miss, never a crash
            return None, None
        if context != context_key(self.fingerprint, source):
            return None, None
        if stamp is None or stamp != signature(source):
            try:
                data = source.path.read_bytes()
            except OSError:
                return None, None
            if stored_key != file_key(self.fingerprint, source, data):
                return None, data
        for path, found in outcome.validated.probes.items():
            if os.path.isfile(path) != found:
                return None, None
        validated = outcome.validated
        validated.loaded.path = source.path
        validated._fetch = lambda: self._questions(source, stored_key)
        _fetch_asides(validated, lambda: self._asides(source, stored_key))
        return outcome, None

    def _beside(self, source: BankSource, key: str) -> tuple[bytes, bytes] | None:
        """The questions and the summaries set aside that are stored beside the entry, if still its own."""
        try:
            stored_key, packed, asides = pickle.loads(_read_beside(self._entry(source)))
            if stored_key == key and isinstance(packed, bytes) and isinstance(asides, bytes):
                return packed, asides
        except Exception:
            pass
        return None

    def _questions(self, source: BankSource, key: str) -> bytes | None:
        if beside := self._beside(source, key):
            return beside[0]
        return read_questions(source)  # they went missing: read the file again (its entry said it is unchanged)

    def _asides(self, source: BankSource, key: str) -> bytes:
        if beside := self._beside(source, key):
            return beside[1]
        if self.relint is None:
            raise LookupError(f"{source.name}: the cached summaries went missing")
        # They went missing: lint the file again (its entry said it is unchanged, so they come out the same).
        return _asides_blob(self.relint(source).validated)

    def put(self, source: BankSource, entry: Entry, key: str) -> None:
        """Store an entry."""
        beside = pickle.dumps((key, entry.questions, entry.asides), pickle.HIGHEST_PROTOCOL)
        self._store(self._entry(source), _OUTCOME_LENGTH.pack(len(entry.outcome)), entry.outcome, beside)

    def _store(self, path: str | Path, *parts: bytes | memoryview) -> None:
        """Write a file of the cache (see :func:`_write`). Its folder, and the cache itself, are made when
        the first write finds none. Failing to write is not an error: the cache only saves time."""
        try:
            _write(path, *parts)
        except FileNotFoundError:
            try:
                if not self.root.is_dir():
                    self._create_root()
                os.makedirs(os.path.dirname(path), exist_ok=True)
                _write(path, *parts)
            except OSError:
                pass
        except OSError:
            pass

    def memo(self, name: str) -> Memo:
        """A place for a bank rule's reusable work (see :class:`Memo`), one per rule code."""
        return Memo(self, self.folder / "bank" / f"{name}.memo")

    def _create_root(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / ".gitignore").write_text("# Created by qbank lint; safe to delete.\n*\n", encoding="utf-8")
        (self.root / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# qbank lint cache; see https://bford.info/cachedir/\n",
            encoding="utf-8",
        )


class Memo:
    """Work that a bank rule may keep from one lint to the next, such as a search structure
    built from every file's summaries (QB305's index of all keys, and what it found in each file's stems).

    It only ever saves time: what is read back may be stale, from another bank or
    missing, so a rule checks it against the bank it is given and gives the very same
    findings without it. Written whole or not at all; the last run to write wins.
    """

    def __init__(self, cache: LintCache, path: Path) -> None:
        self._cache = cache
        self.path = path

    def beside(self, name: str) -> Memo:
        """Another memo of the same rule (written on its own, so that a small part changes cheaply)."""
        return Memo(self._cache, self.path.with_name(f"{self.path.stem}-{name}.memo"))

    def read(self) -> object | None:
        """What was kept, or None. Large arrays in it are read-only views of the file, mapped into
        memory: read only where a rule looks (a new memo is written to a new file and renamed over
        this one, so a view stays valid; Windows cannot rename over a mapped file, so there it is copied)."""
        try:
            with open(self.path, "rb") as handle:
                if os.name == "nt":
                    data: bytearray | mmap.mmap = bytearray(os.fstat(handle.fileno()).st_size)
                    handle.readinto(data)
                else:
                    data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            return _unframed(memoryview(data))
        except Exception:  # missing, empty, corrupt or foreign: nothing kept
            return None

    def write(self, value: object) -> None:
        self._cache._store(self.path, *_framed(value))

    def discard(self) -> None:
        """Forget what was kept, if anything (a memo no longer written)."""
        with suppress(OSError):
            self.path.unlink()


MEMO_FORMAT = b"qbank memo 1\n"


def _framed(value: object) -> list[bytes | memoryview]:
    """``value`` pickled with its large buffers (numpy arrays) out of band: written as they are,
    and read back without a copy (the index QB304 keeps is some 20 MB at 100,000 questions)."""
    buffers: list[pickle.PickleBuffer] = []
    head = pickle.dumps(value, 5, buffer_callback=buffers.append)
    parts = [head, *(buffer.raw() for buffer in buffers)]
    return [MEMO_FORMAT, struct.pack(f"<{len(parts) + 1}Q", len(parts), *map(len, parts)), *parts]


def _unframed(data: memoryview) -> object:
    if data[: len(MEMO_FORMAT)] != MEMO_FORMAT:
        raise ValueError("not a qbank memo")
    at = len(MEMO_FORMAT)
    (how_many,) = struct.unpack_from("<Q", data, at)
    lengths = struct.unpack_from(f"<{how_many}Q", data, at + 8)
    at += 8 * (how_many + 1)
    parts = []
    for length in lengths:
        parts.append(data[at : at + length])
        at += length
    if at != len(data):
        raise ValueError("a damaged qbank memo")
    return pickle.loads(parts[0], buffers=parts[1:])


_OUTCOME_LENGTH = struct.Struct("<Q")
"""An entry file holds the length of the outcome, the outcome, then what is stored beside it
(questions and summaries set aside): one file to create per bank file, of which a lint reads the
outcome only."""


def _read_outcome(path: str) -> bytes:
    with open(path, "rb", buffering=0) as handle:
        (length,) = _OUTCOME_LENGTH.unpack(handle.read(_OUTCOME_LENGTH.size))
        outcome = handle.read(length)
    if len(outcome) != length:
        raise ValueError(f"{path}: a damaged cache entry")
    return outcome


def _read_beside(path: str) -> bytes:
    with open(path, "rb") as handle:
        (length,) = _OUTCOME_LENGTH.unpack(handle.read(_OUTCOME_LENGTH.size))
        handle.seek(length, os.SEEK_CUR)
        return handle.read()


def _write(path: str | Path, *parts: bytes | memoryview) -> None:
    """Write ``parts`` one after the other, whole or not at all, so that a parallel run never reads half
    an entry: into a file of this process's own beside ``path`` (cheaper than :mod:`tempfile`'s random
    names, a thousand times per lint), then renamed over it."""
    temporary = f"{path}.{os.getpid()}-{next(_TEMPORARY_NUMBERS)}.tmp"
    try:
        with open(temporary, "wb") as handle:
            for part in parts:
                handle.write(part)
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


_TEMPORARY_NUMBERS = count()
