"""How far `qbank lint` is from the floor: a bare libyaml parse of the same files.

In one run, on one generated bank of 10,000 questions (100 per file), it times:

- the floor: libyaml's bare event parse of every file (C, no Python objects:
  ``CParser.raw_parse``), reading each file;
- PyYAML's event stream (``yaml.parse`` with CSafeLoader: a Python object per event),
  where qbank's loader starts;
- ``yaml.load`` with CSafeLoader, for reference;
- ``qbank lint`` as users run it (the installed console script, a child process,
  every rule on, without the cache), with its default worker processes and with
  ``--jobs 1``.

Each figure is the best of 3 runs. The table is printed and written as Markdown to
bench/out/latest.md, ready for the README. This is a benchmark, not a test: it
exits 0 whatever the figures are. The targets of issue 6 are in bench/targets.py.

    python bench/lint_vs_floor.py [--questions 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import OUT, Table, bank, bank_files, child, event_stream, floor_parse, interleaved, machine, qbank_command, seconds, timed, yaml_load


def config_file() -> Path:
    """A configuration with every rule on, whose cache (unused here) stays under bench/out."""
    path = OUT / "bench.toml"
    path.write_text('[tool.qbank]\nselect = ["QB"]\n', encoding="utf-8")
    return path


def lint_table(questions: int, runs: int) -> Table:
    folder = bank(questions)
    files = bank_files(folder)
    lint = [*qbank_command(), "lint", str(folder), "--config", str(config_file()), "--no-cache", "--quiet"]
    floor_run, events_run, load_run, parallel, serial = interleaved(  # in turns: each ratio compares one spell
        runs,
        timed(lambda: floor_parse(files)),
        timed(lambda: event_stream(files)),
        timed(lambda: yaml_load(files)),
        child(lint),
        child([*lint, "--jobs", "1"]),
    )
    floor, events, load = floor_run.seconds, events_run.seconds, load_run.seconds

    table = Table(f"qbank lint vs the floor, {questions:,} questions in {len(files):,} files")
    table.add("bare libyaml event parse (the floor)", seconds(floor))
    table.add("PyYAML event stream (yaml.parse, CSafeLoader)", seconds(events), seconds(floor), f"{events / floor:.1f}x")
    table.add("yaml.load, CSafeLoader", seconds(load), seconds(floor), f"{load / floor:.1f}x")
    table.add("qbank lint, every rule, no cache", seconds(parallel.seconds), seconds(floor), f"{parallel.seconds / floor:.1f}x")
    table.add("qbank lint --jobs 1", seconds(serial.seconds), seconds(floor), f"{serial.seconds / floor:.1f}x")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs per figure")
    args = parser.parse_args(argv)
    table = lint_table(args.questions, args.runs)
    about = f"Machine: {machine()}. Best of {args.runs} runs."
    print(table.text() + "\n\n" + about)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "latest.md").write_text(table.markdown() + "\n\n" + about + "\n", encoding="utf-8")
    print(f"\nwritten to {(OUT / 'latest.md').relative_to(OUT.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
