"""Markdown to HTML for exports: raw HTML is text unless it is a harmless tag."""

from __future__ import annotations

import pytest

from qbank.markdown import image_sources, is_local
from qbank.render import DISPLAY_BRACKETS, render_html, render_inline


@pytest.mark.parametrize(
    "markdown,html",
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("a <div>b</div>", "<p>a &lt;div&gt;b&lt;/div&gt;</p>"),
        ('<img src="x.png" onerror="alert(1)">', '<p>&lt;img src="x.png" onerror="alert(1)"&gt;</p>'),
        ('<img src="javascript:alert(1)">', '<p>&lt;img src="javascript:alert(1)"&gt;</p>'),
        ("H<sub>2</sub>O and <b>bold</b><br>", "<p>H<sub>2</sub>O and <b>bold</b><br></p>"),
        ("<!-- a note --> text", "<p>text</p>"),
    ],
)
def test_raw_html(markdown, html):
    assert render_html(markdown) == html


def test_image_sources_are_mapped_in_markdown_and_in_img_tags():
    mapped = render_html('![a](pics/x.png) <img src="pics/y.png" width="20"> ![b](https://e.org/z.png)', lambda s: "M/" + s)
    assert 'src="M/pics/x.png"' in mapped and 'src="M/pics/y.png"' in mapped
    assert 'src="https://e.org/z.png"' in mapped


def test_math_passes_through_with_chosen_display_delimiters():
    assert render_html("$$x<y$$") == "<p>$$x&lt;y$$</p>"
    assert render_html("$$x<y$$", display_math=DISPLAY_BRACKETS) == "<p>\\[x&lt;y\\]</p>"
    assert render_inline("\\(a_1\\)") == "\\(a_1\\)"


def test_code_and_tables():
    assert '<code class="language-python">' in render_html("```python\nx = 1\n```")
    assert "<table>" in render_html("| a |\n|---|\n| b |")


from hypothesis import given, settings, strategies as st  # noqa: E402

from qbank.render import _PLAIN, _markdown  # noqa: E402


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="Aa1 ,.;:?'\"()/%+-", min_size=1, max_size=40).map(lambda s: "W" + s))
def test_plain_text_shortcut_matches_markdown_it(text):
    """The fast path for plain one-line text gives exactly what markdown-it gives."""
    if _PLAIN.fullmatch(text):
        assert render_html(text) == _markdown().render(text, {}).strip()


def test_display_math_in_brackets_inside_a_paragraph_keeps_its_delimiters():
    """``\\[ … \\]`` mid-sentence is math, not two escaped brackets: the TeX must reach MathJax."""
    html = render_html(r"The loss \[L = -y \log p\] is minimised; \[ alone stays a bracket")
    assert "$$L = -y \\log p$$" in html
    assert "[ alone stays a bracket" in html


_PIECES = st.sampled_from(
    ["word", "Word", "x", "1", "2.5", " ", "  ", ",", ".", "?", ":", ";", "'", '"', "(", ")", "/", "%", "+", "-",
     "`code`", "`a < b & \"c\"`", "` x `", "``", "`", "\\(x\\)", "\\( a<b \\)", "\\(\\)", "\\( \\)", "\\)", "\\(",
     "*", "**", "*em*", "**strong**", "***", "_", "$", "<b>", "&amp;", "é", "\n", "\n\n", "\n\n\n", "- ", "1. ", "1)", "2.", "12", "# ", "    ",
     "```", "```python\n", "\n```", "\n```\n", "````", "'", "\t", "\n- ", "\n\n- ", "- item", "*Lead* word", "**B**"]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=14).map("".join))
def test_simple_markdown_shortcut_matches_markdown_it(text):
    """The fast path for words, code spans, inline math and simple emphasis (one or more
    paragraphs) gives exactly what markdown-it gives, or stands aside."""
    assert render_html(text) == _markdown().render(text, {}).strip()


def test_the_shortcut_covers_the_common_inline_markup():
    from qbank.render import _simple_markdown  # noqa: PLC0415

    text = 'Call `fit(x, y)` with \\(n \\times d\\) inputs, **not** *one*.\n\nThen "evaluate".'
    assert _simple_markdown(text) == _markdown().render(text, {}).strip()
    assert _simple_markdown("1. an ordered list") is None and _simple_markdown("a <b>tag</b>") is None


@pytest.mark.parametrize("text", [
    "Before:\n\n- one `x`\n- *two*\n\nAfter.",
    "```python\nx = f('a', \"b\") < 3 & y\n```",
    "Code:\n\n```\nplain\n  indented\n```\n\nThe end?\n",
    "```\n```",
    "*Lead* emphasis and **strong** words.",
])
def test_the_shortcut_covers_lists_fences_and_leading_emphasis(text):
    from qbank.render import _simple_markdown  # noqa: PLC0415

    assert _simple_markdown(text) is not None
    assert _simple_markdown(text) == _markdown().render(text, {}).strip()


@pytest.mark.parametrize("text", [
    "```\n````\n```", "```\n   ```\n```", "```\nx\n``` ", "```js x\ncode\n```", "```\ncode", "```\n\ncode\n```",
    "- a\n-b", "- a\n  b", "- a\n- \n- b", "- a\n\n- b", "-  a", "- a\nb", "*a", "**a* b", "* a", "***a***",
])
def test_the_shortcut_stands_aside_where_markdown_it_differs(text):
    """Near misses of the simple blocks: whatever the shortcut does, the result is markdown-it's."""
    assert render_html(text) == _markdown().render(text, {}).strip()


_IMAGE_PIECES = st.sampled_from([
    "<img", "<IMG", " src=", ' src="', " src='", "a.png", "b c.png", '"', "'", " alt=x", ' alt="y z"', " width=3",
    " onerror=x", " class=c", ">", "/>", "<!--", "-->", "![m](d.png)", "![n](<e f.png>)", "https://x.org/i.png",
    " word", "\n", "\n\n", "`", "<b>", "</b>", "<", "=",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_IMAGE_PIECES, min_size=1, max_size=16).map("".join))
def test_lint_finds_exactly_the_local_images_the_exports_read(text):
    """QB111 and the exports' media (image_sources) must list the very images the renderer shows: an image
    lint does not know fails the export, and one the renderer shows as text is no image to report."""
    mapped: list[str] = []
    render_html(text, image_map=lambda src: mapped.append(src) or src)
    assert [src for src in image_sources(text) if is_local(src)] == mapped
