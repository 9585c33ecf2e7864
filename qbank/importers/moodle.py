"""Moodle XML import: multichoice (single and multiple) and truefalse, as Moodle 4.x and 5.x write them.

What is read, after moodle/moodle ``question/format/xml/format.php`` (see
:mod:`qbank.formats.moodle` for the grammar):

- category pseudo-questions give the category of the questions after them;
- ``<idnumber>`` is the id (one is generated from the stem when it is missing or
  not a valid qbank id); ``<tags>`` and ``<coursetags>`` are the tags;
- ``<questiontext>``, ``<generalfeedback>``, each answer and its ``<feedback>``
  become stem, explanation, option and why, in Markdown
  (:mod:`qbank.importers.html_markdown`); ``<file>`` elements are written beside
  the bank file and the ``@@PLUGINFILE@@`` links point at them;
- a question that qbank exported carries its source in a comment; while the
  question is unchanged since, it is restored exactly from it.

Everything else is reported with its line: other question types (skipped),
grades the model cannot express, and settings qbank has no place for.
"""

from __future__ import annotations

import base64
import binascii
import math
import posixpath
import re
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from qbank.exporters import EXPORTERS
from qbank.formats.moodle import (
    DEFAULT_PENALTY, TRUE_FALSE_TEXTS, View, fingerprint, moodle_bool, number, plain_name, split_category_path,
)
from qbank.formats.source_comment import split_source_comment
from qbank.importers import ImportNote, ImportResult, Importer, UnreadableSource, register
from qbank.importers.grading import grade_multiple, grade_single
from qbank.importers.html_markdown import html_to_markdown, kept_html_message, moodle_auto_to_html, text_to_markdown
from qbank.importers.ids import is_valid_id
from qbank.importers.safe_xml import HostileXml, parse
from qbank.importers.restore import CHANGED, Assets, BankFiles, Restored, UnusableComment, from_comment
from qbank.importers.shape import as_block, escape_category_level, output_name
from qbank.model import MULTIPLE, TRUE_FALSE

SUPPORTED = ("multichoice", "truefalse")
COMBINED_FEEDBACK = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@(/[^\"'<>\s)]*)")
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_DETECT = re.compile(r"^\ufeff?\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<quiz[\s>/]", re.DOTALL)


def _plain(html: str) -> str:
    """The text of an HTML fragment on one line, entities decoded."""
    return _SPACE.sub(" ", unescape(_TAGS.sub("", html))).strip()


def _text_of(element: etree._Element | None, path: str = "text") -> str:
    if element is None:
        return ""
    found = element.find(path)
    return (found.text or "") if found is not None else ""


def _lenient_number(text: str | None, default: float) -> float:
    """:func:`~qbank.formats.moodle.number`, with NaN for a text that is no finite number (NaN equals nothing, so a
    :class:`View` holding it differs from the source comment's)."""
    try:
        return number(text, default)
    except ValueError:
        return math.nan


class _Reader:
    """Reads one ``<question>``: its texts, grades and settings, with notes on what is lost."""

    def __init__(self, importer: MoodleImporter, element: etree._Element, category: str, folder: str):
        self.importer = importer
        self.source = importer.source
        self.element = element
        self.category = category
        self.folder = folder
        """Where the bank file goes, relative to the output (image links are relative to it)."""
        self.qtype = element.get("type", "")
        self.name = _plain(_text_of(element.find("name")))
        self.notes: list[ImportNote] = []

    # -- helpers ----------------------------------------------------------------------------------

    def note(self, message: str, at: etree._Element | None = None) -> None:
        line = (at if at is not None else self.element).sourceline
        self.notes.append(ImportNote(self.source, message, line))

    def read_number(self, at: etree._Element | None, text: str | None, default: float, what: str) -> float:
        """A number of the file, or ``default`` with a note when it is none (``abc``) or not finite (``1e400``, ``nan``)."""
        try:
            return number(text, default)
        except ValueError:
            self.note(f"{what} {text.strip()!r} is not a finite number; it was read as {default:.7g}", at)
            return default

    def label(self) -> str:
        return self.name or _plain(_text_of(self.element.find("questiontext")))[:50] or "(no name)"

    def files(self) -> dict[str, bytes]:
        """Every ``<file>`` of the question, by its Moodle path (``/name.png``)."""
        found: dict[str, bytes] = {}
        for file in self.element.iter("file"):
            path = (file.get("path") or "/") + (file.get("name") or "")
            try:
                found.setdefault(path, base64.b64decode(file.text or "", validate=False))
            except (binascii.Error, ValueError):
                self.note(f"the file {path!r} is not valid base64; it was left out", file)
        return found

    # -- texts ------------------------------------------------------------------------------------

    def markdown(self, element: etree._Element | None, raw: str | None = None, what: str = "text") -> str:
        """The Markdown of a text element (``raw`` overrides its text), images linked, losses noted."""
        if element is None:
            return ""
        text = (_text_of(element) if raw is None else raw).strip()
        text_format = (element.get("format") or "html").strip()
        if text_format not in ("html", "moodle_auto_format", "plain_text", "markdown"):
            self.note(f"the {what} has the format {text_format!r}, which qbank does not know; it was read as HTML", element)
            text_format = "html"
        if text_format == "plain_text":
            return text_to_markdown(text)
        text = self.link_files(text, element, what)
        if text_format == "markdown":
            return text
        html = moodle_auto_to_html(text) if text_format == "moodle_auto_format" else text
        converted = html_to_markdown(html)
        if converted.kept_html:
            self.note(kept_html_message(what, converted.kept_html), element)
        return converted.markdown

    def link_files(self, text: str, element: etree._Element, what: str) -> str:
        files = self.importer.current_files

        def link(match: re.Match) -> str:
            path = unquote(match.group(1))
            data = files.get(path)
            if data is None:
                self.note(f"the {what} refers to the file {path!r}, which the XML does not hold; the link was kept", element)
                return match.group()
            return self.importer.assets.beside(self.folder, path, data)

        return _PLUGINFILE.sub(link, text)

    # -- the question -----------------------------------------------------------------------------

    def view(self, questiontext: str) -> View:
        q = self.element
        multichoice = self.qtype == "multichoice"
        return View(
            self.qtype, self.category, questiontext, _text_of(q.find("generalfeedback")),
            _lenient_number(q.findtext("defaultgrade"), 1.0), (q.findtext("idnumber") or "").strip(),
            moodle_bool(q.findtext("single"), "true") if multichoice else None,
            moodle_bool(q.findtext("shuffleanswers"), "false") if multichoice else None,
            tuple((_lenient_number(a.get("fraction"), 0.0), _text_of(a), _text_of(a.find("feedback"))) for a in q.findall("answer")),
            tuple(t.text or "" for t in q.findall("tags/tag/text")),
        )

    def read(self) -> dict[str, Any] | Restored:
        """The question, read from the XML or restored from qbank's comment."""
        self.importer.current_files = self.files()
        questiontext, comment, problem = split_source_comment(_text_of(self.element.find("questiontext")))
        if problem:
            self.note(f"{problem}; the question was read from the XML", self.element.find("questiontext"))
        self.settings(questiontext)
        if comment is not None:
            restored = self.restore(comment, questiontext)
            if restored is not None:
                return restored
        return self.from_xml(questiontext)

    def restore(self, comment: dict[str, Any], questiontext: str) -> Restored | None:
        if comment.get("fingerprint") != fingerprint(self.view(questiontext)):
            self.note(
                f"the question was {CHANGED}; it was read from the XML, so its Markdown comes from the HTML and its difficulty, "
                "source and lint settings are not restored",
                self.element.find("questiontext"),
            )
            return None
        try:
            restored = from_comment(comment, self.importer.ids)
        except UnusableComment as exc:
            self.note(f"{exc}; the question was read from the XML")
            return None
        by_name = {posixpath.basename(path): data for path, data in self.importer.current_files.items()}
        for message in self.importer.assets.restore_images(restored, by_name, "the XML"):
            self.note(message)
        return restored

    def from_xml(self, questiontext: str) -> dict[str, Any]:
        q = self.element
        stem = self.markdown(q.find("questiontext"), questiontext, "question text")
        question: dict[str, Any] = {
            "id": None,
            "category": "/".join(escape_category_level(level) for level in split_category_path(self.category)) or None,
            "stem": as_block(stem),
            "explanation": as_block(self.markdown(q.find("generalfeedback"), what="general feedback")) or None,
            "tags": list(dict.fromkeys(t.strip() for t in (x.text or "" for x in q.iterfind("*/tag/text")) if t.strip())),
        }
        points = self.read_number(q.find("defaultgrade"), q.findtext("defaultgrade"), 1.0, "the default mark")
        if points <= 0:
            self.note(f"the default mark is {q.findtext('defaultgrade')}; qbank's points must be above 0, so it was imported as 1", q.find("defaultgrade"))
            points = 1.0
        question["points"] = points
        if self.qtype == "truefalse":
            self.true_false(question)
        else:
            self.multichoice(question)
        self.identify(question, stem)
        return question

    def multichoice(self, question: dict[str, Any]) -> None:
        q = self.element
        options, weights = [], []
        for number_, answer in enumerate(q.findall("answer"), 1):
            text = self.markdown(answer, what=f"answer {number_}")
            if not text:
                self.note(f"answer {number_} is empty; Moodle drops empty answers, and so does qbank", answer)
                continue
            why = self.markdown(answer.find("feedback"), what=f"feedback of answer {number_}")
            options.append({"text": text, "correct": False, "why": why or None})
            weights.append((self.read_number(answer, answer.get("fraction"), 0.0, f"the fraction of answer {number_}"), answer))
        question["options"] = options
        question["shuffle"] = moodle_bool(q.findtext("shuffleanswers"), "false")
        single = moodle_bool(q.findtext("single"), "true")
        if not single:
            question["type"] = MULTIPLE
        for message, at in (grade_single if single else grade_multiple)(options, weights):
            self.note(message, at)

    def true_false(self, question: dict[str, Any]) -> None:
        answers = self.element.findall("answer")
        found: dict[str, tuple[bool, str | None]] = {}
        for index, answer in enumerate(answers[:2]):
            literal = _text_of(answer).strip()
            if literal not in TRUE_FALSE_TEXTS:
                assumed = TRUE_FALSE_TEXTS[index]
                self.note(f"the answer text {literal!r} is neither true nor false; like Moodle, qbank took it for {assumed} from its place", answer)
                literal = assumed
            why = self.markdown(answer.find("feedback"), what=f"feedback of the {literal} answer") or None
            found[literal] = (self.read_number(answer, answer.get("fraction"), 0.0, f"the fraction of the {literal} answer") == 100, why)
        if len(answers) != 2:
            self.note(f"a true/false question has two answers, this one has {len(answers)}; the first two were read")
        true_right = found.get("true", (False, None))[0]
        question["type"] = TRUE_FALSE
        question["options"] = [
            {"text": "True", "correct": true_right, "why": found.get("true", (False, None))[1]},
            {"text": "False", "correct": not true_right, "why": found.get("false", (False, None))[1]},
        ]

    def identify(self, question: dict[str, Any], stem: str) -> None:
        given = (self.element.findtext("idnumber") or "").strip()
        ids = self.importer.ids
        if given and is_valid_id(given):
            question["id"] = ids.keep(given)
        elif given:
            question["id"] = ids.generate(given)
            self.note(f"the idnumber {given!r} is not a valid qbank id (letters, digits, . _ : -); it became {question['id']!r}", self.element.find("idnumber"))
        else:
            question["id"] = ids.generate(stem)

    def settings(self, questiontext: str) -> None:
        """Report the settings that re-exporting with qbank's defaults would not give back."""
        q = self.element
        defaults = EXPORTERS["moodle"].defaults
        stem_text = _plain(plain_name(questiontext, ""))
        idnumber = (q.findtext("idnumber") or "").strip()
        if self.name and self.name not in (stem_text, idnumber) and not _plain(questiontext).startswith(self.name.rstrip(".…").strip()):
            self.note(f"the question name {self.name!r} is not kept: qbank questions have no name", q.find("name"))
        penalty = q.find("penalty")
        default_penalty = DEFAULT_PENALTY[self.qtype]
        if penalty is not None and abs(self.read_number(penalty, penalty.text, default_penalty, "the penalty") - default_penalty) >= 0.005:
            self.note(f"the penalty {penalty.text.strip()} is not kept: qbank's export writes {DEFAULT_PENALTY[self.qtype]} (set penalty under [tool.qbank.exports.moodle])", penalty)
        hidden = q.find("hidden")
        if hidden is not None and (hidden.text or "").strip() not in ("", "0"):
            self.note("the question is hidden in Moodle; qbank has no hidden flag, so it was imported as a visible question", hidden)
        for hint in q.findall("hint"):
            self.note("a hint is not kept: qbank questions have no hints", hint)
        if self.qtype != "multichoice":
            return
        numbering = q.find("answernumbering")
        if numbering is not None and (numbering.text or "").strip() not in ("", defaults["answernumbering"]):
            self.note(f"answernumbering {numbering.text.strip()} is not kept: it is an export setting of the whole bank ([tool.qbank.exports.moodle])", numbering)
        instruction = q.find("showstandardinstruction")
        if instruction is not None and (instruction.text or "").strip() != "1":
            self.note("showstandardinstruction 0 is not kept: qbank's export leaves Moodle's default (the instruction is shown)", instruction)
        if q.find("shownumcorrect") is None and defaults["shownumcorrect"]:
            self.note("shownumcorrect is off here; qbank's export turns it on for every question ([tool.qbank.exports.moodle])")
        for tag in COMBINED_FEEDBACK:
            element = q.find(tag)
            text = _plain(_text_of(element))
            if text and text != defaults[tag]:
                self.note(f"the {tag} {text!r} is not kept: qbank's export writes the same text for every question ([tool.qbank.exports.moodle])", element)


@register
class MoodleImporter(Importer):
    name = "moodle"
    summary = "Moodle XML: multichoice (single and multiple answer) and truefalse, categories, ids, tags, images"
    suffixes = (".xml",)

    @classmethod
    def detect(cls, path: Path, head: str) -> bool:
        return bool(_DETECT.match(head))

    def read(self, path: Path) -> ImportResult:
        self.source = str(path)
        result = ImportResult()
        self.assets = Assets(result)
        self.current_files: dict[str, bytes] = {}
        try:
            root = parse(path.read_bytes())
        except OSError as exc:
            raise UnreadableSource(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
        except HostileXml as exc:
            result.notes.append(ImportNote(self.source, str(exc), exc.line, exc.column, "error"))
            return result
        if root.tag != "quiz":
            result.notes.append(ImportNote(self.source, f"this is not a Moodle XML question file: its root element is <{root.tag}>, not <quiz>", root.sourceline, severity="error"))
            return result
        files = BankFiles()
        category = ""
        for element in root.iterfind("question"):
            qtype = element.get("type", "")
            if qtype == "category":
                category = self.category(element, result)
                continue
            reader = _Reader(self, element, category, posixpath.dirname(output_name(path.name)))
            if qtype not in SUPPORTED:
                result.skipped.append(f"{reader.label()} ({qtype or 'no type'}, {self.source}:{element.sourceline})")
                result.notes.append(ImportNote(self.source, f"skipped {qtype or 'untyped'} question {reader.label()!r}: qbank has only multichoice and truefalse questions", element.sourceline))
                continue
            question = reader.read()
            result.notes.extend(sorted(reader.notes, key=lambda note: note.line or 0))
            files.take(question)
        result.files.update(files.files(output_name(path.name)))
        return result

    def category(self, element: etree._Element, result: ImportResult) -> str:
        path = _text_of(element.find("category"))
        info = _plain(_text_of(element.find("info")))
        if info:
            result.notes.append(ImportNote(self.source, f"the description of category {path!r} is not kept: qbank categories have none", element.find("info").sourceline))
        idnumber = (element.findtext("idnumber") or "").strip()
        if idnumber:
            result.notes.append(ImportNote(self.source, f"the idnumber {idnumber!r} of category {path!r} is not kept: qbank categories are folder names", element.find("idnumber").sourceline))
        return path

