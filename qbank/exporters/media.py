"""Images that questions refer to: read once, named by their content.

Every export names an image ``<sha256 of its bytes><extension>``: the same picture
always has the same name, two different pictures never share one (Anki keeps
media in one flat folder and would otherwise rename a clash), and a changed
picture gets a new name, so platforms never show a stale copy.
"""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
from dataclasses import dataclass
from pathlib import Path

from qbank.bank import Bank, BankQuestion
from qbank.markdown import image_sources, is_local


@dataclass(frozen=True)
class Image:
    src: str
    """The path as written in the Markdown, relative to the question's file."""
    relative: str
    """The path below the bank root (POSIX), for the JSON export."""
    data: bytes
    sha256: str

    @property
    def extension(self) -> str:
        return posixpath.splitext(self.src)[1].lower()

    @property
    def name(self) -> str:
        """The content-addressed file name: sha256 hex of the bytes plus the extension."""
        return self.sha256 + self.extension

    @property
    def media_type(self) -> str:
        return mimetypes.guess_type("x" + self.extension)[0] or "application/octet-stream"


class MissingImage(Exception):
    """A local image cannot be read (lint's QB111 normally catches this first)."""


class Media:
    """Reads each image file once for a whole export."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self._cache: dict[Path, tuple[bytes, str]] = {}

    def image(self, item: BankQuestion, src: str) -> Image:
        path = (item.base_dir / src).resolve()
        if path not in self._cache:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise MissingImage(f"image {src!r} cannot be read: {exc.strerror or exc}") from exc
            self._cache[path] = (data, hashlib.sha256(data).hexdigest())
        data, digest = self._cache[path]
        file_relative = self.bank.relative.get(item.file.loaded.name)
        folder = file_relative.parent.as_posix() if file_relative else "."
        relative = posixpath.normpath(posixpath.join(folder, src))
        return Image(src, relative, data, digest)

    def images(self, item: BankQuestion, text: str | None) -> list[Image]:
        """The local images of one text, in order, each once."""
        found: dict[str, Image] = {}
        for src in image_sources(text):
            if is_local(src) and src not in found:
                found[src] = self.image(item, src)
        return list(found.values())

    def mapper(self, item: BankQuestion, rename):
        """An image-src mapper for :func:`qbank.render.render_html`: ``rename(Image) -> str``."""
        return lambda src: rename(self.image(item, src))
