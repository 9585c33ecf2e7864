"""The speed targets of issue 6, each a ratio measured side by side in this one run.

1. Full lint: ``qbank lint`` of 100,000 questions (1,000 files, every rule on, cache
   cold) takes at most 6x the bare libyaml parse of the same files.
2. Against the alternative: ``qbank lint`` of 10,000 questions (no cache) is at least
   20x faster than ``check-jsonschema`` validating them against
   schemas/qbank-file.schema.json.
3. Re-lint: after 1 of the 1,000 files changes, a lint takes at most 5% of the full run.
4. Memory: the peak memory of the lint of 100,000 questions (summed PSS of the process
   and its workers) stays at most 1 GB.
5. Export: exporting 100,000 questions to each format takes at most 2x the full lint.

Every figure is the best of ``--runs`` runs. The table is printed and written as
Markdown to bench/out/targets.md. Exits 1 when a target is missed. A benchmark, not
a test: nothing here runs in ``make test``.

    python bench/targets.py [--runs 3] [--questions 100000]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import BIN, OUT, ROOT, Table, bank, bank_files, best_of, best_run, floor_parse, machine, qbank_command, seconds

GB = 1024.0  # in MB


def _config(folder: Path) -> Path:
    """Every rule on; the cache lives in ``folder``/.qbank_cache, away from the project's own."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pyproject.toml"
    path.write_text('[tool.qbank]\nselect = ["QB"]\n', encoding="utf-8")
    return path


def _touch_one(files: list[Path], run: int) -> None:
    """Change the bytes of one file (a different one each run), so that its cache entry no longer holds."""
    path = files[(run * 397) % len(files)]
    path.write_text(path.read_text(encoding="utf-8") + f"# edited in run {run}\n", encoding="utf-8")


def full_lint(table: Table, runs: int, questions: int) -> float:
    folder = bank(questions)
    files = bank_files(folder)
    config = _config(OUT / "cache-100k")
    cache = config.parent / ".qbank_cache"
    lint = [*qbank_command(), "lint", str(folder), "--config", str(config), "--quiet"]

    floor = best_of(runs, lambda: floor_parse(files))
    cold = best_run(runs, lint, before=lambda: shutil.rmtree(cache, ignore_errors=True))
    no_cache = best_run(runs, [*lint, "--no-cache"])
    serial = best_run(1, [*lint, "--no-cache", "--jobs", "1"])

    # Re-lint: a warm cache, then one changed file per run (the originals are put back).
    originals = {path: path.read_bytes() for path in files}
    changed = iter(range(runs))
    try:
        best_run(1, lint)  # the cache is warm after this
        relint = best_run(runs, lint, before=lambda: _touch_one(files, next(changed)))
    finally:
        for path, data in originals.items():
            if path.read_bytes() != data:
                path.write_bytes(data)

    name = f"{questions:,} questions, {len(files):,} files"
    table.add(f"bare libyaml event parse, {name} (the floor)", seconds(floor))
    ratio = cold.seconds / floor
    table.add("1. qbank lint, every rule, cache cold", seconds(cold.seconds), seconds(floor), f"{ratio:.1f}x", "<= 6x", ratio <= 6)
    table.add("   qbank lint --no-cache", seconds(no_cache.seconds), seconds(floor), f"{no_cache.seconds / floor:.1f}x")
    table.add("   qbank lint --no-cache --jobs 1", seconds(serial.seconds), seconds(floor), f"{serial.seconds / floor:.1f}x")
    share = relint.seconds / cold.seconds
    table.add("3. re-lint after 1 file changed", seconds(relint.seconds), seconds(cold.seconds), f"{share:.1%}", "<= 5%", share <= 0.05)
    peak = max(cold.peak_tree_mb, no_cache.peak_tree_mb)
    table.add(
        "4. peak memory of the lint (PSS of all its processes)",
        f"{peak:,.0f} MB",
        f"one process at most {max(cold.max_rss_mb, no_cache.max_rss_mb):,.0f} MB RSS",
        "",
        "<= 1,024 MB",
        peak <= GB,
    )
    return cold.seconds


def against_check_jsonschema(table: Table, runs: int) -> None:
    folder = bank(10_000)
    files = [str(path) for path in bank_files(folder)]
    checker = BIN / "check-jsonschema"
    if not checker.exists() and shutil.which("check-jsonschema") is None:
        table.add("2. check-jsonschema, 10,000 questions", "not installed", "", "", ">= 20x", False)
        print("bench: check-jsonschema is missing; install the bench extra: pip install -e '.[bench]'", file=sys.stderr)
        return
    command = [str(checker) if checker.exists() else "check-jsonschema", "--schemafile", str(ROOT / "schemas" / "qbank-file.schema.json"), *files]
    alternative = best_run(runs, command)
    config = _config(OUT / "cache-10k")
    ours = best_run(runs, [*qbank_command(), "lint", str(folder), "--config", str(config), "--no-cache", "--quiet"])
    ratio = alternative.seconds / ours.seconds
    table.add("   check-jsonschema, 10,000 questions", seconds(alternative.seconds))
    table.add(
        "2. qbank lint, 10,000 questions, no cache", seconds(ours.seconds), seconds(alternative.seconds), f"{ratio:.1f}x faster", ">= 20x faster", ratio >= 20
    )


# -- HOOK: exports (issue 6, target 5) ----------------------------------------
# The exporters are being written in parallel. As soon as `qbank export` exists,
# this times `qbank export --to FORMAT` of the 100k bank for every registered
# format; until then it reports "not available yet" and does not fail the run.
def exports(table: Table, runs: int, questions: int, lint_seconds: float) -> None:
    probe = subprocess.run([*qbank_command(), "export", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        table.add("5. export, each format", "not available yet", "", "", "<= 2x lint")
        return
    from qbank.exporters import EXPORTERS  # noqa: PLC0415

    folder = bank(questions)
    config = _config(OUT / "cache-100k")
    if not EXPORTERS:
        table.add("5. export, each format", "no exporter registered", "", "", "<= 2x lint")
        return
    for name in sorted(EXPORTERS):
        with tempfile.TemporaryDirectory(dir=OUT) as target:
            command = [*qbank_command(), "export", "--to", name, str(folder), "--config", str(config), "--output", str(Path(target) / name)]
            run = best_run(runs, command, ok=(0,))
        ratio = run.seconds / lint_seconds
        table.add(f"5. qbank export --to {name}", seconds(run.seconds), seconds(lint_seconds), f"{ratio:.1f}x", "<= 2x lint", ratio <= 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs per figure")
    parser.add_argument("--questions", type=int, default=100_000, help="size of the large bank")
    args = parser.parse_args(argv)

    table = Table(f"qbank speed targets (issue 6), {args.questions:,} questions")
    lint_seconds = full_lint(table, args.runs, args.questions)
    against_check_jsonschema(table, args.runs)
    exports(table, args.runs, args.questions, lint_seconds)

    about = f"Machine: {machine()}. Best of {args.runs} runs per figure."
    print(table.text() + "\n\n" + about)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "targets.md").write_text(table.markdown() + "\n\n" + about + "\n", encoding="utf-8")
    for row in table.missed:
        print(f"MISSED: {row.what.strip(' 12345.')}: {row.ratio or row.figure} (target {row.target})", file=sys.stderr)
    return 1 if table.missed else 0


if __name__ == "__main__":
    sys.exit(main())
