"""HTML (from Moodle and other platforms) to qbank Markdown, through markdownify.

The rule: HTML becomes Markdown when Markdown can say all of it; otherwise the
whole text is kept as HTML, unchanged, and the caller reports why. Markdown can
say all of an HTML text when every element is one of :data:`CONVERTIBLE` with
only the attributes listed there:

- paragraphs, line breaks, bold, italic, inline code, code blocks (a
  ``language-x`` class is kept), lists, links, images, headings, quotes, rules;
- tables whose cells hold only inline content, with no attributes (no
  ``colspan``, ``style``, ``border``…);
- ``sub sup u kbd mark small`` stay as those tags inside the Markdown (qbank
  renders them as HTML), and so does an ``<img>`` with a width or height;
- ``<span>`` and ``<div>`` without attributes are dropped (they mean nothing);
- the attributes Moodle's editors add to every paragraph, ``dir="ltr"`` and
  ``style="text-align: left;"``, change nothing and are dropped.

Anything else (a styled span, a table with a border, a colour, an iframe, a
class) is kept as HTML. Note that qbank shows raw HTML other than the tags above
as text, so such a text needs rewriting in Markdown by hand; the report says so.

Math for MathJax (``\\( \\)``, ``\\[ \\]``, ``$$ $$``) is kept exactly as written.
"""

from __future__ import annotations

import html as htmllib
import re
import warnings
from dataclasses import dataclass

from bs4 import MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from lxml import etree
from lxml.html import fragments_fromstring
from markdownify import MarkdownConverter

_NOISE_STYLE = re.compile(r"^\s*text-align\s*:\s*left\s*;?\s*$", re.IGNORECASE)
_LANGUAGE = re.compile(r"^language-[A-Za-z0-9_+#.-]+$")
_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]|\$\$(.+?)\$\$", re.DOTALL)
_PLACEHOLDER = "QBANKMATH{}QBANK"
_PLACEHOLDER_RE = re.compile(r"QBANKMATH(\d+)QBANK")
RAW_TAGS = ("sub", "sup", "u", "kbd", "mark", "small")
"""Inline tags that stay as HTML inside the Markdown (qbank's renderer keeps them)."""
_INLINE = {"br", "strong", "b", "em", "i", "code", "a", "img", "span", *RAW_TAGS}

CONVERTIBLE: dict[str, frozenset[str]] = {
    **{tag: frozenset() for tag in (
        "br", "strong", "b", "em", "i", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "hr", "span", "table", "thead", "tbody", "tr", "th", "td", *RAW_TAGS,
    )},
    "p": frozenset({"dir", "style"}),
    "div": frozenset({"dir", "style"}),
    "code": frozenset({"class"}),
    "pre": frozenset({"class"}),
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
}


@dataclass
class Converted:
    markdown: str
    kept_html: str | None = None
    """Why the text was kept as HTML, or None when it was converted."""


def _problem(element) -> str | None:
    """What in this element Markdown cannot say, or None."""
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is None:  # a comment or processing instruction
        return None if isinstance(element, etree._Comment) else "a processing instruction"
    tag = tag.lower()
    allowed = CONVERTIBLE.get(tag)
    if allowed is None:
        return f"the element <{tag}>"
    for name, value in element.attrib.items():
        name = name.lower()
        if name not in allowed:
            return f"the attribute {name}=\"{value}\" on <{tag}>"
        if name == "dir" and value.strip().lower() != "ltr":
            return f"the attribute dir=\"{value}\" on <{tag}>"
        if name == "style" and not _NOISE_STYLE.match(value):
            return f"the style \"{value}\" on <{tag}>"
        if name == "class" and not _LANGUAGE.match(value.strip()):
            return f"the class \"{value}\" on <{tag}>"
    if tag in ("td", "th"):
        for child in element.iterdescendants():
            if isinstance(child.tag, str) and child.tag.lower() not in _INLINE:
                return f"a <{child.tag.lower()}> inside a table cell"
    return None


def lossy_part(html: str) -> str | None:
    """The first thing in ``html`` that Markdown cannot say, or None when it converts exactly."""
    try:
        fragments = fragments_fromstring(html) if html.strip() else []
    except etree.ParserError:
        return None
    for fragment in fragments:
        if isinstance(fragment, str):
            continue
        for element in fragment.iter():
            problem = _problem(element)
            if problem:
                return problem
    return None


class _Converter(MarkdownConverter):
    """markdownify with qbank's choices: tags qbank renders stay tags, code keeps its language."""

    def get_conv_fn(self, tag_name):
        tag = tag_name.lower()
        if tag in RAW_TAGS:
            return lambda el, text, parent_tags=None: f"<{tag}>{text}</{tag}>" if text else ""
        return super().get_conv_fn(tag_name)

    def convert_img(self, el, text, parent_tags=None, **kwargs):
        if el.get("width") or el.get("height"):
            attrs = " ".join(
                f'{name}="{htmllib.escape(el.get(name), quote=True)}"'
                for name in ("src", "alt", "title", "width", "height") if el.get(name) is not None
            )
            return f"<img {attrs}>"
        return super().convert_img(el, text, parent_tags=parent_tags or set(), **kwargs)


def _language(el) -> str | None:
    for node in (el, *el.find_all("code")):
        for name in node.get("class") or []:
            if name.startswith("language-"):
                return name[len("language-"):]
    return None


_OPTIONS = dict(
    heading_style="ATX", bullets="-", escape_misc=True, newline_style="backslash",
    code_language_callback=_language, table_infer_header=True, strip_document="strip",
)


def _converted(html: str) -> str:
    """``html`` through markdownify. Beautiful Soup warns, on stderr, when a text looks like a URL,
    a file name or an XML document rather than HTML: for a field's text (``https://…``, ``index.html``)
    that is never a mistake, so those warnings are not shown."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return _Converter(**_OPTIONS).convert(html).strip()


def _protect_math(html: str) -> tuple[str, list[str]]:
    found: list[str] = []

    def keep(match: re.Match) -> str:
        found.append(htmllib.unescape(match.group()))
        return _PLACEHOLDER.format(len(found) - 1)

    return _MATH.sub(keep, html), found


def html_to_markdown(html: str) -> Converted:
    """Markdown for an HTML fragment, or the HTML itself with the reason when Markdown cannot say it."""
    html = html.strip()
    if not html:
        return Converted("")
    problem = lossy_part(html)
    if problem:
        return Converted(html, problem)
    protected, math = _protect_math(html)
    markdown = _converted(protected)
    markdown = _PLACEHOLDER_RE.sub(lambda m: math[int(m.group(1))], markdown)
    return Converted(markdown)


def kept_html_message(what: str, reason: str) -> str:
    """The report for a text kept as HTML: what it is, why, and what to do."""
    return (
        f"the {what} was kept as HTML because Markdown cannot say {reason}; qbank shows HTML "
        "other than b, i, u, sub, sup, kbd, mark, small, br and img as text, so rewrite it in Markdown"
    )


def text_to_markdown(text: str) -> str:
    """Plain text (Moodle's plain_text format) as Markdown that shows exactly that text."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    html = "".join("<p>" + htmllib.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return _converted(html)


def moodle_auto_to_html(text: str) -> str:
    """Moodle's auto-format: HTML allowed, a blank line starts a paragraph, a line break is kept."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    if len(paragraphs) == 1 and "\n" not in paragraphs[0]:
        return paragraphs[0]
    return "".join("<p>" + p.replace("\n", "<br>\n") + "</p>" for p in paragraphs)
