"""``qbank lint``: check every file of a bank and report findings."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import click

from qbank import exitcodes
from qbank.cli.common import config_option, fail_usage, get_config, get_sources, split_codes
from qbank.config import ConfigError
from qbank.engine import LintResult, lint, unknown_codes
from qbank.reporters import REPORTERS, ReportContext
from qbank.reporters.text import statistics as statistics_lines


def _check_codes(codes: list[str]) -> None:
    for code in unknown_codes(codes):
        fail_usage(f"no rule matches {code!r}; see qbank rules")


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format", "-f", "output_format", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
    help="text for people, json for tools, github for pull-request annotations, sarif for code scanning, "
    "junit for CI test reports.",
)
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules: codes or prefixes, comma-separated (QB1,QB210).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules: codes or prefixes, comma-separated.")
@click.option("--quiet", "-q", is_flag=True, help="Show only errors, and the summary only when there are some.")
@click.option(
    "--statistics", is_flag=True,
    help="Also print how many findings each rule produced (after the text report; on stderr for the other formats).",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
    help="Worker processes for large banks. Default: one per core; 1 lints in this process.",
)
@click.option(
    "--no-cache", is_flag=True,
    help="Neither read nor write the lint cache (.qbank_cache/ beside pyproject.toml; or set cache = false).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file.")
@click.option(
    "--fix", is_flag=True,
    help="Apply the safe, mechanical fixes (QB005 quoting, QB007 trailing spaces, QB105 true/false options) in place, "
    "keeping comments and layout, then report what remains.",
)
@click.option("--diff", is_flag=True, help="Print the fixes --fix would make as a unified diff; change nothing.")
@config_option
def lint_command(paths, output_format, select, ignore, quiet, statistics, jobs, no_cache, output, fix, diff, config_path) -> None:
    """Check bank files and report every problem at file:line:col.

    PATHS are files or folders (searched for .yaml/.yml); the default is the
    `paths` of [tool.qbank] in pyproject.toml, or banks/.

    \b
    Examples:
      qbank lint                          the whole bank
      qbank lint banks/rnn --select QB1   structural rules only
      qbank lint --format github          annotations in GitHub Actions
      qbank lint --format json -o lint.json
      qbank lint --format sarif -o qbank.sarif   for GitHub code scanning
      qbank lint --diff                   preview the automatic fixes
      qbank lint --fix                    apply them, then report the rest

    Unchanged files are not checked again: their results are kept in .qbank_cache/
    (safe to delete). Bank-wide checks such as duplicate ids always run on the
    whole bank.

    Exit code: 0 when no finding is an error, 1 when one is, 2 on bad usage.
    With --diff: 1 when there is something to fix, else 0.
    """
    # A short run that builds millions of acyclic objects: the cycle collector would only
    # walk them (the engine pauses it while linting; this keeps it from walking them after).
    gc.disable()
    config = get_config(config_path)
    select_codes, ignore_codes = split_codes(select), split_codes(ignore)
    _check_codes(select_codes + ignore_codes)
    sources = get_sources(paths, config)

    def run() -> LintResult:
        try:
            # The report needs no question (workers need not send them), and the command exits after it
            # (qbank.cli.run), so what the bank rules collected need not be freed.
            cache = config.cache and not no_cache
            return lint(sources, config, select_codes, ignore_codes, jobs=jobs, cache=cache, release=False, questions=False)
        except ConfigError as exc:
            fail_usage(str(exc))

    result = run()
    if diff:
        sys.exit(_show_diff(result))
    if fix and _apply_fixes(result):
        result = run()
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
    if statistics and output_format != "text":
        click.echo("\n".join(statistics_lines(result)) or "no findings", err=True)
    sys.exit(exitcodes.FINDINGS if result.errors else exitcodes.OK)


def _show_diff(result: LintResult) -> int:
    from qbank.fix import fix_bank  # noqa: PLC0415  (ruamel.yaml only when fixing)

    fixes = fix_bank(result)
    for planned in fixes:
        click.echo(planned.diff(), nl=False)
        if planned.note:
            click.echo(f"{planned.name}: {planned.note}", err=True)
    count = sum(len(f.fixed) for f in fixes)
    changed = sum(f.changed for f in fixes)
    click.echo(f"{count} fix{'es' if count != 1 else ''} in {changed} file{'s' if changed != 1 else ''} (nothing written)", err=True)
    return exitcodes.FINDINGS if changed else exitcodes.OK


def _apply_fixes(result: LintResult) -> bool:
    """Write the fixes; True when a file changed (the bank is then linted again)."""
    from qbank.fix import fix_bank  # noqa: PLC0415

    fixes = fix_bank(result)
    for applied in fixes:
        try:
            applied.write()
        except OSError as exc:
            applied.after, applied.fixed = applied.before, []
            applied.note = f"not rewritten: cannot write it: {exc.strerror or exc}"
        if applied.note:
            click.echo(f"{applied.name}: {applied.note}", err=True)
    count = sum(len(f.fixed) for f in fixes)
    changed = sum(f.changed for f in fixes)
    click.echo(f"fixed {count} problem{'s' if count != 1 else ''} in {changed} file{'s' if changed != 1 else ''}", err=True)
    return bool(changed)
