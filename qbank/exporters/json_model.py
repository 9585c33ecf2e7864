"""The JSON export document, as pydantic models: they give its JSON Schema.

One document per bank. It carries every field of every question (defaults
included) and of every file header, and where each question sits (file, index,
category levels, effective tags), so that an import can rebuild the bank file by
file. Rendered HTML is added for integrators who do not render Markdown.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from qbank.model import LintSettings, Question
from qbank.schema import published

FORMAT = "qbank-export"
VERSION = 1
SCHEMA_ID = "https://qbank.dev/schemas/qbank-export.schema.json"
SCHEMA_FILE = "qbank-export.schema.json"


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportFileHeader(_Closed):
    """A bank file's own settings, as written in it."""

    path: str = Field(description="The file's path below the bank root, with / separators.")
    category: str | None = Field(description="The file's category as written (levels separated by /), or null.")
    tags: list[str] = Field(description="Tags the file adds to each of its questions.")
    lint: LintSettings | None = Field(description="The file's lint settings, or null.")


class ExportImage(_Closed):
    """A local image that a question refers to."""

    path: str = Field(description="The image's path below the bank root, with / separators.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="The SHA-256 of the image's bytes, in hex.")
    name: str = Field(description="Its content-addressed name, as used in the Moodle and Anki exports.")
    media_type: str = Field(description="The MIME type guessed from the extension, such as image/png.")
    data: str | None = Field(description="The bytes in base64 when exported with --embed-images, else null.")


class ExportOptionHtml(_Closed):
    text: str = Field(description="The option as an HTML fragment (no wrapping paragraph).")
    why: str | None = Field(description="The option's why as HTML, or null.")


class ExportHtml(_Closed):
    """The question's Markdown rendered to HTML; local images point at their bank path."""

    stem: str
    explanation: str | None
    options: list[ExportOptionHtml]


class ExportQuestion(_Closed):
    """One question with its place in the bank."""

    file: str = Field(description="The path of the file it is in, below the bank root.")
    index: int = Field(ge=0, description="Its position in that file's questions list, from 0.")
    category: list[str] = Field(description="Its effective category levels (question, else file, else folder).")
    tags: list[str] = Field(description="Its effective tags: the file's, then its own, each once.")
    images: list[str] = Field(description="The paths of the local images it uses (see the document's images).")
    question: Question = Field(description="Every field of the question as loaded, defaults included.")
    html: ExportHtml


class ExportDocument(_Closed):
    """A whole bank exported by ``qbank export --to json``."""

    format: Literal["qbank-export"] = Field(description="Always qbank-export.")
    version: Literal[1] = Field(description="The document version; a change that breaks readers raises it.")
    bank: str = Field(description="The bank's name (its folder name, or --name).")
    files: list[ExportFileHeader]
    questions: list[ExportQuestion]
    images: list[ExportImage] = Field(description="Every local image, each once, sorted by path.")


def export_schema() -> dict[str, Any]:
    return published(ExportDocument.model_json_schema(mode="validation"), SCHEMA_ID, "qbank export document")
