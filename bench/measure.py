"""What the benchmarks share: banks, the floor, child processes, timing and the table.

Every figure is the best of a few runs, and every ratio compares figures taken in
the same run on the same files, in turns (:func:`interleaved`), so a busy or slow
spell of the machine moves both sides.
"""

from __future__ import annotations

import compileall
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
STAMP = ".generated"


@cache
def qbank_command() -> list[str]:
    """The installed console script, as users run it, with qbank's modules byte-compiled first, as
    pip compiles an installed package. An editable install compiles them on first use, unless the
    environment forbids writing bytecode (PYTHONDONTWRITEBYTECODE, which this machine's shells set):
    then every run compiles them again, about 60 ms that no installed qbank spends."""
    compileall.compile_dir(ROOT / "qbank", quiet=1)
    script = BIN / "qbank"
    if script.exists():
        return [str(script)]
    found = shutil.which("qbank")
    if found is None:
        sys.exit("bench: the qbank console script is not installed; run make test (or pip install -e .) first")
    return [found]


# -- banks -------------------------------------------------------------------
def bank(questions: int, per_file: int = 100, seed: int = 1) -> Path:
    """A generated bank under bench/out, made again only when its arguments or the generator changed."""
    from bench.generate import generate  # noqa: PLC0415

    folder = OUT / f"bank-{questions // 1000}k" if questions % 1000 == 0 else OUT / f"bank-{questions}"
    generator = (ROOT / "bench" / "generate.py").read_bytes()
    stamp = f"{questions} {per_file} {seed} {hashlib.sha256(generator).hexdigest()}"
    marker = folder / STAMP
    if not (marker.exists() and marker.read_text() == stamp):
        started = time.perf_counter()
        generate(folder, questions, per_file, seed)
        marker.write_text(stamp)
        print(f"generated {questions:,} questions in {folder.relative_to(ROOT)} ({time.perf_counter() - started:.1f} s)")
    return folder


def bank_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.yaml"))


# -- in-process figures ------------------------------------------------------
def timed(action: Callable[[], object]) -> Callable[[], Run]:
    """A measure (for :func:`interleaved`) of ``action`` run in this process: its wall time only."""

    def measure() -> Run:
        started = time.perf_counter()
        action()
        return Run(time.perf_counter() - started, 0.0, 0)

    return measure


def floor_parse(files: list[Path]) -> None:
    """The floor as issue 6 defines it: libyaml's bare event parse of every file (C, no
    Python objects), reading each from disk. PyYAML's C extension runs libyaml's parser
    over the text and drops each event (``CParser.raw_parse``, there for benchmarks)."""
    from yaml._yaml import CParser  # noqa: PLC0415  (needs PyYAML built with libyaml, as the bench does)

    for path in files:
        CParser(path.read_text(encoding="utf-8")).raw_parse()


def event_stream(files: list[Path]) -> None:
    """PyYAML's event stream over libyaml, where qbank's loader starts: the floor plus a
    Python event (and two marks) per node. About three times the floor."""
    for path in files:
        for _ in yaml.parse(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader):
            pass


def yaml_load(files: list[Path]) -> None:
    """PyYAML's own loader over libyaml, for reference."""
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


# -- child processes ---------------------------------------------------------
@dataclass
class Run:
    seconds: float
    peak_tree_mb: float
    """Peak of the summed proportional set size (PSS) of the child and its workers (0 when not watched)."""
    returncode: int
    stderr: str = ""


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    queue.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return pids


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


MEMORY_SAMPLE_SECONDS = 0.02


def run_child(command: list[str], cwd: Path = ROOT, memory: bool = False) -> Run:
    """Run ``command``, timing it; with ``memory``, also sample the memory of its whole process tree.

    Sampling perturbs what it watches: each sample reads every process's smaps_rollup, which
    walks its page tables under its memory lock, 5-16 ms of kernel time on a lint of 100,000
    questions, every 20 ms. Such a lint took 1.9-2.4 s longer watched (cache cold: 13.01 / 13.45 s
    against 11.15 / 11.36 s; no cache: 11.76 / 12.17 s against 9.38 / 9.92 s, alternated), so a
    run is either timed or watched, never both (:func:`watched`).
    """
    peak = 0
    done = threading.Event()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_pss_kb(pid) for pid in _tree(process.pid)))
            done.wait(MEMORY_SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    if memory and Path("/proc/self/smaps_rollup").exists():
        sampler.start()
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    _, status, _ = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    if sampler.is_alive():
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, peak / 1024, process.returncode, stderr)


def child(
    command: list[str], before: Callable[[], None] | None = None, ok: tuple[int, ...] = (0, 1), memory: bool = False
) -> Callable[[], Run]:
    """A measure (for :func:`interleaved`) of ``command`` run as a child process, after ``before``;
    timed, or with ``memory`` watched (:func:`run_child`)."""

    def measure() -> Run:
        if before:
            before()
        run = run_child(command, memory=memory)
        if run.returncode not in ok:
            sys.exit(f"bench: {' '.join(command)} exited {run.returncode}:\n{run.stderr[-2000:]}")
        return run

    return measure


def interleaved(runs: int, *measures: Callable[[], Run]) -> list[Run]:
    """The fastest run of each of ``measures``, taking them in turns: each once per round, for ``runs`` rounds.

    On a shared machine the speed drifts by 20-40 % within minutes. Measured one after the
    other, a figure and its baseline could fall in different spells and their ratio move
    either way; in turns, the best of each comes from the same stretch of time.
    """
    best: list[Run] = []
    for round_ in range(runs):
        for index, measure in enumerate(measures):
            run = measure()
            if round_ == 0:
                best.append(run)
            elif run.seconds < best[index].seconds:
                best[index] = run
    return best


def best_run(runs: int, command: list[str], before: Callable[[], None] | None = None, ok: tuple[int, ...] = (0, 1)) -> Run:
    """The fastest of ``runs`` timed runs."""
    return interleaved(runs, child(command, before, ok))[0]


def watched(command: list[str], before: Callable[[], None] | None = None, ok: tuple[int, ...] = (0, 1)) -> float:
    """The peak memory (PSS of the whole process tree, MB) of one more run of ``command``, watched, not timed."""
    return child(command, before, ok, memory=True)().peak_tree_mb


# -- the table ---------------------------------------------------------------
@dataclass
class Row:
    what: str
    figure: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None


@dataclass
class Table:
    title: str
    rows: list[Row] = field(default_factory=list)

    def add(self, *args, **kwargs) -> Row:
        row = Row(*args, **kwargs)
        self.rows.append(row)
        return row

    @property
    def missed(self) -> list[Row]:
        return [row for row in self.rows if row.met is False]

    def _cells(self, row: Row) -> list[str]:
        verdict = "" if row.met is None else "met" if row.met else "MISSED"
        return [row.what, row.figure, row.baseline, row.ratio, row.target, verdict]

    def text(self) -> str:
        header = ["what", "figure", "baseline", "ratio", "target", ""]
        cells = [header] + [self._cells(row) for row in self.rows]
        widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
        lines = [self.title, ""]
        for index, line in enumerate(cells):
            lines.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
            if index == 0:
                lines.append("  ".join("-" * width for width in widths))
        return "\n".join(lines)

    def markdown(self) -> str:
        lines = [f"**{self.title}**", "", "| what | figure | baseline | ratio | target | |", "|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(self._cells(row)) + " |" for row in self.rows]
        return "\n".join(lines)


def machine() -> str:
    """One line about the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        load = ", load average at the end %.1f" % os.getloadavg()[0]
    except OSError:
        load = ""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    from qbank.loader.tree import lean_compiled  # noqa: PLC0415

    from qbank.compiled import install  # noqa: PLC0415

    loader = "compiled" if lean_compiled is not None else "not built: PyYAML's events"
    finder = install()
    modules = sum(finder.uses_compiled(name) for name in finder.listed)
    return (
        f"{cpu}, {cores} cores, Python {platform.python_version()}{_libpython()}, PyYAML {yaml.__version__} (libyaml {yaml.__with_libyaml__}), "
        f"qbank's lean loader {loader}, {modules} of its modules compiled{' (QBANK_PURE_PYTHON)' if finder.pure else ''}{load}"
    )


def _libpython() -> str:
    """Whether this interpreter runs on a shared libpython, as pyenv builds it, or has it linked in,
    as Debian's does. Interpreters differ in speed: here, the same qbank lints 6-14 % slower on pyenv's
    build (shared, no profile-guided optimisation) than on Debian's (docs/performance.md)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            shared = "/libpython" in maps.read()
    except OSError:
        return ""
    return " (libpython shared)" if shared else " (libpython linked in)"


def seconds(value: float) -> str:
    return f"{value:.2f} s"
