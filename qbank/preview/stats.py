"""The few bank numbers the summary page charts, computed from a lint result.

- key positions: how often the key is option A, B, C … (single and multiple-answer
  questions; true/false has a fixed order). A bank whose keys pile up on one letter
  teaches test-wise learners to guess it.
- questions per category, and findings per rule.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from qbank.engine import LintResult
from qbank.model import TRUE_FALSE
from qbank.preview.cards import TYPE_LABELS, category_title


@dataclass
class Summary:
    questions: int
    files: int
    by_type: list[tuple[str, int]]
    by_difficulty: list[tuple[str, int]]
    key_positions: list[tuple[str, int]]
    per_category: list[tuple[str, int]]
    per_rule: list[tuple[str, int]]
    per_severity: list[tuple[str, int]] = field(default_factory=list)


def summarise(result: LintResult) -> Summary:
    questions = [item.question for item in result.bank.questions]
    keys: Counter[int] = Counter()
    widest = 0
    for question in questions:
        if question.type == TRUE_FALSE:
            continue
        widest = max(widest, len(question.options))
        keys.update(i for i, option in enumerate(question.options) if option.correct)
    types = Counter(q.type for q in questions)
    difficulties = Counter(q.difficulty or "not set" for q in questions)
    categories = Counter(category_title(item.category) for item in result.bank.questions)
    rules = Counter(f"{d.code} {d.rule_name}".strip() for d in result.diagnostics)
    severities = Counter(d.severity.value for d in result.diagnostics)
    return Summary(
        questions=len(questions),
        files=len(result.bank.files),
        by_type=[(label, types[kind]) for kind, label in TYPE_LABELS.items() if types[kind]],
        by_difficulty=[(d, difficulties[d]) for d in ("easy", "medium", "hard", "not set") if difficulties[d]],
        key_positions=[(chr(65 + i), keys[i]) for i in range(widest)],
        per_category=sorted(categories.items()),
        per_rule=sorted(rules.items()),
        per_severity=[(s, severities[s]) for s in ("error", "warning", "info")],
    )
