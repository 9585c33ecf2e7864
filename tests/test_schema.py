"""The JSON Schema: committed copy is current, the bank fits it, and it agrees with the model.

Editors validate with the schema, qbank with the pydantic model. The two must agree,
or authors would see errors in one that the other does not report.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from qbank.cli import main
from qbank.loader import load_file
from qbank.schema import SCHEMA_FILE, bank_file_schema, dumps
from qbank.validation import validate_file
from tests.conftest import ROOT

COMMITTED = ROOT / "schemas" / SCHEMA_FILE
FIXTURES = Path(__file__).parent / "data" / "schema"
GOOD = sorted((FIXTURES / "good").glob("*.yaml"))
BAD = sorted((FIXTURES / "bad").glob("*.yaml"))


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(COMMITTED.read_text(encoding="utf-8")))


def _deepest(error: jsonschema.ValidationError) -> list[tuple[list, str]]:
    """Where an error is about: inside anyOf (``str | None`` fields) take the deepest
    branch; for an unknown key, the key itself, as qbank reports it."""
    error = jsonschema.exceptions.best_match([error])
    path = list(error.absolute_path)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return [(path + [key], error.message) for key in extra]
    return [(path, error.message)]


def schema_errors(path: Path) -> list[str]:
    """jsonschema's errors for a YAML file, read as any YAML tool reads it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        f"{'/'.join(map(str, where))}: {message}"
        for error in validator().iter_errors(data)
        for where, message in _deepest(error)
    ]


def model_errors(path: Path) -> list[str]:
    validated = validate_file(load_file(path))
    assert not validated.loaded.problems, validated.loaded.problems
    return [f"{'/'.join(map(str, f.path))}: {f.message}" for f in validated.schema_findings]


def test_committed_schema_is_current():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert result.output == dumps(bank_file_schema())
    assert COMMITTED.read_text(encoding="utf-8") == result.output, "schemas/ is stale: run `make schema`"


def test_schema_is_a_valid_2020_12_schema():
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_field_has_a_description():
    """Editors show descriptions on hover; a field without one teaches nothing."""
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    missing = [
        f"{name}.{field}"
        for name, definition in [("BankFile", schema), *schema["$defs"].items()]
        for field, spec in definition.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert not missing, missing


def test_sample_bank_validates_with_jsonschema():
    banks = ROOT / "banks"
    if not banks.is_dir():
        pytest.skip("banks/ is not in this checkout")
    files = sorted([*banks.rglob("*.yaml"), *banks.rglob("*.yml")])
    assert files, "banks/ holds no bank file"
    errors = [f"{path.relative_to(ROOT)}: {error}" for path in files for error in schema_errors(path)]
    assert not errors, "\n".join(errors)


def test_fixture_sets_are_not_empty():
    assert len(GOOD) >= 3 and len(BAD) >= 10


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_good_fixture_passes_both(path):
    assert schema_errors(path) == []
    assert model_errors(path) == []


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_fixture_fails_both(path):
    assert schema_errors(path), "jsonschema accepts it"
    assert model_errors(path), "the model (QB101) accepts it"


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_fixture_errors_are_at_the_same_place(path):
    """Both name the same node (the model also reports a missing field at its mapping)."""
    places = lambda errors: {e.split(": ", 1)[0] for e in errors}  # noqa: E731
    assert places(schema_errors(path)) == places(model_errors(path))


def test_plain_scalars_in_text_fields_are_where_the_two_differ(tmp_path):
    """By design: qbank keeps ``text: 1.10`` as the text 1.10 (and warns, QB005);
    YAML 1.1 tools read a number, and the schema, like an editor, rejects it."""
    path = tmp_path / "bank.yaml"
    path.write_text("questions:\n  - {id: 12, stem: s, options: [{text: 1.10}, {text: No}]}\n", encoding="utf-8")
    assert model_errors(path) == []
    assert sorted(schema_errors(path)) == [
        "questions/0/id: 12 is not of type 'string'",
        "questions/0/options/0/text: 1.1 is not of type 'string'",
        "questions/0/options/1/text: False is not of type 'string'",
    ]
