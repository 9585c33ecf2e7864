"""``qbank import``: turn question files from other tools into canonical bank files."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from qbank import exitcodes
from qbank.cli.common import config_option, fail_usage, get_config, writing_to
from qbank.discovery import discover
from qbank.engine import lint
from qbank.exporters.write import write_atomic
from qbank.importers import IMPORTERS, ImportNote, ImportResult, UnreadableSource
from qbank.importers.detect import candidates, head_of
from qbank.importers.ids import IdMaker
from qbank.reporters.text import statistics, summary
from qbank.schema import SCHEMA_FILE, SCHEMA_ID
from qbank.writer import dump_bank_file


@dataclass
class _Source:
    path: Path
    folder: Path
    """Where its output goes, relative to --out (sources found in a folder keep their sub-folder)."""


def _sources(given: tuple[Path, ...]) -> list[_Source]:
    found: list[_Source] = []
    for path in given:
        if path.is_file():
            found.append(_Source(path, Path()))
        elif path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        found.append(_Source(Path(folder) / name, Path(folder).relative_to(path)))
        else:
            fail_usage(f"{path}: no such file or folder")
    if not found:
        fail_usage(f"no files under {', '.join(map(str, given))}")
    return found


def _format_of(path: Path, chosen: str | None) -> str:
    if chosen:
        return chosen
    try:
        found = candidates(path, head_of(path))
    except OSError as exc:
        fail_usage(f"{path}: cannot read the file: {exc.strerror or exc}")
    if len(found) == 1:
        return found[0]
    names = "|".join(sorted(IMPORTERS))
    if found:
        fail_usage(f"{path}: this could be {' or '.join(found)}; say which with --from {names}")
    fail_usage(f"{path}: cannot tell the format of this file; say it with --from {names}")


def schema_reference(target: Path) -> str:
    """A relative path to the bank's committed schema when there is one above ``target``, else its URL."""
    for folder in target.resolve().parents:
        schema = folder / "schemas" / SCHEMA_FILE
        if schema.is_file():
            return Path(os.path.relpath(schema, target.resolve().parent)).as_posix()
    return SCHEMA_ID


def _format_note(note: ImportNote) -> str:
    where = note.source + (f":{note.line}" if note.line else "") + (f":{note.column}" if note.column else "")
    return f"{where}: {note.severity}: {note.message}"


def _read_all(sources: list[_Source], chosen: str | None) -> list[tuple[_Source, ImportResult]]:
    ids = IdMaker()
    results = []
    for source in sources:
        importer = IMPORTERS[_format_of(source.path, chosen)](ids)
        try:
            result = importer.read(source.path)
        except UnreadableSource as exc:
            fail_usage(str(exc))
        errors = [note for note in result.notes if note.severity == "error"]
        if errors:
            for note in errors:
                click.echo(_format_note(note), err=True)
            fail_usage(f"{source.path} cannot be read as {importer.name}; nothing was written")
        results.append((source, result))
    return results


def _targets(results: list[tuple[_Source, ImportResult]], out: Path, force: bool) -> dict[Path, tuple[str, object]]:
    """Every file to write, refusing clashes between sources and, without --force, existing files."""
    targets: dict[Path, tuple[str, object]] = {}
    for source, result in results:
        for relative, data in [*result.files.items(), *result.assets.items()]:
            target = out / source.folder / relative
            if target in targets:
                fail_usage(f"{source.path} and {targets[target][0]} would both be written to {target}; import them separately")
            targets[target] = (str(source.path), data)
    existing = [path for path in targets if path.exists()]
    if existing and not force:
        listed = "\n  ".join(map(str, existing))
        fail_usage(f"these files exist already; nothing was written (use --force to overwrite them):\n  {listed}")
    return targets


@click.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--from", "source_format", type=click.Choice(sorted(IMPORTERS)),
    help="The format of the sources. Without it qbank tells the format from each file's content.",
)
@click.option(
    "--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write bank files into (created if needed).",
)
@click.option("--force", is_flag=True, help="Overwrite bank files that exist already.")
@config_option
def import_command(sources, source_format, out, force, config_path) -> None:
    """Import questions from other tools as canonical bank files, then lint them.

    SOURCES are files, or folders whose files are all imported. Each source
    becomes one .yaml file in --out with the same name. Everything a format has
    that qbank cannot carry (a question type, a partial grade, a name) is
    reported on stderr as file:line, and skipped questions are listed by name.

    \b
    Formats:
      qa-text  Q&A text pages (title, Question, options, Answer, Explanation)
      gift     Moodle GIFT: multiple choice, multiple answer, true/false
      aiken    Aiken: one-line single-answer questions
      moodle   Moodle XML: multichoice, truefalse, categories, images (other
               types are skipped and listed); qbank's own export comes back exactly
      json     qbank's JSON export (qbank export --to json): the bank, file by file
      anki     Anki package (.apkg, .colpkg; both forms Anki writes, with or
               without "Support older Anki versions"): notes of qbank's note
               type, decks as categories, images; other note types are listed
      anki-text
               Anki text file (.anki.txt, or Anki's Notes in Plain Text with
               the #separator/#notetype... header lines)
      qti      QTI 1.2 .zip or .xml (Canvas quizzes and banks, qbank's .qti.zip):
               multiple choice, multiple answers, true/false; other items listed

    qbank's own Moodle, Anki and QTI exports come back exactly: each question
    carries a hidden source comment, used while the question is unchanged on the
    platform. A question edited there is read from its HTML, and reported.

    \b
    Examples:
      qbank import pages/*.txt --out banks/imported
      qbank import quiz.txt --from gift --out banks/quiz --force
      qbank import "My deck.apkg" --out banks/from-anki

    \b
    Exit codes:
      0  every question imported and the written files lint clean
      1  written, but something needs attention: a construct that could not be
         carried, a skipped question, or an error-level lint finding
      2  bad usage or unreadable input; nothing was written
    """
    config = get_config(config_path)
    results = _read_all(_sources(sources), source_format)
    targets = _targets(results, out, force)
    with writing_to(out):
        for target, (_, data) in targets.items():
            if isinstance(data, bytes):
                write_atomic(target, data)
            else:
                write_atomic(target, dump_bank_file(data, schema=schema_reference(target)).encode("utf-8"))

    notes = [note for _, result in results for note in result.notes]
    skipped = [name for _, result in results for name in result.skipped]
    for note in notes:
        click.echo(_format_note(note), err=True)
    questions = sum(len(data.get("questions", [])) for _, data in targets.values() if isinstance(data, dict))
    written = [path for path, (_, data) in targets.items() if isinstance(data, dict)]
    click.echo(f"imported {questions} question{'s' if questions != 1 else ''} into {len(written)} file{'s' if len(written) != 1 else ''} under {out}")
    if skipped:
        click.echo(f"skipped {len(skipped)} question{'s' if len(skipped) != 1 else ''}:", err=True)
        for name in skipped:
            click.echo(f"  - {name}", err=True)
    carried_all = not skipped and not any(note.severity != "info" for note in notes)
    if not carried_all:
        click.echo(f"{len(notes)} thing{'s' if len(notes) != 1 else ''} could not be carried over exactly (see above)", err=True)

    linted = lint(discover(written), config) if written else None
    if linted is not None:
        if linted.diagnostics:
            click.echo("\n".join(statistics(linted)))
        click.echo(f"lint: {summary(linted)}" + (f"; see them with: qbank lint {out}" if linted.diagnostics else ""))
    sys.exit(exitcodes.OK if carried_all and not (linted and linted.errors) else exitcodes.FINDINGS)
