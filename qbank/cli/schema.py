"""``qbank schema``: print the JSON Schema of a bank file."""

from __future__ import annotations

import click

from qbank.schema import bank_file_schema, dumps


@click.command("schema")
def schema_command() -> None:
    """Print the JSON Schema (2020-12) of a bank file.

    Editors use it for completion and hover help. Point the YAML language server
    at the committed copy with a first line such as this one, for a file in
    banks/<topic>/ (the path is relative to the YAML file; see docs/format.md):

    \b
      # yaml-language-server: $schema=../../schemas/qbank-file.schema.json
    """
    click.echo(dumps(bank_file_schema()), nl=False)
