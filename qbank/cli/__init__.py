"""The ``qbank`` command line. Each command lives in a module of its own."""

from __future__ import annotations

import click

from qbank import __version__
from qbank.cli.export import export_command
from qbank.cli.import_ import import_command
from qbank.cli.lint import lint_command
from qbank.cli.preview import preview_command
from qbank.cli.rules import rule_command, rules_command
from qbank.cli.schema import schema_command
from qbank.cli.stats import stats_command


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="qbank")
def main() -> None:
    """Lint, export and import multiple-choice question banks kept as YAML files.

    \b
    Start with:
      qbank lint                 check every file under banks/
      qbank rules                list the checks, then: qbank rule QB109
      qbank schema               the JSON Schema for editor completion
      qbank export --to moodle   write dist/banks.moodle.xml (also json, anki, anki-text)
      qbank preview              an HTML site of the bank, in dist/preview
      qbank stats                counts, key positions and explanation coverage

    Exit codes: 0 clean, 1 error-level findings, 2 bad usage or unreadable input.
    """


main.add_command(lint_command)
main.add_command(rules_command)
main.add_command(rule_command)
main.add_command(schema_command)
main.add_command(export_command)
main.add_command(preview_command)
main.add_command(import_command)
main.add_command(stats_command)
