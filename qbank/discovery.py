"""Find the bank files under the paths a user gives."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath

EXTENSIONS = (".yaml", ".yml")


class DiscoveryError(Exception):
    """A path given by the user does not exist or holds no bank file."""


@dataclass(frozen=True)
class BankSource:
    path: Path
    name: str
    """The path shown to users."""
    relative: PurePosixPath
    """The path below the bank root, which gives the default category."""

    @cached_property
    def absolute(self) -> str:
        """The path made absolute (not resolved), as the lint cache knows the file by."""
        return os.path.abspath(self.path)


def _display(text: str, cwd: str) -> str:
    """``text`` (a resolved path, with slashes) below ``cwd`` (likewise, ending in a slash) if it is there, else whole."""
    return text[len(cwd) :] if text.startswith(cwd) else text


def _bank_files(folder: str, below: str) -> Iterator[tuple[os.DirEntry, str]]:
    """Each .yaml/.yml file under ``folder`` with its path below the folder given first (``below``):
    the files of a folder by name, then its folders by name. Hidden files and folders are
    skipped, and a linked folder is not entered (as :func:`os.walk` does). One call per
    folder lists it with its kinds, without a call per file."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return
    folders = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        if is_folder:
            folders.append(entry)
        elif entry.name.endswith(EXTENSIONS):
            yield entry, below + entry.name
    for entry in folders:
        if not entry.is_symlink():
            yield from _bank_files(entry.path, f"{below}{entry.name}/")


def _relative(path: Path, given_root: Path, bank_roots: list[Path]) -> PurePosixPath:
    """The path (resolved) below the bank root: a configured bank folder holding the file, else the given one.

    So ``qbank lint banks/rnn`` gives the same categories as ``qbank lint`` when the
    configured paths include ``banks``.
    """
    for root in bank_roots:
        if path.is_relative_to(root):
            return PurePosixPath(path.relative_to(root).as_posix())
    return PurePosixPath(path.relative_to(given_root).as_posix()) if given_root != path else PurePosixPath(path.name)


def discover(paths: list[str | Path], bank_roots: list[str | Path] = ()) -> list[BankSource]:
    """Every .yaml/.yml file under ``paths``, sorted, each once. Hidden folders are skipped.

    ``bank_roots`` are the configured bank folders; categories are taken relative to them.
    """
    roots = [Path(r).resolve() for r in bank_roots if Path(r).is_dir()]
    cwd = Path.cwd().resolve().as_posix().rstrip("/") + "/"
    found: dict[str, BankSource] = {}  # by the resolved path, with slashes (a thousand Path objects cost 1 ms each way)
    for given in paths:
        root = Path(given)
        if root.is_file():
            resolved = root.resolve()
            text = resolved.as_posix()
            found.setdefault(text, BankSource(root, _display(text, cwd), _relative(resolved, resolved, roots)))
            continue
        if not root.is_dir():
            raise DiscoveryError(f"{given}: no such file or folder")
        real_root = root.resolve()
        below_root = real_root.as_posix().rstrip("/") + "/"
        for entry, relative_text in _bank_files(str(root), ""):
            path = Path(entry.path)
            relative = PurePosixPath(relative_text)
            # linked folders are not entered, so only a linked file needs resolving
            if entry.is_symlink() or roots:
                resolved = path.resolve() if entry.is_symlink() else real_root / relative_text
                if roots:
                    relative = _relative(resolved, real_root, roots)
                text = resolved.as_posix()
            else:
                text = below_root + relative_text
            found.setdefault(text, BankSource(path, _display(text, cwd), relative))
    if not found:
        raise DiscoveryError(f"no .yaml or .yml files under {', '.join(map(str, paths))}")
    return sorted(found.values(), key=lambda s: s.name)
