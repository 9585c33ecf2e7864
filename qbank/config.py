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
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and why."""


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    paths: list[str] = Field(default_factory=lambda: ["banks"])
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-file-ignores")
    severity: dict[str, Literal["error", "warning", "info"]] = Field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)
    exports: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Exporter options by format name, e.g. [tool.qbank.exports.moodle]."""
    cache: bool = True
    source: str | None = Field(default=None, exclude=True)
    """The file this configuration was read from, if any."""
    root: str = Field(default=".", exclude=True)
    """The folder paths are relative to (that of pyproject.toml)."""


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
    try:
        config = Config.model_validate(table)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)
        )
        raise ConfigError(f"{path}: [tool.qbank] {problems}") from exc
    return config.model_copy(update={"source": str(path), "root": str(path.parent)})
