"""``qbank lint --fix``: safe, mechanical fixes, written with a round-trip YAML editor.

Only fixes that cannot change what a question means are made: quoting a text that
other YAML tools misread (QB005), removing invisible trailing spaces (QB007) and
writing a true/false question's options as "True" then "False" (QB105). ruamel.yaml
edits the file in place, keeping comments, quotes, block texts and key order; a file
that it cannot write back byte for byte unchanged is left alone, with a note, rather
than reformatted. Files are replaced atomically.
"""

from __future__ import annotations

import codecs
import difflib
import io
import re
import warnings
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import YAMLWarning
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from qbank.diagnostics import Diagnostic, Path
from qbank.engine import LintResult
from qbank.exporters.write import write_atomic
from qbank.loader import load_text
from qbank.loader.decode import decode
from qbank.rules.parse import TRAILING_SPACE
from qbank.validated import ValidatedFile

Fixer = Callable[[Any, Path, ValidatedFile], bool]
FIXERS: dict[str, Fixer] = {}
REORDERING = frozenset({"QB105"})
"""Fixes that move nodes run last, so that the others still find theirs at the path they reported."""


def fixer(code: str) -> Callable[[Fixer], Fixer]:
    def add(function: Fixer) -> Fixer:
        FIXERS[code] = function
        return function

    return add


BOOL, NULL = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"


class Verbatim(str):
    """A boolean or null kept as spelled (``True``, ``NO``, ``~``), so that it is written back unchanged."""

    tag = BOOL


class _Constructor(RoundTripConstructor):
    pass


class _Representer(RoundTripRepresenter):
    pass


def _construct_verbatim(constructor: Any, node: Any) -> Any:
    if not node.value:
        return None
    kept = Verbatim(node.value)
    kept.tag = node.tag
    return kept


_Constructor.add_constructor(BOOL, _construct_verbatim)
_Constructor.add_constructor(NULL, _construct_verbatim)
_Representer.add_representer(Verbatim, lambda representer, data: representer.represent_scalar(data.tag, str(data)))


def is_true(value: Any) -> bool:
    return value is True or isinstance(value, Verbatim) and value.tag == BOOL and value.lower() == "true"


def _parent(data: Any, path: Path) -> tuple[Any, Any] | None:
    node = data
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    key = path[-1]
    if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
        return node, key
    if isinstance(key, str) and isinstance(node, dict) and key in node:
        return node, key
    return None


@fixer("QB005")
def quote_scalar(data: Any, path: Path, file: ValidatedFile) -> bool:
    note = file.loaded.document.notes.get(path)
    place = _parent(data, path)
    if note is None or place is None:
        return False
    parent, key = place
    parent[key] = DoubleQuotedScalarString(note.raw)
    return True


@fixer("QB007")
def strip_trailing_space(data: Any, path: Path, file: ValidatedFile) -> bool:
    place = _parent(data, path)
    if place is None or not isinstance(place[0][place[1]], str):
        return False
    parent, key = place
    value = parent[key]
    fixed = TRAILING_SPACE.sub(lambda m: m.group(0)[len(m.group(1)):], value)
    if fixed == value:
        return False
    parent[key] = type(value)(fixed) if type(value) is not str else fixed
    return True


@fixer("QB105")
def normalise_true_false(data: Any, path: Path, file: ValidatedFile) -> bool:
    place = _parent(data, path)
    if place is None:
        return False
    options = place[0][place[1]]
    if not isinstance(options, list) or len(options) != 2 or not all(isinstance(o, dict) for o in options):
        return False
    texts = [str(o.get("text", "")).strip().casefold() for o in options]
    if sorted(texts) != ["false", "true"] or sum(is_true(o.get("correct")) for o in options) != 1:
        return False  # not mechanical: the author must say what the options are
    if texts[0] == "false":
        options[0], options[1] = options[1], options[0]
    options[0]["text"] = DoubleQuotedScalarString("True")
    options[1]["text"] = DoubleQuotedScalarString("False")
    return True


@dataclass
class FileFix:
    """What --fix does to one file."""

    name: str
    path: FilePath
    before: str
    after: str
    fixed: list[Diagnostic] = field(default_factory=list)
    note: str = ""
    """Why the file was left alone, if it was."""
    bom: bool = False

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def write(self) -> None:
        if self.changed:
            write_atomic(self.path, (codecs.BOM_UTF8 if self.bom else b"") + self.after.encode("utf-8"))

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(self.before.splitlines(True), self.after.splitlines(True), f"a/{self.name}", f"b/{self.name}")
        )


def _yaml_for(text: str) -> YAML:
    _, sequence, offset = load_yaml_guess_indent(text)
    if sequence is None or offset is None:
        sequence, offset = 4, 2  # no block sequence to learn from
    yaml = YAML(typ="rt")
    yaml.Constructor, yaml.Representer = _Constructor, _Representer
    yaml.preserve_quotes = True
    yaml.width = 1_000_000
    yaml.indent(mapping=max(2, sequence - offset) if sequence > offset else sequence, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def fix_file(file: ValidatedFile, diagnostics: list[Diagnostic]) -> FileFix:
    """Apply every fixable finding of one file; the text is unchanged when none applies."""
    name, path = file.loaded.name, file.loaded.path
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return FileFix(name, path, "", "", note=f"cannot be read: {exc.strerror or exc}")
    text, problem = decode(raw)
    if problem is not None or text is None:
        return FileFix(name, path, "", "", note="cannot be read as UTF-8")
    left_alone = FileFix(name, path, text, text, bom=raw.startswith(codecs.BOM_UTF8))
    try:
        with warnings.catch_warnings(record=True) as warned:  # not printed: said in the note, with the lines
            warnings.simplefilter("always", YAMLWarning)
            yaml = _yaml_for(text)  # guessing the indentation parses the file too
            data = yaml.load(text)
            unchanged = _dump(yaml, data) == text
    except Exception as exc:  # noqa: BLE001  (ruamel raises many kinds; the file is then left alone)
        left_alone.note = f"not rewritten: the YAML editor cannot read it ({type(exc).__name__}); fix this file's errors first"
        return left_alone
    if concern := next((w.message for w in warned if isinstance(w.message, YAMLWarning)), None):
        left_alone.note = f"not rewritten: the YAML editor warns {_summary(concern)}; fix it by hand"
        return left_alone
    if not unchanged:
        left_alone.note = "not rewritten: the YAML editor would change its layout (CRLF line ends, unusual indentation); fix it by hand"
        return left_alone
    ordered = sorted(diagnostics, key=lambda d: (d.code in REORDERING, d.position.line, d.position.column))
    done = [d for d in ordered if FIXERS[d.code](data, d.path, file)]
    if not done:
        return left_alone
    after = _dump(yaml, data)
    if load_text(after, name).problems:
        left_alone.note = "not rewritten: the fixed text would not read back cleanly"
        return left_alone
    return FileFix(name, path, text, after, done, bom=left_alone.bom)


def _summary(warning: Warning) -> str:
    """A warning of ruamel.yaml in one line: its first line of text and the lines it points at."""
    text = str(warning)
    first = next((line.strip() for line in text.splitlines() if line.strip()), type(warning).__name__)
    lines = list(dict.fromkeys(re.findall(r"line (\d+)", text)))
    return f"{first!r}" + (f" (line{'s' if len(lines) > 1 else ''} {', '.join(lines)})" if lines else "")


def fix_bank(result: LintResult) -> list[FileFix]:
    """The fixes for every file with fixable findings, in file order."""
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in result.diagnostics:
        if d.code in FIXERS and d.path:
            by_file[d.file].append(d)
    return [fix_file(file, by_file[file.loaded.name]) for file in result.bank.files if file.loaded.name in by_file]



