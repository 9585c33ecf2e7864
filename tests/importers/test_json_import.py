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


def test_deep_nesting_is_an_error_not_a_recursion_traceback(tmp_path):
    (note,) = write(tmp_path, '{"format": "qbank-export", "files": ' + "[" * 100_000 + "]" * 100_000 + "}").notes
    assert (note.severity, note.message) == ("error", "this JSON is nested too deeply to be a qbank export")


def test_nan_and_infinity_are_refused_at_their_place(tmp_path):
    # Python's json reads them; JSON has no such values, and a NaN grade would reach the exports.
    text = export(FIXTURE, "json").decode().replace('"points": 1.0', '"points": NaN', 1)
    line, column = next(
        (n + 1, row.index("NaN") + 1) for n, row in enumerate(text.split("\n")) if '"points": NaN' in row
    )
    (note,) = write(tmp_path, text).notes
    assert (note.severity, note.line, note.column) == ("error", line, column)
    assert note.message == "this is not valid JSON: NaN is not a JSON value (write a number or null)"
    assert write(tmp_path, '{"a": "NaN", "b": -Infinity}').notes[0].message.startswith("this is not valid JSON: -Infinity")


def test_a_value_the_schema_lets_through_but_the_model_refuses_is_an_error(tmp_path):
    # jsonschema's pattern uses Python's re, where $ also matches before a final newline; the model does not.
    document = json.loads(export(FIXTURE, "json"))
    document["questions"][0]["question"]["id"] = "abc\n"
    (note,) = write(tmp_path, document).notes
    assert note.severity == "error"
    assert note.message.startswith("$.questions[0].question: id: String should match pattern")


def test_a_number_longer_than_python_converts_is_an_error_at_its_place(tmp_path):
    # Python's int() refuses more than sys.get_int_max_str_digits() digits (4,300 by default) with a
    # ValueError that json.loads lets through: it was a traceback.
    long = "7" * 5000
    text = '{"format": "qbank-export",\n "files": [], "x": "' + long + '", "points": -' + long + "}"
    (note,) = write(tmp_path, text).notes
    assert (note.severity, note.line, note.column) == ("error", 2, text.split("\n")[1].index("-" + long) + 1)
    assert note.message.startswith("this number has 5,000 digits, more than qbank reads")
    at_the_limit = write(tmp_path, '{"format": "qbank-export", "files": [], "n": ' + "7" * 4300 + "}").notes
    assert at_the_limit and not any("digits" in note.message for note in at_the_limit)  # read, then refused by the schema
