"""Read a QTI 1.2 package the way the import does, to check what our zip means, not how it looks.

Items are read by qbank's own reader (:func:`qbank.formats.qti.read_item`), which takes
answers' correctness from the response processing and feedback from ``displayfeedback``
links, as an LMS does, never from our ``qbank_*`` metadata; the DTD check in the tests
judges the documents independently of it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from lxml import etree

from qbank.formats.qti import Item, metadata, read_item

SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass
class Package:
    files: dict[str, bytes]
    manifest: etree._Element
    documents: dict[str, etree._Element]
    items: list[Item]


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
            title = metadata(bank)["bank_title"]
            items += [read_item(element, title) for element in bank.findall("item")]
    return Package(files, manifest, documents, items)
