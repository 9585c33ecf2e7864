"""Where a loaded file meets the model: validate each question, and place every error.

A schema error is mapped to the exact node it is about (the unknown key, the value of
the wrong type, the mapping missing a field). Questions are validated one by one, so a
broken question never hides the others in its file.
"""

from __future__ import annotations

import difflib
import marshal
import os
import pickle
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path as FilePath
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from qbank.compact import Places
from qbank.diagnostics import Finding, Path
from qbank.loader import LoadedFile
from qbank.model import BankFile, LintSettings, Option, Question

TEXT_KEYS = frozenset({"id", "stem", "text", "why", "explanation", "category", "source"})
"""Keys whose values are always text, even when written as a plain number or boolean."""


@dataclass
class ValidatedFile:
    """A loaded file with its valid questions and the schema findings (absolute paths).

    A ValidatedFile crosses process boundaries and is kept in the lint cache. When
    pickled, its questions travel as one packed blob that is unpacked only when
    :attr:`questions` is first read, and the parsed document data (no longer needed
    once validated) is left behind.
    """

    loaded: LoadedFile
    header: BankFile | None = None
    """File-level settings (category, tags, lint); ``questions`` is left empty here."""
    ids: list[tuple[int, str]] | Places = field(default_factory=list)
    """Every question id found, valid question or not, for bank-wide id checks: (index in the file, id);
    kept compact (:class:`~qbank.compact.Places`) in a copy sent to another process or the cache."""
    schema_findings: list[Finding] = field(default_factory=list)
    scalar_findings: list[Finding] = field(default_factory=list)
    probes: dict[str, bool] = field(default_factory=dict)
    """Files that rules looked for (absolute path: found?), so that a cache can tell when they change."""
    question_count: int = 0
    suppressions: list[tuple[Path, str]] = field(default_factory=list)
    """Every ``lint.ignore`` entry of the file and its valid questions: (path of the entry, code), in file order.
    Kept apart from the questions so that suppressions are judged without unpacking them."""
    collected: dict[str, tuple[list[tuple[int, str]], list[Any]]] = field(default_factory=dict)
    """What each bank rule collected from this file's questions (see :class:`qbank.bank.Collected`)."""
    _questions: list[tuple[int, Question]] | None = field(default=None, repr=False)
    _packed: bytes | None = field(default=None, repr=False)
    _fetch: Callable[[], bytes | None] | None = field(default=None, repr=False, compare=False)

    @property
    def questions(self) -> list[tuple[int, Question]]:
        """Valid questions with their index in the file's ``questions`` list."""
        if self._questions is None:
            if self._packed is None and self._fetch is not None:
                self._packed = self._fetch()
            self._questions = _unpack(self._packed) if self._packed is not None else []
            self._packed = None
        return self._questions

    def release(self) -> None:
        """Let the unpacked questions go when they can be fetched again (from the lint cache)."""
        if self._fetch is not None:
            self._questions = None

    def file_exists(self, path: FilePath) -> bool:
        """Whether ``path`` is a file, remembered so that the lint cache can check it again."""
        found = path.is_file()
        self.probes[os.path.abspath(path)] = found
        return found

    def pack(self) -> bytes:
        """The questions as one blob, for another process or the cache (see :meth:`detached`).

        While the parsed data is at hand, the blob holds each valid question's data,
        which pickles several times faster than the models and is validated again
        (to the same models) when unpacked; else it holds the models.
        """
        if self._packed is not None:
            return self._packed
        document = self.loaded.document
        data = document.data if document is not None else None
        if isinstance(data, dict) and isinstance(data.get("questions"), list) and self._questions is not None:
            items = data["questions"]
            placed = [(index, items[index]) for index, _ in self._questions]
            try:  # plain data: marshal writes it in two thirds of pickle's time, and reads it back faster too
                return MARSHALLED + marshal.dumps(placed)
            except ValueError:  # a value marshal cannot write (a date that a YAML tag made)
                return pickle.dumps(("data", placed), pickle.HIGHEST_PROTOCOL)
        return pickle.dumps(("models", self.questions), pickle.HIGHEST_PROTOCOL)

    def detached(self) -> ValidatedFile:
        """A light copy to send elsewhere: no questions (send :meth:`pack` beside it), no parsed data.

        Give the copy its questions back with ``_packed`` (or a ``_fetch`` that returns them).
        """
        loaded = self.loaded
        if loaded.document is not None:
            loaded = replace(loaded, document=replace(loaded.document, data=None, notes={}))
        count = len(self._questions) if self._questions is not None else self.question_count
        ids = _shared(Places(self.ids), self.collected)  # compact: a cached re-lint unpickles every file's ids
        return replace(self, loaded=loaded, ids=ids, question_count=count, _questions=None, _packed=None, _fetch=None)


def _shared(ids: Places, collected: dict[str, tuple[Any, Any]]) -> Places:
    """The places a bank rule collected when they are the same as ``ids`` (every question of the file
    took part), else ``ids``: one object, which pickle writes once and a re-lint reads once."""
    for places, _ in collected.values():
        if isinstance(places, Places) and places.indices == ids.indices and places.ids.ends == ids.ids.ends and places.ids.joined == ids.ids.joined:
            return places
    return ids


@cache
def _question_list() -> TypeAdapter[list[Question]]:
    """Made when first needed: making it builds the question model's validators (see qbank/model)."""
    return TypeAdapter(list[Question])


MARSHALLED = b"M"
"""The first byte of packed questions written with :mod:`marshal` (a pickle starts with byte 0x80). The
lint cache's key holds the Python version, whose marshal format may change."""


def _unpack(packed: bytes) -> list[tuple[int, Question]]:
    if packed[:1] == MARSHALLED:
        items = marshal.loads(memoryview(packed)[1:])
    else:
        kind, items = pickle.loads(packed)
        if kind == "models":
            return items
    return list(zip((index for index, _ in items), _question_list().validate_python([data for _, data in items])))


def _is_text_path(path: Path) -> bool:
    if not path:
        return False
    last = path[-1]
    if isinstance(last, str):
        return last in TEXT_KEYS
    return len(path) >= 2 and path[-2] == "tags"


def _set(data: Any, path: Path, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _keep_scalars_as_text(validated: ValidatedFile, data: Any) -> None:
    """Text fields stay as written: ``1.10`` is the text 1.10, not the number 1.1."""
    for path, note in validated.loaded.document.notes.items():
        if not _is_text_path(path):
            continue
        if note.yaml12:
            _set(data, path, note.raw)
        if note.alias or note.raw == "":
            continue  # reported at the anchor; an empty value is an empty text (QB107)
        hint = f'quote it: "{note.raw}"'
        if note.reading == "null":
            hint = f'quote it ("{note.raw}") if you mean the text, or remove the key if you mean no value'
        validated.scalar_findings.append(
            Finding(
                f"{note.raw!r} is kept as text here, but other YAML tools read it as {note.reading}",
                path,
                hint=hint,
                evidence={"written": note.raw, "other_readers_see": note.reading},
            )
        )


_MODEL_AT = {"questions": Question, "options": Option, "lint": LintSettings}


def _model_at(loc: tuple) -> type[BaseModel]:
    model: type[BaseModel] = BankFile
    for part in loc:
        if isinstance(part, str) and part in _MODEL_AT and part in model.model_fields:
            model = _MODEL_AT[part]
    return model


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}" if len(value) < 40 else "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def finding_for_error(error: dict, prefix: Path) -> Finding:
    """Turn one pydantic error into a finding at the node it is about."""
    loc = tuple(error["loc"])
    path = prefix + loc
    kind = error["type"]
    field_name = next((p for p in reversed(loc) if isinstance(p, str)), "value")
    value = error.get("input")
    if kind == "missing":
        return Finding(f"missing required field {field_name!r}", path[:-1], hint=f"add {field_name}: to this mapping")
    if kind == "extra_forbidden":
        known = list(_model_at(prefix + loc[:-1]).model_fields)
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else "known keys here: " + ", ".join(known)
        if loc[-1] == "<<":
            hint = "merge keys (<<: *name) are a YAML 1.1 feature that bank files do not use; write the keys out"
        return Finding(f"unknown key {loc[-1]!r}", path, hint=hint, on_key=True)
    if kind == "bool_type":
        hint = "write true or false"
        if isinstance(value, str):
            hint += f"; qbank reads YAML 1.2, where {value!r} is text, not a boolean"
        return Finding(f"{field_name!r} must be true or false, not {_describe(value)}", path, hint=hint)
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(choices)}"
        return Finding(f"{field_name!r} must be one of {', '.join(choices)}, not {_describe(value)}", path, hint=hint)
    if kind == "string_pattern_mismatch" and field_name == "id":
        return Finding(
            f"id {value!r} may hold only letters, digits and . _ : -, and must start with a letter or digit",
            path,
            hint="for example: lstm-gates-01",
        )
    if kind == "string_pattern_mismatch" and "ignore" in loc:
        return Finding(f"{value!r} is not a rule code", path, hint="write a code such as QB210, or a prefix such as QB2")
    if kind == "string_type":
        what = f"an item of {field_name!r}" if loc and isinstance(loc[-1], int) else repr(field_name)
        return Finding(f"{what} must be text, not {_describe(value)}", path, hint="write the text, quoted if needed")
    if kind in ("float_type", "int_type", "float_parsing", "int_parsing"):
        return Finding(f"{field_name!r} must be a number, not {_describe(value)}", path, hint="write a number such as 1 or 2.5, without quotes")
    if kind == "finite_number":
        return Finding(f"{field_name!r} must be a finite number, not {_describe(value)}", path, hint="write a number such as 1 or 2.5")
    if kind == "greater_than":
        bound = error.get("ctx", {}).get("gt")
        bound = f"{bound:g}" if isinstance(bound, (int, float)) else bound
        return Finding(f"{field_name!r} must be greater than {bound}, not {_describe(value)}", path, hint="write a positive number such as 1 or 2.5")
    if kind == "string_too_long" and isinstance(value, str):
        limit = error.get("ctx", {}).get("max_length")
        return Finding(f"{field_name!r} may be at most {limit} characters long, not {len(value)}", path, hint="shorten it")
    if kind == "list_type":
        return Finding(f"{field_name!r} must be a list, not {_describe(value)}", path, hint="write one item per line, each starting with '- '")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        parent = path[-2] if len(path) >= 2 and isinstance(path[-1], int) else None
        what = {"options": "an option", "questions": "a question"}.get(parent, f"{field_name!r}")
        example = "id:, stem: and options:" if parent == "questions" else "text: …"
        return Finding(f"{what} must be a mapping, not {_describe(value)}", path, hint=f"write key: value pairs, such as {example}")
    return Finding(f"{field_name!r}: {error['msg'].lower()} (got {_describe(value)})", path, hint="see docs/format.md")


def _validate(model: type[BaseModel], data: Any, prefix: Path) -> tuple[BaseModel | None, list[Finding]]:
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [finding_for_error(e, prefix) for e in exc.errors(include_url=False)]


def validate_file(loaded: LoadedFile) -> ValidatedFile:
    """Validate a loaded file against the model, question by question."""
    validated = _validate_file(loaded)
    validated.suppressions = _suppressions(validated)
    return validated


def _suppressions(validated: ValidatedFile) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    if validated.header and validated.header.lint:
        found += [(("lint", "ignore", k), code) for k, code in enumerate(validated.header.lint.ignore)]
    for index, question in validated.questions:
        if question.lint:
            found += [(("questions", index, "lint", "ignore", k), code) for k, code in enumerate(question.lint.ignore)]
    return found


def _validate_file(loaded: LoadedFile) -> ValidatedFile:
    validated = ValidatedFile(loaded)
    if loaded.document is None or loaded.problems and loaded.document.data is None:
        return validated
    data = loaded.document.data
    if not isinstance(data, dict):
        validated.schema_findings.append(
            Finding(
                f"a bank file must be a mapping with a questions: list, not {_describe(data)}",
                (),
                hint="start the file with questions: and list the questions below it",
            )
        )
        return validated
    _keep_scalars_as_text(validated, data)
    if _validate_whole(validated, data):
        return validated
    header_data = {k: v for k, v in data.items() if k != "questions"}
    header_data["questions"] = []
    header, findings = _validate(BankFile, header_data, ())
    validated.header = header
    validated.schema_findings.extend(f for f in findings)
    if "questions" not in data:
        validated.schema_findings.append(Finding("missing required field 'questions'", (), hint="add questions: with a list of questions"))
        return validated
    items = data["questions"]
    if not isinstance(items, list):
        validated.schema_findings.append(
            Finding(f"'questions' must be a list, not {_describe(items)}", ("questions",), hint="write one question per item, each starting with '- '")
        )
        return validated
    for index, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            validated.ids.append((index, item["id"]))
        question, findings = _validate(Question, item, ("questions", index))
        validated.schema_findings.extend(findings)
        if question is not None:
            validated.questions.append((index, question))
    validated.question_count = len(validated.questions)
    return validated


def _validate_whole(validated: ValidatedFile, data: dict) -> bool:
    """Validate the whole file in one call; True when it is valid (the common case).

    When it is not, nothing is kept, and the caller validates the header and each
    question separately, so that every error is placed and valid questions survive.
    """
    try:
        whole = BankFile.model_validate(data)
    except ValidationError:
        return False
    validated.header = whole.model_copy(update={"questions": []})
    validated.questions.extend(enumerate(whole.questions))
    validated.ids = [(index, question.id) for index, question in validated.questions]
    validated.question_count = len(validated.questions)
    return True
