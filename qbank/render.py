"""Markdown to HTML for every export, through markdown-it-py.

Math passes through untouched for MathJax: inline ``\\( … \\)`` and display
``$$ … $$`` (also ``\\[ … \\]``) come out with the same delimiters and their TeX
HTML-escaped but otherwise unchanged. Fenced code gets ``class="language-x"``.
Local image paths can be rewritten by the caller (Moodle's ``@@PLUGINFILE@@``,
Anki's media names, Canvas's ``$IMS-CC-FILEBASE$``), in Markdown images and in
``<img src>`` of raw HTML alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from html import escape

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.texmath import texmath_plugin

from qbank.markdown import is_local

ImageMap = Callable[[str], str]

_HTML_IMG_SRC = re.compile(r"(<img\b[^>]*?\bsrc\s*=\s*)([\"'])([^\"']+)\2", re.IGNORECASE)


def _math_inline(self, tokens, idx, options, env) -> str:
    return "\\(" + escape(tokens[idx].content.strip(), quote=False) + "\\)"


def _math_display_inline(self, tokens, idx, options, env) -> str:
    return "$$" + escape(tokens[idx].content.strip(), quote=False) + "$$"


def _math_block(self, tokens, idx, options, env) -> str:
    return "<p>$$" + escape(tokens[idx].content.strip("\n"), quote=False) + "$$</p>\n"


def _image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    src = str(token.attrs.get("src", ""))
    mapper: ImageMap | None = env.get("image_map")
    if mapper is not None and is_local(src):
        token.attrs["src"] = mapper(src)
    return self.image(tokens, idx, options, env)


def _html(self, tokens, idx, options, env) -> str:
    """Raw HTML as written, with the ``src`` of its local images mapped."""
    content = tokens[idx].content
    mapper: ImageMap | None = env.get("image_map")
    if mapper is None or "<img" not in content.lower():
        return content

    def replace(match: re.Match) -> str:
        src = match.group(3)
        return match.group(1) + match.group(2) + (mapper(src) if is_local(src) else src) + match.group(2)

    return _HTML_IMG_SRC.sub(replace, content)


def markdown_parser() -> MarkdownIt:
    """A new parser with qbank's settings and render rules; callers may override rules."""
    md = (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .use(texmath_plugin, delimiters="brackets")
        .use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
    )
    md.add_render_rule("math_inline", _math_inline)
    md.add_render_rule("math_inline_double", _math_display_inline)
    md.add_render_rule("math_single", _math_inline)
    md.add_render_rule("math_block", _math_block)
    md.add_render_rule("math_block_eqno", _math_block)
    md.add_render_rule("image", _image)
    md.add_render_rule("html_inline", _html)
    md.add_render_rule("html_block", _html)
    return md


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return markdown_parser()


def render_html(text: str | None, image_map: ImageMap | None = None) -> str:
    """Render Markdown to an HTML fragment (trailing newline stripped)."""
    if not text:
        return ""
    return _markdown().render(text, {"image_map": image_map}).strip()


def render_inline(text: str | None, image_map: ImageMap | None = None) -> str:
    """Render a one-paragraph text (an option) without the wrapping ``<p>``."""
    html = render_html(text, image_map)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
