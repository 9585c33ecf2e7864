"""What a preview card shows: one question, rendered, with its lint findings.

The templates receive these plain views and never touch the model, the bank or the
diagnostics directly. Findings attach to a card by question id; the others (a file
that does not parse, a question too broken to validate) go to their file's section.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from markupsafe import Markup

from qbank.bank import BankQuestion
from qbank.diagnostics import Diagnostic, Severity
from qbank.model import MULTIPLE, TRUE_FALSE
from qbank.preview.html import Renderer
from qbank.render import ImageMap

TYPE_LABELS = {"single": "Single answer", MULTIPLE: "Multiple answers", TRUE_FALSE: "True/false"}
STATUS_LABELS = {"error": "Errors", "warning": "Warnings", "info": "Notes", "clean": "Clean"}
_URL = re.compile(r"^https?://\S+$")


@dataclass
class FindingView:
    code: str
    rule: str
    severity: str
    message: str
    hint: str
    file: str
    line: int
    column: int


@dataclass
class OptionView:
    letter: str
    html: Markup
    correct: bool
    why: Markup


@dataclass
class CardView:
    id: str
    anchor: str
    type: str
    type_label: str
    difficulty: str | None
    category: str
    tags: tuple[str, ...]
    source: str | None
    source_url: str | None
    file: str
    line: int
    stem: Markup
    options: list[OptionView]
    explanation: Markup
    findings: list[FindingView] = field(default_factory=list)

    @property
    def status(self) -> str:
        """The worst severity among the findings, or ``clean``."""
        for severity in ("error", "warning", "info"):
            if any(f.severity == severity for f in self.findings):
                return severity
        return "clean"


@dataclass
class FileSection:
    name: str
    findings: list[FindingView]


def finding_view(diagnostic: Diagnostic) -> FindingView:
    p = diagnostic.position
    return FindingView(diagnostic.code, diagnostic.rule_name, diagnostic.severity.value, diagnostic.message,
                       diagnostic.hint, diagnostic.file, p.line, p.column)


def category_title(category: tuple[str, ...]) -> str:
    return " / ".join(category)


def card_view(item: BankQuestion, renderer: Renderer, image_map: ImageMap, anchor: str) -> CardView:
    question = item.question
    document = item.file.loaded.document
    line = document.source_map.locate(("questions", item.index)).line if document else 1
    source = question.source.strip() if question.source else None
    return CardView(
        id=question.id,
        anchor=anchor,
        type=question.type,
        type_label=TYPE_LABELS[question.type],
        difficulty=question.difficulty,
        category=category_title(item.category),
        tags=item.tags,
        source=source,
        source_url=source if source and _URL.match(source) else None,
        file=item.file.loaded.name,
        line=line,
        stem=renderer.block(question.stem, image_map),
        options=[
            OptionView(chr(65 + i), renderer.inline(o.text, image_map), o.correct, renderer.block(o.why, image_map))
            for i, o in enumerate(question.options)
        ],
        explanation=renderer.block(question.explanation, image_map),
    )


def attach_findings(
    cards: list[CardView], diagnostics: list[Diagnostic], files: list[str], hidden: frozenset[str] = frozenset()
) -> list[FileSection]:
    """Give each card its findings; return the rest by file, for ``files`` only.

    Findings of ``hidden`` questions (left out of this preview) are dropped.
    """
    by_id: dict[str, list[CardView]] = defaultdict(list)
    for card in cards:
        by_id[card.id].append(card)
    rest: dict[str, list[FindingView]] = defaultdict(list)
    for diagnostic in diagnostics:
        owners = by_id.get(diagnostic.question_id or "")
        if owners:
            for card in owners:
                card.findings.append(finding_view(diagnostic))
        elif diagnostic.question_id not in hidden and diagnostic.file in files:
            rest[diagnostic.file].append(finding_view(diagnostic))
    return [FileSection(name, rest[name]) for name in files if rest[name]]


def severity_counts(diagnostics: list[Diagnostic]) -> dict[str, int]:
    return {s.value: sum(d.severity is s for d in diagnostics) for s in Severity}
