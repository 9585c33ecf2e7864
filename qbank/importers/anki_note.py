"""One note of qbank's Anki note type back into a question: restored from its comment, or rebuilt from its fields.

Both Anki importers (the .apkg and the text file) read notes into :class:`Note`
and hand them to :class:`NoteReader`:

- a note whose Id field ends with an intact qbank comment whose fingerprint
  (:mod:`qbank.formats.anki`) matches its fields, deck and tags is restored exactly
  (Markdown, every field, its file, its images);
- any other note of the note type is rebuilt from the HTML qbank's exporter writes
  into the fields (:mod:`qbank.exporters.anki_note`): the options from the ``<ol>``
  of Options, the keys from the letters in Answer, the whys from the ``<dl>`` of
  Whys; texts go through the HTML rule of :mod:`qbank.importers.html_markdown`.
  What a note cannot say (difficulty, points, shuffle, lint settings) is reported
  when the note came from qbank; a note whose fields lack that structure is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import unquote

from lxml import etree
from lxml.html import fragments_fromstring

from qbank.exporters.anki_note import FIELDS, LETTERS, MODEL_NAME, guid
from qbank.formats.anki import fingerprint
from qbank.formats.source_comment import split_source_comment
from qbank.importers import ImportNote, ImportResult
from qbank.importers.html_markdown import html_to_markdown, kept_html_message
from qbank.importers.ids import IdMaker, is_valid_id
from qbank.importers.restore import CHANGED, Assets, Restored, UnusableComment, from_comment
from qbank.importers.shape import as_block, escape_category_level
from qbank.model import MULTIPLE, TRUE_FALSE

_IMG_SRC = re.compile(r"(<img\b[^>]*?\bsrc\s*=\s*)([\"'])(.*?)\2", re.IGNORECASE | re.DOTALL)
_KEY = re.compile(r"^\s*([A-Z]|[0-9]{1,6})\.\s")  # a longer number names no option (and int() refuses 4,301 digits)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
NOT_IN_A_NOTE = "its difficulty, points, shuffle and lint settings, which an Anki note does not hold, are not restored"


class CannotRebuild(ValueError):
    """The fields do not have the structure qbank's exporter gives them."""


@dataclass
class Note:
    """One note as an importer read it: the fields of qbank's note type in order, HTML."""

    where: str
    """Where it is, for messages: ``note 1795651200002`` or ``line 12``."""
    line: int | None
    fields: list[str]
    deck: str
    tags: list[str]
    guid: str | None = None


def deck_category(deck: str) -> str | None:
    """``Bank::Category::Sub`` → ``Category/Sub`` (the first level is the bank's name)."""
    levels = [level.strip() for level in deck.split("::")][1:]
    return "/".join(escape_category_level(level) for level in levels if level) or None


def field_text(html: str) -> str:
    """The text of an HTML fragment (entities decoded, tags dropped)."""
    if not html.strip():
        return ""
    texts = []
    for part in fragments_fromstring(html):
        if isinstance(part, str):
            texts.append(part)
            continue
        if isinstance(part.tag, str):  # an element; a comment or processing instruction has no text
            texts.append(part.text_content())
        texts.append(part.tail or "")
    return "".join(texts).strip()


def _inner_html(element) -> str:
    return escape(element.text or "", quote=False) + "".join(
        etree.tostring(child, method="html", encoding="unicode", with_tail=True) for child in element
    )


def _elements(html: str) -> list:
    try:
        return [p for p in fragments_fromstring(html) if not isinstance(p, str)] if html.strip() else []
    except etree.ParserError:
        return []


def _index(label: str) -> int | None:
    """``B`` → 1, ``27`` → 26 (the exporter numbers options past Z)."""
    if label in LETTERS:
        return LETTERS.index(label)
    return int(label) - 1 if label.isdigit() and int(label) > len(LETTERS) else None


class NoteReader:
    """Reads the notes of one source into questions, with notes on what is lost."""

    def __init__(self, source: str, result: ImportResult, ids: IdMaker, folder: str, media: dict[str, bytes] | None) -> None:
        self.source = source
        self.result = result
        self.ids = ids
        self.folder = folder
        """Where the bank file of rebuilt notes goes, relative to the output (image links are relative to it)."""
        self.media = media
        """The package's media files by name; None for a text file, which has none."""
        self.assets = Assets(result)

    def note(self, note: Note, message: str) -> None:
        self.result.notes.append(ImportNote(self.source, f"{note.where}: {message}" if note.line is None else message, note.line))

    def read(self, note: Note) -> dict[str, Any] | Restored | None:
        """The question of a note; None when it cannot be rebuilt (reported, and listed as skipped)."""
        id_html, comment, problem = split_source_comment(note.fields[0])
        fields = [id_html, *note.fields[1:]]
        from_qbank = comment is not None or (note.guid is not None and note.guid == guid(field_text(id_html)))
        if problem:
            self.note(note, f"{problem}; the note was rebuilt from its fields, and {NOT_IN_A_NOTE}")
        elif comment is not None:
            if comment.get("fingerprint") != fingerprint(fields, note.deck, note.tags):
                self.note(note, f"the note was {CHANGED}; it was rebuilt from its fields, so its Markdown comes from the HTML, and {NOT_IN_A_NOTE}")
            else:
                try:
                    return self.restore(note, comment)
                except UnusableComment as exc:
                    self.note(note, f"{exc}; the note was rebuilt from its fields, and {NOT_IN_A_NOTE}")
        elif from_qbank:
            self.note(note, f"the note has no qbank comment (exported without one, or removed in Anki); it was rebuilt from its fields, and {NOT_IN_A_NOTE}")
        try:
            return self.rebuild(note, fields)
        except CannotRebuild as exc:
            label = field_text(id_html) or field_text(note.fields[1])[:50] or "(empty)"
            self.note(note, f"skipped: {exc}")
            self.result.skipped.append(f"{label} ({self.source} {note.where})" if note.line is None else f"{label} ({self.source}:{note.line})")
            return None

    def restore(self, note: Note, comment: dict[str, Any]) -> Restored:
        restored = from_comment(comment, self.ids)
        if not restored.images:
            return restored
        if self.media is None:
            for src in restored.images:
                self.note(note, f"the image {src!r} is not in a text file: copy it from the .apkg or Anki's media folder to its place beside {restored.file}")
            return restored
        for message in self.assets.restore_images(restored, self.media, "the package"):
            self.note(note, message)
        return restored

    # -- rebuilding from the fields ---------------------------------------------------------------

    def markdown(self, note: Note, html: str, what: str) -> str:
        converted = html_to_markdown(self.link_images(note, html, what))
        if converted.kept_html:
            self.note(note, kept_html_message(what, converted.kept_html))
        return converted.markdown

    def link_images(self, note: Note, html: str, what: str) -> str:
        def link(match: re.Match) -> str:
            src = match.group(3)
            data = None if self.media is None else self.media.get(src, self.media.get(unquote(src)))
            if data is None:
                where = "a text file carries no images" if self.media is None else "the package does not hold it"
                self.note(note, f"the {what} shows the image {src!r}, but {where}; the link was kept")
                return match.group()
            return match.group(1) + match.group(2) + escape(self.assets.beside(self.folder, unquote(src), data)) + match.group(2)

        return _IMG_SRC.sub(link, html)

    def rebuild(self, note: Note, fields: list[str]) -> dict[str, Any]:
        id_html, stem_html, options_html, answer_html, explanation_html, whys_html, source_html = fields
        lists = [e for top in _elements(options_html) for e in top.iter("ol", "ul")]
        if not lists:
            raise CannotRebuild("its Options field holds no list of options")
        texts = [self.markdown(note, _inner_html(li), f"option {n}") for n, li in enumerate(lists[0].iter("li"), 1)]
        if not texts:
            raise CannotRebuild("its Options field lists no option")
        options: list[dict[str, Any]] = [{"text": text, "correct": False, "why": None} for text in texts]
        choose = any("qb-choose" in (e.get("class") or "") for top in _elements(options_html) for e in top.iter("p"))
        self.keys(note, answer_html, options)
        self.whys(note, whys_html, options)
        stem = self.markdown(note, stem_html, "stem")
        question: dict[str, Any] = {
            "id": None,
            "category": deck_category(note.deck),
            "source": field_text(source_html) or None,
            "stem": as_block(stem),
            "options": options,
            "explanation": as_block(self.markdown(note, explanation_html, "explanation")) or None,
            "tags": list(dict.fromkeys(note.tags)),
        }
        if choose:
            question["type"] = MULTIPLE
        elif [o["text"] for o in options] == ["True", "False"] and sum(o["correct"] for o in options) == 1:
            question["type"] = TRUE_FALSE
        given = field_text(id_html)
        if given and is_valid_id(given):
            question["id"] = self.ids.keep(given)
        else:
            question["id"] = self.ids.generate(stem)
            if given:
                self.note(note, f"the Id {given!r} is not a valid qbank id (letters, digits, . _ : -); it became {question['id']!r}")
        return question

    def keys(self, note: Note, html: str, options: list[dict[str, Any]]) -> None:
        for part in _BR.split(html):
            text = field_text(part)
            match = _KEY.match(text + " ")
            index = _index(match.group(1)) if match else None
            if index is None or index >= len(options):
                if text:
                    self.note(note, f"the Answer line {text!r} names no option; it was left out")
                continue
            options[index]["correct"] = True
        if not any(o["correct"] for o in options):
            self.note(note, "its Answer field names no option, so no option is correct (qbank lint will ask for a key)")

    def whys(self, note: Note, html: str, options: list[dict[str, Any]]) -> None:
        for top in _elements(html):
            for term in top.iter("dt"):
                match = _KEY.match(term.text_content() + " ")
                index = _index(match.group(1)) if match else None
                answer = term.getnext()
                if index is None or index >= len(options) or answer is None or answer.tag != "dd":
                    self.note(note, f"the Whys entry {term.text_content().strip()!r} names no option; it was left out")
                    continue
                options[index]["why"] = self.markdown(note, _inner_html(answer), f"why of option {index + 1}") or None


def other_note_types(count: int) -> str:
    """The report on the notes of other note types (each is also listed as skipped)."""
    return (
        f"skipped {count} note{'s' if count != 1 else ''} of other note types: qbank reads only its own note type, "
        f"{MODEL_NAME!r} (fields {', '.join(FIELDS)})"
    )


def is_ours(field_names: list[str]) -> bool:
    """A note type is qbank's when its fields are qbank's, in order (whatever its id or name: Anki may copy it)."""
    return list(field_names) == list(FIELDS)
