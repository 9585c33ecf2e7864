"""Markdown helpers: find image references, render to HTML (markdown-it-py)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

HTML_TAG = re.compile(
    r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>(?:\s+[^\s=>/\"']+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*/?>"
)
"""An HTML tag: its name, whether it closes, and its attributes (values quoted either way or not at all)."""
HTML_ATTRIBUTE = re.compile(r"([^\s=>/\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
IMG_ATTRIBUTES = frozenset({"src", "alt", "title", "width", "height"})
"""The attributes an ``<img>`` may carry and still be shown as an image (see qbank.render.SAFE_TAGS)."""


def attribute_value(raw: str) -> str:
    """An attribute's value as written in :data:`HTML_ATTRIBUTE`'s second group, without its quotes."""
    return raw[1:-1] if raw[:1] in ("'", '"') else raw


def _html_image_sources(content: str) -> list[str]:
    """The ``src`` of every ``<img>`` in raw HTML that the renderer shows as an image: comments are
    dropped, and a tag with another attribute (``onerror``, ``class``) is shown as text."""
    sources = []
    for tag in HTML_TAG.finditer(HTML_COMMENT.sub("", content)):
        if tag["name"].lower() == "img" and not tag["close"]:
            attributes = [(name.lower(), attribute_value(raw)) for name, raw in HTML_ATTRIBUTE.findall(tag["attrs"])]
            if all(name in IMG_ATTRIBUTES for name, _ in attributes):
                sources += [value for name, value in attributes if name == "src" and value]
    return sources


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough; raw HTML allowed (exports sanitise)."""
    from markdown_it import MarkdownIt  # noqa: PLC0415  (imported on first use: most texts hold no image)

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def image_sources(text: str | None) -> list[str]:
    """Every image a Markdown text refers to, Markdown or HTML, in order."""
    if not text or ("![" not in text and ("<" not in text or "<img" not in text.lower())):
        return []  # a cheap first look (lower() copies the text: only when it holds a tag)
    sources = []
    for token in _walk(parser().parse(text)):
        if token.type == "image":
            sources.append(str(token.attrs.get("src", "")))
        elif token.type in ("html_inline", "html_block"):
            sources.extend(_html_image_sources(token.content))
    return sources


def is_local(src: str) -> bool:
    """A path relative to the file, not a URL or data URI."""
    return not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src) and not src.startswith(("/", "#", "//"))
