"""JSON import of qbank's own export (``qbank export --to json``): the bank back, file by file.

The document is first validated against its schema
(``schemas/qbank-export.schema.json``, generated from
:mod:`qbank.exporters.json_model`); every error is reported with its JSON path
and nothing is written. A valid document gives back every file at its path with
its own category, tags and lint settings, every question with every field at its
index, and the images that were embedded (``--embed-images``); an image that was
not embedded is reported, since only its path and hash travelled.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import posixpath
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from pydantic import ValidationError

from qbank.exporters.json_model import FORMAT, export_schema
from qbank.importers import ImportNote, ImportResult, Importer, read_source_text, register
from qbank.model import Question

MAX_SCHEMA_ERRORS = 10


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(export_schema())


def _safe_path(path: str) -> bool:
    normal = posixpath.normpath(path)
    return bool(path) and path == normal and not normal.startswith(("/", "../")) and normal not in (".", "..") and "\\" not in path


class _NotJson(ValueError):
    """A value qbank does not read, with the token that wrote it (to find where)."""

    def __init__(self, message: str, token: str) -> None:
        super().__init__(message)
        self.token = token


def _refuse_constant(name: str) -> None:
    """Python's json reads NaN and Infinity, which JSON does not have (and the model refuses)."""
    raise _NotJson(f"this is not valid JSON: {name} is not a JSON value (write a number or null)", name)


def _read_int(digits: str) -> int:
    """Python converts integers of up to ``sys.get_int_max_str_digits()`` digits (4,300 by default)."""
    try:
        return int(digits)
    except ValueError:
        count = len(digits.lstrip("-"))
        raise _NotJson(f"this number has {count:,} digits, more than qbank reads; no field of a bank holds such a number", digits) from None


_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|(-?Infinity|NaN|-?[0-9]+)')


def _token_position(text: str, token: str) -> tuple[int | None, int | None]:
    """Line and column of the first ``token`` (a constant or a number) outside a string."""
    for match in _TOKEN.finditer(text):
        if match.group(1) == token:
            before = text[: match.start(1)]
            return before.count("\n") + 1, match.start(1) - (before.rfind("\n") + 1) + 1
    return None, None


@register
class JsonImporter(Importer):
    name = "json"
    summary = "qbank's JSON export: every file, question and embedded image, restored exactly"
    suffixes = (".json",)

    @classmethod
    def detect(cls, path: Path, head: str) -> bool:
        return head.lstrip().startswith("{") and f'"format": "{FORMAT}"' in head[:200]

    def read(self, path: Path) -> ImportResult:
        source = str(path)
        result = ImportResult()

        def fail(message: str, line: int | None = None, column: int | None = None) -> ImportResult:
            result.notes.append(ImportNote(source, message, line, column, "error"))
            return result

        text = read_source_text(path)
        try:
            document = json.loads(text, parse_constant=_refuse_constant, parse_int=_read_int)
        except json.JSONDecodeError as exc:
            return fail(f"this is not valid JSON: {exc.msg}", exc.lineno, exc.colno)
        except _NotJson as exc:
            return fail(str(exc), *_token_position(text, exc.token))
        except RecursionError:
            return fail("this JSON is nested too deeply to be a qbank export")
        errors = sorted(_validator().iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
        if errors:
            for error in errors[:MAX_SCHEMA_ERRORS]:
                fail(f"{error.json_path}: {error.message} (schemas/qbank-export.schema.json)")
            if len(errors) > MAX_SCHEMA_ERRORS:
                fail(f"and {len(errors) - MAX_SCHEMA_ERRORS} more schema errors")
            return result
        return self.restore(document, source, result, fail)

    def restore(self, document: dict[str, Any], source: str, result: ImportResult, fail) -> ImportResult:
        files: dict[str, dict[str, Any]] = {}
        for number, header in enumerate(document["files"]):
            if not _safe_path(header["path"]) or header["path"] in files or not header["path"].endswith((".yaml", ".yml")):
                why = "appears twice" if header["path"] in files else "is not a plain relative path to a .yaml file inside the bank"
                return fail(f"$.files[{number}].path: {header['path']!r} {why}")
            files[header["path"]] = {
                "category": header["category"], "tags": header["tags"], "lint": header["lint"], "questions": [],
            }
        placed: dict[str, list[tuple[int, dict[str, Any]]]] = {path: [] for path in files}
        for number, entry in enumerate(document["questions"]):
            if entry["file"] not in files:
                return fail(f"$.questions[{number}].file: {entry['file']!r} is not one of the document's files")
            try:
                question = Question.model_validate(entry["question"])
            except ValidationError as exc:  # the schema is a little looser than the model (a regex's $ allows a final newline)
                problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False))
                return fail(f"$.questions[{number}].question: {problems}")
            self.ids.keep(question.id)
            placed[entry["file"]].append((entry["index"], question.model_dump(mode="python", exclude_defaults=True)))
        for path, entries in placed.items():
            indexes = [index for index, _ in entries]
            if sorted(indexes) != list(range(len(indexes))):
                result.notes.append(ImportNote(source, f"the questions of {path} have the indexes {indexes}, not 0 to {len(indexes) - 1}; they were put in that order"))
            files[path]["questions"] = [question for _, question in sorted(entries, key=lambda pair: pair[0])]
        result.files.update(files)
        self.images(document["images"], source, result)
        return result

    def images(self, images: list[dict[str, Any]], source: str, result: ImportResult) -> None:
        for number, image in enumerate(images):
            where = f"$.images[{number}]"
            if not _safe_path(image["path"]):
                result.notes.append(ImportNote(source, f"{where}.path: {image['path']!r} is not a plain relative path inside the bank; the image was not written"))
                continue
            if image["data"] is None:
                result.notes.append(ImportNote(source, f"the image {image['path']} is not in the document (it was exported without --embed-images); copy it there by hand"))
                continue
            try:
                data = base64.b64decode(image["data"], validate=True)
            except (binascii.Error, ValueError):
                result.notes.append(ImportNote(source, f"{where}.data is not valid base64; the image {image['path']} was not written"))
                continue
            if hashlib.sha256(data).hexdigest() != image["sha256"]:
                result.notes.append(ImportNote(source, f"{where}: the bytes of {image['path']} do not match its sha256; it was written anyway, check it"))
            result.assets[image["path"]] = data
