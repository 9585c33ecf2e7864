"""The JSON Schema (2020-12) of a bank file, generated from the model."""

from __future__ import annotations

import json
from typing import Any

from qbank.model import BankFile

SCHEMA_ID = "https://qbank.dev/schemas/qbank-file.schema.json"
SCHEMA_FILE = "qbank-file.schema.json"


def bank_file_schema() -> dict[str, Any]:
    schema = BankFile.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "qbank bank file",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
