"""JSON import of qbank's export: schema errors with their JSON path, the bank restored, images."""

from __future__ import annotations

import json

from qbank.importers.json_import import JsonImporter
from qbank.loader import load_file
from tests.bankdata import loaded
from tests.exporters.conftest import FIXTURE, export


def write(tmp_path, document) -> object:
    path = tmp_path / "bank.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return JsonImporter().read(path)


def test_the_fixture_bank_is_restored_file_by_file_with_its_embedded_image(tmp_path):
    result = write(tmp_path, export(FIXTURE, "json", embed_images=True).decode())
    assert result.notes == []
    assert sorted(result.files) == ["networks/hostile.yaml", "networks/recurrent.yaml"]
    for path, data in result.files.items():
        assert loaded(data) == loaded(load_file(FIXTURE / path).document.data)
    assert result.assets == {"networks/images/gate.png": (FIXTURE / "networks" / "images" / "gate.png").read_bytes()}


def test_an_image_that_was_not_embedded_is_reported(tmp_path):
    result = write(tmp_path, export(FIXTURE, "json").decode())
    assert result.assets == {}
    (note,) = result.notes
    assert note.severity == "warning" and "networks/images/gate.png is not in the document" in note.message


def test_schema_errors_are_listed_with_their_json_path_and_nothing_is_restored(tmp_path):
    document = json.loads(export(FIXTURE, "json"))
    del document["questions"][1]["question"]["stem"]
    document["questions"][0]["question"]["points"] = 0
    result = write(tmp_path, document)
    assert result.files == {}
    messages = [(n.severity, n.message) for n in result.notes]
    assert ("error", "$.questions[0].question.points: 0 is less than or equal to the minimum of 0 (schemas/qbank-export.schema.json)") in messages
    assert ("error", "$.questions[1].question: 'stem' is a required property (schemas/qbank-export.schema.json)") in messages


def test_invalid_json_is_an_error_with_its_place(tmp_path):
    (note,) = write(tmp_path, '{"format": "qbank-export",\n  "version": 1,,\n}').notes
    assert (note.severity, note.line, note.column) == ("error", 2, 16)


def test_a_file_path_that_leaves_the_output_folder_is_refused(tmp_path):
    document = json.loads(export(FIXTURE, "json"))
    document["files"][0]["path"] = "../outside.yaml"
    (note,) = write(tmp_path, document).notes
    assert note.severity == "error" and "'../outside.yaml' is not a plain relative path to a .yaml file" in note.message


def test_detection(tmp_path):
    head = export(FIXTURE, "json").decode()[:300]
    assert JsonImporter.detect(tmp_path / "x.json", head)
    assert not JsonImporter.detect(tmp_path / "x.json", '{"questions": []}')
