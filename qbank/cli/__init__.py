"""The ``qbank`` command line. Each command lives in a module of its own."""

from __future__ import annotations

import importlib
import os
import sys
import types


def _without_pydantic_plugins() -> None:
    """Let pydantic find no plugins in this process, which is qbank's own: pydantic looks for them (the first
    time a model is built) through every installed package's metadata, and importing :mod:`importlib.metadata`
    for that alone took 6-12 ms of each command's start (docs/performance.md, fourteenth round). Plugins are
    observability hooks for an application's own models; qbank's are internal. Only ``get_plugins`` is
    answered here; any other name pydantic may ask for loads its real module."""
    name = "pydantic.plugin._loader"
    if name in sys.modules:
        return
    loader = types.ModuleType(name, "qbank's stand-in: no pydantic plugins in the qbank command")
    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]

    def real(attribute: str) -> object:
        if attribute.startswith("__"):  # the import system's own questions (__path__, __spec__ ...)
            raise AttributeError(attribute)
        sys.modules.pop(name, None)
        return getattr(importlib.import_module(name), attribute)

    loader.__getattr__ = real  # type: ignore[attr-defined]
    sys.modules[name] = loader


_without_pydantic_plugins()

import click  # noqa: E402

from qbank import __version__  # noqa: E402

COMMANDS = {
    "lint": "qbank.cli.lint:lint_command",
    "rules": "qbank.cli.rules:rules_command",
    "rule": "qbank.cli.rules:rule_command",
    "schema": "qbank.cli.schema:schema_command",
    "export": "qbank.cli.export:export_command",
    "preview": "qbank.cli.preview:preview_command",
    "import": "qbank.cli.import_:import_command",
    "stats": "qbank.cli.stats:stats_command",
}
"""Each command's module, imported only when the command runs (``qbank lint`` need not load the exporters)."""


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS and name not in self.commands:
            module, attribute = COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return self.commands.get(name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="qbank")
def main() -> None:
    """Lint, export and import multiple-choice question banks kept as YAML files.

    \b
    Start with:
      qbank lint                 check every file under banks/
      qbank rules                list the checks, then: qbank rule QB109
      qbank schema               the JSON Schema for editor completion
      qbank export --to moodle   write dist/banks.moodle.xml (also gift, aiken, qti,
                                 json, anki, anki-text)
      qbank import FILE --out banks/imported
                                 bring in a Moodle XML, GIFT, Aiken, QTI, JSON or
                                 Anki bank, or Q&A text pages
      qbank preview              an HTML site of the bank, in dist/preview
      qbank stats                counts, key positions and explanation coverage

    Exit codes: 0 clean, 1 error-level findings, 2 bad usage or unreadable input.
    """



def run() -> None:
    """The console script: :func:`main`, then an exit that skips tearing down the interpreter.

    A lint or export of a large bank leaves millions of objects behind; freeing them
    one by one at exit, after the report is written, only makes the user wait (mypy
    exits the same way). Output is flushed first; if that fails, Python's own exit
    reports it.

    numpy (QB304's signatures) is told to start no OpenBLAS threads, unless the user chose a
    number: qbank does no linear algebra, and the pool OpenBLAS starts at import spins for
    about 0.1 s of CPU on the other cores, which the lint's workers need (see docs/performance.md).
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        main()
    except SystemExit as done:  # its traceback keeps the command's data alive until os._exit
        status = done.code
        if status is None or isinstance(status, int):
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            except (OSError, ValueError):
                raise done from None
            os._exit(status or 0)
        raise
