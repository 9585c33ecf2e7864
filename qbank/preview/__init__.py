"""``qbank preview``: a static HTML site of a bank, for authors and reviewers.

The site needs no server and no network: ``index.html`` (every question as a card,
with search and filters that JavaScript adds on top of a page that reads without it),
``summary.html`` (the bank's numbers as inline SVG charts), ``static/`` and ``images/``.
Templates are Jinja2 with autoescaping; author HTML is sanitised before it gets there
(:mod:`qbank.preview.html`).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape

from qbank import __version__
from qbank.assets import Assets
from qbank.engine import LintResult
from qbank.exporters.write import write_atomic
from qbank.preview.cards import STATUS_LABELS, TYPE_LABELS, CardView, attach_findings, card_view, severity_counts
from qbank.preview.charts import bar_chart
from qbank.preview.html import Renderer, pygments_css
from qbank.preview.stats import summarise

STATIC_FILES = ("preview.css", "preview.js")


@dataclass
class Site:
    index: Path
    cards: int
    total: int
    findings: int


def _anchors(ids: list[str]) -> list[str]:
    """``q-<id>``, made unique when a bank repeats an id (a finding says so)."""
    seen: dict[str, int] = {}
    anchors = []
    for question_id in ids:
        seen[question_id] = seen.get(question_id, 0) + 1
        suffix = f"-{seen[question_id]}" if seen[question_id] > 1 else ""
        anchors.append(f"q-{question_id}{suffix}")
    return anchors


def _grouped(cards: list[CardView]) -> list[tuple[str, list[CardView]]]:
    groups: dict[str, list[CardView]] = {}
    for card in cards:
        groups.setdefault(card.category, []).append(card)
    return list(groups.items())


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("qbank.preview", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(version=__version__)
    return env


def build_site(result: LintResult, out: Path, title: str, only: set[str] | None = None,
               changed_since: str | None = None) -> Site:
    """Write the site for ``result`` into ``out``; ``only`` limits the cards to these ids."""
    renderer = Renderer()
    assets = Assets(link=lambda name: "images/" + quote(name))
    shown = [item for item in result.bank.questions if only is None or item.id in only]
    cards = [
        card_view(item, renderer, assets.mapper(item), anchor)
        for item, anchor in zip(shown, _anchors([item.id for item in shown]))
    ]
    shown_files = {item.file.loaded.name for item in shown}
    files = [f.loaded.name for f in result.bank.files if only is None or f.loaded.name in shown_files]
    hidden = frozenset(item.id for item in result.bank.questions) - {card.id for card in cards}
    file_sections = attach_findings(cards, result.diagnostics, files, hidden)

    summary = summarise(result)
    charts = [
        ("keys", "Key position", "How often each letter is the key (true/false left out)", summary.key_positions),
        ("categories", "Questions per category", "Number of questions in each category", summary.per_category),
        ("rules", "Findings per rule", "Lint findings of each rule", summary.per_rule),
    ]
    env = _environment()
    context = dict(
        title=title,
        cards=cards,
        groups=_grouped(cards),
        file_sections=file_sections,
        total=len(result.bank.questions),
        changed_since=changed_since,
        severities=severity_counts(result.diagnostics),
        categories=[(c, c) for c in sorted({c.category for c in cards})],
        tags=[(t, t) for t in sorted({t for c in cards for t in c.tags})],
        types=[(kind, label) for kind, label in TYPE_LABELS.items() if any(c.type == kind for c in cards)],
        statuses=[*STATUS_LABELS.items(), ("findings", "Any finding")],
        summary=summary,
        charts=[(key, name, bar_chart(f"chart-{key}", f"{name}: {desc}", rows), rows) for key, name, desc, rows in charts],
    )
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "index.html", env.get_template("index.html").render(page="index", **context).encode("utf-8"))
    write_atomic(out / "summary.html", env.get_template("summary.html").render(page="summary", **context).encode("utf-8"))
    static = resources.files("qbank.preview") / "static"
    for name in STATIC_FILES:
        write_atomic(out / "static" / name, static.joinpath(name).read_bytes())
    write_atomic(out / "static" / "pygments.css", pygments_css().encode("utf-8"))
    for name, data in assets.files.items():
        write_atomic(out / "images" / name, data)
    return Site(out / "index.html", len(cards), len(result.bank.questions), len(result.diagnostics))
