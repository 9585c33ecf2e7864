"""Human output: ``path:line:col: CODE severity message``, the line, a caret and a hint."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

import click

from qbank.diagnostics import Diagnostic, Severity
from qbank.engine import LintResult
from qbank.reporters import ReportContext, reporter
from qbank.reporters.source import printable, source_lines

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}

EXCERPT_WIDTH = 120
"""Longer source lines are shown as a window around the column, between ellipses."""


def _window(line: str, column: int, width: int) -> tuple[str, int, int]:
    """The part of a long ``line`` that shows ``column``, with the column and caret width in it."""
    if len(line) <= EXCERPT_WIDTH:
        return line, column, width
    start = max(0, min(column - 1 - EXCERPT_WIDTH // 3, len(line) - EXCERPT_WIDTH))
    shown = line[start : start + EXCERPT_WIDTH]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + EXCERPT_WIDTH < len(line) else ""
    column = column - start + len(prefix)
    width = max(1, min(width, len(shown) + len(prefix) - column + 1))
    return prefix + shown + suffix, column, width


def _excerpt(diagnostic: Diagnostic, color: bool) -> list[str]:
    lines = source_lines(diagnostic.file)
    line_number = diagnostic.position.line
    if not 1 <= line_number <= len(lines):
        return []
    line = printable(lines[line_number - 1].replace("\t", " "))
    column = diagnostic.position.column
    width = 1
    end = diagnostic.position
    if end.end_line == line_number and end.end_column and end.end_column > column:
        width = end.end_column - column
    width = max(1, min(width, len(line) - column + 1))
    line, column, width = _window(line, column, width)
    gutter = f"{line_number:>5} | "
    caret = " " * (len(gutter) - 2) + "| " + " " * (column - 1) + "^" * width
    if color:
        caret = click.style(caret, fg=_COLORS[diagnostic.severity])
    return [gutter + line, caret]


def format_diagnostic(diagnostic: Diagnostic, color: bool = False, excerpt: bool = True) -> str:
    p = diagnostic.position
    where = f"{diagnostic.file}:{p.line}:{p.column}:"
    severity = diagnostic.severity.value
    code = diagnostic.code
    if color:
        where = click.style(where, bold=True)
        code = click.style(code, fg=_COLORS[diagnostic.severity], bold=True)
        severity = click.style(severity, fg=_COLORS[diagnostic.severity])
    out = [f"{where} {code} {severity} {diagnostic.message}"]
    if excerpt:
        out.extend(_excerpt(diagnostic, color))
    if diagnostic.hint:
        out.append(f"      = hint: {diagnostic.hint}")
    return "\n".join(out)


def summary(result: LintResult) -> str:
    files = len(result.bank.files)
    questions = result.bank.question_count
    counts = ", ".join(f"{result.count(s)} {s.value}{'s' if result.count(s) != 1 else ''}" for s in Severity)
    return f"{files} file{'s' if files != 1 else ''}, {questions} question{'s' if questions != 1 else ''}: {counts}"


def statistics(result: LintResult) -> list[str]:
    counts = Counter((d.code, d.rule_name) for d in result.diagnostics)
    return [f"{n:>6}  {code}  {name}" for (code, name), n in sorted(counts.items())]


@reporter("text")
def report(result: LintResult, out: TextIO, context: ReportContext) -> None:
    for diagnostic in result.diagnostics:
        if context.quiet and diagnostic.severity is not Severity.ERROR:
            continue
        click.echo(format_diagnostic(diagnostic, context.color), file=out, color=context.color)
    if context.statistics:
        click.echo("\n".join(statistics(result)), file=out)
    if not context.quiet or result.errors:
        click.echo(summary(result), file=out)
