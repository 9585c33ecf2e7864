"""Horizontal bar charts as inline SVG, drawn on the server with lxml.

A chart is an image with a title for assistive technology (``role="img"`` and
``aria-labelledby``); the page also gives its numbers as a table. Colours come from
the stylesheet (``.qb-bar``), so the charts follow the page's theme.
"""

from __future__ import annotations

from lxml import etree
from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
ROW = 28
LABEL_WIDTH = 320
BAR_WIDTH = 300
VALUE_WIDTH = 60
TEXT_CHARS = 42


def _el(parent, tag: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, f"{{{SVG_NS}}}{tag}", {k.rstrip("_").replace("_", "-"): str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _short(label: str) -> str:
    return label if len(label) <= TEXT_CHARS else "…" + label[-(TEXT_CHARS - 1):]


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int]]) -> Markup:
    """An SVG bar per row, scaled to the largest value; labels are cut from the left."""
    height = max(1, len(rows)) * ROW + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    svg = etree.Element(
        f"{{{SVG_NS}}}svg",
        {"viewBox": f"0 0 {width} {height}", "width": str(width), "height": str(height), "role": "img",
         "aria-labelledby": f"{chart_id}-title", "class": "qb-chart"},
        nsmap={None: SVG_NS},
    )
    _el(svg, "title", title, id=f"{chart_id}-title")
    largest = max((value for _, value in rows), default=0) or 1
    for index, (label, value) in enumerate(rows):
        y = 4 + index * ROW
        row = _el(svg, "g", class_="qb-row")
        _el(row, "title", f"{label}: {value}")
        _el(row, "text", _short(label), x=LABEL_WIDTH - 8, y=y + ROW / 2 + 5, text_anchor="end", class_="qb-chart-label")
        bar = round(BAR_WIDTH * value / largest, 1)
        _el(row, "rect", x=LABEL_WIDTH, y=y + 4, width=max(bar, 1 if value else 0), height=ROW - 8, class_="qb-bar")
        _el(row, "text", str(value), x=LABEL_WIDTH + bar + 6, y=y + ROW / 2 + 5, class_="qb-chart-value")
    return Markup(etree.tostring(svg, encoding="unicode"))
