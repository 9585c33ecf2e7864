"""QB0xx: files that cannot be read as a bank, and text that YAML tools read differently.

These rules report what the loader found. They are always on: an unreadable file is
never silently skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.patterns import lazy_pattern
from qbank.rules.base import FileRule, QuestionRule
from qbank.rules.registry import register
from qbank.rules.shared import text_fields
from qbank.validated import ValidatedFile


TRAILING_SPACE = lazy_pattern(r"([ \t\u00a0]+)\n*\Z")
"""Spaces or tabs at the very end of a text, before any final newlines of a block text."""
_BLANKS = frozenset(" \t\u00a0")


class _LoaderProblemRule(FileRule):
    group = "parse"
    severity = Severity.ERROR
    always_on = True
    kinds: tuple[str, ...] = ()

    def check(self, file: ValidatedFile) -> Iterator[Finding]:
        for problem in file.loaded.problems:
            if problem.kind in self.kinds:
                yield Finding(problem.message, hint=problem.hint, position=problem.position)


@register
class UnreadableFile(_LoaderProblemRule):
    """The file cannot be read as UTF-8 text: it is empty, binary, or in another encoding.

    qbank reads UTF-8, with or without a byte-order mark, and CRLF or LF line ends.

    Bad::

        

    Good::

        questions: []
    """

    code = "QB001"
    name = "unreadable-file"
    kinds = ("unreadable",)


@register
class YamlSyntax(_LoaderProblemRule):
    """The file is not valid YAML.

    The position is where the parser gave up; the mistake is often just before it,
    for example an unquoted text holding ``: `` or a wrong indentation.

    Bad::

        questions:
          - id: q1
            stem: Which layer: the first or the second?

    Good::

        questions: []
    """

    code = "QB002"
    name = "yaml-syntax"
    kinds = ("yaml-syntax",)


@register
class DuplicateKey(_LoaderProblemRule):
    """A mapping holds the same key twice.

    Most YAML readers silently keep the last value and lose the first. qbank keeps
    neither silently: it reports the second key and keeps the first value.

    Bad::

        questions:
          - id: q1
            stem: First version
            stem: Second version

    Good::

        questions: []
    """

    code = "QB003"
    name = "duplicate-key"
    kinds = ("duplicate-key",)


@register
class UnsafeYaml(_LoaderProblemRule):
    """The file uses YAML features that bank files do not allow: tags, or aliases that explode.

    Tags such as ``!!python/object`` could run code in other tools, and aliases
    that expand to huge trees (a "billion laughs") could exhaust memory.

    Bad::

        questions: !!python/object:os.system []

    Good::

        questions: []
    """

    code = "QB004"
    name = "unsafe-yaml"
    kinds = ("unsafe-yaml",)


@register
class AmbiguousScalar(FileRule):
    """A text is written so that some YAML tools read it as a number, boolean or date.

    qbank reads YAML 1.2 and keeps text fields exactly as written: an option
    ``1.10`` stays the text 1.10 and ``No`` stays No. Many tools still read YAML 1.1,
    where ``No`` is false and ``1.10`` is the number 1.1. Quote such texts so that
    every tool agrees.

    Bad::

        questions:
          - id: q1
            stem: Is padding applied before the sequence by default?
            explanation: pad_sequences pads at the start by default.
            options:
              - text: Yes
                correct: true
              - text: "No"
                why: The default is padding="pre".

    Good::

        questions:
          - id: q1
            stem: Is padding applied before the sequence by default?
            explanation: pad_sequences pads at the start by default.
            options:
              - text: "Yes"
                correct: true
              - text: "No"
                why: The default is padding="pre".
    """

    code = "QB005"
    name = "ambiguous-scalar"
    group = "parse"
    severity = Severity.WARNING
    fixable = True

    def check(self, file: ValidatedFile) -> Iterator[Finding]:
        yield from file.scalar_findings


@register
class SchemaError(FileRule):
    """The file does not fit the bank format: a missing field, a wrong type or an unknown key.

    Each error points at the exact node: the unknown key (with a "did you mean"),
    the value of the wrong type, or the mapping that lacks a field. The format is
    described in docs/format.md and in schemas/qbank-file.schema.json.

    Bad::

        questions:
          - id: q1
            stem: What does an Embedding layer output?
            optoins:
              - text: Dense vectors
                correct: true

    Good::

        questions:
          - id: q1
            stem: What does an Embedding layer output?
            explanation: It maps token ids to dense vectors.
            options:
              - text: Dense vectors
                correct: true
              - text: Token ids
                why: Token ids are its input.
    """

    code = "QB101"
    name = "schema"
    group = "structure"
    severity = Severity.ERROR
    always_on = True

    def check(self, file: ValidatedFile) -> Iterator[Finding]:
        yield from file.schema_findings


@register
class TrailingWhitespace(QuestionRule):
    """A text ends in spaces or tabs that nobody sees.

    Quoted texts and block texts keep trailing spaces, which then differ invisibly
    from the same text without them (duplicate checks, imports that match options by
    text) and show up in diffs. Only the end of a text is checked: two spaces at the
    end of an inner line are a Markdown line break and stay. ``--fix`` removes them.

    Bad::

        questions:
          - id: q1
            stem: "Which layer turns token ids into dense vectors?   "
            explanation: Embedding is a trainable lookup table.
            options:
              - text: Embedding
                correct: true
              - text: Dense
                why: It acts on vectors, not ids.

    Good::

        questions:
          - id: q1
            stem: Which layer turns token ids into dense vectors?
            explanation: Embedding is a trainable lookup table.
            options:
              - text: Embedding
                correct: true
              - text: Dense
                why: It acts on vectors, not ids.
    """

    code = "QB007"
    name = "trailing-whitespace"
    group = "parse"
    severity = Severity.INFO
    fixable = True

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        for path, text in text_fields(item.question):
            if text.rstrip("\n")[-1:] not in _BLANKS:
                continue  # a cheap first look: the search below scans the whole text
            match = TRAILING_SPACE.search(text)
            if match:
                spaces = match.group(1)
                yield Finding(
                    f"the text ends in {len(spaces)} invisible space{'s' if len(spaces) != 1 else ''} or tab{'s' if len(spaces) != 1 else ''}",
                    path,
                    hint="remove them, or run qbank lint --fix",
                    evidence={"trailing": spaces},
                )
