"""Moodle XML: a question bank file that Moodle's importer takes as it is.

What Moodle's importer (moodle/moodle ``question/format/xml/format.php``) needs, and
how this exporter meets it:

- every question follows a category pseudo-question ``$course$/top/<bank>/<levels>``,
  a ``/`` inside one level written ``//`` (``qformat_default::assemble_category_path``);
- every answer fraction is one of Moodle's grades (``question_bank::fraction_options_full``),
  written with 5 decimals; a question without an exact grade is refused, never rounded;
- ``<single>``, ``<shuffleanswers>`` and ``<answernumbering>`` are always written,
  because an absent ``<shuffleanswers>`` means false and ``no`` would mean true;
- HTML goes in CDATA, a ``]]>`` split across two sections; images travel as
  ``<file encoding="base64">`` in the element whose HTML says ``@@PLUGINFILE@@/name``;
- each question text ends with qbank's source comment (:mod:`qbank.formats.moodle`),
  so that ``qbank import`` gives back the question exactly, Markdown and all
  (:mod:`qbank.formats.source_comment`).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

from lxml import etree

from qbank.bank import Bank, BankQuestion
from qbank.exporters import Exporter, ExportNote, ExportResult, register, xml_refusal
from qbank.exporters.media import Media, MissingImage
from qbank.model.fields import markdown_texts
from qbank.exporters.parallel import prepared
from qbank.exporters.write import Output
from qbank.formats.moodle import DEFAULT_PENALTY, View, assemble_category_path, fingerprint, plain_name
from qbank.formats.source_comment import record, source_comment
from qbank.grades import NoExactGrade, format_fraction, option_fractions
from qbank.model import MULTIPLE, SINGLE, TRUE_FALSE
from qbank.render import render_html, render_inline

NUMBERINGS = ("abc", "ABCD", "123", "iii", "IIII", "none")


category_path = assemble_category_path


_INDENTS = ["\n" + "  " * depth for depth in range(32)]


class _Tree:
    """Builds a question as an lxml tree, printed at once (``pretty_print`` indents two spaces a level).

    Twice as quick as the streaming :class:`_Writer`, which is kept for a text holding ``]]>``:
    Moodle's writer splits it across two CDATA sections, and a tree holds one section per text.
    """

    def __init__(self) -> None:
        self.parent = etree.Element("quiz")

    def element(self, tag: str, attrs: dict[str, str] | None = None):
        return _Within(self, tag, attrs)

    def leaf(self, tag: str, value: str | None = None, attrs: dict[str, str] | None = None) -> None:
        etree.SubElement(self.parent, tag, attrs).text = value or ""  # "": <tag></tag>, as the writer prints it

    def cdata_text(self, value: str) -> None:
        if "]]>" in value:
            raise _SplitCData
        etree.SubElement(self.parent, "text").text = etree.CDATA(value) if value else ""


class _SplitCData(Exception):
    """A text holds ``]]>``: the question is written by :class:`_Writer` instead."""


class _Within:
    def __init__(self, tree: _Tree, tag: str, attrs: dict[str, str] | None) -> None:
        self.tree, self.tag, self.attrs = tree, tag, attrs

    def __enter__(self):
        self.outer = self.tree.parent
        self.tree.parent = etree.SubElement(self.outer, self.tag, self.attrs)
        return self

    def __exit__(self, *exc) -> None:
        self.tree.parent = self.outer


class _Writer:
    """Streams the document through lxml's incremental writer, indented two spaces a level."""

    def __init__(self, xf) -> None:
        self.xf = xf
        self.depth = 0

    def newline(self) -> None:
        self.xf.write(_INDENTS[self.depth])

    def element(self, tag: str, attrs: dict[str, str] | None = None):
        return _Nested(self, tag, attrs or {})

    def leaf(self, tag: str, value: str | None = None, attrs: dict[str, str] | None = None) -> None:
        self.newline()
        with self.xf.element(tag, attrs or {}):
            if value:
                self.xf.write(value)

    def cdata_text(self, value: str) -> None:
        """``<text>`` holding ``value`` in CDATA; each ``]]>`` splits the section in two."""
        self.newline()
        with self.xf.element("text"):
            if not value:
                return
            if "]]>" not in value and value[-1] != "]":  # the common case: one section as it is
                self.xf.write(etree.CDATA(value))
                return
            pieces = value.split("]]>")
            for index, piece in enumerate(pieces):
                head = ">" if index else ""
                tail = "]]" if index < len(pieces) - 1 else ""
                content = head + piece + tail
                # lxml 6.1 / libxml2 2.14 crash (segfault) writing a CDATA section that ends in exactly one "]"
                # through xmlfile; that "]" goes after the section as text, which XML reads the same.
                if content.endswith("]") and not content.endswith("]]"):
                    self.xf.write(etree.CDATA(content[:-1]) if content[:-1] else "")
                    self.xf.write("]")
                else:
                    self.xf.write(etree.CDATA(content))


class _Nested:
    def __init__(self, writer: _Writer, tag: str, attrs: dict[str, str]) -> None:
        self.writer, self.tag, self.attrs = writer, tag, attrs

    def __enter__(self):
        self.writer.newline()
        self.context = self.writer.xf.element(self.tag, self.attrs)
        self.context.__enter__()
        self.writer.depth += 1
        return self

    def __exit__(self, *exc) -> None:
        self.writer.depth -= 1
        self.writer.newline()
        self.context.__exit__(*exc)


def _fragment(write: Callable[[_Tree | _Writer], None]) -> bytes:
    """What ``write`` puts in the document at the first level, serialised on its own (escaping needs no context)."""
    tree = _Tree()
    try:
        write(tree)
    except _SplitCData:
        return _streamed(write)
    return etree.tostring(tree.parent, encoding="UTF-8", pretty_print=True)[len(b"<quiz>") : -len(b"\n</quiz>\n")]


def _streamed(write: Callable[[_Writer], None]) -> bytes:
    """:func:`_fragment` through lxml's incremental writer."""
    out = io.BytesIO()
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        with xf.element("quiz"):
            writer = _Writer(xf)
            writer.depth = 1
            write(writer)
    return out.getvalue()[len(b"<quiz>") : -len(b"</quiz>")]


def _frame() -> tuple[bytes, bytes]:
    """The document around the questions: the declaration and ``<quiz>``; its end, and the final newline."""
    out = io.BytesIO()
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("quiz"):
            _Writer(xf).newline()
    document = out.getvalue()
    end = document.rindex(b"\n</quiz>")
    return document[:end], document[end:] + b"\n"


class _Refused(Exception):
    pass


@register
class MoodleExporter(Exporter):
    """Moodle XML (Question bank > Import > Moodle XML format)."""

    name = "moodle"
    summary = "Moodle XML: categories, multichoice and truefalse questions, images embedded."
    extension = ".moodle.xml"
    defaults: dict[str, Any] = {
        "root": "$course$/top",
        "wrong": "negative-share",
        "answernumbering": "abc",
        "penalty": 0.3333333,
        "shownumcorrect": True,
        "correctfeedback": "Your answer is correct.",
        "partiallycorrectfeedback": "Your answer is partially correct.",
        "incorrectfeedback": "Your answer is incorrect.",
        "source_comment": True,
    }

    def __init__(self, options: dict[str, Any] | None = None, jobs: int | None = 1) -> None:
        super().__init__(options, jobs)
        if self.options["answernumbering"] not in NUMBERINGS:
            raise ValueError(f"export moodle: answernumbering must be one of {', '.join(NUMBERINGS)}")
        if self.options["wrong"] not in ("negative-share", "zero"):
            raise ValueError("export moodle: wrong must be negative-share or zero")

    def write(self, bank: Bank, bank_name: str, output: Output, result: ExportResult, progress=None) -> None:
        """Each question is rendered and serialised on its own (in a worker process for a large
        bank), then written between the document's head and tail in bank order."""
        media = Media(bank)

        def prepare(item: BankQuestion) -> tuple[tuple[str, ...], bytes | None, str | None]:
            """The question's category levels, and its XML or why it is refused."""
            levels = (bank_name, *item.category)
            try:
                body = self._question(bank, item, media, category_path(self.options["root"], levels))
            except (_Refused, NoExactGrade, MissingImage) as exc:
                return levels, None, str(exc)
            return levels, _fragment(body), None

        head, tail = _frame()
        with output.open(bank_name + self.extension) as out:
            out.write(head)
            current = None
            for item, (levels, body, refused) in prepared(bank, prepare, self.jobs):
                if progress:
                    progress(1)
                if refused is not None:
                    result.notes.append(ExportNote(refused, item.id, "error", item.file.loaded.name))
                    continue
                if levels != current:
                    out.write(_fragment(lambda writer: self._category(writer, category_path(self.options["root"], levels))))
                    current = levels
                out.write(body)
            out.write(tail)

    def _category(self, writer: _Writer, path: str) -> None:
        with writer.element("question", {"type": "category"}):
            with writer.element("category"):
                writer.cdata_text(path)
            with writer.element("info", {"format": "html"}):
                writer.cdata_text("")

    def _question(self, bank: Bank, item: BankQuestion, media: Media, category: str):
        """Check and render everything first, so a refused question writes nothing."""
        q = item.question
        if (refusal := xml_refusal(item)) is not None:
            raise _Refused(refusal)
        fractions = option_fractions([o.correct for o in q.options], q.type == MULTIPLE, self.options["wrong"])
        plugin = media.mapper(item, lambda image: "@@PLUGINFILE@@/" + image.name)

        def rich(text: str | None, inline: bool = False):
            html = (render_inline if inline else render_html)(text, plugin)
            return html, media.images(item, text)

        stem = rich(q.stem)
        general = rich(q.explanation)
        answers = [(rich(o.text, inline=True), rich(o.why), fraction, o) for o, fraction in zip(q.options, fractions)]
        qtype = "truefalse" if q.type == TRUE_FALSE else "multichoice"
        answer_texts = [o.text.strip().casefold() if qtype == "truefalse" else text for (text, _), _, _, o in answers]
        stem_html = stem[0]
        if self.options["source_comment"]:
            view = View(
                qtype, category, stem[0], general[0], q.points, q.id,
                q.type == SINGLE if qtype == "multichoice" else None, q.shuffle if qtype == "multichoice" else None,
                tuple((f, t, why[0]) for t, (_, why, f, _) in zip(answer_texts, answers)), item.tags,
            )
            stem_html += self._comment(bank, item, media, view)

        def write(w: _Writer) -> None:
            with w.element("question", {"type": qtype}):
                with w.element("name"):
                    w.cdata_text(plain_name(stem[0], q.id))
                self._rich(w, "questiontext", stem_html, stem[1])
                self._rich(w, "generalfeedback", *general)
                w.leaf("defaultgrade", f"{q.points:.7f}")
                w.leaf("penalty", f"{DEFAULT_PENALTY['truefalse']:.7f}" if qtype == "truefalse" else f"{self.options['penalty']:.7f}")
                w.leaf("hidden", "0")
                w.leaf("idnumber", q.id)
                if qtype == "multichoice":
                    w.leaf("single", "false" if q.type == MULTIPLE else "true")
                    w.leaf("shuffleanswers", "true" if q.shuffle else "false")
                    w.leaf("answernumbering", self.options["answernumbering"])
                    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
                        with w.element(tag, {"format": "html"}):
                            w.cdata_text(self.options[tag])
                    if self.options["shownumcorrect"]:
                        w.leaf("shownumcorrect")
                for ((text, images), why, fraction, option), literal in zip(answers, answer_texts):
                    if qtype == "truefalse":
                        with w.element("answer", {"fraction": format_fraction(fraction), "format": "moodle_auto_format"}):
                            w.leaf("text", literal)
                            self._rich(w, "feedback", *why)
                    else:
                        with w.element("answer", {"fraction": format_fraction(fraction), "format": "html"}):
                            w.cdata_text(text)
                            self._files(w, images)
                            self._rich(w, "feedback", *why)
                if item.tags:
                    with w.element("tags"):
                        for tag in item.tags:
                            with w.element("tag"):
                                w.cdata_text(tag)

        return write

    @staticmethod
    def _comment(bank: Bank, item: BankQuestion, media: Media, view: View) -> str:
        """The source comment: the question as written, its file, its images and the view's fingerprint."""
        images = {image.src: image.name for text in markdown_texts(item.question) for image in media.images(item, text)}
        return source_comment(record(bank, item, fingerprint(view), images))

    def _rich(self, w: _Writer, tag: str, html: str, images) -> None:
        with w.element(tag, {"format": "html"}):
            w.cdata_text(html)
            self._files(w, images)

    def _files(self, w: _Writer, images) -> None:
        seen = set()
        for image in images:
            if image.name in seen:
                continue
            seen.add(image.name)
            w.leaf("file", base64.b64encode(image.data).decode("ascii"), {"name": image.name, "path": "/", "encoding": "base64"})
