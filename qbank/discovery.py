"""Find the bank files under the paths a user gives."""

from __future__ import annotations

import os
from dataclasses import dataclass
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


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _relative(path: Path, given_root: Path, bank_roots: list[Path]) -> PurePosixPath:
    """The path below the bank root: a configured bank folder holding the file, else the given one.

    So ``qbank lint banks/rnn`` gives the same categories as ``qbank lint`` when the
    configured paths include ``banks``.
    """
    resolved = path.resolve()
    for root in bank_roots:
        if resolved.is_relative_to(root):
            return PurePosixPath(resolved.relative_to(root).as_posix())
    return PurePosixPath(path.relative_to(given_root).as_posix()) if given_root != path else PurePosixPath(path.name)


def discover(paths: list[str | Path], bank_roots: list[str | Path] = ()) -> list[BankSource]:
    """Every .yaml/.yml file under ``paths``, sorted, each once. Hidden folders are skipped.

    ``bank_roots`` are the configured bank folders; categories are taken relative to them.
    """
    roots = [Path(r).resolve() for r in bank_roots if Path(r).is_dir()]
    found: dict[Path, BankSource] = {}
    for given in paths:
        root = Path(given)
        if root.is_file():
            found.setdefault(root.resolve(), BankSource(root, _display(root), _relative(root, root, roots)))
            continue
        if not root.is_dir():
            raise DiscoveryError(f"{given}: no such file or folder")
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for filename in sorted(files):
                if filename.endswith(EXTENSIONS) and not filename.startswith("."):
                    path = Path(folder) / filename
                    found.setdefault(path.resolve(), BankSource(path, _display(path), _relative(path, root, roots)))
    if not found:
        raise DiscoveryError(f"no .yaml or .yml files under {', '.join(map(str, paths))}")
    return sorted(found.values(), key=lambda s: s.name)
