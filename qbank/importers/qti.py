"""QTI 1.2 (Canvas Classic Quizzes and qbank's own ``.qti.zip``) back into bank files.

A source is a zip (a QTI content package: every ``.xml`` or ``.xml.qti`` document in
it whose root is ``<questestinterop>``) or one such XML file. Items are read by
meaning (:mod:`qbank.formats.qti`), in the ``ims_qtiasiv1p2`` namespace or without one:

- an item whose stem ends with qbank's comment, while the fingerprint matches, is
  restored exactly (Markdown, every field, its file, its images from the package);
- other items of the types qbank models are read from their HTML: Canvas's
  ``multiple_choice_question``, ``multiple_answers_question`` and
  ``true_false_question`` (also their Common Cartridge profiles), and items without
  a Canvas type that are one choice interaction (``response_lid`` with
  ``render_choice``: single or multiple by its cardinality). The category is the
  bank's or the quiz's title; images are taken from the package
  (``$IMS-CC-FILEBASE$/…`` links and paths relative to the document);
- every other item (essay, matching, numerical, fill in the blanks…) is skipped and
  listed with its title and ident; what an item has that qbank cannot carry
  (partial credit, feedback for a right or wrong answer as a whole, a question
  group drawing from a bank elsewhere) is reported.

A Common Cartridge export holds each Canvas quiz twice (``<id>/assessment_qti.xml``
for other tools, ``non_cc_assessments/<id>.xml.qti`` for Canvas); only the second is
read. The XML is read by :mod:`qbank.importers.safe_xml` (no DTD, no entities, no
network); a ``DOCTYPE`` that only names the QTI DTD, as some tools write, is dropped first.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from qbank.exporters.qti import CANVAS_TYPES, FILEBASE
from qbank.formats import finite_number
from qbank.formats.qti import Item, fingerprint, metadata, read_item, strip_namespaces
from qbank.importers import ImportNote, ImportResult, Importer, UnreadableSource, register
from qbank.importers.detect import zip_names
from qbank.importers.html_markdown import html_to_markdown, kept_html_message, text_to_markdown
from qbank.importers.ids import IdMaker, is_valid_id
from qbank.importers.restore import CHANGED, Assets, BankFiles, Restored, UnusableComment, from_comment
from qbank.importers.safe_xml import HostileXml, parse
from qbank.importers.shape import as_block, escape_category_level, output_name
from qbank.model import MULTIPLE, SINGLE, TRUE_FALSE

TYPES = {canvas: ours for ours, canvas in CANVAS_TYPES.items()}
TYPES.update({"cc.multiple_choice.v0p1": SINGLE, "cc.multiple_response.v0p1": MULTIPLE, "cc.true_false.v0p1": TRUE_FALSE})
_DETECT = re.compile(r"^\ufeff?\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE questestinterop[^>\[]*>\s*)?<(\w+:)?questestinterop[\s>/]", re.DOTALL)
_PLAIN_DOCTYPE = re.compile(rb"<!DOCTYPE\s+questestinterop\s+(SYSTEM|PUBLIC)\s[^>\[]*>", re.IGNORECASE)
_IMG_SRC = re.compile(r"(<img\b[^>]*?\bsrc\s*=\s*)([\"'])(.*?)\2", re.IGNORECASE | re.DOTALL)
NOT_IN_QTI = "its difficulty, source and lint settings, which QTI does not hold, are not restored"


def documents(path: Path, data: bytes) -> tuple[dict[str, bytes], list[tuple[str, bytes]]]:
    """(every file of the package by name, the QTI documents to read in order); one document for an XML file."""
    if not data.startswith(b"PK\x03\x04"):
        return {}, [(path.name, data)]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            files = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableSource(f"{path}: this is not a readable zip file ({exc})") from exc
    canvas_copies = {posixpath.basename(name)[: -len(".xml.qti")] for name in files if name.startswith("non_cc_assessments/")}
    chosen = [
        (name, content) for name, content in sorted(files.items())
        if name.endswith((".xml", ".xml.qti")) and name != "imsmanifest.xml"
        and not (name.endswith("/assessment_qti.xml") and posixpath.dirname(name) in canvas_copies)
        and b"questestinterop" in content[:4096]
    ]
    return files, chosen


class _Reader:
    """Reads the items of one document into questions, with notes on what is lost."""

    def __init__(self, importer: QtiImporter, document: str, files: dict[str, bytes], result: ImportResult, folder: str) -> None:
        self.importer = importer
        self.document = document
        self.files = files
        self.result = result
        self.folder = folder
        self.by_name = {posixpath.basename(name): data for name, data in files.items()}
        """The package's files by name, for images restored from qbank's comment (qbank bundles them by name)."""

    @property
    def where(self) -> str:
        """The source for messages: the file, or ``package.zip!folder/document.xml``."""
        return f"{self.importer.source}!{self.document}" if self.files else self.importer.source

    def note(self, message: str, element: etree._Element | None = None) -> None:
        self.result.notes.append(ImportNote(self.where, message, element.sourceline if element is not None else None))

    def read(self, element: etree._Element, bank_title: str) -> dict[str, Any] | Restored | None:
        item = read_item(element, bank_title)
        label = item.title or item.ident or "(no title)"
        kind = TYPES.get(item.metadata.get("question_type") or item.metadata.get("cc_profile") or "")
        if kind is None and not (item.metadata.get("question_type") or item.metadata.get("cc_profile")) and item.answers:
            kind = MULTIPLE if (item.cardinality or "").lower() == "multiple" else SINGLE
        if kind is None:
            qtype = item.metadata.get("question_type") or item.metadata.get("cc_profile") or "no choice interaction"
            self.result.skipped.append(f"{label} ({qtype}, ident {item.ident}, {self.where}:{element.sourceline})")
            self.note(f"skipped the item {label!r} ({qtype}): qbank has only multiple choice, multiple answers and true/false questions", element)
            return None
        if item.comment_problem:
            self.note(f"{item.comment_problem}; the item was read from its HTML, and {NOT_IN_QTI}", element)
        elif item.comment is not None:
            if item.comment.get("fingerprint") != fingerprint(item):
                self.note(f"the item was {CHANGED}; it was read from its HTML, so its Markdown comes from the HTML, and {NOT_IN_QTI}", element)
            else:
                try:
                    return self.restore(item.comment, element)
                except UnusableComment as exc:
                    self.note(f"{exc}; the item was read from its HTML, and {NOT_IN_QTI}", element)
        return self.from_html(item, kind, element)

    def restore(self, comment: dict[str, Any], element: etree._Element) -> Restored:
        restored = from_comment(comment, self.importer.ids)
        for message in self.importer.assets.restore_images(restored, self.by_name, "the package"):
            self.note(message, element)
        return restored

    # -- items from other tools -------------------------------------------------------------------

    def markdown(self, text: str, texttype: str, what: str, element: etree._Element) -> str:
        if texttype.lower() != "text/html":
            return text_to_markdown(text)
        converted = html_to_markdown(self.link_images(text, what, element))
        if converted.kept_html:
            self.note(kept_html_message(what, converted.kept_html), element)
        return converted.markdown

    def link_images(self, html: str, what: str, element: etree._Element) -> str:
        def link(match: re.Match) -> str:
            src = match.group(3)
            data, name = self.find_file(src)
            if data is None:
                if not re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE):
                    self.note(f"the {what} shows the image {src!r}, which the package does not hold; the link was kept", element)
                return match.group()
            return match.group(1) + match.group(2) + self.importer.assets.beside(self.folder, name, data) + match.group(2)

        return _IMG_SRC.sub(link, html)

    def find_file(self, src: str) -> tuple[bytes | None, str]:
        """A file of the package that an image link names: by path from the package root, the document, or web_resources/."""
        path = unquote(src.split("?", 1)[0].split("#", 1)[0]).replace("\\", "/")
        for prefix in (FILEBASE + "/", "%24IMS-CC-FILEBASE%24/"):
            if path.startswith(prefix):
                path = path[len(prefix):]
        candidates = [path, posixpath.normpath(posixpath.join(posixpath.dirname(self.document), path)), "web_resources/" + path]
        for candidate in candidates:
            if candidate in self.files:
                return self.files[candidate], candidate
        return None, path

    def from_html(self, item: Item, kind: str, element: etree._Element) -> dict[str, Any]:
        meta = item.metadata
        stem = self.markdown(item.stem, item.stem_type, "stem", element)
        options = []
        for number, answer in enumerate(item.answers, 1):
            text = self.markdown(answer.html, answer.texttype, f"answer {number}", element)
            why = self.markdown(answer.feedback, "text/html", f"feedback of answer {number}", element) if answer.feedback else None
            options.append({"text": text, "correct": answer.correct, "why": why or None})
            if answer.score is not None and not answer.correct:
                self.note(f"answer {number} gives {answer.score:g} of the score; qbank's options are right or wrong, so it was imported as a wrong option", element)
        for link in item.other_feedback:
            what = {"correct_fb": "the feedback for a right answer", "general_incorrect_fb": "the feedback for a wrong answer"}.get(link, f"the feedback {link!r}")
            self.note(f"{what} is not kept: qbank has only a general explanation and a why per option", element)
        question: dict[str, Any] = {
            "id": None,
            "type": kind,
            "difficulty": meta.get("qbank_difficulty") or None,
            "tags": [t for t in meta.get("qbank_tags", "").split(",") if t],
            "category": meta.get("qbank_category") or escape_category_level(item.bank_title) or None,
            "source": meta.get("qbank_source") or None,
            "stem": as_block(stem),
            "options": options,
            "explanation": as_block(self.markdown(item.general_feedback, "text/html", "general feedback", element)) if item.general_feedback else None,
        }
        if item.shuffle in ("Yes", "No"):
            question["shuffle"] = item.shuffle == "Yes"
        points = meta.get("points_possible")
        try:
            value = finite_number(points) if points else 1.0
        except ValueError:
            value = 0.0
        if value <= 0:
            self.note(f"points_possible is {points!r}; qbank's points must be a finite number above 0, so it was imported as 1", element)
            value = 1.0
        question["points"] = value
        if kind == TRUE_FALSE and [o["text"] for o in options] != ["True", "False"]:
            self.note(f"a true/false item has the answers {[o['text'] for o in options]}, not True and False; it was imported as a single-answer question", element)
            question["type"] = SINGLE
        question["id"] = self.identify(meta.get("qbank_id", ""), stem, self.importer.ids)
        return question

    @staticmethod
    def identify(given: str, stem: str, ids: IdMaker) -> str:
        return ids.keep(given) if given and is_valid_id(given) else ids.generate(stem)


def _containers(root: etree._Element):
    """(element holding items directly, its title): the root, every object bank, assessment and section."""
    yield root, ""
    for container in root.iter("objectbank", "assessment", "section"):
        title = metadata(container).get("bank_title") or container.get("title") or ""
        if container.tag == "section" and (not title or container.get("ident") == "root_section"):
            assessment = next(container.iterancestors("assessment"), None)
            title = assessment.get("title", "") if assessment is not None else title
        yield container, title


@register
class QtiImporter(Importer):
    name = "qti"
    summary = "QTI 1.2 (Canvas quizzes and banks, qbank's .qti.zip): choice items restored or read from HTML, images"
    suffixes = (".zip", ".qti")
    signature = True

    @classmethod
    def detect(cls, path: Path, head: str) -> bool:
        names = zip_names(path, head)
        if names:
            return "imsmanifest.xml" in names and any(n.endswith((".xml", ".xml.qti")) for n in names if n != "imsmanifest.xml")
        return bool(_DETECT.match(head))

    def read(self, path: Path) -> ImportResult:
        self.source = str(path)
        result = ImportResult()
        self.assets = Assets(result)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableSource(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
        files, chosen = documents(path, data)
        if not chosen:
            result.notes.append(ImportNote(self.source, "this package holds no QTI document (an XML file whose root is <questestinterop>)", severity="error"))
            return result
        own = output_name(path.name)
        bank = BankFiles()
        for name, content in chosen:
            where = self.source if not files else f"{self.source}!{name}"
            try:
                root = parse(_PLAIN_DOCTYPE.sub(b"", content, count=1))
            except HostileXml as exc:
                result.notes.append(ImportNote(where, str(exc).replace("Moodle never writes one", "QTI needs none"), exc.line, exc.column, "error"))
                return result
            strip_namespaces(root)
            if root.tag != "questestinterop":
                continue
            reader = _Reader(self, name, files, result, posixpath.dirname(own))
            for container, title in _containers(root):
                for selection in container.iterfind("selection_ordering/selection/sourcebank_ref"):
                    reader.note(f"the question group {container.get('title') or container.get('ident')!r} draws its questions from the bank {(selection.text or '').strip()!r}, which is not in this file; import that bank's export as well", container)
                for element in container.iterfind("item"):
                    bank.take(reader.read(element, title))
        result.files.update(bank.files(own))
        return result
