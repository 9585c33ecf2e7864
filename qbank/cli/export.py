"""``qbank export``: lint a bank, then write it in one or more formats."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import click

from qbank import exitcodes
from qbank.bank import Bank
from qbank.cli.common import config_option, fail_usage, get_config, get_sources, writing_to
from qbank.diagnostics import Severity
from qbank.engine import lint
from qbank.exporters import EXPORTERS, ExportNote, ExportResult
from qbank.exporters.write import FolderOutput
from qbank.reporters.text import format_diagnostic, summary

PROGRESS_FROM = 300
"""Show a progress bar (on a terminal) from this many questions on."""


def bank_name(paths: tuple[str, ...], configured: list[str], given: str | None) -> str:
    if given:
        return given
    chosen = paths or tuple(configured)
    if len(chosen) != 1:
        fail_usage("several bank paths: say what to call the export with --name NAME")
    path = Path(chosen[0]).resolve()
    return path.stem if path.is_file() else path.name


def exporter_options(name: str, configured: dict[str, dict[str, Any]], flags: dict[str, Any]) -> dict[str, Any]:
    options = dict(configured.get(name, {}))
    options.update({k: v for k, v in flags.items() if v is not None and k in EXPORTERS[name].defaults})
    return options


def where(bank: Bank, note: ExportNote, by_id: dict[str, list] | None = None) -> str:
    """``file:line:col: question ID`` for a note, as precise as the bank allows.

    ``by_id`` (from :func:`questions_by_id`) saves a scan of the bank for each note.
    """
    for file, index in (by_id or questions_by_id(bank)).get(note.question_id, ()):
        if note.file is None or file.loaded.name == note.file:
            document = file.loaded.document
            position = document.source_map.span(("questions", index))[1] if document else None
            place = f"{file.loaded.name}:{position.line}:{position.column}" if position else file.loaded.name
            return f"{place}: question {note.question_id}"
    return note.file or "bank"


def release_memory() -> None:
    """Hand what the lint freed back to the system before an export builds its output.

    A lint of a large bank makes and drops many small objects; the C allocator keeps
    their pages unless asked (glibc's malloc_trim; elsewhere nothing is done).
    """
    gc.collect()
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def questions_by_id(bank: Bank) -> dict[str, list]:
    """Where each question id is: (file, index in its questions), from the ids the lint kept (no question is unpacked)."""
    found: dict[str, list] = {}
    for file in bank.files:
        for index, question_id in file.ids:
            found.setdefault(question_id, []).append((file, index))
    return found


def refuse_findings(result) -> None:
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    for diagnostic in errors:
        click.echo(format_diagnostic(diagnostic), err=True)
    click.echo(summary(result), err=True)
    click.echo(
        f"qbank: export refused: the bank has {len(errors)} error-level finding{'s' if len(errors) != 1 else ''}; "
        "fix them (see qbank lint) and export again",
        err=True,
    )
    sys.exit(exitcodes.FINDINGS)


@click.command("export")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--to", "-t", "formats", multiple=True, required=True, type=click.Choice(sorted(EXPORTERS)),
    help="Output format; repeat for several (the files each writes are listed above).",
)
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path), default="dist",
              show_default=True, help="Folder to write into (created when missing).")
@click.option("--name", "-n", help="The bank's name: output file names, top Moodle category and Anki deck. "
              "Default: the bank folder's name.")
@click.option("--embed-images", is_flag=True, default=None, help="json: put image bytes in the document (base64).")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
    help="Worker processes for the lint and the export of a large bank. Default: one per core.",
)
@click.option("--no-cache", is_flag=True, help="Lint every file again instead of using .qbank_cache/ (see qbank lint).")
@click.option("--moodle-wrong", "wrong", type=click.Choice(["negative-share", "zero"]), default=None,
              help="moodle: grade of a wrong option in a multiple-answer question "
              "(negative-share: -100/number of wrong options; zero: 0).  [default: negative-share]")
@config_option
def export_command(paths, formats, out_dir, name, embed_images, jobs, no_cache, wrong, config_path) -> None:
    """Export a bank for quiz platforms (Moodle, Canvas, Anki, GIFT and Aiken readers), after checking it.

    PATHS are files or folders, as for `qbank lint` (default: the configured
    paths, or banks/). The bank is linted first (with the lint cache, like qbank
    lint); an error-level finding stops the export and is listed. Files are named after the bank folder (or --name):

    \b
      DIR/NAME.moodle.xml   moodle: categories $course$/top/NAME/...; grades from
                            Moodle's list; images embedded
      DIR/NAME.gift.txt     gift: Moodle GIFT text; no images (each such question
                            reported)
      DIR/NAME.aiken.txt    aiken: single-answer questions only, no feedback (what
                            each question loses is reported)
      DIR/NAME.qti.zip      qti: Canvas question banks (IMS QTI 1.2)
      DIR/NAME.json         json: every field, placement and HTML
                            (schemas/qbank-export.schema.json)
      DIR/NAME.apkg         anki: re-importing an edited bank updates notes in place
      DIR/NAME.anki.txt     anki-text: Anki text import, same notes (import the
                            .apkg once first)

    \b
    Examples:
      qbank export banks --to moodle --to anki
      qbank export banks --to json --embed-images --out build
      qbank export banks --to qti --to gift      Canvas, and any LMS that reads GIFT
      qbank export banks --to moodle --name "Course 2026-11"   a new category per release

    Options per format can also be set in pyproject.toml, e.g.

    \b
      [tool.qbank.exports.moodle]
      wrong = "zero"              # or "negative-share" (the default)
      answernumbering = "ABCD"    # abc, ABCD, 123, iii, IIII, none

    Output is the same bytes for the same bank, and every file is written
    atomically. If a format cannot carry a question, nothing is written for that
    format. See docs/exports.md.

    Exit code: 0 written, 1 bank refused (findings) or a question refused, 2 bad usage.
    """
    config = get_config(config_path)
    sources = get_sources(paths, config)
    name = bank_name(paths, config.paths, name)
    if not name or "/" in name or name in (".", ".."):
        fail_usage(f"{name!r} cannot name a file; choose another with --name")
    if unknown := sorted(set(config.exports) - set(EXPORTERS)):
        fail_usage(
            f"{config.source or 'configuration'}: [tool.qbank.exports.{unknown[0]}]: no export format {unknown[0]!r} "
            f"(formats: {', '.join(sorted(EXPORTERS))})"
        )
    exporters = {}
    flags = {"embed_images": embed_images, "wrong": wrong}
    for fmt in dict.fromkeys(formats):
        try:
            exporters[fmt] = EXPORTERS[fmt](exporter_options(fmt, config.exports, flags), jobs=jobs)
        except ValueError as exc:
            fail_usage(f"{exc} (check [tool.qbank.exports.{fmt}])")

    result = lint(sources, config, jobs=jobs, cache=config.cache and not no_cache)
    if result.errors:
        refuse_findings(result)
    bank = result.bank
    release_memory()

    total = bank.question_count * len(exporters)
    show = sys.stderr.isatty() and bank.question_count > PROGRESS_FROM
    bar = click.progressbar(length=total, label="Exporting", file=sys.stderr) if show else nullcontext()
    outputs: dict[str, tuple[ExportResult, FolderOutput]] = {}
    try:
        with bar as progress, writing_to(out_dir):
            for fmt, exporter in exporters.items():
                folder = FolderOutput(out_dir)
                outputs[fmt] = exporter.export(bank, name, progress.update if show else None, folder), folder
        sys.exit(report(bank, outputs))
    finally:
        for _, folder in outputs.values():
            folder.discard()  # what a failure left unfinished


def report(bank: Bank, outputs: dict[str, tuple[ExportResult, FolderOutput]]) -> int:
    """Print each format's notes, and put its files in place unless it refused a question; the exit code."""
    failed = False
    by_id = questions_by_id(bank) if any(output.notes for output, _ in outputs.values()) else {}
    for fmt, (output, folder) in outputs.items():
        for note in output.notes:
            level = "error" if note.severity == "error" else "warning"
            click.echo(f"{where(bank, note, by_id)}: {fmt} export {level}: {note.message}", err=True)
        if output.refused:
            failed = True
            folder.discard()
            click.echo(f"qbank: {fmt}: {len(output.refused)} question(s) refused; nothing written for {fmt}", err=True)
            continue
        with writing_to(folder.folder):
            targets = folder.commit()
        for target in targets:
            count = bank.question_count - len(output.skipped)
            skipped = f" of {bank.question_count}; {len(output.skipped)} skipped, see above" if output.skipped else ""
            click.echo(f"wrote {target} ({count} questions{skipped})")
    return exitcodes.FINDINGS if failed else exitcodes.OK
