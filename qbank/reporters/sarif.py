"""SARIF 2.1.0 (OASIS), the format GitHub code scanning and most CI dashboards read.

One run: tool.driver lists the rules that ran, each with its documentation as help
text; each finding is a result with its rule, level, message and region. Validated
against the official schema in tests/data/sarif-schema-2.1.0.json.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path, PurePosixPath
from typing import Any, TextIO
from urllib.parse import quote

from qbank import __version__
from qbank.diagnostics import Diagnostic, Severity
from qbank.engine import LintResult
from qbank.reporters import ReportContext, reporter
from qbank.rules.base import Rule

SCHEMA = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(name: str) -> str:
    """A file name as a URI: relative names stay relative (to the working folder), others get file://."""
    path = Path(name)
    if path.is_absolute():
        return path.as_uri()
    return quote(PurePosixPath(*path.parts).as_posix())


def plain_json(value: Any) -> Any:
    """Evidence made strict JSON: no NaN or infinity, tuples as lists."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain_json(v) for v in value]
    return value


def rule_descriptor(rule: type[Rule] | Rule) -> dict:
    doc = rule.doc()
    first_paragraph = doc.split("\n\n", 1)[0].replace("\n", " ")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": first_paragraph},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": LEVEL[rule.severity], "enabled": rule.enabled_by_default},
        "properties": {"tags": [rule.group], "fixable": rule.fixable, **({"options": plain_json(rule.defaults)} if rule.defaults else {})},
    }


def fingerprint(d: Diagnostic) -> str:
    """Stable across runs and line moves: rule, file, question and message."""
    return hashlib.sha256("\0".join([d.code, d.file, d.question_id or "", d.message]).encode("utf-8")).hexdigest()[:32]


def result(d: Diagnostic, index: dict[str, int]) -> dict:
    p = d.position
    region = {"startLine": p.line, "startColumn": p.column}
    if p.end_line and p.end_column:
        region.update(endLine=p.end_line, endColumn=p.end_column)
    properties = {"severity": d.severity.value, "evidence": plain_json(d.evidence)}
    if d.question_id:
        properties["questionId"] = d.question_id
    if d.hint:
        properties["hint"] = d.hint
    found = {
        "ruleId": d.code,
        "level": LEVEL[d.severity],
        "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(d.file)}, "region": region}}],
        "partialFingerprints": {"qbankFinding/v1": fingerprint(d)},
        "properties": properties,
    }
    if d.code in index:
        found["ruleIndex"] = index[d.code]
    return found


def document(result_: LintResult, quiet: bool = False) -> dict:
    rules = sorted(result_.rules, key=lambda r: r.code)
    index = {rule.code: i for i, rule in enumerate(rules)}
    diagnostics = [d for d in result_.diagnostics if not quiet or d.severity is Severity.ERROR]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "qbank", "version": __version__, "rules": [rule_descriptor(r) for r in rules]}},
                "invocations": [{"executionSuccessful": True, "exitCode": 1 if result_.errors else 0}],
                "columnKind": "unicodeCodePoints",
                "results": [result(d, index) for d in diagnostics],
            }
        ],
    }


@reporter("sarif")
def report(result_: LintResult, out: TextIO, context: ReportContext) -> None:
    json.dump(document(result_, context.quiet), out, indent=2, ensure_ascii=False, allow_nan=False)
    out.write("\n")
