"""The [tool.qbank] table into a Config: a table already of the right types is taken as it is, without
pydantic; any other goes through pydantic. Both must give the same configuration."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbank import config
from qbank.config import Config, ConfigError, already_valid, validated

_scalars = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.floats(allow_nan=False), st.text(max_size=3), st.sampled_from(config.SEVERITIES))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=6)
_keys = st.sampled_from(["paths", "select", "ignore", "per-file-ignores", "per_file_ignores", "per_file-ignores", "severity", "rules", "exports", "cache", "root", "colour"])
_tables = st.dictionaries(_keys, _values, max_size=4)
_typed = st.fixed_dictionaries(
    {},
    optional={
        "select": st.lists(st.text(max_size=5), max_size=3),
        "per-file-ignores": st.dictionaries(st.text(max_size=5), st.lists(st.text(max_size=5), max_size=2), max_size=2),
        "severity": st.dictionaries(st.text(max_size=5), st.sampled_from(config.SEVERITIES), max_size=2),
        "rules": st.dictionaries(st.text(max_size=5), st.dictionaries(st.text(max_size=5), _values, max_size=2), max_size=2),
        "cache": st.booleans(),
    },
)


def _by_pydantic(table):
    from pydantic import ValidationError  # noqa: PLC0415

    try:
        return config._validator().validate_python(table)
    except ValidationError:
        return None


@settings(max_examples=400, deadline=None)
@given(st.one_of(_tables, _typed))
def test_a_table_taken_as_it_is_is_the_one_pydantic_gives(table):
    settings_ = already_valid(table)
    if settings_ is not None:
        assert Config(**settings_) == _by_pydantic(table)


@settings(max_examples=100, deadline=None)
@given(_typed)
def test_a_table_of_the_right_types_is_taken_as_it_is(table):
    assert already_valid(table) is not None


@pytest.mark.parametrize(
    "table",
    [{"select": "QB"}, {"cache": 1}, {"severity": {"QB1": "fatal"}}, {"select": ["QB", 3]}, {"root": "x"}, {"colour": "red"},
     {"per-file-ignores": {}, "per_file_ignores": {}}, {"per_file-ignores": {}}, ["not", "a", "table"]],
)
def test_any_other_table_goes_through_pydantic(table):
    assert already_valid(table) is None


def test_pydantic_coerces_what_the_table_holds_as_before():
    assert validated({"cache": 1}).cache is True


def test_an_unknown_key_lists_the_settings():
    with pytest.raises(ConfigError, match=r"\[tool.qbank\] colour: not a setting; the settings are paths, select, ignore, per-file-ignores"):
        validated({"colour": "red"})


def test_both_spellings_of_per_file_ignores_work():
    assert validated({"per-file-ignores": {"a/*": ["QB1"]}}) == validated({"per_file_ignores": {"a/*": ["QB1"]}}) != Config()


def test_a_configuration_pickles():
    loaded = validated({"select": ["QB"], "rules": {"QB222": {"max_options": 6}}})
    assert pickle.loads(pickle.dumps(loaded)) == loaded


def test_reading_a_table_of_the_right_types_imports_no_pydantic(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.qbank]\nselect = ["QB"]\nper-file-ignores = { "a/*" = ["QB2"] }\n', encoding="utf-8")
    script = "import sys; from pathlib import Path; from qbank.config import load_config; c = load_config(explicit=Path(sys.argv[1])); print(c.per_file_ignores, 'pydantic' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "pyproject.toml")], capture_output=True, text=True, timeout=60)
    assert result.stdout == "{'a/*': ['QB2']} False\n", result.stderr
