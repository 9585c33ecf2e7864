"""JSON: one document per bank that an integrator can validate and an import can restore.

The document's shape is :class:`qbank.exporters.json_model.ExportDocument`; its
schema is committed as ``schemas/qbank-export.schema.json``. Keys come in a fixed
order and the text is UTF-8, so the same bank always gives the same bytes.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from pydantic import TypeAdapter

from qbank.bank import Bank
from qbank.exporters import Exporter, ExportNote, ExportResult, register
from qbank.exporters.json_model import FORMAT, VERSION, ExportDocument, ExportQuestion
from qbank.exporters.media import Image, Media, MissingImage
from qbank.exporters.parallel import prepared
from qbank.exporters.write import Output
from qbank.render import render_html, render_inline


_QUESTION = TypeAdapter(ExportQuestion)


def _dumps(value: Any, depth: int) -> str:
    """``value`` as it appears ``depth`` levels deep in an indented document (JSON strings hold no raw newline)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)


@register
class JsonExporter(Exporter):
    """The whole bank as one JSON document (schemas/qbank-export.schema.json)."""

    name = "json"
    summary = "JSON: every field, placement and rendered HTML; images by path and sha256, or embedded."
    extension = ".json"
    defaults: dict[str, Any] = {"embed_images": False}

    def write(self, bank: Bank, bank_name: str, output: Output, result: ExportResult, progress=None) -> None:
        """The document is written question by question, each checked against the schema we
        publish, with the bytes ``json.dumps(document, ensure_ascii=False, indent=2)`` would give;
        so a large bank's document is never in memory whole."""
        with output.open(bank_name + self.extension) as out:
            self._document(bank, bank_name, out, result, progress)

    def _document(self, bank: Bank, bank_name: str, out, result: ExportResult, progress) -> None:
        media = Media(bank)
        images: dict[str, Image] = {}
        head = {"format": FORMAT, "version": VERSION, "bank": bank_name, "files": [self._header(bank, file) for file in bank.files]}
        out.write(b"{\n")
        for key, value in head.items():
            out.write(f"  {_dumps(key, 1)}: {_dumps(value, 1)},\n".encode("utf-8"))
        out.write(b'  "questions": [')

        def prepare(item) -> tuple[dict[str, Image], bytes | None, str | None]:
            """The images the question uses, and its JSON (checked against the schema) or why it is refused."""
            used: dict[str, Image] = {}
            try:
                question = self._question(bank, item, media, used)
            except MissingImage as exc:
                return used, None, str(exc)
            _QUESTION.validate_python(question)  # the schema we publish is the one we write
            return used, _dumps(question, 2).encode("utf-8"), None

        written = 0
        for item, (used, question, refused) in prepared(bank, prepare, self.jobs):
            images.update(used)
            if refused is not None:
                result.notes.append(ExportNote(refused, item.id, "error", item.file.loaded.name))
            else:
                out.write((b",\n    " if written else b"\n    ") + question)
                written += 1
            if progress:
                progress(1)
        out.write(b"\n  ],\n" if written else b"],\n")
        tail = [self._image(images[path]) for path in sorted(images)]
        ExportDocument.model_validate({**head, "questions": [], "images": tail})
        out.write(f'  "images": {_dumps(tail, 1)}\n}}\n'.encode("utf-8"))

    @staticmethod
    def _relative(bank: Bank, file) -> str:
        relative = bank.relative.get(file.loaded.name)
        return relative.as_posix() if relative else file.loaded.name

    def _header(self, bank: Bank, file) -> dict[str, Any]:
        header = file.header
        return {
            "path": self._relative(bank, file),
            "category": header.category if header else None,
            "tags": list(header.tags) if header else [],
            "lint": header.lint.model_dump(mode="json") if header and header.lint else None,
        }

    def _question(self, bank: Bank, item, media: Media, images: dict[str, Image]) -> dict[str, Any]:
        q = item.question
        used: dict[str, None] = {}

        def to_path(image: Image) -> str:
            images[image.relative] = image
            used[image.relative] = None
            return image.relative

        mapper = media.mapper(item, to_path)
        html = {
            "stem": render_html(q.stem, mapper),
            "explanation": render_html(q.explanation, mapper) if q.explanation is not None else None,
            "options": [
                {"text": render_inline(o.text, mapper), "why": render_html(o.why, mapper) if o.why is not None else None}
                for o in q.options
            ],
        }
        return {
            "file": self._relative(bank, item.file),
            "index": item.index,
            "category": list(item.category),
            "tags": list(item.tags),
            "images": list(used),
            "question": q.model_dump(mode="json"),
            "html": html,
        }

    def _image(self, image: Image) -> dict[str, Any]:
        return {
            "path": image.relative,
            "sha256": image.sha256,
            "name": image.name,
            "media_type": image.media_type,
            "data": base64.b64encode(image.data).decode("ascii") if self.options["embed_images"] else None,
        }

