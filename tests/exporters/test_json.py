"""The JSON export: valid against the committed schema, complete enough to rebuild the bank."""

from __future__ import annotations

import base64
import hashlib
import json

import jsonschema
import pytest

from qbank.exporters.json_model import SCHEMA_FILE, export_schema
from qbank.model import BankFile, Question
from qbank.schema import dumps
from tests.exporters.conftest import FIXTURE, ROOT, SAMPLE, export, load, write_bank

COMMITTED = ROOT / "schemas" / SCHEMA_FILE


def committed_schema() -> dict:
    return json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_committed_schema_matches_the_model():
    assert COMMITTED.read_text(encoding="utf-8") == dumps(export_schema()), "run make schema"


@pytest.mark.parametrize("path", [FIXTURE, SAMPLE], ids=["fixture", "sample"])
def test_export_validates_against_committed_schema(path):
    if not path.is_dir():
        pytest.skip("banks/ is not in this checkout")
    document = json.loads(export(path, "json"))
    jsonschema.Draft202012Validator(committed_schema()).validate(document)
    embedded = json.loads(export(path, "json", embed_images=True))
    jsonschema.Draft202012Validator(committed_schema()).validate(embedded)


def test_schema_rejects_a_broken_document():
    document = json.loads(export(FIXTURE, "json"))
    del document["questions"][0]["question"]["stem"]
    validator = jsonschema.Draft202012Validator(committed_schema())
    assert any("stem" in error.message for error in validator.iter_errors(document))


def test_restores_every_question_and_file_header_exactly():
    bank = load(FIXTURE)
    document = json.loads(export(FIXTURE, "json"))
    restored = [Question.model_validate(q["question"]) for q in document["questions"]]
    assert restored == [item.question for item in bank.questions]
    assert [(q["file"], q["index"]) for q in document["questions"]] == [
        (bank.relative[item.file.loaded.name].as_posix(), item.index) for item in bank.questions
    ]
    assert [q["category"] for q in document["questions"]] == [list(item.category) for item in bank.questions]
    assert [q["tags"] for q in document["questions"]] == [list(item.tags) for item in bank.questions]
    for header, file in zip(document["files"], bank.files):
        rebuilt = BankFile.model_validate({**{k: v for k, v in header.items() if k != "path" and v is not None}, "questions": []})
        assert rebuilt == file.header.model_copy(update={"questions": []})


def test_key_order_is_stable_and_fields_complete():
    document = json.loads(export(FIXTURE, "json"))
    assert list(document) == ["format", "version", "bank", "files", "questions", "images"]
    for entry in document["questions"]:
        assert list(entry["question"]) == list(Question.model_fields)


def test_images_by_path_and_sha256_or_embedded():
    data = (FIXTURE / "networks" / "images" / "gate.png").read_bytes()
    (image,) = json.loads(export(FIXTURE, "json"))["images"]
    assert image["path"] == "networks/images/gate.png"
    assert image["sha256"] == hashlib.sha256(data).hexdigest()
    assert image["data"] is None
    (embedded,) = json.loads(export(FIXTURE, "json", embed_images=True))["images"]
    assert base64.b64decode(embedded["data"]) == data


def test_lint_settings_and_defaults_travel(tmp_path):
    bank = write_bank(tmp_path, {"sub/b.yaml": (
        "lint: {ignore: [QB2]}\nquestions:\n  - id: q\n    stem: S?\n    lint: {ignore: [QB210]}\n"
        "    options:\n      - {text: a, correct: true}\n      - {text: b, why: no}\n"
    )})
    document = json.loads(export(bank, "json"))
    assert document["files"] == [{"path": "sub/b.yaml", "category": None, "tags": [], "lint": {"ignore": ["QB2"]}}]
    question = document["questions"][0]["question"]
    assert question["lint"] == {"ignore": ["QB210"]}
    assert question["shuffle"] is True and question["points"] == 1.0 and question["type"] == "single"
    assert document["questions"][0]["category"] == ["sub"]
