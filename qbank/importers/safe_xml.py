"""Parse an XML file that may be hostile: no DTD, no entities, no network, line numbers kept.

defusedxml reads the bytes first and refuses any DOCTYPE (so no entity can be
declared, expanded or fetched: no "billion laughs", no external entity reading
``/etc/passwd`` or a URL). Only a document that passes is parsed again by lxml,
with entity resolution, DTD loading and the network turned off, for the line
number of each element (``element.sourceline``).
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree
from defusedxml import DefusedXmlException
from lxml import etree

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


class HostileXml(ValueError):
    """The document is malformed or holds a construct qbank refuses; ``line`` where known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def _line_of(data: bytes, pattern: re.Pattern[bytes]) -> int | None:
    match = pattern.search(data)
    return data.count(b"\n", 0, match.start()) + 1 if match else None


def parse(data: bytes) -> etree._Element:
    """The root element of ``data``, or :class:`HostileXml`."""
    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:  # DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
        raise HostileXml(
            "the file declares a DOCTYPE; qbank refuses DTDs and their entities, which can expand without bound "
            "or read other files and URLs. Moodle never writes one: remove it",
            _line_of(data, _DOCTYPE),
        ) from exc
    except ParseError as exc:
        line, column = exc.position
        message = str(exc).split(":")[0]
        raise HostileXml(f"this is not well-formed XML: {message}", line, column + 1) from exc
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
        remove_comments=False, strip_cdata=True,
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:  # expat and libxml2 disagree: trust the stricter one
        raise HostileXml(f"this is not well-formed XML: {exc.msg}", exc.lineno, exc.offset) from exc
