"""What a bank holds: counts by category, tag, type and difficulty, key positions, options, coverage.

``summarise`` returns plain data (the JSON form of ``qbank stats``); ``render_text``
lays it out for people.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from qbank.bank import Bank
from qbank.model import TRUE_FALSE
from qbank.rules.quality._text import letter


def _sorted_counts(counter: Counter) -> dict[str, int]:
    """Most frequent first, then by name, so that output is stable."""
    return {key: count for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))}


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _written_questions(bank: Bank) -> int:
    total = 0
    for file in bank.files:
        document = file.loaded.document
        data = document.data if document is not None else None
        if isinstance(data, dict) and isinstance(data.get("questions"), list):
            total += len(data["questions"])
    return total


def summarise(bank: Bank) -> dict[str, Any]:
    questions = [item.question for item in bank.questions]
    n = len(questions)
    positions: dict[str, Counter] = defaultdict(Counter)
    for q in questions:
        keys = [i for i, o in enumerate(q.options) if o.correct]
        if len(keys) != 1:
            continue
        if q.type == TRUE_FALSE and len(q.options) == 2:
            positions["true_false"][q.options[keys[0]].text.strip().capitalize()] += 1
        elif q.type != TRUE_FALSE:
            positions[f"{len(q.options)} options"][letter(keys[0])] += 1
    wrong = [o for q in questions for o in q.options if not o.correct]
    return {
        "files": len(bank.files),
        "questions": n,
        "invalid_questions": max(0, _written_questions(bank) - n),
        "types": _sorted_counts(Counter(q.type for q in questions)),
        "difficulty": _sorted_counts(Counter(q.difficulty or "unset" for q in questions)),
        "categories": _sorted_counts(Counter(" / ".join(item.category) for item in bank.questions)),
        "tags": _sorted_counts(Counter(tag for item in bank.questions for tag in item.tags)),
        "untagged": sum(not item.tags for item in bank.questions),
        "option_counts": {str(k): v for k, v in sorted(Counter(len(q.options) for q in questions).items())},
        "key_positions": {
            group: dict(sorted(counts.items())) for group, counts in sorted(positions.items(), key=lambda kv: (kv[0] == "true_false", kv[0]))
        },
        "explanation_coverage": {"with": sum(bool(q.explanation and q.explanation.strip()) for q in questions), "of": n,
                                 "share": _share(sum(bool(q.explanation and q.explanation.strip()) for q in questions), n)},
        "why_coverage": {"with": sum(bool(o.why and o.why.strip()) for o in wrong), "of": len(wrong),
                         "share": _share(sum(bool(o.why and o.why.strip()) for o in wrong), len(wrong))},
    }


def _inline(counts: dict[str, int], total: int | None = None) -> str:
    if not counts:
        return "none"
    return " · ".join(f"{key} {value}" + (f" ({value / total:.0%})" if total else "") for key, value in counts.items())


def render_text(summary: dict[str, Any], top_tags: int = 15) -> str:
    n = summary["questions"]
    invalid = summary["invalid_questions"]
    lines = [
        f"{summary['files']} file{'s' if summary['files'] != 1 else ''}, {n} question{'s' if n != 1 else ''}"
        + (f" ({invalid} invalid, not counted; run qbank lint)" if invalid else ""),
        "",
        f"Types         {_inline(summary['types'], n)}",
        f"Difficulty    {_inline(summary['difficulty'], n)}",
        f"Options       {_inline({f'{k} options': v for k, v in summary['option_counts'].items()})}",
    ]
    e, w = summary["explanation_coverage"], summary["why_coverage"]
    lines.append(f"Explanations  {e['with']} of {e['of']} questions ({e['share']:.0%})")
    lines.append(f"Why           {w['with']} of {w['of']} wrong options ({w['share']:.0%})")
    lines += ["", "Key positions (questions with one correct option)"]
    for group, counts in summary["key_positions"].items():
        total = sum(counts.values())
        label = "true/false" if group == "true_false" else group
        lines.append(f"  {label + ':':<14}{_inline(counts, total)}   (n = {total})")
    if not summary["key_positions"]:
        lines.append("  none")
    lines += ["", "Categories"]
    lines += [f"  {count:>6}  {name}" for name, count in summary["categories"].items()] or ["  none"]
    tags = list(summary["tags"].items())
    lines += ["", f"Tags ({len(tags)}; {summary['untagged']} questions untagged)"]
    lines += [f"  {count:>6}  {name}" for name, count in tags[:top_tags]]
    if len(tags) > top_tags:
        lines.append(f"  … and {len(tags) - top_tags} more (--format json lists all)")
    return "\n".join(lines)
