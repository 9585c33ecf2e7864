"""The HTML preview in a real browser: Debian's headless Chromium driven by Playwright.

Playwright never downloads a browser here: it drives /usr/bin/chromium, which
``make test`` installs when it can. Without it the tests skip and say why.
Screenshots go to tests/artifacts/ (ignored by git) for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qbank.cli import main
from qbank.discovery import discover
from qbank.engine import load_bank
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PLANTED_WHY = 'why: That is what `padding="post"` does. You have to ask for it, because the default is `"pre"`.'
PLANTED_STEM = "What is the effect of `num_words=10000`"
HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> '

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make test tries) to run the browser tests",
                allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def _preview(paths: list[Path], out: Path) -> Path:
    result = CliRunner().invoke(main, ["preview", *map(str, paths), "--out", str(out), "--title", "Test preview"])
    assert result.exit_code == 0, result.output
    return out / "index.html"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("preview")
    clean = _preview([ROOT / "banks"], base / "clean")
    copy = base / "banks"
    shutil.copytree(ROOT / "banks", copy)
    path = copy / "sentiment-rnn" / "preprocessing.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(PLANTED_WHY) == 1
    path.write_text(text.replace(PLANTED_WHY, ""), encoding="utf-8")  # pad-sequences-default-padding, option B
    path = copy / "sentiment-rnn" / "evaluation.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(PLANTED_STEM) == 1
    path.write_text(text.replace(PLANTED_STEM, HOSTILE + PLANTED_STEM), encoding="utf-8")  # imdb-num-words
    hostile = _preview([copy], base / "hostile")
    return clean, hostile


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        # launch() gives every run a fresh temporary profile (user-data-dir).
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_(url: Path, javascript: bool = True):
        context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.goto(url.as_uri())
        return page

    yield open_
    for context in contexts:
        context.close()


def test_every_question_has_a_card_and_no_console_error(sites, open_page):
    page = open_page(sites[0])
    bank = load_bank(discover([ROOT / "banks"]))
    assert page.locator("article.qb-card").count() == len(bank.questions) == 33
    assert sorted(page.locator("article.qb-card h3").all_inner_texts()) == sorted(q.id for q in bank.questions)
    assert page.locator("#qb-filters").is_visible()  # the script ran
    summary = open_page(sites[0].parent / "summary.html")
    assert summary.locator("svg.qb-chart").count() == 2  # keys and categories; no finding to chart
    summary.screenshot(path=str(_artifact("preview-summary.png")), full_page=True)
    assert page.problems == [] and summary.problems == []


def test_the_key_is_marked_in_words_not_colour_alone(sites, open_page):
    page = open_page(sites[0])
    for item in load_bank(discover([ROOT / "banks"])).questions:
        card = page.locator(f'article.qb-card[id="q-{item.id}"]')
        keys = card.locator("li.qb-option--key")
        letters = [chr(65 + i) for i, o in enumerate(item.question.options) if o.correct]
        assert keys.count() == len(letters), item.id
        for index, letter in enumerate(letters):
            text = keys.nth(index).inner_text()
            assert text.startswith(f"{letter}.") and "Key" in text, item.id


def test_code_is_highlighted_and_styled(sites, open_page):
    page = open_page(sites[0])
    code = page.locator('[id="q-lstm-parameter-count-code"] pre code')
    keyword = code.locator("span.kn").first  # "import"
    assert keyword.inner_text() == "import"
    colours = code.evaluate(
        "c => [getComputedStyle(c).color, getComputedStyle(c.querySelector('span.kn')).color]"
    )
    assert colours[0] != colours[1], colours


def test_math_is_laid_out_as_mathml(sites, open_page):
    page = open_page(sites[0])
    card = page.locator('[id="q-lstm-parameter-count-code"]')
    math = card.locator('math[display="block"]').first
    assert math.evaluate("m => m.namespaceURI") == "http://www.w3.org/1998/Math/MathML"
    box = math.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 10, box
    assert "units" in math.text_content()
    assert page.locator("code.tex").count() == 0  # every formula of the bank converted
    card.screenshot(path=str(_artifact("preview-card-code-math.png")))


def test_filters_search_and_type(sites, open_page):
    page = open_page(sites[0])
    page.fill("#qb-search", "forget gate")
    visible = page.locator("article.qb-card:visible")
    assert visible.count() >= 1 and all("forget" in t.lower() for t in visible.all_inner_texts())
    page.fill("#qb-search", "")
    page.select_option("#qb-type", "true_false")
    assert page.locator("article.qb-card:visible").count() == 5
    assert page.locator("#qb-count").inner_text() == "Showing 5 of 33 questions."


def test_pages_read_without_javascript(sites, open_page):
    page = open_page(sites[0], javascript=False)
    assert page.locator("#qb-filters").is_hidden()
    assert page.locator("article.qb-card:visible").count() == 33
    assert page.locator("li.qb-option--key:visible").count() >= 33
    page.screenshot(path=str(_artifact("preview-index-nojs.png")))


def test_keyboard_focus_is_visible(sites, open_page):
    page = open_page(sites[0])
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.className, getComputedStyle(document.activeElement).outlineStyle]"
    )
    assert focused == ["qb-skip", "solid"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_a_lint_finding_shows_on_its_own_card_only(sites, open_page):
    page = open_page(sites[1])
    card = page.locator('[id="q-pad-sequences-default-padding"]')
    finding = card.locator(".qb-finding--error")
    assert finding.count() == 1
    assert "QB109" in finding.inner_text() and "option B" in finding.inner_text()
    assert card.get_attribute("data-status") == "error"
    assert page.locator("article.qb-card", has_text="QB109").count() == 1
    page.select_option("#qb-status", "error")
    assert page.locator("article.qb-card:visible").count() == 1
    card.screenshot(path=str(_artifact("preview-card-finding.png")))


def test_a_script_in_a_stem_does_not_run(sites, open_page):
    page = open_page(sites[1])
    assert page.evaluate("() => typeof window.pwned") == "undefined"
    card = page.locator('[id="q-imdb-num-words"]')
    assert card.locator("script").count() == 0
    images = card.locator("img")
    assert all(images.nth(i).get_attribute("onerror") is None for i in range(images.count()))
    # The author's HTML is shown as text, never as live elements.
    assert "<script>window.pwned=1</script>" in card.inner_text()
    assert page.locator("script").count() == 1  # the preview's own, nothing else
    page.screenshot(path=str(_artifact("preview-index.png")), full_page=False)


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
