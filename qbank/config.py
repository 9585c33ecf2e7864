"""Configuration from the ``[tool.qbank]`` table of pyproject.toml.

Example::

    [tool.qbank]
    paths = ["banks"]
    select = ["QB"]                 # codes or prefixes; default: every rule on by default
    ignore = ["QB211"]
    per-file-ignores = { "banks/legacy/*.yaml" = ["QB2"] }
    severity = { QB210 = "warning" }

    [tool.qbank.rules.QB222]        # rule options, by code
    max_options = 6

The table's keys are written with hyphens, as TOML's usually are (``per_file_ignores`` works too).

:class:`Config` is a plain dataclass, and pydantic validates a table into it. A table
whose every key is known and whose every value already has its type (nearly every
table) is taken as it is, without importing pydantic: a cached re-lint, which
validates nothing else in its own process, starts about 50 ms sooner
(docs/performance.md). A property test checks that such a table validates to the
same configuration; any other table goes through pydantic, which also words the errors.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

Level = Literal["error", "warning", "info"]
SEVERITIES = get_args(Level)


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and why."""


def _table_key(name: str) -> str:
    return name.replace("_", "-")


@dataclass
class Config:
    # What pydantic reads when it validates a table into this class (see validated).
    __pydantic_config__ = {"extra": "forbid", "populate_by_name": True, "alias_generator": _table_key}

    paths: list[str] = field(default_factory=lambda: ["banks"])
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, Level] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    exports: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Exporter options by format name, e.g. [tool.qbank.exports.moodle]."""
    cache: bool = True
    source: str | None = None
    """The file this configuration was read from, if any."""
    root: str = "."
    """The folder paths are relative to (that of pyproject.toml)."""

    def settings(self) -> dict[str, Any]:
        """What a lint's findings depend on: every setting but the paths, the exports' options and the cache switch."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _NOT_SETTINGS}


_NOT_SETTINGS = frozenset({"paths", "exports", "cache", "source", "root"})


def _strings(value: Any) -> bool:
    return type(value) is list and all(type(item) is str for item in value)


def _keyed(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: type(value) is dict and all(type(key) is str and check(item) for key, item in value.items())


_ALREADY_TYPED: dict[str, Callable[[Any], bool]] = {
    "paths": _strings,
    "select": _strings,
    "ignore": _strings,
    "per_file_ignores": _keyed(_strings),
    "severity": _keyed(lambda value: type(value) is str and value in SEVERITIES),
    "rules": _keyed(_keyed(lambda value: True)),
    "exports": _keyed(_keyed(lambda value: True)),
    "cache": lambda value: type(value) is bool,
}
"""The table's settings and the test that a value already has the type validation would give it."""


_FIELD_OF = {key: name for name in _ALREADY_TYPED for key in (name, _table_key(name))}
"""Each name a setting may be written with in the table: its field's name, or that with hyphens."""


def already_valid(table: dict[str, Any]) -> dict[str, Any] | None:
    """The table's settings by field name when validating it would change nothing, else None."""
    if type(table) is not dict:
        return None
    settings: dict[str, Any] = {}
    for key, value in table.items():
        name = _FIELD_OF.get(key)
        if name is None or name in settings or not _ALREADY_TYPED[name](value):  # both spellings of one: validation says so
            return None
        settings[name] = value
    return settings


@cache
def _validator() -> Any:
    from pydantic import TypeAdapter  # noqa: PLC0415  (see the module's docstring)

    return TypeAdapter(Config)


def validated(table: dict[str, Any], where: str = "[tool.qbank]") -> Config:
    """The configuration ``table`` gives; :class:`ConfigError` says what is wrong with it."""
    settings = already_valid(table)
    if settings is not None:
        return Config(**settings)
    from pydantic import ValidationError  # noqa: PLC0415

    try:
        return _validator().validate_python(table)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {_problem(e)}" for e in exc.errors(include_url=False))
        raise ConfigError(f"{where} {problems}") from exc


def _problem(error: Any) -> str:
    if error["type"] == "unexpected_keyword_argument":
        return "not a setting; the settings are " + ", ".join(_table_key(name) for name in _ALREADY_TYPED)
    return str(error["msg"])


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path | None = None, explicit: Path | None = None) -> Config:
    """Read [tool.qbank] from ``explicit`` or the nearest pyproject.toml above ``start``."""
    path = explicit or find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return Config()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("qbank")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    if table is None:
        return Config(root=str(path.parent))
    return replace(validated(table, f"{path}: [tool.qbank]"), source=str(path), root=str(path.parent))
