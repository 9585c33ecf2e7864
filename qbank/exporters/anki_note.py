"""The one Anki note type qbank writes, and how a question becomes a note.

**Frozen.** Anki matches an imported note type to the one in a collection by its
id, field names and template names (rslib ``notes.rs``, ``equal_schema``). Change
any of them and every learner's next import conflicts: Anki makes a copy note
type ("qbank multiple choice+") and skips the updates. So :data:`MODEL_ID`,
:data:`FIELDS` and :data:`TEMPLATE_NAME` never change. The templates' HTML and
the CSS may change; raise :data:`NOTETYPE_TIME` when they do, so that Anki
takes the new look.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape

from qbank.bank import Bank, BankQuestion
from qbank.exporters import ExportNote, ExportResult
from qbank.exporters.media import Image, Media, MissingImage
from qbank.model.fields import markdown_texts
from qbank.exporters.note_times import NoteTimes
from qbank.exporters.parallel import prepared
from qbank.formats.anki import fingerprint
from qbank.formats.source_comment import record, source_comment
from qbank.model import MULTIPLE
from qbank.render import DISPLAY_BRACKETS, render_html, render_inline

MODEL_ID = 1_607_392_871
MODEL_NAME = "qbank multiple choice"
FIELDS = ("Id", "Stem", "Options", "Answer", "Explanation", "Whys", "Source")
TEMPLATE_NAME = "Question"
SORT_FIELD = 1  # the browser's Sort Field column shows the stem
NOTETYPE_TIME = 1_795_651_200
"""The note type's modification time (2026-11-26 UTC). Raise it when templates or CSS change."""

FRONT = """<div class="qb-stem">{{Stem}}</div>
<div class="qb-options">{{Options}}</div>"""

BACK = """{{FrontSide}}
<hr id="answer">
<div class="qb-answer">{{Answer}}</div>
{{#Explanation}}<div class="qb-explanation">{{Explanation}}</div>{{/Explanation}}
{{#Whys}}<div class="qb-whys">{{Whys}}</div>{{/Whys}}
{{#Source}}<div class="qb-source">Source: {{Source}}</div>{{/Source}}"""

CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; color: black; background: white; }
.qb-options ol { list-style-type: upper-alpha; }
.qb-choose { font-style: italic; }
.qb-answer { font-weight: bold; }
.qb-whys dt { font-weight: bold; margin-top: .5em; }
.qb-source { font-size: 14px; color: #666; margin-top: 1em; }
pre { text-align: left; background: #f4f4f4; padding: .5em; overflow-x: auto; }
"""

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def model():
    """The note type as a genanki.Model (genanki is imported only when a package is built)."""
    import genanki

    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": TEMPLATE_NAME, "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
        sort_field_index=SORT_FIELD,
    )


def guid(question_id: str) -> str:
    """The note's GUID: from the question id alone, so edits update the same note."""
    from genanki import guid_for

    return guid_for("qbank", question_id)


def deck_name(bank_name: str, category: tuple[str, ...]) -> str:
    """``Bank::Category::Sub``; a ``::`` inside one level would nest, so it becomes ``:``."""
    return "::".join(level.replace("::", ":").strip() for level in (bank_name, *category))


def deck_id(name: str) -> int:
    """A fixed id per deck name (48 bits of its sha256, above 2**48; Default is 1)."""
    digest = hashlib.sha256(("qbank-deck:" + name).encode("utf-8")).digest()
    return (1 << 48) | int.from_bytes(digest[:6], "big")


def anki_tag(tag: str) -> str:
    """Anki tags are separated by spaces, so spaces inside one become underscores."""
    return re.sub(r"\s+", "_", tag.strip())


def letter(index: int) -> str:
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


@dataclass
class NoteContent:
    question_id: str
    guid: str
    deck: str
    fields: list[str]
    tags: list[str]
    media: list[Image]
    time: int | None = None
    """When its question last changed (seconds), if asked for (see :mod:`qbank.exporters.note_times`)."""


def note_content(item: BankQuestion, bank_name: str, media: Media, comment: bool = True) -> NoteContent:
    """The note of one question: fields (HTML), deck, tags and the images it shows.

    With ``comment``, the Id field ends with qbank's source comment (:mod:`qbank.formats.anki`).
    """
    q = item.question
    used: dict[str, Image] = {}

    def to_media(image: Image) -> str:
        used[image.name] = image
        return image.name

    mapper = media.mapper(item, to_media)

    def html(text: str | None) -> str:
        return render_html(text, mapper, DISPLAY_BRACKETS) if text else ""

    def inline(text: str) -> str:
        return render_inline(text, mapper, DISPLAY_BRACKETS)

    texts = [inline(o.text) for o in q.options]
    front = '<ol type="A">' + "".join(f"<li>{text}</li>" for text in texts) + "</ol>"
    keys = [i for i, o in enumerate(q.options) if o.correct]
    if q.type == MULTIPLE:
        front += f'<p class="qb-choose">Choose {len(keys)}.</p>'
    answer = "<br>".join(f"{letter(i)}. {texts[i]}" for i in keys)
    whys = "".join(
        f"<dt>{letter(i)}. {'✓' if o.correct else '✗'} {texts[i]}</dt><dd>{html(o.why)}</dd>"
        for i, o in enumerate(q.options)
        if o.why
    )
    fields = [
        escape(q.id),
        html(q.stem),
        front,
        answer,
        html(q.explanation),
        f"<dl>{whys}</dl>" if whys else "",
        escape(q.source) if q.source else "",
    ]
    content = NoteContent(
        question_id=q.id,
        guid=guid(q.id),
        deck=deck_name(bank_name, item.category),
        fields=[f.replace("\x1f", "") for f in fields],
        tags=[t for t in (anki_tag(tag) for tag in item.tags) if t],
        media=list(used.values()),
    )
    if comment:
        images = {image.src: image.name for text in markdown_texts(q) for image in media.images(item, text)}
        seal = fingerprint(content.fields, content.deck, content.tags)
        content.fields[0] += source_comment(record(media.bank, item, seal, images, index=True), ascii_only=True)
    return content


def bank_notes(
    bank: Bank, bank_name: str, result: ExportResult, progress=None, comment: bool = True, jobs: int | None = 1,
    times: NoteTimes | None = None,
) -> Iterator[NoteContent]:
    """Every question's note, in bank order (made by ``jobs`` workers), with its time when ``times`` is given;
    a question whose image is unreadable is refused."""
    media = Media(bank)

    def prepare(item: BankQuestion) -> NoteContent | str:
        try:
            content = note_content(item, bank_name, media, comment)
        except MissingImage as exc:
            return str(exc)
        if times is not None:
            content.time = times.of(item)
        return content

    for item, content in prepared(bank, prepare, jobs):
        if progress:
            progress(1)
        if isinstance(content, str):
            result.notes.append(ExportNote(content, item.id, "error", item.file.loaded.name))
            continue
        yield content
