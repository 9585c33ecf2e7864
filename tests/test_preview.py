"""The HTML preview without a browser: sanitising, math, charts, site files, --changed-since."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree, html

from qbank.cli import main
from qbank.config import Config
from qbank.discovery import discover
from qbank.engine import lint
from qbank.preview import build_site
from qbank.preview.charts import bar_chart
from qbank.preview.html import Renderer, mathml, sanitise
from qbank.preview.stats import summarise
from tests.conftest import ROOT

QUESTION = """\
  - id: {id}
    stem: "{stem}"
    explanation: Because.
    options:
      - text: Right
        correct: true
      - text: Wrong
        why: It is not.
"""


def _bank(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _questions(*pairs: tuple[str, str]) -> str:
    return "questions:\n" + "".join(QUESTION.format(id=i, stem=s) for i, s in pairs)


def test_sanitise_removes_scripts_handlers_and_borrowed_ui_classes():
    clean = str(sanitise('<p onclick="x()">a<script>alert(1)</script><img src="x" onerror="alert(2)">'
                         '<span class="qb-badge qb-badge--key k">fake key</span><a href="javascript:alert(3)">l</a></p>'))
    assert "<script" not in clean and "alert" not in clean and "onclick" not in clean
    assert '<img src="x">' in clean
    assert '<span class="k">fake key</span>' in clean


def test_renderer_highlights_code_and_writes_mathml():
    out = str(Renderer().block("```python\nimport keras\n```\n\nInline \\(h_t\\) and\n\n$$ c_t = f_t \\odot c_{t-1} $$"))
    assert '<span class="kn">import</span>' in out
    assert '<math display="inline">' in out and '<math display="block">' in out
    assert "<msub>" in out


def test_tex_that_cannot_be_converted_is_shown_as_code():
    assert mathml("\\frac{", display=False) == '<code class="tex">\\(\\frac{\\)</code>'
    assert "<mtext>input_dim</mtext>" in mathml("\\text{input\\_dim}", display=False)


def test_bar_chart_is_svg_with_a_title_and_proportional_bars():
    svg = etree.fromstring(str(bar_chart("c", "Keys", [("A", 10), ("B", 5), ("C", 0)])))
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c-title"
    assert svg.findtext("s:title", namespaces=ns) == "Keys"
    widths = [float(r.get("width")) for r in svg.iterfind(".//s:rect", ns)]
    assert widths[0] == 2 * widths[1] and widths[2] == 0


def test_summary_counts_key_positions_categories_and_rules(tmp_path):
    _bank(tmp_path, {"a/x.yaml": _questions(("q1", "One?"), ("q2", "Two?")),
                     "b/y.yaml": "questions:\n  - id: q3\n    stem: Three?\n    options:\n"
                                 "      - text: No\n      - text: Yes\n        correct: true\n"})
    summary = summarise(lint(discover([tmp_path]), Config()))
    assert summary.key_positions == [("A", 2), ("B", 1)]
    assert summary.per_category == [("a", 2), ("b", 1)]
    assert ("QB109 missing-why", 1) in summary.per_rule


def _site(folder: Path, out: Path, only=None, ref=None):
    result = lint(discover([folder]), Config())
    return result, build_site(result, out, "Test", only, ref)


def test_site_files_findings_and_images(tmp_path):
    bank = _bank(tmp_path / "bank", {
        "good.yaml": _questions(("q1", "See ![cell](img/cell.png)"), ("q2", "Plain")),
        "img/cell.png": "not really a png",
        "broken.yaml": "questions: [oops\n",
        "why.yaml": "questions:\n  - id: q3\n    stem: S\n    explanation: E\n    options:\n"
                    "      - text: A\n        correct: true\n      - text: B\n",
    })
    _, site = _site(bank, tmp_path / "out")
    out = tmp_path / "out"
    for name in ("index.html", "summary.html", "static/preview.css", "static/preview.js", "static/pygments.css"):
        assert (out / name).is_file(), name
    images = list((out / "images").iterdir())
    assert [p.read_text() for p in images] == ["not really a png"]
    page = html.fromstring((out / "index.html").read_bytes())
    assert page.xpath('//article[@id="q-q1"]//img/@src') == [f"images/{images[0].name}"]
    assert page.xpath('//article[@id="q-q3"]//li[contains(@class, "qb-finding--error")]//code/text()') == ["QB109"]
    assert not page.xpath('//article[@id="q-q1"]//li[contains(@class, "qb-finding")]')
    files = page.xpath('//section[contains(@class, "qb-file")]//h3/code/text()')
    assert len(files) == 1 and files[0].endswith("broken.yaml")
    assert site.cards == 3


def test_two_builds_give_identical_files(tmp_path):
    _site(ROOT / "banks", tmp_path / "one")
    _site(ROOT / "banks", tmp_path / "two")
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    folder = _bank(tmp_path / "repo", {
        "banks/a.yaml": _questions(("same", "Unchanged?"), ("edited", "Before?")),
        "banks/b.yaml": "category: Old\n" + _questions(("moved-category", "Where?")),
    })
    _git(folder, "init", "-q")
    _git(folder, "add", ".")
    _git(folder, "commit", "-qm", "start")
    _bank(folder, {
        "banks/a.yaml": _questions(("same", "Unchanged?"), ("edited", "After?"), ("added", "New?")),
        "banks/b.yaml": "category: New\n" + _questions(("moved-category", "Where?")),
        "banks/c.yaml": _questions(("new-file", "Also new?")),
    })
    return folder


def _preview(*args: str):
    return CliRunner().invoke(main, ["preview", *args])


def test_changed_since_shows_only_new_and_changed_questions(repo, tmp_path):
    result = _preview(str(repo / "banks"), "--out", str(tmp_path / "out"), "--changed-since", "HEAD")
    assert result.exit_code == 0, result.output
    page = html.fromstring((tmp_path / "out" / "index.html").read_bytes())
    shown = sorted(page.xpath("//article/@id"))
    assert shown == ["q-added", "q-edited", "q-moved-category", "q-new-file"]
    assert "4 of 5 questions changed since HEAD" in result.output


def test_changed_since_an_unknown_revision_is_a_usage_error(repo, tmp_path):
    result = _preview(str(repo / "banks"), "--out", str(tmp_path / "out"), "--changed-since", "no-such-branch")
    assert result.exit_code == 2
    assert "'no-such-branch' is not a commit, branch or tag" in result.output
    assert not (tmp_path / "out").exists()


def test_changed_since_outside_git_is_a_usage_error(tmp_path):
    bank = _bank(tmp_path / "plain", {"a.yaml": _questions(("q", "Q?"))})
    result = _preview(str(bank), "--out", str(tmp_path / "out"), "--changed-since", "HEAD")
    assert result.exit_code == 2
    assert "not inside a git repository" in result.output


def test_preview_of_a_missing_path_is_a_usage_error(tmp_path):
    result = _preview(str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "no such file or folder" in result.output
