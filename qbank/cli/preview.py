"""``qbank preview``: write a static HTML site of a bank, to read instead of YAML."""

from __future__ import annotations

from pathlib import Path

import click

from qbank.cli.common import config_option, fail_usage, get_config, get_sources, writing_to
from qbank.engine import lint
from qbank.preview import build_site
from qbank.preview.changes import GitError, changed_question_ids


@click.command("preview")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("dist/preview"),
    show_default=True, help="Folder to write the site into (created if needed).",
)
@click.option(
    "--changed-since", metavar="GIT_REF",
    help="Show only the questions added or changed since this commit, branch or tag (for reviewing a pull request).",
)
@click.option("--title", help="Title of the pages (default: the paths shown).")
@config_option
def preview_command(paths, out, changed_since, title, config_path) -> None:
    """Write a static HTML preview of bank files: open OUT/index.html in a browser.

    Every question becomes a card: the stem with highlighted code and rendered math,
    the options with the key marked, each option's why, the explanation, tags, source
    and the question's lint findings. summary.html charts the key positions, the
    questions per category and the findings per rule. The site needs no server and no
    network; search and filters need JavaScript, reading does not.

    \b
    Examples:
      qbank preview                               the whole bank, into dist/preview
      qbank preview banks/rnn --out /tmp/rnn
      qbank preview --changed-since origin/main   only what a pull request changes

    Exit code: 0 when the site is written (lint findings are shown, not fatal),
    2 on bad usage, or when git cannot answer --changed-since.
    """
    config = get_config(config_path)
    sources = get_sources(paths, config)
    result = lint(sources, config)
    only = None
    if changed_since:
        try:
            only = changed_question_ids(sources, result.bank, changed_since)
        except GitError as exc:
            fail_usage(f"--changed-since: {exc}")
    with writing_to(out):
        site = build_site(result, out, title or f"qbank preview: {' '.join(paths) or 'bank'}", only, changed_since)
    scope = f" changed since {changed_since}" if changed_since else ""
    click.echo(f"Wrote {site.index} ({site.cards} of {site.total} questions{scope}, {site.findings} lint findings).")
    click.echo(f"Open {site.index.resolve().as_uri()}")
