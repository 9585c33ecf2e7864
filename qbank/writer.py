"""Write bank-file data as canonical YAML that qbank's loader reads back exactly.

Canonical means: keys in a fixed order (the order the sample bank and the docs
use), defaults left out, multi-line text as ``|`` block scalars, tag lists in flow
style, a blank line between questions, and the ``yaml-language-server`` comment
first. PyYAML's emitter does the quoting; the only thing qbank adds is which plain
scalars must not stay plain: anything that YAML 1.2 (qbank's loader) or YAML 1.1
(PyYAML, many editors) would read as a boolean, number, date or null.

The output is deterministic: the same data always gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from qbank.loader import load_text
from qbank.loader.scalars import resolve_plain, yaml11_reading
from qbank.schema import SCHEMA_ID

FILE_KEYS = ("category", "tags", "lint", "questions")
QUESTION_KEYS = (
    "id", "type", "difficulty", "tags", "category", "source", "stem", "options", "explanation",
    "shuffle", "points", "lint",
)
OPTION_KEYS = ("text", "correct", "why")
LINT_KEYS = ("ignore",)
DEFAULTS: dict[str, Any] = {"type": "single", "shuffle": True, "points": 1.0, "correct": False}
"""Values that are the model's default and therefore not written."""

_STR_TAG = "tag:yaml.org,2002:str"
_TAGS = {type(None): "null", bool: "bool", int: "int", float: "float"}
_YAML11_TAGS = {"a boolean": "bool", "a number": "float", "a date": "timestamp"}
_BLOCK_BREAKERS = re.compile("[\r\x85\u2028\u2029]")
"""Line breaks other than LF: a YAML reader turns them into LF, so only an escape keeps them."""


class _Flow(list):
    """A list written in flow style: ``[keras, lstm]``."""


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper with qbank's house style."""

    def resolve(self, kind, value, implicit):
        # Called with implicit=(True, False) to ask "what would a plain scalar mean?".
        # A text that some reader takes for another type must not be written plain.
        if kind is yaml.ScalarNode and implicit[0]:
            as_yaml12 = resolve_plain(value)
            if not isinstance(as_yaml12, str):
                return f"tag:yaml.org,2002:{_TAGS[type(as_yaml12)]}"
            reading = yaml11_reading(value)
            if reading:
                return f"tag:yaml.org,2002:{_YAML11_TAGS[reading]}"
        return super().resolve(kind, value, implicit)

    def increase_indent(self, flow=False, indentless=False):
        # Indent list items under their key, as the docs and the sample bank do.
        return super().increase_indent(flow, False)

    def choose_scalar_style(self):
        style = super().choose_scalar_style()
        value = self.event.value
        if style == "'" and "\\" not in value and '"' not in value:
            return '"'  # the house style quotes with ", unless that needs escapes
        return style


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = None
    if _BLOCK_BREAKERS.search(text) or text == "\n" or text.endswith("\n\n"):
        style = '"'  # a block would need |+ (keep), which would swallow the blank line after a question
    elif "\n" in text:
        style = "|"  # the emitter itself falls back to "..." when a block cannot hold the text
    return dumper.represent_scalar(_STR_TAG, text, style=style)


def _represent_flow(dumper: yaml.SafeDumper, items: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Flow, _represent_flow)


class _QuotedDumper(_Dumper):
    """The fallback: every text double-quoted, which any text survives."""


_QuotedDumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(_STR_TAG, text, style='"'))


def _ordered(data: Mapping[str, Any], keys: tuple[str, ...], where: str) -> dict[str, Any]:
    unknown = set(data) - set(keys)
    if unknown:
        raise ValueError(f"{where} has keys the model does not know: {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for key in keys:
        value = data.get(key)
        if value is None or value == [] or (key in DEFAULTS and value == DEFAULTS[key] and type(value) is type(DEFAULTS[key])):
            continue
        out[key] = value
    return out


def _lint(data: Mapping[str, Any]) -> dict[str, Any]:
    lint = _ordered(data, LINT_KEYS, "lint")
    if "ignore" in lint:
        lint["ignore"] = _Flow(lint["ignore"])
    return lint


def _question(data: Mapping[str, Any]) -> dict[str, Any]:
    question = _ordered(data, QUESTION_KEYS, f"question {data.get('id')!r}")
    if "tags" in question:
        question["tags"] = _Flow(question["tags"])
    if "options" in question:
        question["options"] = [_ordered(o, OPTION_KEYS, "option") for o in question["options"]]
    if "lint" in question:
        question["lint"] = _lint(question["lint"])
    return question


def canonical(data: Mapping[str, Any]) -> dict[str, Any]:
    """Bank-file data in canonical key order, with defaults and empty values left out.

    ``questions`` is always kept, even when empty.
    """
    bank_file = _ordered(data, FILE_KEYS, "bank file")
    if "tags" in bank_file:
        bank_file["tags"] = _Flow(bank_file["tags"])
    if "lint" in bank_file:
        bank_file["lint"] = _lint(bank_file["lint"])
    bank_file["questions"] = [_question(q) for q in data.get("questions") or []]
    return bank_file


def _dump(data: dict[str, Any], dumper: type[yaml.SafeDumper] = _Dumper) -> str:
    return yaml.dump(
        data, Dumper=dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
        indent=2, width=1_000_000,
    )


def _space_questions(text: str) -> str:
    """Put a blank line between questions (the emitter cannot)."""
    lines = text.split("\n")
    out: list[str] = []
    index = -1
    for line in lines:
        if line.startswith("  - "):  # only question items sit at this indent: other lists are flow lists
            index += 1
            if index > 0:
                out.append("")
        out.append(line)
    return "\n".join(out)


def schema_comment(schema: str = SCHEMA_ID) -> str:
    return f"# yaml-language-server: $schema={schema}\n"


def dump_bank_file(data: Mapping[str, Any], schema: str = SCHEMA_ID, verify: bool = True) -> str:
    """Canonical YAML text of one bank file.

    With ``verify`` (the default) the text is read back with qbank's loader, and
    in the unexpected case that it differs, every text is written double-quoted,
    which YAML always reads back exactly.
    """
    ordered = canonical(data)
    text = schema_comment(schema) + _space_questions(_dump(ordered))
    if verify and load_text(text, "<written>").document.data != _plain(ordered):
        text = schema_comment(schema) + _dump(ordered, _QuotedDumper)
    return text


def _plain(value: Any) -> Any:
    """``value`` with flow lists turned back into plain lists, for comparison."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
