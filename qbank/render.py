"""Markdown to HTML for every export, through markdown-it-py.

Math passes through untouched for MathJax: inline ``\\( … \\)`` and display
``$$ … $$`` (also ``\\[ … \\]``) come out with the same delimiters and their TeX
HTML-escaped but otherwise unchanged. Fenced code gets ``class="language-x"``.
Local image paths can be rewritten by the caller (Moodle's ``@@PLUGINFILE@@``,
Anki's media names, Canvas's ``$IMS-CC-FILEBASE$``), in Markdown images and in ``<img>`` tags alike.

Raw HTML is shown as text, except a few harmless tags (:data:`SAFE_TAGS`, with
only the attributes listed there). So an option ``<script>`` or ``<div>`` reads
literally as written, on every platform, and nothing in a bank can run script.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
import re
from html import escape

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.texmath import texmath_plugin

from qbank.markdown import HTML_ATTRIBUTE, HTML_COMMENT, HTML_TAG, IMG_ATTRIBUTES, attribute_value, is_local

ImageMap = Callable[[str], str]
DISPLAY_DOLLARS = ("$$", "$$")
DISPLAY_BRACKETS = ("\\[", "\\]")
"""Display-math delimiters: MathJax in Moodle takes both; Anki only ``\\[ … \\]``."""


def _math_inline(self, tokens, idx, options, env) -> str:
    return "\\(" + escape(tokens[idx].content.strip(), quote=False) + "\\)"


def _math_display_inline(self, tokens, idx, options, env) -> str:
    start, end = env.get("display_math") or DISPLAY_DOLLARS
    return start + escape(tokens[idx].content.strip(), quote=False) + end


def _math_block(self, tokens, idx, options, env) -> str:
    start, end = env.get("display_math") or DISPLAY_DOLLARS
    return "<p>" + start + escape(tokens[idx].content.strip("\n"), quote=False) + end + "</p>\n"


SAFE_TAGS: dict[str, frozenset[str]] = {
    "br": frozenset(), "b": frozenset(), "i": frozenset(), "em": frozenset(), "strong": frozenset(),
    "sub": frozenset(), "sup": frozenset(), "kbd": frozenset(), "u": frozenset(),
    "mark": frozenset(), "small": frozenset(), "img": IMG_ATTRIBUTES,
}
"""Raw HTML tags kept as HTML, with the attributes each may carry. Everything else is text."""

_SAFE_URL = re.compile(r"^(https?:|data:image/)", re.IGNORECASE)


def _safe_tag(match: re.Match, image_map: ImageMap | None) -> str | None:
    """The tag as HTML when it is on the safe list (``src`` mapped), else None.

    The whole tag is checked before any ``src`` is mapped: a tag shown as text is no image,
    and an export must not go looking for its file."""
    name = match["name"].lower()
    allowed = SAFE_TAGS.get(name)
    if allowed is None:
        return None
    if match["close"]:
        return f"</{name}>" if not match["attrs"].strip() else None
    attributes = [(attr.lower(), attribute_value(raw)) for attr, raw in HTML_ATTRIBUTE.findall(match["attrs"])]
    for attr, value in attributes:
        if attr not in allowed or (attr == "src" and not is_local(value) and not _SAFE_URL.match(value)):
            return None
    out = [name]
    for attr, value in attributes:
        if attr == "src" and value and is_local(value) and image_map:
            value = image_map(value)
        out.append(f'{attr}="{escape(value)}"')
    return "<" + " ".join(out) + ">"


def raw_html(content: str, image_map: ImageMap | None = None) -> str:
    """Raw HTML from Markdown: safe tags kept, comments dropped, everything else as text."""
    content = HTML_COMMENT.sub("", content)
    out, last = [], 0
    for match in HTML_TAG.finditer(content):
        kept = _safe_tag(match, image_map)
        if kept is not None:
            out.append(escape(content[last : match.start()], quote=False) + kept)
            last = match.end()
    out.append(escape(content[last:], quote=False))
    return "".join(out)


def _html_inline(self, tokens, idx, options, env) -> str:
    return raw_html(tokens[idx].content, env.get("image_map"))


def _html_block(self, tokens, idx, options, env) -> str:
    html = raw_html(tokens[idx].content, env.get("image_map")).strip()
    return f"<p>{html}</p>\n" if html else ""


def _image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    src = str(token.attrs.get("src", ""))
    mapper: ImageMap | None = env.get("image_map")
    if mapper is not None and is_local(src):
        token.attrs["src"] = mapper(src)
    return self.image(tokens, idx, options, env)


_INLINE_DISPLAY = re.compile(r"\\\[(.+?)\\\]", re.S)


def _display_brackets_inline(state, silent: bool) -> bool:
    """``\\[ … \\]`` inside a paragraph is display math too, not two escaped brackets."""
    if not state.src.startswith("\\[", state.pos):
        return False
    match = _INLINE_DISPLAY.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("math_inline_double", "math", 0)
        token.content = match.group(1)
        token.markup = "\\["
    state.pos = match.end()
    return True


def markdown_parser() -> MarkdownIt:
    """A new parser with qbank's settings and render rules; callers (the preview) may override rules."""
    md = (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .use(texmath_plugin, delimiters="brackets")
        .use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
    )
    md.inline.ruler.before("escape", "math_inline_brackets", _display_brackets_inline)
    md.add_render_rule("math_inline", _math_inline)
    md.add_render_rule("math_inline_double", _math_display_inline)
    md.add_render_rule("math_single", _math_inline)
    md.add_render_rule("math_block", _math_block)
    md.add_render_rule("math_block_eqno", _math_block)
    md.add_render_rule("image", _image)
    md.add_render_rule("html_inline", _html_inline)
    md.add_render_rule("html_block", _html_block)
    return md


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return markdown_parser()


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;:?'\"()/%+-]*[A-Za-z0-9,.;:?'\"()/%+-]|[A-Za-z]")
"""One line of words and punctuation that no Markdown rule touches: it renders as an escaped paragraph."""

_SIMPLE_TOKEN = re.compile(
    r"(?P<text>[A-Za-z0-9 ,.;:?'\"()/%+-]+)"
    r"|`(?P<code>[^`\n ](?:[^`\n]*[^`\n ])?)`(?!`)"
    r"|\\\((?P<math>(?:(?!\\\))[^`\n])+)\\\)"
    r"|\*\*(?P<strong>[A-Za-z0-9]+)\*\*"
    r"|\*(?P<em>[A-Za-z0-9]+)\*"
)
_LINE_START = re.compile(r"[A-Za-z`]|\\\(|[0-9](?![0-9]*[.)](?: |$))|\*{1,2}[A-Za-z0-9]")
"""A line that starts a paragraph: not a list item, heading, quote, fence or indented code."""
_FENCE_INFO = re.compile(r"[A-Za-z0-9_+-]*")
"""A fenced block's language, when markdown-it would put it in the class as it is."""
_BEFORE_EMPHASIS = frozenset(" (")
_AFTER_EMPHASIS = frozenset(" .,;:?!)")


def _escape_code(text: str) -> str:
    """Code as markdown-it escapes it: ``& < > "``, not the apostrophe."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _simple_line(line: str) -> str | None:
    """The inline HTML of one line that uses only plain words, code spans, inline math and
    simple emphasis (``*word*``, ``**word**`` between spaces), exactly as markdown-it renders
    it; None for anything else. tests/test_render.py checks it against markdown-it."""
    if not line or line[-1] == " " or not _LINE_START.match(line):
        return None
    out, at = [], 0
    while at < len(line):
        match = _SIMPLE_TOKEN.match(line, at)
        if match is None:
            return None
        kind, value = match.lastgroup, match.group(match.lastgroup)
        if kind == "text":
            out.append(value.replace('"', "&quot;"))
        elif kind == "code":
            out.append("<code>" + _escape_code(value) + "</code>")
        elif kind == "math":
            if not value.strip():
                return None
            out.append("\\(" + escape(value.strip(), quote=False) + "\\)")
        else:
            before, after = line[at - 1 : at], line[match.end() : match.end() + 1]
            if before and before not in _BEFORE_EMPHASIS or after and after not in _AFTER_EMPHASIS:
                return None
            tag = "strong" if kind == "strong" else "em"
            out.append(f"<{tag}>{value}</{tag}>")
        at = match.end()
    return "".join(out)


def _simple_fence(lines: list[str]) -> str | None:
    """A block fenced by lines of three backticks (no blank line, no backticks inside), as markdown-it renders it."""
    if len(lines) < 2 or lines[-1] != "```" or not _FENCE_INFO.fullmatch(lines[0][3:]):
        return None
    body = lines[1:-1]
    if any("```" in line for line in body):
        return None  # a line of backticks might close the fence
    language = lines[0][3:]
    code = "".join(_escape_code(line) + "\n" for line in body)
    return (f'<pre><code class="language-{language}">' if language else "<pre><code>") + code + "</code></pre>"


def _simple_block(block: str) -> str | None:
    """One block between blank lines, as markdown-it renders it, if it is a paragraph of simple lines
    (see :func:`_simple_line`), a tight list of them (``- item``) or a fenced block; else None."""
    lines = block.split("\n")
    if block.startswith("```"):
        return _simple_fence(lines)
    if block.startswith("- "):
        items = [_simple_line(line[2:]) if line.startswith("- ") else None for line in lines]
        if None in items:
            return None
        return "<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>"
    inline = [_simple_line(line) for line in lines]
    if None in inline:
        return None
    return "<p>" + "\n".join(inline) + "</p>"  # type: ignore[arg-type]


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
"""Control characters (tab and NUL among them) other than the line feed: left to markdown-it."""


def _simple_markdown(text: str) -> str | None:
    """Blocks of simple Markdown (see :func:`_simple_block`) as markdown-it renders them, else None."""
    if _CONTROL.search(text):
        return None
    blocks = []
    after_list = False
    for block in text.rstrip("\n").split("\n\n"):
        is_list = block.startswith("- ")
        if is_list and after_list:
            return None  # items apart: one loose list, whose items are paragraphs
        html = _simple_block(block)
        if html is None:
            return None
        blocks.append(html)
        after_list = is_list
    return "\n".join(blocks)


def render_html(
    text: str | None, image_map: ImageMap | None = None, display_math: tuple[str, str] = DISPLAY_DOLLARS
) -> str:
    """Render Markdown to an HTML fragment (trailing newline stripped)."""
    if not text:
        return ""
    if _PLAIN.fullmatch(text):
        return "<p>" + text.replace('"', "&quot;") + "</p>"
    simple = _simple_markdown(text)
    if simple is not None:
        return simple
    return _markdown().render(text, {"image_map": image_map, "display_math": display_math}).strip()


def render_inline(
    text: str | None, image_map: ImageMap | None = None, display_math: tuple[str, str] = DISPLAY_DOLLARS
) -> str:
    """Render a one-paragraph text (an option) without the wrapping ``<p>``."""
    html = render_html(text, image_map, display_math)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
