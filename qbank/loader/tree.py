"""Build plain Python data from libyaml parse events, keeping the position of every node.

Working from events (not PyYAML's constructor) lets qbank refuse what PyYAML
would silently accept: duplicate keys, Python tags and alias bombs. Scalars are
resolved with the YAML 1.2 core schema (see :mod:`qbank.loader.scalars`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from qbank.diagnostics import Path, Position
from qbank.loader.scalars import resolve_plain, yaml11_reading

MAX_ALIAS_NODES = 10_000
"""How many nodes aliases may repeat in one file before the file is refused."""

_STR_TAG = "tag:yaml.org,2002:str"


@dataclass
class LoadProblem:
    """Something the loader could not accept. ``kind`` names it for the engine."""

    kind: str
    message: str
    hint: str
    position: Position


@dataclass
class SourceMap:
    """Where each node of a document stands in its file."""

    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)

    def locate(self, path: Path, on_key: bool = False) -> Position:
        """The position of ``path``, or of its nearest ancestor that has one."""
        if on_key and path in self.keys:
            return self.keys[path]
        while path:
            found = self.values.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.values.get((), Position(1, 1))


@dataclass
class ScalarNote:
    """A plain scalar that is not plain text to every YAML reader."""

    raw: str
    reading: str  # "a boolean", "a number", "a date", "null"
    yaml12: bool  # True when qbank itself (YAML 1.2) reads it as non-text
    alias: bool = False  # True at an alias (*name) of the scalar, where quoting is no remedy


@dataclass
class Document:
    data: Any
    source_map: SourceMap
    notes: dict[Path, ScalarNote]
    problems: list[LoadProblem]


class _Abort(Exception):
    def __init__(self, problem: LoadProblem):
        self.problem = problem


def _pos(start: yaml.Mark, end: yaml.Mark | None = None) -> Position:
    if end is None:
        return Position(start.line + 1, start.column + 1)
    return Position(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class _Frame:
    __slots__ = ("container", "path", "is_map", "key", "key_pos", "discard", "anchor", "start_count")

    def __init__(self, container, path, is_map, discard, anchor, start_count):
        self.container = container
        self.path = path
        self.is_map = is_map
        self.key = None
        self.key_pos = None
        self.discard = discard
        self.anchor = anchor
        self.start_count = start_count


class _Builder:
    def __init__(self) -> None:
        self.source_map = SourceMap()
        self.notes: dict[Path, ScalarNote] = {}
        self.problems: list[LoadProblem] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.anchor_notes: dict[str, ScalarNote] = {}
        self.count = 0
        self.alias_nodes = 0
        self.root: Any = None
        self.documents = 0

    # -- placing a node -------------------------------------------------
    def _place(self, event) -> tuple[Path | None, bool]:
        """Path of a new node, and whether it is discarded; None for a mapping key."""
        if not self.stack:
            return (), False
        top = self.stack[-1]
        if top.is_map:
            if top.key is None:
                return None, top.discard
            return top.path + (top.key,), top.discard or top.key_pos is None
        return top.path + (len(top.container),), top.discard

    def _attach(self, value: Any) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if top.is_map:
            if top.key_pos is not None and not top.discard:
                top.container[top.key] = value
            top.key = None
            top.key_pos = None
        else:
            top.container.append(value)

    def _take_key(self, event, raw: str) -> None:
        top = self.stack[-1]
        path = top.path + (raw,)
        position = _pos(event.start_mark, event.end_mark)
        top.key = raw
        if not top.discard and raw in top.container:
            first = self.source_map.keys.get(path)
            where = f" (first at line {first.line})" if first else ""
            self.problems.append(
                LoadProblem(
                    "duplicate-key",
                    f"duplicate key {raw!r}{where}; YAML readers would silently keep only one of them",
                    "remove one of the two, or merge them",
                    position,
                )
            )
            top.key_pos = None  # keep the first value, drop this one
            return
        top.key_pos = position
        if not top.discard:
            self.source_map.keys[path] = position

    # -- events ---------------------------------------------------------
    def scalar(self, event) -> None:
        self.count += 1
        path, discard = self._place(event)
        if event.tag not in (None, "!", _STR_TAG):
            raise _Abort(
                LoadProblem(
                    "unsafe-yaml",
                    f"the tag {event.tag} is not allowed in a bank file",
                    "remove the tag; bank files hold only plain text, numbers, booleans, lists and mappings",
                    _pos(event.start_mark, event.end_mark),
                )
            )
        raw = event.value
        if path is None:
            self._take_key(event, raw)
            return
        plain = event.style in ("", None) and event.tag is None
        value = resolve_plain(raw) if plain else raw
        note = None
        if plain:
            if not isinstance(value, str):
                reading = "null" if value is None else "a boolean" if isinstance(value, bool) else "a number"
                note = ScalarNote(raw, reading, True)
            elif reading := yaml11_reading(raw):
                note = ScalarNote(raw, reading, False)
        if note and not discard:
            self.notes[path] = note
        if not discard:
            self.source_map.values[path] = _pos(event.start_mark, event.end_mark)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
            self.anchor_notes.pop(event.anchor, None)
            if note:
                self.anchor_notes[event.anchor] = note
        self._attach(value)

    def start(self, event, is_map: bool) -> None:
        self.count += 1
        path, discard = self._place(event)
        if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            raise _Abort(
                LoadProblem(
                    "unsafe-yaml",
                    f"the tag {event.tag} is not allowed in a bank file",
                    "remove the tag",
                    _pos(event.start_mark),
                )
            )
        if path is None:
            raise _Abort(
                LoadProblem(
                    "yaml-syntax",
                    "a list or mapping cannot be used as a mapping key",
                    "keys are plain names such as stem or options",
                    _pos(event.start_mark),
                )
            )
        container: Any = {} if is_map else []
        if not discard:
            self.source_map.values[path] = _pos(event.start_mark)
        self.stack.append(_Frame(container, path, is_map, discard, event.anchor, self.count))

    def end(self, event) -> None:
        frame = self.stack.pop()
        if not frame.discard and frame.path in self.source_map.values:
            start = self.source_map.values[frame.path]
            self.source_map.values[frame.path] = Position(
                start.line, start.column, event.end_mark.line + 1, event.end_mark.column + 1
            )
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.container, self.count - frame.start_count + 1)
        self._attach(frame.container)

    def alias(self, event) -> None:
        path, discard = self._place(event)
        position = _pos(event.start_mark, event.end_mark)
        if path is None:
            raise _Abort(LoadProblem("yaml-syntax", "an alias cannot be a mapping key", "write the key out", position))
        if event.anchor not in self.anchors:
            raise _Abort(
                LoadProblem("yaml-syntax", f"unknown alias *{event.anchor}", "define the anchor before it", position)
            )
        value, size = self.anchors[event.anchor]
        self.alias_nodes += size
        self.count += size
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise _Abort(
                LoadProblem(
                    "unsafe-yaml",
                    f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes (an alias bomb?)",
                    "write the repeated parts out, or use fewer nested aliases",
                    position,
                )
            )
        if not discard:
            self.source_map.values[path] = position
            note = self.anchor_notes.get(event.anchor)
            if note:  # so that text fields keep what the anchor wrote
                self.notes[path] = ScalarNote(note.raw, note.reading, note.yaml12, alias=True)
        self._attach(value)


def build_document(text: str) -> Document:
    """Parse ``text`` with libyaml and build its data, positions and problems."""
    builder = _Builder()
    handlers = {
        yaml.ScalarEvent: builder.scalar,
        yaml.MappingStartEvent: lambda e: builder.start(e, True),
        yaml.SequenceStartEvent: lambda e: builder.start(e, False),
        yaml.MappingEndEvent: builder.end,
        yaml.SequenceEndEvent: builder.end,
        yaml.AliasEvent: builder.alias,
    }
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
            elif type(event) is yaml.DocumentStartEvent:
                builder.documents += 1
                if builder.documents > 1:
                    raise _Abort(
                        LoadProblem(
                            "yaml-syntax",
                            "a second YAML document (---) in one file",
                            "put each document in a file of its own",
                            _pos(event.start_mark),
                        )
                    )
    except _Abort as abort:
        builder.problems.append(abort.problem)
        return Document(None, builder.source_map, builder.notes, builder.problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        message = exc.problem or "invalid YAML"
        if exc.context:
            message = f"{message} ({exc.context}" + (
                f" at line {exc.context_mark.line + 1})" if exc.context_mark else ")"
            )
        hint = _syntax_hint(message, _char_at(text, mark))
        builder.problems.append(LoadProblem("yaml-syntax", f"YAML syntax error: {message}", hint, position))
        return Document(None, builder.source_map, builder.notes, builder.problems)
    except yaml.YAMLError as exc:
        builder.problems.append(LoadProblem("yaml-syntax", f"YAML error: {exc}", "", Position(1, 1)))
        return Document(None, builder.source_map, builder.notes, builder.problems)
    return Document(builder.root, builder.source_map, builder.notes, builder.problems)


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    """The character the parser stopped at ('' at the end of the text)."""
    if mark is None:
        return ""
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column] if mark.column < len(line) else ""


def _syntax_hint(message: str, char: str) -> str:
    # libyaml names the tab only sometimes; the character at the position tells.
    if "tab" in message or char == "\t":
        return "indent with spaces; YAML does not allow tabs for indentation"
    if "unknown escape character" in message:
        return "inside double quotes a backslash starts an escape: write math such as \\( x \\) in a block (|) or in single quotes"
    if "mapping values are not allowed" in message:
        return "a text holding ': ' must be quoted, or written as a block with |"
    if "found character" in message and "cannot start any token" in message:
        return f"quote the text: {char!r} cannot start a plain value" if char else "quote the text"
    return "check the indentation and quoting near this position"
