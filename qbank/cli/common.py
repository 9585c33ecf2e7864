"""What several commands share: configuration, paths and failing cleanly."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from qbank import exitcodes
from qbank.config import Config, ConfigError, load_config
from qbank.discovery import BankSource, DiscoveryError, discover


def fail_usage(message: str) -> NoReturn:
    click.echo(f"qbank: error: {message}", err=True)
    sys.exit(exitcodes.USAGE)


@contextmanager
def writing_to(folder: Path) -> Iterator[None]:
    """Turn a failure to write output (a read-only or missing place, a full disk) into a clean error, exit 2."""
    try:
        yield
    except OSError as exc:
        target = exc.filename or folder
        fail_usage(f"cannot write {target}: {exc.strerror or exc}; check the folder given with --out")


def get_config(config_path: Path | None) -> Config:
    try:
        return load_config(explicit=config_path)
    except ConfigError as exc:
        fail_usage(str(exc))


def get_sources(paths: tuple[str, ...], config: Config) -> list[BankSource]:
    """The files to read: the given paths, else the configured ones (relative to the config)."""
    root = Path(config.root)
    configured = [str(root / p) if not Path(p).is_absolute() and root != Path(".") else p for p in config.paths]
    chosen = list(paths) or configured
    try:
        return discover(chosen, bank_roots=configured)
    except DiscoveryError as exc:
        fail_usage(str(exc))


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read [tool.qbank] from this file instead of the nearest pyproject.toml.",
)


def split_codes(values: tuple[str, ...]) -> list[str]:
    """``--select QB1,QB2 --select QB305`` → ["QB1", "QB2", "QB305"]."""
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]
