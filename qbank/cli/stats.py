"""``qbank stats``: what a bank holds, for people or tools."""

from __future__ import annotations

import json

import click

from qbank.cli.common import config_option, get_config, get_sources
from qbank.engine import load_bank
from qbank.stats import render_text, summarise


@click.command("stats")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "-f", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for tools.")
@config_option
def stats_command(paths, output_format, config_path) -> None:
    """Summarise a bank: counts by type, difficulty, category and tag, option counts,
    key positions, and how many questions and wrong options are explained.

    PATHS are files or folders; the default is the `paths` of [tool.qbank].
    Only valid questions are counted; qbank lint tells what is wrong with the others.

    \b
    Examples:
      qbank stats
      qbank stats banks/rnn --format json
    """
    config = get_config(config_path)
    summary = summarise(load_bank(get_sources(paths, config)))
    if output_format == "json":
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(summary))
