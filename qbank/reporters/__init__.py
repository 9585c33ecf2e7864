"""Lint output formats, registered by name. Checks never print; reporters do.

A reporter is ``report(result, out, context)``; ``REPORTERS`` feeds ``--format``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from qbank.engine import LintResult


@dataclass
class ReportContext:
    color: bool = False
    quiet: bool = False
    statistics: bool = False


Reporter = Callable[[LintResult, TextIO, ReportContext], None]
REPORTERS: dict[str, Reporter] = {}


def reporter(name: str) -> Callable[[Reporter], Reporter]:
    def add(function: Reporter) -> Reporter:
        REPORTERS[name] = function
        return function

    return add


from qbank.reporters import github, json_report, junit, sarif, text  # noqa: E402,F401  (registers them)
