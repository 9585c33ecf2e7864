"""Write output files atomically: a temporary file in the same folder, then a rename.

:func:`write_atomic` writes bytes at hand. An exporter streams instead: it writes
each file through an :class:`Output` as the file is produced, so that a large bank's
output is never held in memory whole. :class:`FolderOutput` keeps every file in a
temporary file beside its target until :meth:`FolderOutput.commit` renames them all;
:meth:`FolderOutput.discard` (or a failure while writing) removes them, so a failed or
refused export leaves nothing behind. :class:`MemoryOutput` keeps the bytes, for tests
and the benchmark.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def _mode_for(path: Path) -> int:
    """The permissions a plain open() would give: the old file's, else 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def _temporary_beside(path: Path) -> Iterator[tuple[BinaryIO, Path]]:
    """A new temporary file in ``path``'s folder with the permissions ``path`` will have.

    It is flushed to disk when the block ends, and removed if the block fails.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        os.chmod(temporary, mode)  # mkstemp creates 0600, which would hide the file from others
        with os.fdopen(fd, "wb") as handle:
            yield handle, temporary
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    with _temporary_beside(path) as (handle, temporary):
        handle.write(data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class Output:
    """Where an exporter writes its files, by name relative to the output folder."""

    def open(self, name: str):
        """A context manager giving a binary file to write ``name`` into."""
        raise NotImplementedError


class MemoryOutput(Output):
    """Keeps each file's bytes in ``files`` (name → bytes)."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        buffer = io.BytesIO()
        yield buffer
        self.files[name] = buffer.getvalue()


class FolderOutput(Output):
    """Streams each file into a temporary file in ``folder``; nothing is in place before :meth:`commit`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pending: dict[Path, Path] = {}
        """Target → its finished temporary file."""

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        target = self.folder / name
        with _temporary_beside(target) as (handle, temporary):
            yield handle
        self.pending[target] = temporary

    def commit(self) -> list[Path]:
        """Put every finished file in place (each rename is atomic); returns the targets."""
        done = []
        try:
            for target, temporary in list(self.pending.items()):
                os.replace(temporary, target)
                del self.pending[target]
                done.append(target)
        finally:
            self.discard()
        return done

    def discard(self) -> None:
        """Remove the temporary files not yet in place."""
        for temporary in self.pending.values():
            temporary.unlink(missing_ok=True)
        self.pending.clear()
