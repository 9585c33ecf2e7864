"""When each question last changed: the modification time its Anki note carries.

Anki updates an existing note (same GUID) only when the incoming note is *newer*
(rslib ``import_export/package/apkg/import/notes.rs``, ``should_update``). So the
time must grow when a question changes and stay put when it does not, and it
must not depend on when the export runs. qbank takes it from git:

- the newest commit time (``git blame -M``, committer time) among the lines of the
  question, of its file's ``category:`` and ``tags:``, and the last commit of each
  local image it shows;
- lines not yet committed count as the file's modification time on disk, and so
  does a whole file that git does not track or a bank outside git;
- never earlier than :data:`RENDER_EPOCH`, raised whenever qbank changes what a
  note looks like, so that every note is refreshed once after such an upgrade.

The same commit therefore always gives the same times (and bytes); an edited
question gets a newer time than before; its neighbours keep theirs.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from qbank.bank import Bank, BankQuestion
from qbank.markdown import image_sources, is_local
from qbank.model.fields import markdown_texts

RENDER_EPOCH = 1_795_651_200
"""2026-11-26 00:00 UTC: the note rendering of this qbank version. Raise it when notes change."""

_UNCOMMITTED = "0" * 40


def _disk_time(path: Path) -> int:
    try:
        return int(path.stat().st_mtime)
    except OSError:
        return RENDER_EPOCH


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, encoding="utf-8", errors="replace",
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def line_times(path: Path) -> list[int]:
    """The time each line (1-based; index 0 unused) last changed, per the rules above."""
    disk = _disk_time(path)
    blame = _git(path.parent, "blame", "-M", "--porcelain", "--", path.name)
    if blame is None:
        return []
    times: list[int] = [disk]
    commit_time: dict[str, int] = {}
    current = None
    for line in blame.splitlines():
        if line.startswith("\t"):
            times.append(disk if current == _UNCOMMITTED else commit_time.get(current, disk))
            continue
        head, _, rest = line.partition(" ")
        if len(head) == 40 and all(c in "0123456789abcdef" for c in head):
            current = head
        elif head == "committer-time" and current:
            commit_time[current] = int(rest)
    return times


def _image_time(path: Path) -> int:
    """The last commit of an image, or its time on disk when it is changed or untracked."""
    status = _git(path.parent, "status", "--porcelain", "--", path.name)
    if status is None or status.strip():
        return _disk_time(path)
    last = _git(path.parent, "log", "-1", "--format=%ct", "--", path.name)
    return int(last.strip()) if last and last.strip() else _disk_time(path)


def _span(item: BankQuestion, path: tuple) -> Iterable[int]:
    document = item.file.loaded.document
    if document is None:
        return ()
    key, position = document.source_map.span(path)
    if position is None:
        return ()
    start = (key or position).line
    end = position.end_line or position.line
    if end > position.line and position.end_column is not None and position.end_column <= position.column:
        end -= 1  # a block node ends where the next one starts: that line is not this node's
    return range(start, end + 1)


def tracked(folders: Iterable[Path]) -> set[Path]:
    """The files git tracks in these folders (one ``git ls-files`` each; none outside a repository)."""
    found: set[Path] = set()
    for folder in folders:
        listed = _git(folder, "ls-files", "-z", "--", ".")
        found.update((folder / name).resolve() for name in (listed or "").split("\0") if name)
    return found


def written_once(folder: Path) -> dict[Path, int]:
    """Files in ``folder`` that one commit added and none changed since, even in the work tree,
    with that commit's time: git blame would give every line that time, so it need not run.

    A file that was renamed, copied or touched by a merge is not among them (blame
    follows it further back), nor is one with changes not yet committed.
    """
    log = _git(folder, "log", "-m", "-M", "--format=%x00%ct", "--name-status", "--relative", "--", ".")
    changed = _git(folder, "diff", "--name-only", "--relative", "HEAD", "--", ".")
    if log is None or changed is None:
        return {}
    seen: dict[str, list[tuple[str, int]]] = {}
    for entry in log.split("\0")[1:]:
        stamp, _, lines = entry.partition("\n")
        for line in filter(None, lines.splitlines()):
            status, *names = line.split("\t")
            for name in names:
                seen.setdefault(name, []).append((status, int(stamp)))
    edited = set(changed.splitlines())
    return {
        (folder / name).resolve(): history[0][1]
        for name, history in seen.items()
        if len(history) == 1 and history[0][0] == "A" and name not in edited
    }


def _lines(path: Path) -> int:
    """How many lines git blame reports for a file."""
    data = path.read_bytes()
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def file_times(paths: list[Path]) -> dict[Path, list[int]]:
    """:func:`line_times` of each file; git blame runs only on tracked files that more than
    one commit wrote, several at a time.

    An untracked file (or one outside git) gets no line times: its time on disk counts,
    as :func:`line_times` would give after git refused to blame it.
    """
    folders = {path.parent for path in paths}
    known = tracked(folders)
    once = {path: time for folder in folders for path, time in written_once(folder).items()}
    times: dict[Path, list[int]] = {}
    for path in paths:
        if path.resolve() in once and path.resolve() in known:
            times[path] = [_disk_time(path)] + [once[path.resolve()]] * _lines(path)
    blamed = [path for path in paths if path.resolve() in known and path not in times]
    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 1) * 2)) as pool:
        times.update(zip(blamed, pool.map(line_times, blamed)))
    return {path: times.get(path, []) for path in paths}


class NoteTimes:
    """Each question's last-change time in seconds: git (or the disk) asked once per file, up front."""

    def __init__(self, bank: Bank) -> None:
        self.by_file = file_times(list(dict.fromkeys(file.loaded.path for file in bank.files)))
        self.by_image: dict[Path, int] = {}
        self.on_disk: dict[Path, int] = {}
        """The time on disk of each file without line times, read once (not once per question)."""

    def of(self, item: BankQuestion) -> int:
        path = item.file.loaded.path
        times = self.by_file[path]
        lines = [*_span(item, ("questions", item.index)), *_span(item, ("category",)), *_span(item, ("tags",))]
        if times:
            newest = max((times[n] for n in lines if 0 < n < len(times)), default=times[0])
        else:
            newest = self.on_disk.get(path)
            if newest is None:
                newest = self.on_disk[path] = _disk_time(path)
        for text in markdown_texts(item.question):
            for src in image_sources(text):
                if is_local(src):
                    image = (item.base_dir / src).resolve()
                    if image not in self.by_image:
                        self.by_image[image] = _image_time(image)
                    newest = max(newest, self.by_image[image])
        return max(newest, RENDER_EPOCH)


def note_times(bank: Bank) -> dict[str, int]:
    """Each question's last-change time in seconds, by question id."""
    times = NoteTimes(bank)
    return {item.id: times.of(item) for item in bank.questions}
