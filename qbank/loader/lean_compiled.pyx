# cython: language_level=3
"""The loader's lean path, compiled: libyaml's events read in C, without a Python object per event.

It does exactly what :class:`qbank.loader.tree._Lean` does, step for step (the tests run
both on the same documents), about 2.5 times as fast: PyYAML builds an event object and
two position marks for every event, and this reads libyaml's structs instead. It is
built when the package is installed with a C compiler and libyaml's headers at hand
(``libyaml-dev`` on Debian); without them the install goes on and the loader uses
``_Lean``.

What ``_Lean`` hands to the full builder (an anchor, alias or tag, a duplicate key, a
list or mapping as a key, a second document, a syntax error) raises :class:`Bail` here.
"""

from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.string cimport memset


cdef extern from "yaml.h":
    ctypedef unsigned char yaml_char_t
    ctypedef enum yaml_scalar_style_t:
        YAML_PLAIN_SCALAR_STYLE
    ctypedef enum yaml_event_type_t:
        YAML_DOCUMENT_START_EVENT
        YAML_SCALAR_EVENT
        YAML_SEQUENCE_START_EVENT
        YAML_SEQUENCE_END_EVENT
        YAML_MAPPING_START_EVENT
        YAML_MAPPING_END_EVENT
    ctypedef struct yaml_mark_t:
        size_t line
        size_t column
    ctypedef struct _scalar_data:  # the event's anonymous members, named for Cython only
        yaml_char_t *anchor
        yaml_char_t *tag
        yaml_char_t *value
        size_t length
        yaml_scalar_style_t style
    ctypedef struct _collection_start_data:
        yaml_char_t *anchor
        yaml_char_t *tag
    ctypedef union _event_data:
        _scalar_data scalar
        _collection_start_data sequence_start
        _collection_start_data mapping_start
    ctypedef struct yaml_event_t:
        yaml_event_type_t type
        _event_data data
        yaml_mark_t start_mark
        yaml_mark_t end_mark
    ctypedef struct yaml_parser_t:
        pass
    int yaml_parser_initialize(yaml_parser_t *parser)
    void yaml_parser_delete(yaml_parser_t *parser)
    void yaml_parser_set_input_string(yaml_parser_t *parser, const unsigned char *input, size_t size)
    int yaml_parser_parse(yaml_parser_t *parser, yaml_event_t *event)
    void yaml_event_delete(yaml_event_t *event)


cdef enum:  # what builds a container (LeanReader.contained)
    MAPPING
    LIST
    TOP  # the root mapping, noting the outline
    QUESTIONS  # the top-level questions list, noting each question's span


class Bail(Exception):
    """The document needs the full builder."""


cdef class LeanReader:
    """Data, scalar notes and an outline of one text, by recursive descent over libyaml's events.

    ``plain(notes, raw, path, key)`` resolves a plain scalar that may not be text and
    notes its reading in ``notes``; ``position(line, column, end_line, end_column)``
    makes a position (1-based). The outline's ``values`` and ``keys`` are filled in
    place. ``may_not_be_text`` holds the first characters of the plain scalars
    ``plain`` must see (all ASCII; an empty scalar is always seen). A list or mapping
    nested deeper than ``max_depth`` bails, as in ``_Lean``.

    Given ``values`` and ``keys``, it also notes the position of every node and key there,
    as the full builder's source map has them (a container from its start to its end).
    """

    cdef yaml_parser_t parser
    cdef yaml_event_t event
    cdef bint has_event
    cdef bytes source
    cdef object plain
    cdef object position
    cdef dict notes
    cdef dict outline_values
    cdef dict outline_keys
    cdef dict values  # every node's position, or None
    cdef dict keys  # every key's position, or None
    cdef Py_ssize_t max_depth
    cdef yaml_mark_t end  # the end of the container built last
    cdef bint seen_first[128]

    def __cinit__(self):
        memset(&self.parser, 0, sizeof(yaml_parser_t))
        self.has_event = False
        if not yaml_parser_initialize(&self.parser):
            raise MemoryError("libyaml could not start a parser")

    def __init__(
        self, str text, plain, position, dict notes, dict outline_values, dict outline_keys, may_not_be_text,
        Py_ssize_t max_depth, dict values=None, dict keys=None,
    ):
        # As PyYAML feeds a text: its UTF-8 bytes, the encoding left for libyaml to detect (so a BOM is skipped).
        self.source = text.encode("utf-8")
        yaml_parser_set_input_string(&self.parser, <const unsigned char *>self.source, len(self.source))
        self.plain = plain
        self.position = position
        self.notes = notes
        self.outline_values = outline_values
        self.outline_keys = outline_keys
        self.values = values
        self.keys = keys
        self.max_depth = max_depth
        if any(len(first) > 1 or first > "\x7f" for first in may_not_be_text):
            raise ValueError("may_not_be_text must hold ASCII characters only")
        cdef int code
        for code in range(128):
            self.seen_first[code] = chr(code) in may_not_be_text

    def __dealloc__(self):
        if self.has_event:
            yaml_event_delete(&self.event)
        yaml_parser_delete(&self.parser)

    cdef int next(self) except -1:
        """Read the next event into ``self.event``; a syntax error bails."""
        if self.has_event:
            yaml_event_delete(&self.event)
            self.has_event = False
        if not yaml_parser_parse(&self.parser, &self.event):
            raise Bail
        self.has_event = True
        return self.event.type

    cdef object span(self, yaml_mark_t start, yaml_mark_t end):
        return self.position(start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    cdef inline str text(self):
        return PyUnicode_DecodeUTF8(<char *>self.event.data.scalar.value, self.event.data.scalar.length, "strict")

    cdef inline bint bare_scalar(self):
        """Whether the current event is a scalar with no anchor or tag."""
        return (
            self.event.type == YAML_SCALAR_EVENT
            and self.event.data.scalar.anchor == NULL
            and self.event.data.scalar.tag == NULL
        )

    cdef inline bint bare_start(self):
        """Whether the current event, a mapping's or a list's start, has no anchor or tag."""
        if self.event.type == YAML_MAPPING_START_EVENT:
            return self.event.data.mapping_start.anchor == NULL and self.event.data.mapping_start.tag == NULL
        return self.event.data.sequence_start.anchor == NULL and self.event.data.sequence_start.tag == NULL

    cdef object scalar(self, tuple path, object key):
        """The value of the current scalar event (checked bare)."""
        raw = self.text()
        if self.event.data.scalar.style != YAML_PLAIN_SCALAR_STYLE:
            return raw
        cdef unsigned char first
        if self.event.data.scalar.length:
            first = self.event.data.scalar.value[0]
            if first >= 128 or not self.seen_first[first]:
                return raw
        return self.plain(self.notes, raw, path, key)

    cdef object node(self, tuple path, object key):
        """The value of the node that starts with the current event, at ``path + (key,)`` (``path`` when ``key`` is None)."""
        cdef int kind = self.event.type
        if kind == YAML_SCALAR_EVENT:
            if not self.bare_scalar():
                raise Bail
            if self.values is not None:
                self.values[path if key is None else path + (key,)] = self.span(self.event.start_mark, self.event.end_mark)
            return self.scalar(path, key)
        if kind != YAML_MAPPING_START_EVENT and kind != YAML_SEQUENCE_START_EVENT:
            raise Bail  # an alias
        inner = path if key is None else path + (key,)
        if len(inner) > self.max_depth:
            raise Bail  # the full builder keeps no call per level
        return self.contained(inner, MAPPING if kind == YAML_MAPPING_START_EVENT else LIST)

    cdef object contained(self, tuple path, int builder):
        """The container that starts with the current event, built by ``builder``, noting its span in ``values``."""
        if not self.bare_start():
            raise Bail
        cdef yaml_mark_t start = self.event.start_mark
        if self.values is not None:
            self.values[path] = None  # its place in the order, as the full builder notes it at its start
        if builder == MAPPING:
            built = self.mapping(path)
        elif builder == LIST:
            built = self.sequence(path)
        elif builder == TOP:
            built = self.top_mapping()
        else:
            built = self.questions()
        if self.values is not None:
            self.values[path] = self.span(start, self.end)
        return built

    cdef dict mapping(self, tuple path):
        cdef dict mapping = {}
        while True:
            if self.next() == YAML_MAPPING_END_EVENT:
                self.end = self.event.end_mark
                return mapping
            if not self.bare_scalar():
                raise Bail  # a list or mapping (or an alias) as a key, or a key with an anchor or tag
            key = self.text()
            if key in mapping:
                raise Bail  # a duplicate key
            if self.keys is not None:
                self.keys[path + (key,)] = self.span(self.event.start_mark, self.event.end_mark)
            self.next()
            mapping[key] = self.node(path, key)

    cdef list sequence(self, tuple path):
        cdef list sequence = []
        while True:
            if self.next() == YAML_SEQUENCE_END_EVENT:
                self.end = self.event.end_mark
                return sequence
            sequence.append(self.node(path, len(sequence)))

    def document(self):
        """The document's data; raises :class:`Bail` for what the full builder must judge."""
        self.next()  # the stream's start
        if self.next() != YAML_DOCUMENT_START_EVENT:
            return None  # no document: only comments
        if self.next() == YAML_MAPPING_START_EVENT:
            root = self.contained((), TOP)
        else:
            root = self.node((), None)
        self.next()  # the document's end
        if self.next() == YAML_DOCUMENT_START_EVENT:
            raise Bail  # a second document
        return root

    cdef object built_span(self, yaml_mark_t start, bint scalar):
        """The span of the node that started at ``start`` and has just been built."""
        return self.span(start, self.event.end_mark if scalar else self.end)

    cdef dict top_mapping(self):
        """The root mapping, noting the positions of the category, the tags and each question."""
        cdef dict mapping = {}
        cdef yaml_mark_t start
        while True:
            if self.next() == YAML_MAPPING_END_EVENT:
                self.end = self.event.end_mark
                return mapping
            if not self.bare_scalar():
                raise Bail
            key = self.text()
            if key in mapping:
                raise Bail
            if self.keys is not None:
                self.keys[(key,)] = self.span(self.event.start_mark, self.event.end_mark)
            outlined = key == "category" or key == "tags"
            if outlined:
                self.outline_keys[(key,)] = self.span(self.event.start_mark, self.event.end_mark)
            kind = self.next()
            if key == "questions" and kind == YAML_SEQUENCE_START_EVENT and self.bare_start():
                mapping[key] = self.contained((key,), QUESTIONS)
                continue
            start = self.event.start_mark
            scalar = kind == YAML_SCALAR_EVENT
            mapping[key] = self.node((), key)
            if outlined:
                self.outline_values[(key,)] = self.built_span(start, scalar)

    cdef list questions(self):
        """The top-level ``questions`` list, noting each item's position."""
        cdef list items = []
        cdef yaml_mark_t start
        cdef tuple parent = ("questions",)
        while True:
            kind = self.next()
            if kind == YAML_SEQUENCE_END_EVENT:
                self.end = self.event.end_mark
                return items
            start = self.event.start_mark
            scalar = kind == YAML_SCALAR_EVENT
            index = len(items)
            items.append(self.node(parent, index))
            self.outline_values[("questions", index)] = self.built_span(start, scalar)
