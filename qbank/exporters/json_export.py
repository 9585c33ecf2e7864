"""JSON: one document per bank that an integrator can validate and an import can restore.

The document's shape is :class:`qbank.exporters.json_model.ExportDocument`; its
schema is committed as ``schemas/qbank-export.schema.json``. Keys come in a fixed
order and the text is UTF-8, so the same bank always gives the same bytes.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from qbank.bank import Bank
from qbank.exporters import Exporter, ExportNote, ExportResult, register
from qbank.exporters.json_model import FORMAT, VERSION, ExportDocument
from qbank.exporters.media import Image, Media, MissingImage
from qbank.render import render_html, render_inline


@register
class JsonExporter(Exporter):
    """The whole bank as one JSON document (schemas/qbank-export.schema.json)."""

    name = "json"
    summary = "JSON: every field, placement and rendered HTML; images by path and sha256, or embedded."
    extension = ".json"
    defaults: dict[str, Any] = {"embed_images": False}

    def export(self, bank: Bank, bank_name: str, progress=None) -> ExportResult:
        result = ExportResult()
        media = Media(bank)
        images: dict[str, Image] = {}
        questions = []
        for item in bank.questions:
            try:
                questions.append(self._question(bank, item, media, images))
            except MissingImage as exc:
                result.notes.append(ExportNote(str(exc), item.id, "error", item.file.loaded.name))
            if progress:
                progress(1)
        document = {
            "format": FORMAT,
            "version": VERSION,
            "bank": bank_name,
            "files": [self._header(bank, file) for file in bank.files],
            "questions": questions,
            "images": [self._image(images[path]) for path in sorted(images)],
        }
        ExportDocument.model_validate(document)  # the schema we publish is the one we write
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        result.files[bank_name + self.extension] = text.encode("utf-8")
        return result

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

