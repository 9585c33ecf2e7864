"""The JSON Schema (2020-12) of a bank file, generated from the model."""

from __future__ import annotations

import json
from typing import Any

from qbank.model import BankFile

SCHEMA_ID = "https://qbank.dev/schemas/qbank-file.schema.json"
SCHEMA_FILE = "qbank-file.schema.json"


def published(schema: dict[str, Any], schema_id: str, title: str) -> dict[str, Any]:
    """A pydantic schema with the 2020-12 dialect, our ``$id`` and a title, in that order."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": title,
        **{k: v for k, v in schema.items() if k != "title"},
    }


def bank_file_schema() -> dict[str, Any]:
    return published(BankFile.model_json_schema(mode="validation"), SCHEMA_ID, "qbank bank file")


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
