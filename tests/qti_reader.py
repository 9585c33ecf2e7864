"""A small reader of QTI 1.2 packages, to check what our zip means, not how it looks.

It reads answers' correctness from the response processing (the condition that sets
SCORE to 100) and each answer's feedback by following ``displayfeedback`` links to
``itemfeedback``, as an LMS does; it never trusts our own metadata for either.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass
class Answer:
    ident: str
    html: str
    texttype: str
    correct: bool = False
    feedback: str | None = None


@dataclass
class Item:
    ident: str
    title: str
    bank_title: str
    metadata: dict[str, str]
    stem: str
    cardinality: str
    shuffle: str
    answers: list[Answer] = field(default_factory=list)
    general_feedback: str | None = None


@dataclass
class Package:
    files: dict[str, bytes]
    manifest: etree._Element
    documents: dict[str, etree._Element]
    items: list[Item]


def _fields(container: etree._Element) -> dict[str, str]:
    return {
        f.findtext("fieldlabel"): f.findtext("fieldentry") or ""
        for f in container.findall("qtimetadata/qtimetadatafield")
    }


def _read_item(element: etree._Element, bank_title: str) -> Item:
    lid = element.find("presentation/response_lid")
    item = Item(
        ident=element.get("ident"),
        title=element.get("title"),
        bank_title=bank_title,
        metadata=_fields(element.find("itemmetadata")),
        stem=element.findtext("presentation/material/mattext"),
        cardinality=lid.get("rcardinality"),
        shuffle=lid.find("render_choice").get("shuffle"),
    )
    answers = {}
    for label in lid.findall("render_choice/response_label"):
        text = label.find("material/mattext")
        answers[label.get("ident")] = Answer(label.get("ident"), text.text, text.get("texttype"))
    item.answers = list(answers.values())
    feedback = {f.get("ident"): f.findtext("flow_mat/material/mattext") for f in element.findall("itemfeedback")}
    for condition in element.findall("resprocessing/respcondition"):
        when = condition.find("conditionvar")
        shown = [feedback[d.get("linkrefid")] for d in condition.findall("displayfeedback")]
        scores = condition.findtext("setvar")
        if scores == "100":
            if when.find("and") is not None:
                for test in when.find("and"):
                    if test.tag == "varequal":
                        answers[test.text].correct = True
            else:
                answers[when.findtext("varequal")].correct = True
        elif when.find("other") is not None:
            item.general_feedback = shown[0]
        elif when.find("varequal") is not None:
            answers[when.findtext("varequal")].feedback = shown[0]
    return item


def read_package(data: bytes) -> Package:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = etree.fromstring(files["imsmanifest.xml"], SAFE_PARSER)
    documents, items = {}, []
    for name, content in files.items():
        if name.endswith(".xml") and name != "imsmanifest.xml":
            root = etree.fromstring(content, SAFE_PARSER)
            documents[name] = root
            bank = root.find("objectbank")
            title = _fields(bank)["bank_title"]
            items += [_read_item(element, title) for element in bank.findall("item")]
    return Package(files, manifest, documents, items)
