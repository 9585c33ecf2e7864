"""Restoring questions from qbank's source comment, shared by the importers of qbank's own exports.

Every such importer does the same: check the comment's fingerprint against what it
read (that part is the format's), then take the question, its file, that file's
header and its images from the comment (:func:`from_comment`), put the images back
at their paths (:meth:`Assets.restore_images`), and gather the questions by file
(:class:`BankFiles`). Questions read the other way (edited on the platform, or from
another tool) go to the file named after the source.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from pydantic import ValidationError

from qbank.importers import ImportResult
from qbank.importers.ids import IdMaker
from qbank.importers.shape import bank_file
from qbank.model import BankFile, Question

IMAGE_FOLDER = "images"
"""Where images read from a source go, beside the bank file."""
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
CHANGED = "changed after qbank exported it (its qbank comment no longer matches)"
"""The reason a question is read the other way; each importer says what it is and what it did."""


def safe_relative(path: str) -> str | None:
    """``path`` as a clean relative POSIX path inside the output folder, or None when it would leave it."""
    normal = posixpath.normpath(path)
    if not path or normal.startswith(("/", "..")) or normal == "." or ":" in PurePosixPath(normal).parts[0]:
        return None
    return normal


class UnusableComment(ValueError):
    """A comment whose fingerprint matches but whose content cannot be used; the message says why."""


@dataclass
class Restored:
    question: dict[str, Any]
    """The question as bank-file data (defaults left out)."""
    file: str
    """Its bank file, relative to the output folder."""
    header: dict[str, Any]
    """That file's settings (category, tags, lint), defaults left out."""
    images: dict[str, str]
    """Each image path as the Markdown writes it → the name the export gave the file."""
    index: int | None = None
    """Its place in its file, when the export regrouped the questions."""


def from_comment(comment: dict[str, Any], ids: IdMaker) -> Restored:
    """The question a comment carries, validated; :class:`UnusableComment` when it cannot be used."""
    try:
        question = Question.model_validate(comment["question"])
        header = BankFile.model_validate({**comment.get("header", {}), "questions": []})
        file = safe_relative(str(comment["file"]))
        images = {str(src): str(name) for src, name in dict(comment.get("images") or {}).items()}
        index = comment.get("index")
        if index is not None and (not isinstance(index, int) or isinstance(index, bool)):
            raise TypeError(f"index {index!r} is not a number")
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        raise UnusableComment(f"its qbank comment cannot be used ({str(exc).splitlines()[0]})") from exc
    if file is None or not file.endswith((".yaml", ".yml")):
        raise UnusableComment(f"its qbank comment names the file {comment['file']!r}, which is not a .yaml file inside the output folder")
    ids.keep(question.id)
    return Restored(
        question.model_dump(mode="python", exclude_defaults=True),
        file,
        header.model_dump(mode="python", exclude={"questions"}, exclude_defaults=True),
        images,
        index,
    )


class Assets:
    """Files to write beside the bank files, each path holding one content."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result

    def place(self, wanted: str, data: bytes) -> str:
        """Store ``data`` at ``wanted``, or beside it with ``-2``, ``-3``… when another file has that path."""
        stem, extension = posixpath.splitext(wanted)
        candidate, n = wanted, 1
        while candidate in self.result.assets and self.result.assets[candidate] != data:
            n += 1
            candidate = f"{stem}-{n}{extension}"
        self.result.assets[candidate] = data
        return candidate

    def beside(self, folder: str, name: str, data: bytes) -> str:
        """Store an image of the source as ``images/<safe name>`` beside the bank file in ``folder``; the link to it."""
        safe = _UNSAFE_NAME.sub("-", posixpath.basename(name)).strip("-") or "file"
        placed = self.place(posixpath.join(folder, IMAGE_FOLDER, safe), data)
        return posixpath.relpath(placed, folder or ".")

    def restore_images(self, restored: Restored, by_name: dict[str, bytes], where: str) -> list[str]:
        """Put a restored question's images back at their paths; messages for those that cannot be.

        ``by_name`` holds the files the source carries by the names the export gave
        them; ``where`` names the source in messages ("the XML", "the package").
        """
        messages = []
        for src, name in restored.images.items():
            target = safe_relative(posixpath.join(posixpath.dirname(restored.file), src))
            data = by_name.get(name)
            if target is None or data is None:
                why = "it would be outside the output folder" if target is None else f"{where} does not hold {name!r}"
                messages.append(f"the image {src!r} was not written: {why}")
                continue
            placed = self.place(target, data)
            if placed != target:
                messages.append(f"the image {src!r} differs from another image at {target!r}; it was written as {placed!r}, fix the link by hand")
        return messages


class BankFiles:
    """Imported questions gathered by file: restored ones in their own files, the others in the source's."""

    def __init__(self) -> None:
        self.restored: dict[str, dict[str, Any]] = {}
        self.places: dict[str, list[int | None]] = {}
        self.others: list[dict[str, Any]] = []

    def add_restored(self, restored: Restored) -> None:
        self.restored.setdefault(restored.file, {**restored.header, "questions": []})["questions"].append(restored.question)
        self.places.setdefault(restored.file, []).append(restored.index)

    def add(self, question: dict[str, Any]) -> None:
        self.others.append(question)

    def take(self, question: dict[str, Any] | Restored | None) -> None:
        """Add what a reader gave: a restored question, a question read the other way, or nothing (skipped)."""
        if isinstance(question, Restored):
            self.add_restored(question)
        elif question is not None:
            self.add(question)

    def files(self, own: str) -> dict[str, dict[str, Any]]:
        """Every file; the others go to ``own`` (``NAME-imported.yaml`` when a restored file has that name)."""
        files = {}
        for path, data in self.restored.items():
            places = self.places[path]
            order = sorted(range(len(places)), key=lambda n: (places[n] is None, places[n] or 0, n))
            files[path] = {**data, "questions": [data["questions"][n] for n in order]}
        if self.others or not self.restored:
            name = own if own not in files else own[: -len(".yaml")] + "-imported.yaml"
            files[name] = bank_file(self.others)
        return files
