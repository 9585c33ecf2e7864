"""A user's mistake is never a traceback: broken bank files, broken import sources, --fix on broken files.

Hypothesis generates what users (and their editors, shells and copy-paste) produce: the sample bank's
files with lines deleted or re-indented, keys duplicated, values of the wrong type, huge numbers, deep
nesting, very long lines, odd Unicode, NUL bytes, byte-order marks and mixed line ends; YAML-ish token
soup; and plain byte junk. Whatever comes in:

- the engine never raises, and every diagnostic points inside the file (line and column from 1, at most
  one past the last line, and at most one past the end of its line);
- a good file beside the broken one is still linted (its planted finding is reported);
- every reporter writes its format;
- ``qbank lint``, ``qbank lint --fix`` and ``qbank import`` exit with a documented code and a message,
  and --fix never loses a question.

The examples are derandomized (no example database), so CI runs the same inputs every time. ``make fuzz``
runs 20 times as many, new ones each time: the fixed examples had missed a 5,000-digit number, a column
number written '²', an HTML comment in an Anki field, and positions after a lone CR or a wide character.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qbank import exitcodes
from qbank.cli import main
from qbank.config import Config
from qbank.diagnostics import Severity
from qbank.discovery import discover
from qbank.engine import LintResult, lint
from qbank.exporters import EXPORTERS, export_bank
from qbank.reporters import REPORTERS, ReportContext
from qbank.writer import dump_bank_file
from tests.conftest import ROOT, write_files
from tests.strategies import awkward_text, identifier, tag

SAMPLES = tuple(path.read_bytes() for path in sorted((ROOT / "banks").rglob("*.yaml")))

CONTROL = b"""\
questions:
  - id: zz-fuzz-control
    stem: Which Keras layer keeps a separate cell state next to its hidden state?
    explanation: Only the LSTM keeps a cell state besides its hidden state.
    options:
      - text: LSTM
        correct: true
      - text: SimpleRNN
"""
"""A good file with one planted finding (QB109 at 8:9), linted beside every broken file."""
CONTROL_FINDING = ("QB109", 8, 9)


FUZZ_SCALE = int(os.environ.get("QBANK_FUZZ", "0") or 0)
"""``make fuzz`` sets QBANK_FUZZ: that many times the examples, new ones each run (the suite's are fixed)."""


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples * max(1, FUZZ_SCALE),
        derandomize=not FUZZ_SCALE,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


# -- broken inputs ----------------------------------------------------------------------------

ODD = [
    "\u00a0", "\u200b", "\u202e", "\u0301", "\ufeff", "\u2028", "\u2029", "\x85", "é", "日本", "😀", "\U0010ffff",
    "\x0c", "\x1b", "\x7f", "\t", "\r", "\0", "\udcff",
]
"""Characters that editors hide, combine, reverse or treat as line ends, and a lone surrogate."""

WRONG_VALUES = [
    "[]", "{}", "~", "null", "true", "no", "1e999", "-.inf", ".nan", "99999999999999999999999999999999999",
    "-0", "0x1F", "0o17", "2024-01-01", "[1, [2, [3]]]", "{a: {b: c}}", "'quoted'", '"esc \\x"', "|", ">-",
    "&anchor x", "*anchor", "!!python/object:os.system", "!!binary aGVsbG8=", "!custom x", "? complex", "- item",
    "QB", "[QB1, 3, null]", '"\\u0000"', "0", "-5", "3.14", "9" * 4301,
]
"""Values of the wrong type (and YAML oddities) to put at random nodes."""

YAMLISH = [
    "questions:", "  - id: q1", "    stem: ", "options:", "- text: ", "correct: true", "why: ", "explanation: ",
    "type: multiple", "type: true_false", "lint: {ignore: [QB2]}", "category: a/b", "tags: [x]", "points: 2",
    "---", "...", "%YAML 1.2", "#", ": ", "- ", "? ", "{", "}", "[", "]", ",", "&a ", "*a", "!!str ", "|", ">",
    "'", '"', "\\", "\n", "\r\n", "\r", "  ", "\t", "\ufeff", "<<: *a", "@", "`", "%", *ODD, *WRONG_VALUES,
]


def _mutate(data: bytes, operations: list[tuple[int, int, int]]) -> bytes:
    """Apply ``operations`` (kind, where, amount) to the lines of ``data``."""
    lines = data.split(b"\n")
    for kind, where, amount in operations:
        if not lines:
            lines = [b""]
        i = where % len(lines)
        line = lines[i]
        indent = len(line) - len(line.lstrip(b" "))
        if kind == 0:  # delete a line
            del lines[i]
        elif kind == 1:  # re-indent a line (swap its indentation for another)
            lines[i] = b" " * (amount % 9) + line.lstrip(b" ")
        elif kind == 2:  # duplicate a line: duplicated keys, repeated list items
            lines.insert(i + 1, line)
        elif kind == 3 and b": " in line:  # a wrong type at this node
            key, _, _ = line.partition(b": ")
            lines[i] = key + b": " + WRONG_VALUES[amount % len(WRONG_VALUES)].encode()
        elif kind == 4:  # odd Unicode (or a control character) inside the line
            at = amount % (len(line) + 1)
            lines[i] = line[:at] + ODD[amount % len(ODD)].encode("utf-8", "surrogatepass") + line[at:]
        elif kind == 5:  # a very long line
            lines[i] = line + b" long" * (2_000 + amount % 20_000)
        elif kind == 6:  # deep nesting, as a flow value or as a block
            depth = 10 + amount % 2_000
            if amount % 2:
                lines[i] = b" " * indent + b"stem: " + b"[" * depth + b"]" * depth
            else:
                lines[i:i] = [b" " * (indent + 2 * d) + b"- k:" for d in range(min(depth, 300))]
        elif kind == 7:  # a CR here: mixed line ends
            lines[i] = line + b"\r"
        elif kind == 8:  # a NUL byte
            lines[i] = line[: amount % (len(line) + 1)] + b"\0" + line[amount % (len(line) + 1):]
        elif kind == 9:  # a byte-order mark, at the start or in the middle
            lines[0 if amount % 2 else i] = codecs.BOM_UTF8 + lines[0 if amount % 2 else i]
        elif kind == 10:  # random bytes replace a line (invalid UTF-8 among them)
            lines[i] = bytes((amount * 7919 + n * 104729) % 256 for n in range(1 + amount % 40))
        elif kind == 11:  # a huge number
            lines[i] = b" " * indent + b"points: " + b"9" * (1 + amount % 5_000)
        elif kind == 12:  # swap two lines
            j = amount % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 13:  # an anchor and many aliases
            lines.insert(i, b" " * indent + b"x: &a [1]")
            lines.insert(i + 1, b" " * indent + b"y: [" + b", ".join([b"*a"] * (1 + amount % 50)) + b"]")
    return b"\n".join(lines)


operations = st.lists(
    st.tuples(st.integers(0, 13), st.integers(0, 10_000), st.integers(0, 100_000)), min_size=1, max_size=8
)


@st.composite
def mutated(draw, seeds: Callable[[], tuple[bytes, ...]]) -> bytes:
    pool = seeds()
    return _mutate(pool[draw(st.integers(0, len(pool) - 1))], draw(operations))


yamlish_text = st.lists(
    st.one_of(st.sampled_from(YAMLISH), st.text(max_size=12)), max_size=60
).map(lambda pieces: "".join(pieces).encode("utf-8", "surrogatepass"))

broken_bank_files = st.one_of(
    mutated(lambda: SAMPLES),
    mutated(lambda: SAMPLES),
    mutated(lambda: SAMPLES),
    yamlish_text,
    st.binary(max_size=400),
)


# -- checks -----------------------------------------------------------------------------------

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def editor_lines(data: bytes) -> list[str]:
    """The file's lines as an editor shows them: BOM hidden, lines ended by LF, CRLF or CR."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    return LINE_BREAK.split(data.decode("utf-8", errors="replace"))


def check_positions(result: LintResult, files: dict[str, bytes]) -> None:
    lines = {name: editor_lines(data) for name, data in files.items()}
    for d in result.diagnostics:
        name = Path(d.file).name
        p = d.position
        where = f"{d.file}:{p.line}:{p.column} {d.code} {d.message[:200]}"
        assert p.line >= 1 and p.column >= 1, where
        if name not in lines:
            continue
        file_lines = lines[name]
        assert p.line <= len(file_lines) + 1, f"{where}: beyond the last line ({len(file_lines)})"
        if p.line <= len(file_lines):
            assert p.column <= len(file_lines[p.line - 1]) + 1, f"{where}: beyond the end of its line"
        if p.end_line is not None:
            assert p.end_line >= p.line and p.end_line <= len(file_lines) + 1, where
        assert d.message.strip(), where


def check_reporters(result: LintResult) -> None:
    for name, report in REPORTERS.items():
        out = io.StringIO()
        report(result, out, ReportContext(statistics=True))
        assert out.getvalue() or name in ("github",) and not result.diagnostics, name


def lint_beside_control(broken: bytes) -> tuple[LintResult, Path]:
    folder = Path(tempfile.mkdtemp(prefix="qbank-fuzz-"))
    write_files(folder, {"broken.yaml": broken, "zz-control.yaml": CONTROL})
    return lint(discover([folder]), Config(), jobs=1), folder


def control_finding_reported(result: LintResult) -> bool:
    code, line, column = CONTROL_FINDING
    return any(
        d.file.endswith("zz-control.yaml") and (d.code, d.position.line, d.position.column) == (code, line, column)
        for d in result.diagnostics
    )


# -- the engine -------------------------------------------------------------------------------


FOUND_BY_FUZZING = [
    b"\xc2\xa0\xc2\xa0\x01",  # a control character after wide characters: placed by byte
    b"a: 1\r\r\nc\x00x\n",  # a NUL after a lone CR: its line counted by LF only
    b"(:\xe2\x80\xa8!",  # a syntax error at the end after a line separator: two lines past the last
    b"(:\xe2\x80\xa8 ",  # the same for the document's span
    b"questions:\n  - id: q1\n    points: " + b"9" * 5000 + b"\n",  # a number int() refuses: a traceback
]
"""Inputs that ``make fuzz`` found (make test's fixed examples had missed them), kept as cases."""


@pytest.mark.parametrize("broken", FOUND_BY_FUZZING)
def test_inputs_found_by_fuzzing_stay_fixed(broken):
    test_engine_never_raises_and_places_every_finding_inside_the_file.hypothesis.inner_test(broken)


@fuzz_settings(250)
@given(broken_bank_files)
def test_engine_never_raises_and_places_every_finding_inside_the_file(broken):
    result, _ = lint_beside_control(broken)
    check_positions(result, {"broken.yaml": broken, "zz-control.yaml": CONTROL})
    assert control_finding_reported(result), "the good file beside the broken one was not linted"
    check_reporters(result)


@pytest.mark.parametrize("depth", [150, 990, 1001, 100_000])
def test_deeply_nested_files_are_findings_not_a_crash(depth):
    """Nesting is read without a call per level (the lean path hands deep files to the full
    builder); past libyaml's limit (1,000) it is a syntax error, not a crashed process."""
    nested = "[" * depth + "]" * depth
    result, _ = lint_beside_control(f"questions:\n  - id: q1\n    stem: {nested}\n".encode())
    assert control_finding_reported(result)
    assert any(d.file.endswith("broken.yaml") and d.severity is Severity.ERROR for d in result.diagnostics)


@pytest.mark.parametrize("field", ["stem", "points"])
def test_numbers_longer_than_python_converts_are_findings_not_a_crash(field):
    """int() refuses more than 4,300 digits by default; the loader keeps such a number as text."""
    result, _ = lint_beside_control(f"questions:\n  - id: q1\n    {field}: {'9' * 5000}\n".encode())
    assert control_finding_reported(result)
    found = {d.code for d in result.diagnostics if d.file.endswith("broken.yaml")}
    assert "QB005" in found if field == "stem" else "QB101" in found


# -- the command line -------------------------------------------------------------------------


USERS_SEE_NO = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)
"""What Python hides from users by default; any other warning would be printed on their terminal."""


def invoke(args: list[str]):
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        for hidden in USERS_SEE_NO:
            warnings.simplefilter("ignore", hidden)
        result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: let pytest show it
    # A library's warning is noise on the user's terminal, without file, line or what to do.
    assert not shown, f"{shown[0].filename}:{shown[0].lineno}: {shown[0].category.__name__}: {shown[0].message}"
    return result


@fuzz_settings(40)
@given(broken_bank_files, st.sampled_from(sorted(REPORTERS)))
def test_lint_command_reports_broken_files_without_a_traceback(broken, output_format):
    folder = Path(tempfile.mkdtemp(prefix="qbank-fuzz-"))
    write_files(folder, {"broken.yaml": broken, "zz-control.yaml": CONTROL})
    result = invoke(["lint", str(folder), "--no-cache", "--jobs", "1", "--format", output_format])
    assert result.exit_code == exitcodes.FINDINGS, result.output  # the control file has an error
    assert "zz-control.yaml" in result.stdout
    assert "Traceback" not in result.output


FIXABLE = [
    b"      - text: yes\n", b"      - text: 1.10\n", b'    stem: "Trailing   "\n', b"    explanation: 'spaces\t '\n",
]


@st.composite
def fixable_files(draw) -> bytes:
    """A sample file with fixable findings planted, then mutated a little."""
    lines = SAMPLES[draw(st.integers(0, len(SAMPLES) - 1))].split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(FIXABLE)).rstrip(b"\n"))
    data = b"\n".join(lines)
    if draw(st.booleans()):
        data = _mutate(data, draw(st.lists(st.tuples(st.integers(0, 13), st.integers(0, 10_000), st.integers(0, 100_000)), max_size=3)))
    return data


def question_count(folder: Path) -> int:
    return len(lint(discover([folder]), Config(), ["QB001"], jobs=1).bank.questions)


REUSED_ANCHOR = b"questions:\n  - id: q1\n    stem: Yes or no?\n    tags: &t [a]\n    explanation: x\n    options:\n      - text: Yes\n        correct: true\n      - text: No\n        why: x\n  - id: q2\n    tags: &t [b]\n"
"""An anchor defined twice, in a file with fixes to make: ruamel.yaml warned on the user's terminal."""


@fuzz_settings(40)
@given(fixable_files())
@example(REUSED_ANCHOR)
def test_fix_never_raises_and_never_loses_a_question(data):
    folder = Path(tempfile.mkdtemp(prefix="qbank-fuzz-"))
    write_files(folder, {"bank.yaml": data})
    before = question_count(folder)
    diff = invoke(["lint", str(folder), "--no-cache", "--jobs", "1", "--diff"])
    assert diff.exit_code in (exitcodes.OK, exitcodes.FINDINGS), diff.output
    assert (folder / "bank.yaml").read_bytes() == data, "--diff changed the file"
    fixed = invoke(["lint", str(folder), "--no-cache", "--jobs", "1", "--fix"])
    assert fixed.exit_code in (exitcodes.OK, exitcodes.FINDINGS), fixed.output
    assert question_count(folder) >= before, "--fix lost a question"


# -- exporters --------------------------------------------------------------------------------

_OPTION = st.fixed_dictionaries({"text": awkward_text}, optional={"correct": st.booleans(), "why": awkward_text})
_QUESTION = st.fixed_dictionaries(
    {"id": identifier, "stem": awkward_text, "options": st.lists(_OPTION, min_size=1, max_size=30)},
    optional={
        "type": st.sampled_from(["single", "multiple", "true_false"]),
        "tags": st.lists(tag, max_size=2),
        "category": awkward_text,
        "source": awkward_text,
        "explanation": awkward_text,
        "shuffle": st.booleans(),
        "points": st.floats(min_value=0.5, max_value=10, allow_nan=False),
    },
)
EXPORT_ANYWAY = '[tool.qbank]\nignore = ["QB1", "QB2", "QB3"]\n'
"""Structure, quality and bank rules off: the exporters get questions lint would have stopped
(no key, 30 options, control characters), as they do for a team that turns those rules off."""


NO_KEY = {"id": "q1", "stem": "Which?", "options": [{"text": "a"}, {"text": "b"}]}


_HEADER = st.fixed_dictionaries({}, optional={"category": awkward_text, "tags": st.lists(tag, max_size=2)})


@fuzz_settings(25)
@given(st.lists(_QUESTION, min_size=1, max_size=3, unique_by=lambda q: q["id"]), st.sampled_from(sorted(EXPORTERS)), _HEADER)
@example([{**NO_KEY, "type": "multiple"}], "moodle", {})  # ZeroDivisionError in the grades
@example([NO_KEY], "qti", {})  # StopIteration looking for the key
@example([{**NO_KEY, "stem": "Which\x01?"}], "qti", {})  # lxml's ValueError on a control character
@example([{**NO_KEY, "options": [{"text": "a", "correct": True}]}], "moodle", {"category": "x\x02"})  # in the header
def test_export_never_raises_on_questions_lint_would_stop(questions, fmt, header):
    """Every exporter writes a question, reports what it cannot carry, or refuses it with a note."""
    folder = Path(tempfile.mkdtemp(prefix="qbank-fuzz-"))
    write_files(folder, {"pyproject.toml": EXPORT_ANYWAY.encode(), "bank/b.yaml": dump_bank_file({**header, "questions": questions}).encode("utf-8")})
    out = folder / "out"
    result = invoke(["export", str(folder / "bank"), "--to", fmt, "--out", str(out), "--config", str(folder / "pyproject.toml"), "--no-cache"])
    assert result.exit_code in (exitcodes.OK, exitcodes.FINDINGS), result.output
    if result.exit_code == exitcodes.FINDINGS:
        assert "refused" in result.stderr, result.output
        assert not out.exists() or not any(out.rglob("*")), "a refused export writes nothing"


# -- importers --------------------------------------------------------------------------------


@cache
def sample_bank():
    """The sample bank in banks/, loaded once for every seed exported from it."""
    from qbank.engine import load_bank  # noqa: PLC0415

    return load_bank(discover([ROOT / "banks"]))


@cache
def import_seeds() -> dict[str, tuple[bytes, ...]]:
    """Real inputs of every import format: the seed page, Moodle fixtures, and the sample bank exported."""
    bank = sample_bank()
    exported = {fmt: export_bank(bank, fmt, "banks").files for fmt in ("gift", "aiken", "json", "moodle", "anki-text")}
    seeds = {fmt: tuple(files.values()) for fmt, files in exported.items()}
    seeds["moodle"] += tuple(p.read_bytes() for p in sorted((ROOT / "tests/data/moodle").glob("moodle*.xml")))
    seeds["qa-text"] = ((ROOT / "tests/importers/data/000_9200b7ba3504442c.txt").read_bytes(),)
    return seeds


SUFFIX = {"qa-text": ".txt", "gift": ".gift", "aiken": ".txt", "json": ".json", "moodle": ".xml", "anki-text": ".txt"}
IMPORT_TOKENS = {
    "gift": ["::", "{", "}", "=", "~", "#", "####", "%50%", "%-100%", "->", "\\", "$CATEGORY: a", "// [id:x]", "{T}", "{#", "[html]", "\n\n"],
    "aiken": ["A. ", "B) ", "ANSWER: A", "ANSWER: Z", "ANSWER:", "Question?", "\n", "\n\n"],
    "qa-text": ["Question", "Answer", "Explanation", "A. x", "B. y", "(Correct)", "(Incorrect): ", "Table of Contents", "\n", "\n\n"],
    "json": ['{"format": "qbank-export", ', '"files": [', '"questions": [', '{"path": "a.yaml"}', "]", "}", ",", "null", "1e999", "NaN", "[" * 50, '"\\ud800"'],
    "anki-text": ["#separator:tab\n", "#separator:Comma\n", "#html:true\n", "#notetype:qbank multiple choice\n", "#notetype column:",
                  "#deck column:", "#columns:", "\u00b2", "9" * 4301, "\t", "<ol><li>x</li></ol>", "A. ", "27. ", "<br>", "<dl><dt>",
                  '"', "\n"],
    "moodle": ['<?xml version="1.0"?>', "<quiz>", "</quiz>", '<question type="multichoice">', "</question>", "<answer fraction=\"50\">", "<answer fraction=\"x\">",
               "<defaultgrade>abc</defaultgrade>", "<penalty>nan</penalty>",
               "<![CDATA[", "]]>", "&amp;", "&bogus;", "<text>https://example.com/a</text>", "<text>a.html</text>", "<!DOCTYPE x [<!ENTITY e 'x'>]>", "<file name=\"a.png\" encoding=\"base64\">", "@@PLUGINFILE@@"],
}


@st.composite
def import_sources(draw) -> tuple[str, bytes]:
    fmt = draw(st.sampled_from(sorted(SUFFIX)))
    kind = draw(st.integers(0, 5))
    if kind <= 3:
        pool = import_seeds()[fmt]
        data = _mutate(pool[draw(st.integers(0, len(pool) - 1))], draw(operations))
    elif kind == 4:
        pieces = st.one_of(st.sampled_from(IMPORT_TOKENS[fmt] + ODD), st.text(max_size=10))
        data = "".join(draw(st.lists(pieces, max_size=50))).encode("utf-8", "surrogatepass")
    else:
        data = draw(st.binary(max_size=300))
    return fmt, data


LOOKS_LIKE_A_LOCATOR = (
    b'<quiz><question type="multichoice"><questiontext format="html"><text>https://example.com/page</text></questiontext>'
    b'<answer fraction="100"><text>index.html</text></answer><answer fraction="0"><text>b</text></answer></question></quiz>'
)
"""Texts that look like a URL and a file name: Beautiful Soup warned about each on the user's terminal."""


@fuzz_settings(150)
@given(import_sources(), st.booleans())
@example(("moodle", LOOKS_LIKE_A_LOCATOR), True)
def test_import_never_raises(source, say_format):
    fmt, data = source
    folder = Path(tempfile.mkdtemp(prefix="qbank-fuzz-"))
    path = folder / f"source{SUFFIX[fmt]}"
    path.write_bytes(data)
    check_import(path, ["--from", fmt] if say_format else [])


def check_import(path: Path, options: list[str]) -> None:
    """``qbank import`` of ``path`` exits with a documented code and a message, and writes nothing on exit 2."""
    out = path.parent / "out"
    result = invoke(["import", str(path), "--out", str(out), *options])
    assert result.exit_code in (exitcodes.OK, exitcodes.FINDINGS, exitcodes.USAGE), result.output
    if result.exit_code == exitcodes.USAGE:
        assert result.stderr.strip(), "exit 2 without a message"
        assert not out.exists() or not any(out.rglob("*")), "exit 2 promises that nothing was written"
    elif result.exit_code == exitcodes.FINDINGS:
        assert result.output.strip(), "exit 1 without a message"


@cache
def qti_members() -> dict[str, bytes]:
    """The members of the sample bank's QTI package (qti export): a manifest, an assessment per file, an image."""
    (package,) = export_bank(sample_bank(), "qti", "banks").files.values()
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@fuzz_settings(60)
@given(st.data())
def test_qti_import_never_raises_on_a_package_whose_xml_is_broken(data):
    """A package from another tool, or one edited by hand: each XML member mutated line by line."""
    members = dict(qti_members())
    for name in data.draw(st.lists(st.sampled_from(sorted(n for n in members if n.endswith(".xml"))), min_size=1, max_size=2)):
        members[name] = _mutate(members[name], data.draw(operations))
    path = Path(tempfile.mkdtemp(prefix="qbank-fuzz-")) / "bank.qti.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    check_import(path, data.draw(st.sampled_from([[], ["--from", "qti"]])))
