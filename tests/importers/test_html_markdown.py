"""The HTML to Markdown rule: convert what Markdown says exactly, keep the rest as HTML and say why."""

from __future__ import annotations

import pytest

from qbank.importers.html_markdown import html_to_markdown, moodle_auto_to_html, text_to_markdown
from qbank.render import render_html


@pytest.mark.parametrize("html,markdown", [
    ('<p dir="ltr" style="text-align: left;">Moodle <strong>noise</strong> goes</p>', "Moodle **noise** goes"),
    ("<p>a</p><p>b<br>c</p>", "a\n\nb\\\nc"),
    ("<ol><li>one</li><li>two</li></ol>", "1. one\n2. two"),
    ('<pre><code class="language-python">x = {1}\n</code></pre>', "```python\nx = {1}\n```"),
    ("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td><em>2</em></td></tr></table>", "| a | b |\n| --- | --- |\n| 1 | *2* |"),
    ("<p>H<sub>2</sub>O and x<sup>2</sup></p>", "H<sub>2</sub>O and x<sup>2</sup>"),
    ("<p>\\(a_1 &lt; b_1\\) and $$x_2$$</p>", "\\(a_1 < b_1\\) and $$x_2$$"),
    ('<p><a href="https://example.org">link</a> <img src="images/a.png" alt="A"></p>', "[link](https://example.org) ![A](images/a.png)"),
    ("<p>1. not a list, a_b *c*</p>", "1\\. not a list, a\\_b \\*c\\*"),
    ("<span>bare</span> <div>wrappers</div>", "bare\n\nwrappers"),
])
def test_convertible_html_becomes_markdown(html, markdown):
    converted = html_to_markdown(html)
    assert converted == type(converted)(markdown)


@pytest.mark.parametrize("html,reason", [
    ('<p><span style="color: red;">red</span></p>', 'the attribute style="color: red;" on <span>'),
    ('<table border="1"><tr><td>a</td></tr></table>', 'the attribute border="1" on <table>'),
    ('<table><tr><td colspan="2">a</td></tr></table>', 'the attribute colspan="2" on <td>'),
    ("<table><tr><td><p>a</p><p>b</p></td></tr></table>", "a <p> inside a table cell"),
    ('<p style="text-align: center;">c</p>', 'the style "text-align: center;" on <p>'),
    ('<p dir="rtl">שלום</p>', 'the attribute dir="rtl" on <p>'),
    ('<pre class="brush">x</pre>', 'the class "brush" on <pre>'),
    ('<iframe src="https://example.org"></iframe>', "the element <iframe>"),
    ("<font color=red>x</font>", "the element <font>"),
])
def test_html_markdown_cannot_say_is_kept_as_it_is(html, reason):
    converted = html_to_markdown(html)
    assert (converted.markdown, converted.kept_html) == (html, reason)


def test_converted_markdown_renders_to_the_same_text():
    html = "<p>Costs 5 * 3 = 15 &amp; a_b is <em>fine</em>: # not a heading</p>"
    markdown = html_to_markdown(html).markdown
    assert render_html(markdown) == html


def test_plain_text_and_moodle_auto_format():
    assert text_to_markdown("a * b <i>\nnext\n\npara") == "a \\* b \\<i\\>\\\nnext\n\npara"
    assert moodle_auto_to_html("one line <b>x</b>") == "one line <b>x</b>"
    assert moodle_auto_to_html("a\nb\n\nc") == "<p>a<br>\nb</p><p>c</p>"


@pytest.mark.parametrize("text", ["https://example.com/page", "index.html", "data/train.csv", '<?xml version="1.0"?><a>b</a>'])
def test_a_text_that_looks_like_a_url_file_or_xml_converts_without_a_warning(text, recwarn):
    """Beautiful Soup warns (on the user's terminal) when its input looks like a URL, a file name or an
    XML document; a field's text may well be one, so the importer keeps those warnings to itself."""
    import warnings  # noqa: PLC0415

    warnings.simplefilter("always")
    assert html_to_markdown(text).markdown and text_to_markdown(text)
    assert [str(w.message)[:60] for w in recwarn] == []
