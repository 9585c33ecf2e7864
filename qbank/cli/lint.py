"""``qbank lint``: check every file of a bank and report findings."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qbank import exitcodes
from qbank.cli.common import config_option, fail_usage, get_config, get_sources, split_codes
from qbank.config import ConfigError
from qbank.engine import lint, unknown_codes
from qbank.reporters import REPORTERS, ReportContext


def _check_codes(codes: list[str]) -> None:
    for code in unknown_codes(codes):
        fail_usage(f"no rule matches {code!r}; see qbank rules")


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format", "-f", "output_format", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
    help="text for people, json for tools, github for pull-request annotations.",
)
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules: codes or prefixes, comma-separated (QB1,QB210).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules: codes or prefixes, comma-separated.")
@click.option("--quiet", "-q", is_flag=True, help="Show only errors, and the summary only when there are some.")
@click.option("--statistics", is_flag=True, help="Also print how many findings each rule produced.")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
    help="Worker processes for large banks. Default: one per core; 1 lints in this process.",
)
@click.option(
    "--no-cache", is_flag=True,
    help="Neither read nor write the lint cache (.qbank_cache/ beside pyproject.toml; or set cache = false).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file.")
@config_option
def lint_command(paths, output_format, select, ignore, quiet, statistics, jobs, no_cache, output, config_path) -> None:
    """Check bank files and report every problem at file:line:col.

    PATHS are files or folders (searched for .yaml/.yml); the default is the
    `paths` of [tool.qbank] in pyproject.toml, or banks/.

    \b
    Examples:
      qbank lint                          the whole bank
      qbank lint banks/rnn --select QB1   structural rules only
      qbank lint --format github          annotations in GitHub Actions
      qbank lint --format json -o lint.json

    Unchanged files are not checked again: their results are kept in .qbank_cache/
    (safe to delete). Bank-wide checks such as duplicate ids always run on the
    whole bank.

    Exit code: 0 when no finding is an error, 1 when one is, 2 on bad usage.
    """
    config = get_config(config_path)
    select_codes, ignore_codes = split_codes(select), split_codes(ignore)
    _check_codes(select_codes + ignore_codes)
    sources = get_sources(paths, config)
    try:
        result = lint(sources, config, select_codes, ignore_codes, jobs=jobs, cache=config.cache and not no_cache)
    except ConfigError as exc:
        fail_usage(str(exc))
    try:
        stream = output.open("w", encoding="utf-8") if output else sys.stdout
    except OSError as exc:
        fail_usage(f"cannot write the report to {output}: {exc.strerror or exc}")
    try:
        color = output is None and sys.stdout.isatty()
        REPORTERS[output_format](result, stream, ReportContext(color=color, quiet=quiet, statistics=statistics))
    finally:
        if output:
            stream.close()
    sys.exit(exitcodes.FINDINGS if result.errors else exitcodes.OK)
