"""The Moodle XML grammar that import and export share, after Moodle's own reader and writer.

Reference: moodle/moodle ``question/format/xml/format.php`` (``qformat_xml``:
``trans_single``, ``trans_format``, ``import_headers``, ``writequestion``) and
``question/format.php`` (``split_category_path``, ``assemble_category_path``). What matters here:

- Booleans such as ``<single>`` and ``<shuffleanswers>`` are false only for
  ``false``, ``0`` or an empty text; anything else is true. An absent ``<single>``
  means true, an absent ``<shuffleanswers>`` false.
- A category path is ``$context$/top/A/B``: the context (``$course$``, ``$module$``,
  ``$system$``, ``$cat1$``…) and ``top`` are Moodle's own, and files older than
  Moodle 3.5 have no ``top``. A ``/`` inside one name is written ``//``.
- Moodle trims every text it reads.

qbank's exporter also writes, at the end of each question text, a **source comment**
``<!-- qbank:{…} -->``: the question as qbank holds it (Markdown and every field),
its file and a fingerprint of the XML it was exported as. Moodle keeps the comment
with the text and never shows it. ``qbank import`` uses it only while the fingerprint
still matches the question (:func:`fingerprint`), so an edit made in Moodle wins.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from html import escape, unescape
from typing import Any

from lxml.html import fragment_fromstring

TRUE_FALSE_TEXTS = ("true", "false")
DEFAULT_PENALTY = {"multichoice": 0.3333333, "truefalse": 1.0}
"""The penalty Moodle gives a new question of each type (and qbank's export writes)."""
CONTEXT = re.compile(r"^\$[a-z0-9]+\$$")
COMMENT_VERSION = 1
_COMMENT = re.compile(r"\s*<!-- qbank:(\{[^<>]*\}) -->\s*$")
_COMMENT_ESCAPES = {"--": "-\\u002d", "<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
"""Only inside JSON strings can these occur, where the escapes mean the same."""
NAME_LIMIT = 255
_FINGERPRINT_CHARS = 16
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def moodle_bool(text: str | None, default: str) -> bool:
    """Moodle's ``trans_single``: false for ``false``, ``0`` or an empty text; true otherwise."""
    value = (default if text is None else text).strip()
    return not (value == "false" or value in ("", "0"))


def assemble_category_path(root: str, levels: tuple[str, ...]) -> str:
    """``$course$/top`` plus the levels, each ``/`` doubled (and guarded by a space at an edge)."""
    escaped = []
    for level in levels:
        name = level.replace("/", "//")
        if name.startswith("/"):
            name = " " + name
        if name.endswith("/"):
            name += " "
        escaped.append(name)
    return "/".join([root.rstrip("/"), *escaped])


def split_category_path(path: str) -> tuple[str, ...]:
    """The levels of a category path without Moodle's context and ``top``: ``//`` is a literal slash."""
    names = [name.replace("//", "/").strip() for name in re.split(r"(?<!/)/(?!/)", path.strip())]
    names = [name for name in names if name]
    if names and CONTEXT.match(names[0]):
        names = names[1:]
        if names and names[0] == "top":
            names = names[1:]
    return tuple(names)


_SIMPLE_TAGS = re.compile(r"</?(?:p|code|em|strong)>")


def plain_name(html: str, fallback: str) -> str:
    """The question's name: its stem as text on one line, at most 255 characters.

    Moodle shows names as HTML, so ``<``, ``>`` and ``&`` are written as entities
    (and count as one character each towards the limit, before escaping).
    """
    if html and not _SIMPLE_TAGS.sub("", html).count("<"):
        text = unescape(_SIMPLE_TAGS.sub("", html))  # the HTML our Markdown shortcut writes: no need to parse it
    else:
        text = fragment_fromstring(html, create_parent="div").text_content() if html else ""
    text = " ".join(text.split())
    if len(text) > NAME_LIMIT:
        cut = text[: NAME_LIMIT - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut[NAME_LIMIT // 2 :] else cut) + "…"
    return escape(text or fallback, quote=False)


def number(text: str | None, default: float) -> float:
    """A number as Moodle writes it (``1``, ``1.0000000``, ``33.33333``); ``default`` when absent."""
    if text is None or not text.strip():
        return default
    return float(text.strip())


# -- the source comment ---------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """What Moodle holds of a question, in the form both sides compute the same way."""

    qtype: str
    category: str
    questiontext: str
    generalfeedback: str
    defaultgrade: float
    idnumber: str
    single: bool | None
    shuffle: bool | None
    answers: tuple[tuple[float, str, str], ...]
    """(fraction in percent, answer text, feedback) for each answer."""
    tags: tuple[str, ...]


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def fingerprint(view: View) -> str:
    """A short hash of the view: texts trimmed and with LF line ends, numbers rounded as Moodle stores them."""
    data = [
        view.qtype, split_category_path(view.category), _clean(view.questiontext), _clean(view.generalfeedback),
        round(view.defaultgrade, 7), view.idnumber.strip(), view.single, view.shuffle,
        [[round(fraction, 5), _clean(text), _clean(feedback)] for fraction, text, feedback in view.answers],
        [_clean(tag) for tag in view.tags],
    ]
    canonical = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:_FINGERPRINT_CHARS]


def source_comment(data: dict[str, Any]) -> str:
    """The comment for the end of a question text: JSON with no ``--``, ``<``, ``>`` or ``&``.

    So the comment cannot end early (``-->``) or end the CDATA section (``]]>``).
    Characters that XML cannot hold or that editors may change (controls, line
    separators, surrogates, noncharacters) are ``\\u`` escapes.
    """
    text = json.dumps({"v": COMMENT_VERSION, **data}, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _COMMENT_ESCAPES.items():
        text = text.replace(char, escape)
    text = _UNSAFE.sub(lambda m: "".join(f"\\u{unit:04x}" for unit in _utf16(m.group())), text)
    return f"<!-- qbank:{text} -->"


def _utf16(char: str) -> list[int]:
    data = char.encode("utf-16-be", "surrogatepass")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def split_source_comment(html: str) -> tuple[str, dict[str, Any] | None, str | None]:
    """``(html without the comment, its data, a problem)``; data is None when there is no usable comment."""
    match = _COMMENT.search(html)
    if not match:
        return html, None, None
    rest = html[: match.start()]
    try:
        data = json.loads(match.group(1))
    except ValueError as exc:
        return rest, None, f"its qbank comment is not valid JSON ({exc})"
    if not isinstance(data, dict) or data.get("v") != COMMENT_VERSION:
        return rest, None, f"its qbank comment has an unknown version ({data.get('v') if isinstance(data, dict) else data!r})"
    return rest, data, None
