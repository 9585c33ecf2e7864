"""Where a loaded file meets the model: validate each question, and place every error.

A schema error is mapped to the exact node it is about (the unknown key, the value of
the wrong type, the mapping missing a field). Questions are validated one by one, so a
broken question never hides the others in its file.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from qbank.diagnostics import Finding, Path
from qbank.loader import LoadedFile
from qbank.model import BankFile, LintSettings, Option, Question
from qbank.validated import ValidatedFile

TEXT_KEYS = frozenset({"id", "stem", "text", "why", "explanation", "category", "source"})
"""Keys whose values are always text, even when written as a plain number or boolean."""


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


def build_validators() -> None:
    """Build the validators a file's validation starts with, which the models build when first used
    (a process that is to validate a file can do it ahead, see qbank.engine.ready_to_lint)."""
    BankFile.model_validate({"questions": []})


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
