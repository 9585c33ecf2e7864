"""The speed targets of issue 6, each a ratio measured side by side in this one run.

1. Full lint: ``qbank lint`` of 100,000 questions (1,000 files, every rule on, cache
   cold: a cache folder never used before, see :data:`COLD`) takes at most 6x the bare
   libyaml parse of the same files (C, no Python objects, as the issue measured it;
   PyYAML's event stream is shown beside it).
2. Against the alternative: ``qbank lint`` of 10,000 questions (no cache) is at least
   20x faster than ``check-jsonschema`` validating them against
   schemas/qbank-file.schema.json.
3. Re-lint: after 1 of the 1,000 files changes (a word added to a stem, see
   :func:`_edit_one`), a lint takes at most 5% of the full run.
4. Export: ``qbank export BANK --to FORMAT --out DIR`` of 100,000 questions takes at
   most 2x the full lint, for each format on its own (the export lints first, with
   the cache as ``qbank lint`` left it, as in CI). The Anki export asks git when each
   question changed, so it is timed on the bench bank (not in git: bench/out is
   ignored) and on a copy committed to a repository of its own.
5. Memory: the peak memory (summed PSS of the process and its workers) of the lint
   and of every export of 100,000 questions stays at most 1 GB. It is taken in runs
   of its own, which are not timed: sampling it slows what it watches.

Every figure is the best of ``--runs`` runs; a ratio's two sides are run in turns.
The table is printed and written as Markdown to bench/out/targets.md. Exits 1 when a
target is missed. A benchmark, not a test: nothing here runs in ``make test``.

    python bench/targets.py [--runs 3] [--questions 100000]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from itertools import count
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import BIN, OUT, ROOT, STAMP, Table, bank, bank_files, best_run, child, event_stream, floor_parse, interleaved, machine
from bench.measure import Run, qbank_command, seconds, timed, watched

GB = 1024.0  # in MB


COLD = OUT / "cold"
"""The cold lints' caches, one folder each, deleted once every figure is taken. Deleting a cache just
before a cold lint slowed it by 0.4-0.8 s here: on an ext4 file system without a journal (this
machine's), the kernel skips every inode deleted in the last minute or more when it allocates one, one
by one, so creating the new cache's 1,000 entries walked the 1,000 just deleted each time. A lint
on a fresh checkout (the cold lint of CI) meets no such inodes."""


def _config(folder: Path) -> Path:
    """Every rule on; the cache lives in ``folder``/.qbank_cache, away from the project's own."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pyproject.toml"
    path.write_text('[tool.qbank]\nselect = ["QB"]\n', encoding="utf-8")
    return path


PLAIN_STEM = re.compile(r"(?P<key>\s*(?:- )?stem: )(?P<text>[^\"'|>\s].*[^:\s])(?P<end>\r?\n)")


def _edit_one(files: list[Path], run: int) -> None:
    """Edit one file (a different one each run): a word more at the end of its first stem written
    plain. Not a comment: the bank-wide rules see the change too (QB304's signatures of the stem,
    the stems QB305 searches), as they would an author's edit."""
    path = files[(run * 397) % len(files)]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines):
        if match := PLAIN_STEM.fullmatch(line):
            lines[number] = f"{match['key']}{match['text']} revisited{run}{match['end']}"
            path.write_text("".join(lines), encoding="utf-8")
            return
    raise RuntimeError(f"{path}: no stem written plain to edit")


def full_lint(table: Table, runs: int, questions: int) -> tuple[float, float]:
    folder = bank(questions)
    files = bank_files(folder)
    config = _config(OUT / "cache-100k")
    cache = config.parent / ".qbank_cache"
    lint = [*qbank_command(), "lint", str(folder), "--config", str(config), "--quiet"]

    # The floor and the lints in turns, so that the ratios compare runs of the same spell. Each
    # cold lint writes its cache into a folder never used before (see COLD).
    folders = (_config(COLD / f"{os.getpid()}-{number}") for number in count())

    def cold_lint() -> Run:
        return child([*qbank_command(), "lint", str(folder), "--config", str(next(folders)), "--quiet"])()

    floor_run, events_run, cold, no_cache = interleaved(
        runs,
        timed(lambda: floor_parse(files)),
        timed(lambda: event_stream(files)),
        cold_lint,
        child([*lint, "--no-cache"]),
    )
    floor, events = floor_run.seconds, events_run.seconds
    serial = best_run(1, [*lint, "--no-cache", "--jobs", "1"])

    # Re-lint: a warm cache, then one changed file per run (the originals are put back).
    originals = {path: path.read_bytes() for path in files}
    changed = iter(range(runs))
    try:
        best_run(1, lint)  # the cache is warm after this
        relint = best_run(runs, lint, before=lambda: _edit_one(files, next(changed)))
    finally:
        for path, data in originals.items():
            if path.read_bytes() != data:
                path.write_bytes(data)

    name = f"{questions:,} questions, {len(files):,} files"
    table.add(f"bare libyaml event parse, {name} (the floor: C, no Python objects)", seconds(floor))
    table.add("   PyYAML event stream of the same files (Python events)", seconds(events), seconds(floor), f"{events / floor:.1f}x")
    ratio = cold.seconds / floor
    table.add("1. qbank lint, every rule, cache cold", seconds(cold.seconds), seconds(floor), f"{ratio:.1f}x", "<= 6x", ratio <= 6)
    table.add("   qbank lint --no-cache", seconds(no_cache.seconds), seconds(floor), f"{no_cache.seconds / floor:.1f}x")
    table.add("   qbank lint --no-cache --jobs 1", seconds(serial.seconds), seconds(floor), f"{serial.seconds / floor:.1f}x")
    share = relint.seconds / cold.seconds
    table.add("3. re-lint after 1 file changed (a stem edited)", seconds(relint.seconds), seconds(cold.seconds), f"{share:.1%}", "<= 5%", share <= 0.05)
    # Memory in runs of their own: watching a run slows it (bench/measure.py, run_child).
    peak = max(watched(lint, before=lambda: shutil.rmtree(cache, ignore_errors=True)), watched([*lint, "--no-cache"]))
    return cold.seconds, peak


def against_check_jsonschema(table: Table, runs: int) -> None:
    folder = bank(10_000)
    files = [str(path) for path in bank_files(folder)]
    checker = BIN / "check-jsonschema"
    if not checker.exists() and shutil.which("check-jsonschema") is None:
        table.add("2. check-jsonschema, 10,000 questions", "not installed", "", "", ">= 20x", False)
        print("bench: check-jsonschema is missing; install the bench extra: pip install -e '.[bench]'", file=sys.stderr)
        return
    command = [str(checker) if checker.exists() else "check-jsonschema", "--schemafile", str(ROOT / "schemas" / "qbank-file.schema.json"), *files]
    config = _config(OUT / "cache-10k")
    ours_command = [*qbank_command(), "lint", str(folder), "--config", str(config), "--no-cache", "--quiet"]
    alternative, ours = interleaved(runs, child(command), child(ours_command))  # in turns, as in full_lint
    ratio = alternative.seconds / ours.seconds
    table.add("   check-jsonschema, 10,000 questions", seconds(alternative.seconds))
    table.add(
        "2. qbank lint, 10,000 questions, no cache", seconds(ours.seconds), seconds(alternative.seconds), f"{ratio:.1f}x faster", ">= 20x faster", ratio >= 20
    )


def git_bank(questions: int) -> Path:
    """A copy of the bench bank committed to a git repository of its own (fixed dates), made once."""
    source = bank(questions)
    folder = source.with_name(source.name + "-git")
    stamp = (source / STAMP).read_text()
    if (folder / ".git").is_dir() and (folder / STAMP).exists() and (folder / STAMP).read_text() == stamp:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, folder)
    dated = {"GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=bench", "-c", "user.email=bench@example.org", "commit", "-qm", "bank"]):
        subprocess.run(["git", "-C", str(folder), *command], check=True, env={**os.environ, **dated})
    return folder


def exports(table: Table, runs: int, questions: int, lint_seconds: float) -> tuple[float, str]:
    """Time ``qbank export`` of each format on its own; returns the highest peak memory seen, and where."""
    from qbank.exporters import EXPORTERS  # noqa: PLC0415

    config = _config(OUT / "cache-100k")
    plain, in_git = bank(questions), git_bank(questions)
    peak, worst = 0.0, ""
    cases = [(name, plain, "") for name in sorted(EXPORTERS)] + [("anki", in_git, ", bank committed in git")]
    for name, folder, where in cases:
        with tempfile.TemporaryDirectory(dir=OUT) as target:
            command = [*qbank_command(), "export", str(folder), "--to", name, "--out", target, "--config", str(config)]
            best_run(1, command, ok=(0,))  # the first lints the bank into the cache, as qbank lint would have
            run = best_run(runs, command, ok=(0,))
            memory = watched(command, ok=(0,))
        if memory > peak:
            peak, worst = memory, f"{name}{where}"
        ratio = run.seconds / lint_seconds
        table.add(f"4. qbank export --to {name}{where}", seconds(run.seconds), seconds(lint_seconds), f"{ratio:.1f}x", "<= 2x lint", ratio <= 2)
    return peak, worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs per figure")
    parser.add_argument("--questions", type=int, default=100_000, help="size of the large bank")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()[0]
    table = Table(f"qbank speed targets (issue 6), {args.questions:,} questions")
    lint_seconds, lint_peak = full_lint(table, args.runs, args.questions)
    against_check_jsonschema(table, args.runs)
    export_peak, worst = exports(table, args.runs, args.questions, lint_seconds)
    for what, peak in (("lint", lint_peak), (f"exports (highest: {worst})", export_peak)):
        table.add(f"5. peak memory of the {what}, PSS of all processes", f"{peak:,.0f} MB", "", "", "<= 1,024 MB", peak <= GB)

    about = (
        f"Machine: {machine()} (at the start: {load_before:.1f}; other jobs share the machine). "
        f"Best of {args.runs} runs per figure."
    )
    shutil.rmtree(COLD, ignore_errors=True)  # after every timed run (see COLD)
    print(table.text() + "\n\n" + about)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "targets.md").write_text(table.markdown() + "\n\n" + about + "\n", encoding="utf-8")
    for row in table.missed:
        print(f"MISSED: {row.what.strip(' 12345.')}: {row.ratio or row.figure} (target {row.target})", file=sys.stderr)
    return 1 if table.missed else 0


if __name__ == "__main__":
    sys.exit(main())
