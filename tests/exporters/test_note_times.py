"""Note times: when each question last changed, per git, never when the export ran."""

from __future__ import annotations

import os

from qbank.exporters.note_times import RENDER_EPOCH, note_times
from tests.exporters.conftest import Repo, load, write_bank

JAN, FEB, MAR = 1_798_761_600, 1_801_440_000, 1_803_859_200  # 2027-01-01, 02-01, 03-01 UTC

BANK = """tags: [a]
questions:
  - stem: First?
    id: first
    options:
      - {text: x, correct: true}
      - {text: y, why: no}
  - stem: Second?
    id: second
    options:
      - {text: x, correct: true}
      - {text: y, why: no}
"""


def test_each_question_keeps_its_own_commit_time(tmp_path):
    bank = write_bank(tmp_path, {"b.yaml": BANK})
    repo = Repo(tmp_path)
    repo.commit("2027-01-01T00:00:00+00:00")
    assert note_times(load(bank)) == {"first": JAN, "second": JAN}
    path = tmp_path / "b.yaml"
    path.write_text(BANK.replace("Second?", "Second, edited?"), encoding="utf-8")
    repo.commit("2027-02-01T00:00:00+00:00")
    assert note_times(load(bank)) == {"first": JAN, "second": FEB}
    path.write_text(BANK.replace("Second?", "Second, edited?").replace("tags: [a]", "tags: [a, b]"), encoding="utf-8")
    repo.commit("2027-03-01T00:00:00+00:00")
    assert note_times(load(bank)) == {"first": MAR, "second": MAR}  # file tags reach every note


def test_uncommitted_lines_take_the_file_time_and_images_count(tmp_path):
    bank = write_bank(tmp_path, {"b.yaml": BANK.replace("First?", "First? ![p](p.png)")})
    (tmp_path / "p.png").write_bytes(b"png")
    repo = Repo(tmp_path)
    repo.commit("2027-01-01T00:00:00+00:00")
    (tmp_path / "p.png").write_bytes(b"new picture")
    os.utime(tmp_path / "p.png", (FEB, FEB))
    assert note_times(load(bank)) == {"first": FEB, "second": JAN}
    repo.commit("2027-03-01T00:00:00+00:00")
    assert note_times(load(bank)) == {"first": MAR, "second": JAN}
    path = tmp_path / "b.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Second?", "Second, now?"), encoding="utf-8")
    os.utime(path, (MAR + 60, MAR + 60))
    assert note_times(load(bank)) == {"first": MAR, "second": MAR + 60}


def test_outside_git_the_file_time_counts_but_never_before_the_render_epoch(tmp_path):
    bank = write_bank(tmp_path, {"b.yaml": BANK})
    os.utime(tmp_path / "b.yaml", (MAR, MAR))
    assert note_times(load(bank)) == {"first": MAR, "second": MAR}
    os.utime(tmp_path / "b.yaml", (1_000_000_000, 1_000_000_000))
    assert note_times(load(bank)) == {"first": RENDER_EPOCH, "second": RENDER_EPOCH}


def test_files_written_by_one_commit_skip_blame_and_get_what_blame_gives(tmp_path, monkeypatch):
    from qbank.exporters import note_times as module  # noqa: PLC0415

    repo = Repo(tmp_path)
    for name in ("once.yaml", "twice.yaml", "edited.yaml", "no-newline.yaml", "renamed-old.yaml"):
        (tmp_path / name).write_text(BANK.rstrip("\n") if name == "no-newline.yaml" else BANK, encoding="utf-8")
    repo.commit("2027-01-01T00:00:00+00:00")
    (tmp_path / "twice.yaml").write_text(BANK.replace("First?", "First, again?"), encoding="utf-8")
    repo.git("mv", "renamed-old.yaml", "renamed.yaml")  # blame follows the rename back to the first commit
    repo.commit("2027-02-01T00:00:00+00:00")
    repo.git("checkout", "-q", "-b", "side")
    (tmp_path / "merged.yaml").write_text(BANK, encoding="utf-8")
    repo.commit("2027-03-01T00:00:00+00:00")
    repo.git("checkout", "-q", "-")
    repo.git("merge", "-q", "--no-ff", "-m", "merge", "side", date="2027-04-01T00:00:00+00:00")
    (tmp_path / "edited.yaml").write_text(BANK.replace("Second?", "Second, unsaved?"), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(BANK, encoding="utf-8")  # untracked
    paths = sorted(tmp_path.glob("*.yaml"))
    blamed = {path: module.line_times(path) for path in paths}
    assert set(module.written_once(tmp_path)) == {(tmp_path / "once.yaml").resolve(), (tmp_path / "no-newline.yaml").resolve()}
    assert module.file_times(paths) == blamed
