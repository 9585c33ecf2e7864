"""Markdown helpers: find image references, render to HTML (markdown-it-py)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_HTML_IMG = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)


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
            sources.extend(_HTML_IMG.findall(token.content))
    return sources


def is_local(src: str) -> bool:
    """A path relative to the file, not a URL or data URI."""
    return not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src) and not src.startswith(("/", "#", "//"))
