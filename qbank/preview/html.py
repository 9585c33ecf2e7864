"""Markdown to safe HTML for the preview: highlighted code, MathML, sanitised.

Everything is done on the server side, so a page reads without JavaScript:

- fenced code is highlighted by Pygments (``<span class="k">`` … styled by pygments.css);
- TeX between ``\\( \\)``, ``$$ $$`` or ``\\[ \\]`` becomes MathML through latex2mathml,
  which browsers lay out natively; TeX it cannot convert is shown as code;
- the result is cleaned by nh3 (ammonia) with an allow-list, because a bank may come
  from a stranger: a ``<script>`` or an ``onerror=`` never reaches the page, and an
  author cannot borrow the preview's own ``qb-`` classes to fake a key mark.
"""

from __future__ import annotations

import re
from html import escape

import nh3
from latex2mathml.converter import convert as tex_to_mathml
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from qbank.render import ImageMap, markdown_parser

PYGMENTS_STYLE = "default"
UI_CLASS_PREFIX = "qb-"

MATHML_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup",
    "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle",
    "mpadded", "mphantom", "menclose", "merror", "mprescripts", "none",
}
MATHML_ATTRIBUTES = {
    "display", "mathvariant", "mathsize", "stretchy", "fence", "form", "separator", "lspace", "rspace", "minsize",
    "maxsize", "movablelimits", "accent", "accentunder", "largeop", "symmetric", "linethickness", "displaystyle",
    "scriptlevel", "columnalign", "columnspacing", "rowspacing", "rowalign", "width", "height", "depth",
    "voffset", "notation",
}
_TEXT_ESCAPES = re.compile(r"\\text\{([^{}]*)\}")


def _allowed() -> tuple[set[str], dict[str, set[str]]]:
    tags = set(nh3.ALLOWED_TAGS) | MATHML_TAGS
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag in ("code", "span", "pre", "div"):
        attributes.setdefault(tag, set()).add("class")
    for tag in MATHML_TAGS:
        attributes.setdefault(tag, set()).update(MATHML_ATTRIBUTES)
    return tags, attributes


TAGS, ATTRIBUTES = _allowed()


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        return " ".join(c for c in value.split() if not c.startswith(UI_CLASS_PREFIX)) or None
    return value


CLEANER = nh3.Cleaner(tags=TAGS, attributes=ATTRIBUTES, attribute_filter=_keep_attribute)
"""Built once: nh3.clean() would rebuild the allow-lists on every call, 40 times slower."""


def sanitise(html: str) -> Markup:
    """Author HTML made safe to put in the page."""
    return Markup(CLEANER.clean(html))


def mathml(tex: str, display: bool) -> str:
    """TeX as MathML, or the TeX as code when latex2mathml cannot read it."""
    tex = _TEXT_ESCAPES.sub(lambda m: "\\text{" + re.sub(r"\\([_%#$])", r"\1", m.group(1)) + "}", tex.strip())
    try:
        return tex_to_mathml(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds on TeX it does not know
        delimiters = ("\\[", "\\]") if display else ("\\(", "\\)")
        return f'<code class="tex">{escape(delimiters[0] + tex + delimiters[1])}</code>'


def highlight_code(code: str, language: str, attributes) -> str:
    """Pygments spans for a fenced block in a known language; '' lets markdown-it escape it."""
    try:
        lexer = get_lexer_by_name(language.strip().lower()) if language.strip() else None
    except ClassNotFound:
        lexer = None
    return highlight(code, lexer, HtmlFormatter(nowrap=True)) if lexer else ""


def pygments_css() -> str:
    return HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs("pre code")


class Renderer:
    """Renders a question's Markdown fields for the preview."""

    def __init__(self) -> None:
        md = markdown_parser()
        md.options["highlight"] = highlight_code
        md.add_render_rule("math_inline", lambda self, t, i, o, e: mathml(t[i].content, False))
        md.add_render_rule("math_single", lambda self, t, i, o, e: mathml(t[i].content, False))
        md.add_render_rule("math_inline_double", lambda self, t, i, o, e: mathml(t[i].content, True))
        md.add_render_rule("math_block", lambda self, t, i, o, e: mathml(t[i].content, True) + "\n")
        md.add_render_rule("math_block_eqno", lambda self, t, i, o, e: mathml(t[i].content, True) + "\n")
        self._md = md

    def block(self, text: str | None, image_map: ImageMap | None = None) -> Markup:
        if not text:
            return Markup("")
        return sanitise(self._md.render(text, {"image_map": image_map}))

    def inline(self, text: str | None, image_map: ImageMap | None = None) -> Markup:
        """One paragraph (an option) without its ``<p>``."""
        html = str(self.block(text, image_map)).strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)
