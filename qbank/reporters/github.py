"""GitHub Actions workflow commands: one annotation per finding on the pull request."""

from __future__ import annotations

from typing import TextIO

from qbank.diagnostics import Severity
from qbank.engine import LintResult
from qbank.reporters import ReportContext, reporter

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d) -> str:
    p = d.position
    props = [f"file={_escape_property(d.file)}", f"line={p.line}", f"col={p.column}"]
    if p.end_line:
        props += [f"endLine={p.end_line}", f"endColumn={p.end_column}"]
    props.append(f"title={d.code}")
    message = d.message + (f" (hint: {d.hint})" if d.hint else "")
    return f"::{_LEVEL[d.severity]} {','.join(props)}::{_escape_data(message)}"


@reporter("github")
def report(result: LintResult, out: TextIO, context: ReportContext) -> None:
    for diagnostic in result.diagnostics:
        if context.quiet and diagnostic.severity is not Severity.ERROR:
            continue
        out.write(annotation(diagnostic) + "\n")
