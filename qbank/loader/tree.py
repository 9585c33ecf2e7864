"""Build plain Python data from libyaml parse events, keeping the position of every node.

Working from events (not PyYAML's constructor) lets qbank refuse what PyYAML
would silently accept: duplicate keys, Python tags and alias bombs. Scalars are
resolved with the YAML 1.2 core schema (see :mod:`qbank.loader.scalars`).
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any

from qbank.diagnostics import Path, Position
from qbank.loader.scalars import MAY_NOT_BE_TEXT, resolve_plain, yaml11_reading

try:
    from qbank.loader import lean_compiled  # built at install when libyaml's headers are there
except ImportError:
    lean_compiled = None


class _PyYAML(ModuleType):
    """PyYAML, imported when first used. The compiled reader (lean_compiled.pyx) reads a well-formed
    file without it, so a lint whose files are all well formed never imports it (7.5 ms at start)."""

    def __getattr__(self, name: str):
        import yaml  # noqa: PLC0415

        globals().update(
            yaml=yaml,
            _SCALAR=yaml.ScalarEvent,
            _MAPPING_START=yaml.MappingStartEvent,
            _MAPPING_END=yaml.MappingEndEvent,
            _SEQUENCE_START=yaml.SequenceStartEvent,
            _SEQUENCE_END=yaml.SequenceEndEvent,
        )
        return getattr(yaml, name)


yaml = _PyYAML("yaml")

MAX_ALIAS_NODES = 10_000
"""How many nodes aliases may repeat in one file before the file is refused."""

_STR_TAG = "tag:yaml.org,2002:str"

MAX_LEAN_DEPTH = 100
"""Lists and mappings nested deeper than this go to the full builder, which keeps no call per level
(and reports libyaml's nesting limit); bank files nest some six levels deep."""


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

    def span(self, path: Path) -> tuple[Position | None, Position | None]:
        """The position of the key of ``path`` (if it has one) and of its value, without any search up."""
        return self.keys.get(path), self.values.get(path)



class DeferredSourceMap(SourceMap):
    """A source map computed only when a position is first asked for.

    Most files have no finding, so their positions are never needed. This map keeps
    the text (or, once pickled, only the path of the file) and builds the positions
    with the same builder as an eager map the first time :meth:`locate` runs.
    """

    def __init__(self, text: str | None = None, path: str | None = None, outline: SourceMap | None = None) -> None:
        self._text = text
        self._path = path
        self._built: SourceMap | None = None
        self.outline = outline
        """Positions the lean path noted on its way: each question's node, and the file's category and tags."""

    def span(self, path: Path) -> tuple[Position | None, Position | None]:
        if self.outline is not None and _outlined(path):
            return self.outline.keys.get(path), self.outline.values.get(path)
        return super().span(path)

    def _build(self) -> SourceMap:
        if self._built is None:
            text = self._text
            if text is None and self._path is not None:
                from qbank.loader.decode import decode  # noqa: PLC0415  (avoid an import cycle)

                try:
                    text, _ = decode(open(self._path, "rb").read())
                except OSError:
                    text = None
            self._built = _source_map(text) if text else SourceMap()
            self._text = None
        return self._built

    @property
    def values(self) -> dict[Path, Position]:  # type: ignore[override]
        return self._build().values

    @property
    def keys(self) -> dict[Path, Position]:  # type: ignore[override]
        return self._build().keys

    def __getstate__(self) -> dict:
        # Across processes and in the cache, keep only the path: positions are rarely needed.
        if self._path is not None and self._built is None and os.path.isfile(self._path):
            return {"_text": None, "_path": self._path, "_built": None, "outline": self.outline}
        return {"_text": self._text, "_path": self._path, "_built": self._built, "outline": self.outline}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update({"outline": None, **state})

    def __repr__(self) -> str:
        return f"DeferredSourceMap(path={self._path!r}, built={self._built is not None})"


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


_EDITOR_BREAK = re.compile(r"\r\n|\r|\n")
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _has_yaml_only_break(text: str) -> bool:
    """Whether ``text`` holds a line break that YAML counts and editors do not (NEL, LS, PS).

    Three substring tests: a hundred times faster than a regex scan of the text, since a
    text without such characters is mostly ASCII and rejected at once."""
    return "\x85" in text or "\u2028" in text or "\u2029" in text


def position_at(text: str, index: int) -> Position:
    """The 1-based line and column of a character index, with lines as editors count them."""
    before = text[:index]
    starts = [m.end() for m in _EDITOR_BREAK.finditer(before)]
    line_start = starts[-1] if starts else 0
    return Position(len(starts) + 1, index - line_start + 1)


class _EditorLines:
    """Positions as editors (and GitHub) count lines: ended by LF, CRLF or CR.

    libyaml follows YAML 1.1, which also ends a line at NEL, LS and PS (U+0085, U+2028,
    U+2029); after one of those its line numbers run ahead of what the author sees. For
    the rare text that holds one, positions are converted; otherwise they are kept.
    """

    def __init__(self, text: str) -> None:
        self.needed = _has_yaml_only_break(text)
        if self.needed:
            self.yaml_starts = [0, *(m.end() for m in _YAML_BREAK.finditer(text))]
            self.editor_starts = [0, *(m.end() for m in _EDITOR_BREAK.finditer(text))]

    def _convert(self, line: int, column: int) -> tuple[int, int]:
        if line > len(self.yaml_starts):  # past the end: libyaml counts one more line after a last one without a line end
            return len(self.editor_starts) + line - len(self.yaml_starts), column
        if line < 1:
            return line, column
        index = self.yaml_starts[line - 1] + column - 1
        editor_line = bisect_right(self.editor_starts, index)
        return editor_line, index - self.editor_starts[editor_line - 1] + 1

    def position(self, position: Position) -> Position:
        if not self.needed:
            return position
        line, column = self._convert(position.line, position.column)
        if position.end_line is None or position.end_column is None:
            return Position(line, column)
        return Position(line, column, *self._convert(position.end_line, position.end_column))

    def line(self, mark: yaml.Mark) -> int:
        return self.position(_pos(mark)).line

    def convert_all(self, builder: _Builder) -> None:
        if not self.needed:
            return
        for table in (builder.source_map.values, builder.source_map.keys):
            for path, position in table.items():
                table[path] = self.position(position)
        builder.problems = [replace(problem, position=self.position(problem.position)) for problem in builder.problems]


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
    """The full builder: positions of every node, and every problem the file has."""

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
        self.complete = False
        self.lines = _EditorLines("")

    @classmethod
    def run(cls, text: str) -> _Builder:
        builder = cls()
        builder.lines = _EditorLines(text)
        builder._parse(text)
        builder.lines.convert_all(builder)
        return builder

    def _parse(self, text: str) -> None:
        handlers = {
            yaml.ScalarEvent: self.scalar,
            yaml.MappingStartEvent: lambda e: self.start(e, True),
            yaml.SequenceStartEvent: lambda e: self.start(e, False),
            yaml.MappingEndEvent: self.end,
            yaml.SequenceEndEvent: self.end,
            yaml.AliasEvent: self.alias,
        }
        try:
            for event in yaml.parse(text, Loader=yaml.CSafeLoader):
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
                elif type(event) is yaml.DocumentStartEvent:
                    self.documents += 1
                    if self.documents > 1:
                        raise _Abort(
                            LoadProblem(
                                "yaml-syntax",
                                "a second YAML document (---) in one file",
                                "put each document in a file of its own",
                                _pos(event.start_mark),
                            )
                        )
        except _Abort as abort:
            self.problems.append(abort.problem)
            return
        except yaml.MarkedYAMLError as exc:
            self.problems.append(_syntax_problem(exc, text, self.lines))
            return
        except yaml.reader.ReaderError as exc:
            self.problems.append(_reader_problem(exc, text))
            return
        except yaml.YAMLError as exc:
            self.problems.append(LoadProblem("yaml-syntax", f"YAML error: {exc}", "", Position(1, 1)))
            return
        self.complete = True

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
            where = f" (first at line {self.lines.position(first).line})" if first else ""
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


def build_document(text: str, path: str | None = None) -> Document:
    """Parse ``text`` with libyaml and build its data, positions and problems.

    The common case (a well-formed file without anchors, tags or duplicate keys) takes
    a lean path that builds the data only; its positions come later, on demand, from
    the full builder (:class:`DeferredSourceMap`). Anything unusual is handed to the
    full builder straight away, so both paths give the same data, notes and problems.
    """
    fast = None if _has_yaml_only_break(text) else _build_fast(text)  # the outline's lines would need converting
    if fast is not None:
        data, notes, outline = fast
        return Document(data, DeferredSourceMap(text, path, outline), notes, [])
    builder = _Builder.run(text)
    data = builder.root if builder.complete else None
    return Document(data, builder.source_map, builder.notes, builder.problems)


class _Bail(Exception):
    """The lean path met something only the full builder handles."""


_OUTLINED = (("category",), ("tags",))
"""Top-level nodes whose positions the lean path notes (with every question's): the Anki export needs their lines."""


def _outlined(path: Path) -> bool:
    return len(path) == 2 and path[0] == "questions" and isinstance(path[1], int) or path in _OUTLINED


_SCALAR = _MAPPING_START = _MAPPING_END = _SEQUENCE_START = _SEQUENCE_END = None
"""PyYAML's event classes that :class:`_Lean` compares with, set when PyYAML is first used (see :class:`_PyYAML`)."""


def _plain_noted(notes: dict[Path, ScalarNote], raw: str, path: Path, key: Any) -> Any:
    """The value of a plain scalar at ``path + (key,)`` (at ``path`` when ``key`` is None), noting a reading other than text."""
    value = resolve_plain(raw)
    if value is not raw:
        reading = "null" if value is None else "a boolean" if isinstance(value, bool) else "a number"
        notes[path if key is None else path + (key,)] = ScalarNote(raw, reading, True)
    else:
        reading = yaml11_reading(raw)
        if reading:
            notes[path if key is None else path + (key,)] = ScalarNote(raw, reading, False)
    return value


class _Lean:
    """The lean path: data, scalar notes and an outline, by recursive descent over libyaml's events.

    Each container is built by one call that reads events up to its end, so a path is
    made once per container (for the notes) and not once per scalar. Anything the
    full builder must judge (an anchor, alias or tag, a duplicate key, a list or
    mapping as a key, a second document) raises :class:`_Bail`.
    """

    def __init__(self, next_event) -> None:
        self.next = next_event
        self.notes: dict[Path, ScalarNote] = {}
        self.outline = SourceMap()
        self.end: yaml.Mark | None = None
        """The end of the container built last."""

    def document(self) -> Any:
        next_event = self.next
        next_event()  # the stream's start
        event = next_event()
        if type(event) is not yaml.DocumentStartEvent:  # no document: only comments
            return None
        event = next_event()
        if type(event) is _MAPPING_START:
            if event.anchor is not None or event.tag is not None:
                raise _Bail
            root = self.top_mapping()
        else:
            root = self.node(event, (), None)
        next_event()  # the document's end
        if type(next_event()) is yaml.DocumentStartEvent:
            raise _Bail  # a second document
        return root

    def plain(self, raw: str, path: Path, key: Any) -> Any:
        return _plain_noted(self.notes, raw, path, key)

    def node(self, event, path: Path, key: Any) -> Any:
        """The value of the node that starts with ``event``, at ``path + (key,)`` (``key`` None at the root)."""
        if event.anchor is not None or event.tag is not None:
            raise _Bail  # an anchor or a tag (an alias has no tag)
        kind = type(event)
        if kind is _SCALAR:
            return event.value if event.style else self.plain(event.value, path, key)
        inner = path if key is None else path + (key,)
        if len(inner) > MAX_LEAN_DEPTH:
            raise _Bail
        if kind is _MAPPING_START:
            return self.mapping(inner)
        if kind is _SEQUENCE_START:
            return self.sequence(inner)
        raise _Bail  # an alias

    def mapping(self, path: Path) -> dict:
        next_event = self.next
        mapping: dict = {}
        while True:
            event = next_event()
            if type(event) is not _SCALAR:
                if type(event) is _MAPPING_END:
                    self.end = event.end_mark
                    return mapping
                raise _Bail  # a list or mapping (or an alias) as a key
            if event.anchor is not None or event.tag is not None:
                raise _Bail
            key = event.value
            if key in mapping:
                raise _Bail  # a duplicate key
            event = next_event()
            if type(event) is _SCALAR and event.anchor is None and event.tag is None:
                raw = event.value
                mapping[key] = raw if event.style or raw[:1] not in MAY_NOT_BE_TEXT else self.plain(raw, path, key)
            else:
                mapping[key] = self.node(event, path, key)

    def sequence(self, path: Path) -> list:
        next_event = self.next
        sequence: list = []
        while True:
            event = next_event()
            if type(event) is _SCALAR and event.anchor is None and event.tag is None:
                raw = event.value
                sequence.append(raw if event.style or raw[:1] not in MAY_NOT_BE_TEXT else self.plain(raw, path, len(sequence)))
            elif type(event) is _SEQUENCE_END:
                self.end = event.end_mark
                return sequence
            else:
                sequence.append(self.node(event, path, len(sequence)))

    def top_mapping(self) -> dict:
        """The root mapping, noting the positions of the outlined nodes on the way (see :data:`_OUTLINED`)."""
        next_event = self.next
        outline = self.outline
        mapping: dict = {}
        while True:
            event = next_event()
            if type(event) is _MAPPING_END:
                return mapping
            if type(event) is not _SCALAR or event.anchor is not None or event.tag is not None:
                raise _Bail
            key = event.value
            if key in mapping:
                raise _Bail
            if (key,) in _OUTLINED:
                outline.keys[(key,)] = _pos(event.start_mark, event.end_mark)
            event = next_event()
            if key == "questions" and type(event) is _SEQUENCE_START and event.anchor is None and event.tag is None:
                mapping[key] = self.questions()
            else:
                mapping[key] = self.node(event, (), key)
                if (key,) in _OUTLINED:
                    outline.values[(key,)] = self._span(event)

    def questions(self) -> list:
        """The top-level ``questions`` list, noting each item's position."""
        next_event = self.next
        values = self.outline.values
        items: list = []
        while True:
            event = next_event()
            if type(event) is _SEQUENCE_END:
                return items
            path = ("questions", len(items))
            items.append(self.node(event, ("questions",), len(items)))
            values[path] = self._span(event)

    def _span(self, event) -> Position:
        """The position of the node that started with ``event`` and has just been built."""
        end = event.end_mark if type(event) is _SCALAR else self.end
        return _pos(event.start_mark, end)


def _build_fast(text: str) -> tuple[Any, dict[Path, ScalarNote], SourceMap] | None:
    """Data, scalar notes and an outline of an unremarkable file, or None to use the full builder.

    The outline holds the positions of a few nodes (:data:`_OUTLINED` and each
    question), the same as the full builder's. The compiled reader does this where it was
    built at install; :class:`_Lean`, over PyYAML's events, where it was not.
    """
    if lean_compiled is not None:
        return _build_fast_compiled(text)
    parser = yaml.CSafeLoader(text)
    lean = _Lean(parser.get_event)
    try:
        root = lean.document()
    except (_Bail, yaml.YAMLError):
        return None
    finally:
        parser.dispose()
    return root, lean.notes, lean.outline


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, lines: _EditorLines) -> LoadProblem:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        # The parser gives up at the end of the file (or the next ---); the mistake is the opening quote.
        where = f" at line {lines.line(exc.problem_mark)}" if exc.problem_mark else ""
        return LoadProblem(
            "yaml-syntax",
            f"YAML syntax error: this quoted text is never closed ({problem}{where})",
            "add the closing quote; inside double quotes write a quote that is part of the text as \\\", "
            "inside single quotes as ''",
            lines.position(_pos(exc.context_mark)),
        )
    message = problem
    if exc.context:
        message = f"{message} ({exc.context}" + (f" at line {lines.line(exc.context_mark)})" if exc.context_mark else ")")
    position = lines.position(_pos(mark)) if mark else Position(1, 1)
    return LoadProblem("yaml-syntax", f"YAML syntax error: {message}", _syntax_hint(message, _char_at(text, mark)), position)


def _reader_problem(exc: yaml.reader.ReaderError, text: str) -> LoadProblem:
    """A character YAML does not allow in a file (a control character, U+FFFE...), at its place."""
    code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or b"\0")
    kind = "control character" if code < 0x20 or 0x7F <= code < 0xA0 else "character"
    return LoadProblem(
        "yaml-syntax",
        f"the {kind} U+{code:04X} is not allowed in a YAML file",
        "delete it (editors often do not show it); inside double quotes it can be written as an escape such as "
        f"\\x{code:02x}" if code <= 0xFF else "delete it (editors often do not show it)",
        position_at(text, _character_index(text, exc.position)) if isinstance(exc.position, int) else Position(1, 1),
    )


def _character_index(text: str, offset: int) -> int:
    """The index in ``text`` of byte ``offset`` of its UTF-8 form: libyaml reports a reader error at
    the byte it read, not the character."""
    return len(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore"))


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    """The character the parser stopped at ('' at the end of the text)."""
    if mark is None or not 0 <= mark.index < len(text):
        return ""
    char = text[mark.index]
    return "" if char in "\r\n" else char


def _syntax_hint(message: str, char: str) -> str:
    # libyaml names the tab only sometimes; the character at the position tells.
    if "tab" in message or char == "\t":
        return "indent with spaces; YAML does not allow tabs for indentation"
    if "unknown escape character" in message:
        return "inside double quotes a backslash starts an escape: write math such as \\( x \\) in a block (|) or in single quotes"
    if "maximum nesting depth" in message:
        return "nest fewer lists and mappings: a bank file needs only a few levels"
    if "mapping values are not allowed" in message:
        return "a text holding ': ' must be quoted, or written as a block with |"
    if "found character" in message and "cannot start any token" in message:
        return f"quote the text: {char!r} cannot start a plain value" if char else "quote the text"
    return "check the indentation and quoting near this position"


def _source_map(text: str) -> SourceMap:
    """Every node's position in ``text``: read by the compiled lean path when it can, else by the full builder."""
    if lean_compiled is not None and not _has_yaml_only_break(text):
        source_map = SourceMap()
        reader = lean_compiled.LeanReader(
            text, _plain_noted, Position, {}, {}, {}, MAY_NOT_BE_TEXT, MAX_LEAN_DEPTH, source_map.values, source_map.keys
        )
        try:
            reader.document()
        except lean_compiled.Bail:
            pass  # the file changed since its lean reading (a deferred map may read it again), or is unusual
        else:
            return source_map
    return _Builder.run(text).source_map


def _build_fast_compiled(text: str) -> tuple[Any, dict[Path, ScalarNote], SourceMap] | None:
    """What :func:`_build_fast` gives, by the compiled lean path (:mod:`qbank.loader.lean_compiled`)."""
    notes: dict[Path, ScalarNote] = {}
    outline = SourceMap()
    reader = lean_compiled.LeanReader(
        text, _plain_noted, Position, notes, outline.values, outline.keys, MAY_NOT_BE_TEXT, MAX_LEAN_DEPTH
    )
    try:
        root = reader.document()
    except lean_compiled.Bail:
        return None
    return root, notes, outline
