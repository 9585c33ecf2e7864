"""Local images that questions refer to, gathered once each under a stable name.

Exports and the preview bundle the images a bank uses. Each file is stored once,
under a name made from its own name and a hash of its bytes, so that two different
``diagram.png`` in two folders never collide and a re-export gives the same names.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from qbank.bank import BankQuestion
from qbank.render import ImageMap

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def asset_name(path: Path, data: bytes) -> str:
    """``images/lstm cell.png`` → ``lstm-cell-1a2b3c4d.png``: safe, stable, content-addressed."""
    stem = _UNSAFE.sub("-", path.stem).strip("-.") or "image"
    return f"{stem}-{hashlib.sha1(data).hexdigest()[:8]}{_UNSAFE.sub('', path.suffix.lower())}"


@dataclass
class MissingImage:
    question_id: str
    src: str
    file: str


@dataclass
class Assets:
    """Collects images as questions are rendered; ``link(name)`` is how the output refers to one."""

    link: Callable[[str], str]
    files: dict[str, bytes] = field(default_factory=dict)
    """Stored name → bytes."""
    missing: list[MissingImage] = field(default_factory=list)
    _names: dict[Path, str] = field(default_factory=dict)

    def mapper(self, item: BankQuestion, used: dict[str, str] | None = None) -> ImageMap:
        """The image map for one question: its relative paths → links to stored copies.

        ``used``, when given, collects each image's path as found beside the question's file → its stored name.
        """

        def map_src(src: str) -> str:
            written = src
            path = item.base_dir / PurePosixPath(src)
            if not path.is_file():  # Markdown percent-encodes a path written as <images/a b.png>
                written = unquote(src)
                path = item.base_dir / PurePosixPath(written)
            key = path.resolve()
            if key not in self._names:
                try:
                    data = path.read_bytes()
                except OSError:
                    self.missing.append(MissingImage(item.id, src, item.file.loaded.name))
                    return src
                name = asset_name(path, data)
                self.files[name] = data
                self._names[key] = name
            if used is not None:
                used[written] = self._names[key]
            return self.link(self._names[key])

        return map_src
