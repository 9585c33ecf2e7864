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
(:mod:`qbank.formats.source_comment`) whose fingerprint (:func:`fingerprint`) covers
what Moodle holds of the question, so an edit made in Moodle wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape

from lxml.html import fragment_fromstring

from qbank.formats import finite_number
from qbank.formats.source_comment import clean, digest

TRUE_FALSE_TEXTS = ("true", "false")
DEFAULT_PENALTY = {"multichoice": 0.3333333, "truefalse": 1.0}
"""The penalty Moodle gives a new question of each type (and qbank's export writes)."""
CONTEXT = re.compile(r"^\$[a-z0-9]+\$$")
NAME_LIMIT = 255


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
    """A number as Moodle writes it (``1``, ``1.0000000``, ``33.33333``); ``default`` when absent.

    Raises ValueError for a text that is no finite number (``abc``, ``inf``, ``nan``)."""
    if text is None or not text.strip():
        return default
    return finite_number(text.strip())


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


def fingerprint(view: View) -> str:
    """A short hash of the view: texts trimmed and with LF line ends, numbers rounded as Moodle stores them."""
    return digest([
        view.qtype, split_category_path(view.category), clean(view.questiontext), clean(view.generalfeedback),
        round(view.defaultgrade, 7), view.idnumber.strip(), view.single, view.shuffle,
        [[round(fraction, 5), clean(text), clean(feedback)] for fraction, text, feedback in view.answers],
        [clean(tag) for tag in view.tags],
    ])
