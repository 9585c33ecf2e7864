"""JUnit XML, which CI servers (GitLab, Jenkins, Azure) show as a test report.

One test suite per file; in it one test case per question, named by its id, and one
``(file)`` case for what concerns the file as a whole (read errors, bank-wide
findings). A case fails when it has an error- or warning-level finding; info-level
findings go to the case's ``system-out``. Built with xml.etree, never by hand.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from typing import TextIO
from xml.etree import ElementTree as ET

from qbank.diagnostics import Diagnostic, Severity
from qbank.engine import LintResult
from qbank.reporters import ReportContext, reporter
from qbank.validated import ValidatedFile

FILE_CASE = "(file)"


def question_cases(file: ValidatedFile) -> list[tuple[int, str]]:
    """(first line, test case name) of every question in the file, valid or not, in order."""
    document = file.loaded.document
    if document is None or not isinstance(document.data, dict) or not isinstance(document.data.get("questions"), list):
        return []
    ids = dict(file.ids)
    cases = []
    for index in range(len(document.data["questions"])):
        line = document.source_map.locate(("questions", index)).line
        cases.append((line, ids.get(index) or f"questions[{index}]"))
    return cases


def _line(d: Diagnostic) -> str:
    p = d.position
    return f"{d.file}:{p.line}:{p.column}: {d.code} {d.severity.value} {d.message}" + (f"\n    hint: {d.hint}" if d.hint else "")


def _case(suite: ET.Element, file_name: str, name: str, found: list[Diagnostic], line: int | None) -> bool:
    case = ET.SubElement(suite, "testcase", {"classname": file_name, "name": name, "file": file_name})
    if line:
        case.set("line", str(line))
    failing = [d for d in found if d.severity is not Severity.INFO]
    notes = [d for d in found if d.severity is Severity.INFO]
    if failing:
        codes = ", ".join(dict.fromkeys(d.code for d in failing))
        failure = ET.SubElement(case, "failure", {"message": f"{len(failing)} finding{'s' if len(failing) != 1 else ''}: {codes}", "type": codes})
        failure.text = "\n".join(_line(d) for d in failing)
    if notes:
        ET.SubElement(case, "system-out").text = "\n".join(_line(d) for d in notes)
    return bool(failing)


def document(result: LintResult, quiet: bool = False) -> ET.Element:
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in result.diagnostics:
        if not quiet or d.severity is Severity.ERROR:
            by_file[d.file].append(d)
    root = ET.Element("testsuites", {"name": "qbank lint"})
    total = failed = 0
    for file in result.bank.files:
        name = file.loaded.name
        cases = question_cases(file)
        starts = [line for line, _ in cases]
        grouped: dict[str, list[Diagnostic]] = defaultdict(list)
        for d in by_file.get(name, []):
            slot = bisect.bisect_right(starts, d.position.line) - 1
            grouped[cases[slot][1] if slot >= 0 else FILE_CASE].append(d)
        suite = ET.SubElement(root, "testsuite", {"name": name})
        failures = int(_case(suite, name, FILE_CASE, grouped[FILE_CASE], None))
        for line, case_name in cases:
            failures += _case(suite, name, case_name, grouped[case_name], line)
        suite.set("tests", str(len(cases) + 1))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        total += len(cases) + 1
        failed += failures
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    return root


@reporter("junit")
def report(result: LintResult, out: TextIO, context: ReportContext) -> None:
    tree = ET.ElementTree(document(result, context.quiet))
    ET.indent(tree)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(tree.getroot(), encoding="unicode"))
    out.write("\n")
