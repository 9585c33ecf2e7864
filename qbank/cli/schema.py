"""``qbank schema``: print the JSON Schema of a bank file."""

from __future__ import annotations

import click

from qbank.exporters.json_model import export_schema
from qbank.schema import bank_file_schema, dumps


@click.command("schema")
@click.option("--export", "of_export", is_flag=True,
              help="Print the schema of the JSON export (qbank export --to json) instead.")
def schema_command(of_export: bool) -> None:
    """Print the JSON Schema (2020-12) of a bank file.

    Editors use it for completion and hover help. Point the YAML language server
    at the committed copy with a first line such as this one, for a file in
    banks/<topic>/ (the path is relative to the YAML file; see docs/format.md):

    \b
      # yaml-language-server: $schema=../../schemas/qbank-file.schema.json

    With --export, the schema that `qbank export --to json` documents follow
    (committed as schemas/qbank-export.schema.json).
    """
    click.echo(dumps(export_schema() if of_export else bank_file_schema()), nl=False)
