"""Anki text import: a tab-separated file with Anki's header lines.

The notes are the same as in the .apkg (same note type, fields, decks, tags and
GUIDs), so importing the text after the package updates the same notes rather
than adding copies. The note type must already exist in the collection: import
the .apkg once first (it brings the note type with its fixed id), then either
file. Images are not in a text file: their ``<img src>`` names the media file
that the .apkg brings.

Fields are HTML (``#html:true``). A field holding a tab, a newline or a double
quote is wrapped in double quotes, a quote inside doubled, as Anki's CSV reader
expects; nothing else is altered.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from qbank.bank import Bank
from qbank.exporters import Exporter, ExportResult, register
from qbank.exporters.anki_note import FIELDS, MODEL_NAME, bank_notes
from qbank.exporters.write import Output

COLUMNS = (*FIELDS, "Deck", "Tags", "GUID")


def header() -> list[str]:
    def column(name: str) -> int:
        return COLUMNS.index(name) + 1

    return [
        "#separator:tab",
        "#html:true",
        f"#notetype:{MODEL_NAME}",
        f"#deck column:{column('Deck')}",
        f"#tags column:{column('Tags')}",
        f"#guid column:{column('GUID')}",
        "#columns:" + "\t".join(COLUMNS),
    ]


@register
class AnkiTextExporter(Exporter):
    """Tab-separated notes for Anki's File > Import (text)."""

    name = "anki-text"
    summary = "Anki text import: tab-separated, HTML fields, deck/tags/GUID columns, same notes as the .apkg."
    extension = ".anki.txt"
    defaults: dict[str, Any] = {"source_comment": True}
    """source_comment: end the Id field with the qbank comment that lets `qbank import` restore the question."""

    def write(self, bank: Bank, bank_name: str, output: Output, result: ExportResult, progress=None) -> None:
        with output.open(bank_name + self.extension) as handle:
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
            text.write("\n".join(header()) + "\n")
            writer = csv.writer(text, delimiter="\t", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
            for content in bank_notes(bank, bank_name, result, progress, self.options["source_comment"], self.jobs):
                writer.writerow([*content.fields, content.deck, " ".join(content.tags), content.guid])
            text.flush()
            text.detach()  # the handle stays open for the output to finish
