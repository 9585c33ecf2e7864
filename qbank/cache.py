"""The lint cache: what linting one file gave, kept so that an unchanged file is not read again.

An entry holds one file's outcome: its validated questions (packed) and the
diagnostics of the file and question rules, with final positions and severities.
Bank-wide rules are never cached: they run on every lint, on the whole (partly
cached) bank, so a duplicate id across files is found whichever file changed.

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

import hashlib
import json
import os
import pickle
import platform
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pydantic

from qbank import __version__
from qbank.config import Config
from qbank.diagnostics import Diagnostic
from qbank.discovery import BankSource
from qbank.rules.base import Rule
from qbank.validation import ValidatedFile

CACHE_DIR = ".qbank_cache"
LAYOUT = "v1"


@dataclass
class FileOutcome:
    """What linting one file gave: the validated file and its file/question diagnostics."""

    validated: ValidatedFile
    diagnostics: list[Diagnostic]


def fingerprint(config: Config, rules: list[Rule]) -> str:
    """Everything besides the file itself that a file's outcome depends on."""
    settings = config.model_dump(mode="json", exclude={"paths", "exports", "cache"})
    active = [(rule.code, rule.options) for rule in rules]
    text = json.dumps(
        [__version__, pydantic.VERSION, platform.python_version(), settings, active],
        sort_keys=True,
        default=repr,
    )
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def file_key(fingerprint_: str, source: BankSource, data: bytes) -> str:
    """The key of one file's entry: the run's fingerprint, the file's place and its bytes."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(fingerprint_.encode())
    digest.update(f"\0{source.name}\0{source.relative}\0{os.path.abspath(source.path)}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def cache_root(config: Config) -> Path:
    """Where the cache of a configuration lives: beside its pyproject.toml, or here."""
    return Path(config.root) / CACHE_DIR


class LintCache:
    """Per-file outcomes on disk, under ``root``, valid for one fingerprint."""

    def __init__(self, root: Path, fingerprint_: str) -> None:
        self.root = root
        self.fingerprint = fingerprint_
        self.folder = root / LAYOUT

    def _entry(self, source: BankSource) -> Path:
        name = hashlib.blake2b(os.path.abspath(source.path).encode(), digest_size=12).hexdigest()
        return self.folder / name[:2] / f"{name[2:]}.pickle"

    def get(self, source: BankSource, data: bytes) -> FileOutcome | None:
        """The cached outcome of ``source`` whose bytes are ``data``, if still valid."""
        try:
            blob = self._entry(source).read_bytes()
        except OSError:
            return None
        return self.decode(blob, source, file_key(self.fingerprint, source, data))

    def decode(self, blob: bytes, source: BankSource, key: str) -> FileOutcome | None:
        try:
            stored_key, outcome = pickle.loads(blob)
        except Exception:  # a corrupt or foreign entry is a miss, never a crash
            return None
        if stored_key != key or not isinstance(outcome, FileOutcome):
            return None
        for path, found in outcome.validated.probes.items():
            if os.path.isfile(path) != found:
                return None
        outcome.validated.loaded.path = source.path
        return outcome

    def put(self, source: BankSource, blob: bytes) -> None:
        """Store an entry made by :func:`encode`. Failing to write is not an error: the cache is optional."""
        path = self._entry(source)
        try:
            if not self.root.is_dir():
                self._create_root()
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
                handle.write(blob)
            os.replace(handle.name, path)
        except OSError:
            pass

    def _create_root(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / ".gitignore").write_text("# Created by qbank lint; safe to delete.\n*\n", encoding="utf-8")
        (self.root / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# qbank lint cache; see https://bford.info/cachedir/\n",
            encoding="utf-8",
        )


def encode(outcome: FileOutcome, key: str) -> bytes:
    """One entry's bytes; the same bytes carry an outcome from a worker process."""
    return pickle.dumps((key, outcome), pickle.HIGHEST_PROTOCOL)
