"""Machine output: one JSON document of stable shape (see docs/lint-output.md)."""

from __future__ import annotations

import json
from typing import TextIO

from qbank import __version__
from qbank.diagnostics import Severity
from qbank.engine import LintResult
from qbank.reporters import ReportContext, reporter

FORMAT_VERSION = 1


def document(result: LintResult) -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "qbank_version": __version__,
        "summary": {
            "files": len(result.bank.files),
            "questions": result.bank.question_count,
            **{s.value: result.count(s) for s in Severity},
        },
        "diagnostics": [d.to_dict() for d in result.diagnostics],
    }


@reporter("json")
def report(result: LintResult, out: TextIO, context: ReportContext) -> None:
    json.dump(document(result), out, indent=2, ensure_ascii=False, sort_keys=False)
    out.write("\n")
