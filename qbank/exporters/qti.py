"""Canvas question banks: an IMS QTI 1.2 content package (``<bank>.qti.zip``).

Canvas (Classic Quizzes) imports the zip under Settings → Import Course Content →
"QTI .zip file". The package holds:

- ``imsmanifest.xml``: an IMS content package manifest listing every file;
- one ``<ident>/<ident>.xml`` per question bank: a ``<questestinterop>`` with one
  ``<objectbank>`` whose ``bank_title`` metadata names the Canvas question bank, as
  Canvas's own bank export writes it (canvas-lms lib/cc/qti/qti_generator.rb);
- ``images/…``: every local image, referred to as ``$IMS-CC-FILEBASE$/images/…`` as
  text2qti does.

Each item says its Canvas type in ``question_type`` metadata: multiple_choice_question,
multiple_answers_question or true_false_question. A why becomes the feedback of its
answer (a ``respcondition`` on that answer showing ``<answer>_fb``); the explanation
becomes the general feedback (``general_fb``). The documents carry no namespace and no
DOCTYPE, so that each is valid against the QTI 1.2.1 DTD as it is; Canvas's converter
reads elements by name, with or without the namespace.

Identifiers are ``q`` + the start of the SHA-1 of the question id (answers add
``_1``, ``_2`` …), so a re-export of an unchanged bank gives the same bytes. What Canvas
has no field for (tags, difficulty, source, category) is kept in ``qbank_*`` item
metadata, which Canvas ignores. Each stem ends with qbank's source comment
(:mod:`qbank.formats.qti`), inside the HTML of its ``mattext``, so the XML stays valid
against the DTD and ``qbank import`` gives back the question exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from lxml import etree

from qbank.assets import Assets, MissingImage
from qbank.bank import Bank, BankQuestion
from qbank.exporters import Exporter, ExportNote, ExportResult, key_refusal, register, xml_refusal
from qbank.exporters.archive import Deflated, DeflatingSpool, deterministic_zip
from qbank.exporters.parallel import prepared
from qbank.exporters.write import Output
from qbank.formats.qti import Answer, Item, fingerprint
from qbank.formats.source_comment import record, source_comment, split_source_comment
from qbank.model import MULTIPLE, SINGLE, TRUE_FALSE
from qbank.render import ImageMap, render_html, render_inline

CANVAS_TYPES = {
    SINGLE: "multiple_choice_question",
    MULTIPLE: "multiple_answers_question",
    TRUE_FALSE: "true_false_question",
}
MANIFEST_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOM_NS = "http://www.imsglobal.org/xsd/imsmd_v1p2"
FILEBASE = "$IMS-CC-FILEBASE$"
RESPONSE = "response1"
GENERAL_FEEDBACK = "general_fb"


def ident(prefix: str, *parts: str) -> str:
    """A stable identifier: a letter, then 20 hex digits of the SHA-1 of ``parts``."""
    return prefix + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def category_title(category: tuple[str, ...]) -> str:
    """Levels joined with ``/``; a ``/`` inside a level is written ``//`` (as in bank files)."""
    return "/".join(level.replace("/", "//") for level in category)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


# An item has about 80 elements, so its building is kept cheap: etree.SubElement is
# called directly, attributes as a dict (shared when constant), and the constant
# subtrees that repeat (fields, materials, feedback) are copied from templates.
_SubElement = etree.SubElement
_RESPONSE_TEST = {"respident": RESPONSE}
_SCORE = {"varname": "SCORE", "vartype": "Decimal", "minvalue": "0", "maxvalue": "100"}
_SET_FULL_SCORE = {"action": "Set", "varname": "SCORE"}
_GO_ON = {"continue": "Yes"}
_STOP = {"continue": "No"}


def _copy(template: etree._Element) -> etree._Element:
    """A deep copy of a constant subtree: lxml copies in C, twice as fast as building its elements one by one."""
    return template.__deepcopy__(None)


@lru_cache(maxsize=None)
def _field_template(label: str) -> etree._Element:
    """``<qtimetadatafield><fieldlabel>label</fieldlabel><fieldentry/></qtimetadatafield>``."""
    field = etree.Element("qtimetadatafield")
    _SubElement(field, "fieldlabel").text = label
    _SubElement(field, "fieldentry")
    return field


@lru_cache(maxsize=None)
def _material_template(texttype: str) -> etree._Element:
    """``<material><mattext texttype="…"/></material>``."""
    material = etree.Element("material")
    _SubElement(material, "mattext", {"texttype": texttype})
    return material


@lru_cache(maxsize=None)
def _choice_template(texttype: str) -> etree._Element:
    """``<response_label>`` (the ident to set) holding a material."""
    label = etree.Element("response_label", {"ident": ""})
    label.append(_copy(_material_template(texttype)))
    return label


@lru_cache(maxsize=1)
def _feedback_template() -> etree._Element:
    """``<itemfeedback><flow_mat>`` and an HTML material, the ident to set."""
    feedback = etree.Element("itemfeedback", {"ident": ""})
    _SubElement(feedback, "flow_mat").append(_copy(_material_template("text/html")))
    return feedback


def _metadata(parent: etree._Element, fields: list[tuple[str, str]]) -> None:
    metadata = _SubElement(parent, "qtimetadata")
    for label, entry in fields:
        field = _copy(_field_template(label))
        field[1].text = entry
        metadata.append(field)


def _material(parent: etree._Element, html: str, texttype: str = "text/html") -> None:
    material = _copy(_material_template(texttype))
    material[0].text = html
    parent.append(material)


def _feedback(item: etree._Element, feedback_id: str, html: str) -> None:
    feedback = _copy(_feedback_template())
    feedback.set("ident", feedback_id)
    feedback[0][0][0].text = html  # flow_mat/material/mattext
    item.append(feedback)


@lru_cache(maxsize=1)
def _show_feedback_template() -> etree._Element:
    """A condition that shows a feedback (the link to set) and goes on."""
    condition = etree.Element("respcondition", _GO_ON)
    _SubElement(condition, "conditionvar")
    _SubElement(condition, "displayfeedback", {"feedbacktype": "Response", "linkrefid": ""})
    return condition


def _show_feedback(processing: etree._Element, feedback_id: str) -> etree._Element:
    """A condition that shows a feedback and goes on; returns its (empty) ``conditionvar``."""
    condition = _copy(_show_feedback_template())
    condition[1].set("linkrefid", feedback_id)
    processing.append(condition)
    return condition[0]


def _varequal(parent: etree._Element, answer_id: str) -> None:
    _SubElement(parent, "varequal", _RESPONSE_TEST).text = answer_id


@dataclass
class ItemContent:
    """What one question's ``<item>`` says, rendered: the element and its reading come from it."""

    ident: str
    item: BankQuestion
    fields: list[tuple[str, str]]
    stem: str
    answers: list[Answer]
    general_feedback: str | None

    def view(self, bank_title: str) -> Item:
        """The item as :func:`qbank.formats.qti.read_item` reads the element :meth:`element` builds.

        Computed from the content instead of read back from the tree (three times faster);
        a test checks that the two agree.
        """
        question = self.item.question
        stem, comment, problem = split_source_comment(self.stem)
        answers = self.answers
        if question.type != MULTIPLE:  # the scoring condition names the first key only
            key = next((answer for answer in answers if answer.correct), None)
            answers = [Answer(a.ident, a.html, a.texttype, a is key, a.feedback) for a in answers]
        else:
            answers = [Answer(a.ident, a.html, a.texttype, a.correct, a.feedback) for a in answers]
        return Item(
            ident=self.ident, title=question.id, bank_title=bank_title,
            metadata={label.strip(): entry.strip() for label, entry in self.fields},
            stem=stem, stem_type="text/html",
            cardinality="Multiple" if question.type == MULTIPLE else "Single",
            shuffle="Yes" if question.shuffle else "No",
            answers=answers,
            general_feedback=self.general_feedback, comment=comment, comment_problem=problem,
        )

    def element(self, comment: str = "") -> etree._Element:
        """The ``<item>``; ``comment`` ends the stem's HTML (see :func:`seal`)."""
        question = self.item.question
        sub = _SubElement
        element = etree.Element("item", {"ident": self.ident, "title": question.id})
        _metadata(sub(element, "itemmetadata"), self.fields)

        presentation = sub(element, "presentation")
        _material(presentation, self.stem + comment)
        response = sub(presentation, "response_lid", {
            "ident": RESPONSE, "rcardinality": "Multiple" if question.type == MULTIPLE else "Single",
        })
        choices = sub(response, "render_choice", {"shuffle": "Yes" if question.shuffle else "No"})
        for answer in self.answers:
            label = _copy(_choice_template(answer.texttype))
            label.set("ident", answer.ident)
            label[0][0].text = answer.html  # material/mattext
            choices.append(label)

        processing = sub(element, "resprocessing")
        sub(sub(processing, "outcomes"), "decvar", _SCORE)
        if self.general_feedback is not None:
            sub(_show_feedback(processing, GENERAL_FEEDBACK), "other")
        for answer in self.answers:
            if answer.feedback is not None:
                _varequal(_show_feedback(processing, f"{answer.ident}_fb"), answer.ident)
        condition = sub(processing, "respcondition", _STOP)
        when = sub(condition, "conditionvar")
        if question.type == MULTIPLE:
            every = sub(when, "and")
            for answer in self.answers:
                _varequal(every if answer.correct else sub(every, "not"), answer.ident)
        else:
            _varequal(when, next(answer.ident for answer in self.answers if answer.correct))
        sub(condition, "setvar", _SET_FULL_SCORE).text = "100"

        if self.general_feedback is not None:
            _feedback(element, GENERAL_FEEDBACK, self.general_feedback)
        for answer in self.answers:
            if answer.feedback is not None:
                _feedback(element, f"{answer.ident}_fb", answer.feedback)
        return element


def item_content(item: BankQuestion, image_map: ImageMap) -> ItemContent:
    """One question's item content: metadata fields, and every text rendered to HTML."""
    question = item.question
    item_id = ident("q", question.id)
    answer_ids = [f"{item_id}_{number}" for number in range(1, len(question.options) + 1)]
    fields = [
        ("question_type", CANVAS_TYPES[question.type]),
        ("points_possible", repr(float(question.points))),
        ("original_answer_ids", ",".join(answer_ids)),
        ("qbank_id", question.id),
        ("qbank_category", category_title(item.category)),
    ]
    fields += [(label, value) for label, value in (
        ("qbank_tags", ",".join(item.tags)),
        ("qbank_difficulty", question.difficulty or ""),
        ("qbank_source", question.source or ""),
    ) if value]
    stem = render_html(question.stem, image_map)
    answers = []
    for answer_id, option in zip(answer_ids, question.options):
        if question.type == TRUE_FALSE:
            html, texttype = option.text.strip(), "text/plain"
        else:
            html, texttype = render_inline(option.text, image_map), "text/html"
        answers.append(Answer(answer_id, html, texttype, option.correct, None))
    general = render_html(question.explanation, image_map) if question.explanation else None
    for answer, option in zip(answers, question.options):
        if option.why:
            answer.feedback = render_html(option.why, image_map)
    return ItemContent(item_id, item, fields, stem, answers, general)


def build_item(item: BankQuestion, image_map: ImageMap) -> etree._Element:
    """One question as a QTI ``<item>``."""
    return item_content(item, image_map).element()


def seal(data: dict[str, Any], view: Item) -> str:
    """qbank's source comment that ends the item's stem: ``data`` plus the fingerprint of the item as read back."""
    data["fingerprint"] = fingerprint(view)
    return source_comment(data)


def objectbank_ends(bank_id: str, title: str) -> tuple[bytes, bytes]:
    """The bank file's bytes before its items (its metadata) and after them; each item between is
    serialised by :func:`item_bytes`."""
    root = etree.Element("questestinterop")
    objectbank = _sub(root, "objectbank", ident=bank_id)
    _metadata(objectbank, [("bank_title", title)])
    head, tail = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).split(b"  </objectbank>\n")
    return head, b"  </objectbank>\n" + tail


def item_bytes(item: etree._Element) -> bytes:
    """One item as it reads inside a pretty-printed bank file (two levels deep).

    Serialising items one by one keeps a large bank from holding every item's tree
    at once; the item is printed inside an empty bank of the same shape, so its
    indentation is byte for byte what printing the whole file would give.
    """
    root = etree.Element("questestinterop")
    _sub(root, "objectbank").append(item)
    text = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return text[text.index(b"\n    <item") + 1 : text.rindex(b"  </objectbank>")]


def build_manifest(manifest_id: str, title: str, banks: list[tuple[str, str]], images: list[str]) -> bytes:
    """The content package manifest: one QTI resource per bank file, one per image."""
    nsmap = {None: MANIFEST_NS, "imsmd": LOM_NS}
    manifest = etree.Element(f"{{{MANIFEST_NS}}}manifest", identifier=manifest_id, nsmap=nsmap)

    def sub(parent, tag, text=None, ns=MANIFEST_NS, **attributes):
        return _sub(parent, f"{{{ns}}}{tag}", text, **attributes)

    metadata = sub(manifest, "metadata")
    sub(metadata, "schema", "IMS Content")
    sub(metadata, "schemaversion", "1.1.3")
    lom_title = sub(sub(sub(metadata, "lom", ns=LOM_NS), "general", ns=LOM_NS), "title", ns=LOM_NS)
    sub(lom_title, "string", title, ns=LOM_NS)
    sub(manifest, "organizations")
    resources = sub(manifest, "resources")
    for bank_id, href in banks:
        resource = sub(resources, "resource", identifier=bank_id, type="imsqti_xmlv1p2", href=href)
        sub(resource, "file", href=href)
    for name in images:
        href = f"images/{name}"
        resource = sub(resources, "resource", identifier=ident("i", name), type="webcontent", href=href)
        sub(resource, "file", href=href)
    return etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@register
class QtiExporter(Exporter):
    """Canvas question banks as a QTI 1.2 zip; see the module docstring for the layout."""

    name = "qti"
    summary = "Canvas question banks: IMS QTI 1.2 content package (.qti.zip)"
    extension = ".qti.zip"
    defaults: dict[str, Any] = {"bank_title": None, "source_comment": True}
    """bank_title: put every question in one Canvas bank of this name (default: one bank per category).
    source_comment: end each stem with the qbank comment that lets `qbank import` restore the question."""

    def write(self, bank: Bank, bank_name: str, output: Output, result: ExportResult, progress=None) -> None:
        assets = Assets(link=lambda name: f"{FILEBASE}/images/{quote(name)}")

        def prepare(item: BankQuestion) -> tuple[str, bytes, dict[str, bytes], list[MissingImage]] | str:
            """The item's bank title and bytes, the images it uses and those it could not find; or why it is refused."""
            if (refusal := xml_refusal(item) or key_refusal(item.question)) is not None:
                return refusal
            title = self.options["bank_title"] or category_title(item.category) or bank_name
            images: dict[str, str] = {}
            missing = len(assets.missing)
            content = item_content(item, assets.mapper(item, images))
            comment = ""
            if self.options["source_comment"]:
                comment = seal(record(bank, item, "", images, index=True), content.view(title))
            element = content.element(comment)
            used = {name: assets.files[name] for name in images.values()}
            return title, item_bytes(element), used, assets.missing[missing:]

        images: dict[str, bytes] = {}
        not_found: list[MissingImage] = []
        ends: dict[str, tuple[str, bytes]] = {}
        """Bank title → its bank's identifier and the bytes that end its file."""
        # Each bank file is deflated as its items come back from the workers, on the core they leave
        # free, instead of all of them after the last item.
        spool = DeflatingSpool()
        try:
            for item, prepared_item in prepared(bank, prepare, self.jobs):
                if progress:
                    progress(1)
                if isinstance(prepared_item, str):
                    result.notes.append(ExportNote(prepared_item, item.id, "error", item.file.loaded.name))
                    continue
                title, data, used, missing = prepared_item
                if title not in ends:
                    bank_id = ident("b", bank_name, title)
                    head, tail = objectbank_ends(bank_id, title)
                    ends[title] = bank_id, tail
                    spool.write(title, head)
                spool.write(title, data)
                images.update(used)
                not_found.extend(missing)

            files: dict[str, bytes | Deflated] = {}
            banks = []
            for title in spool.names:
                bank_id, tail = ends[title]
                href = f"{bank_id}/{bank_id}.xml"
                files[href] = spool.finish(title, tail)
                banks.append((bank_id, href))
            for name, data in images.items():
                files[f"images/{name}"] = data
            files["imsmanifest.xml"] = build_manifest(ident("m", bank_name), bank_name, banks, sorted(images))
            with output.open(bank_name + self.extension) as out:
                deterministic_zip(files, out)
        finally:
            spool.close()
        result.notes.extend(
            ExportNote(f"image {m.src!r} not found; its link is left as written", m.question_id, file=m.file)
            for m in not_found
        )
