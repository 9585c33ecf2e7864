"""qbank stats: counts a reader can check by hand on a small bank."""

from __future__ import annotations

import json

from click.testing import CliRunner

from qbank.cli import main

BANK_A = """\
category: Deep learning/RNN
tags: [keras]
questions:
  - id: q1
    difficulty: easy
    tags: [lstm]
    stem: Which layer keeps a cell state?
    explanation: The LSTM.
    options:
      - {text: GRU, why: No cell state.}
      - {text: LSTM, correct: true}
      - {text: Dense}
  - id: q2
    type: true_false
    stem: Dropout is off at inference.
    options:
      - {text: "True", correct: true}
      - {text: "False", why: It is off.}
  - id: broken
    stem: Options must be a list.
    options: 7
"""
BANK_B = """\
questions:
  - id: q3
    type: multiple
    difficulty: hard
    tags: [lstm, gru]
    stem: Which layers are recurrent?
    explanation: Both.
    options:
      - {text: LSTM, correct: true}
      - {text: GRU, correct: true}
      - {text: Dense, why: No state.}
      - {text: Flatten, why: No state.}
"""


def run(tmp_path, monkeypatch, *args):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "banks").mkdir(exist_ok=True)
    (tmp_path / "banks" / "a.yaml").write_text(BANK_A, encoding="utf-8")
    (tmp_path / "banks" / "b.yaml").write_text(BANK_B, encoding="utf-8")
    return CliRunner().invoke(main, ["stats", "banks", *args], catch_exceptions=False)


def test_stats_json(tmp_path, monkeypatch):
    outcome = run(tmp_path, monkeypatch, "--format", "json")
    assert outcome.exit_code == 0
    summary = json.loads(outcome.stdout)
    assert summary["files"] == 2 and summary["questions"] == 3 and summary["invalid_questions"] == 1
    assert summary["types"] == {"multiple": 1, "single": 1, "true_false": 1}
    assert summary["difficulty"] == {"easy": 1, "hard": 1, "unset": 1}
    assert summary["categories"] == {"Deep learning / RNN": 2, "b": 1}
    assert summary["tags"] == {"keras": 2, "lstm": 2, "gru": 1}
    assert summary["untagged"] == 0
    assert summary["option_counts"] == {"2": 1, "3": 1, "4": 1}
    assert summary["key_positions"] == {"3 options": {"B": 1}, "true_false": {"True": 1}}
    assert summary["explanation_coverage"] == {"with": 2, "of": 3, "share": 0.6667}
    assert summary["why_coverage"] == {"with": 4, "of": 5, "share": 0.8}


def test_stats_text(tmp_path, monkeypatch):
    text = run(tmp_path, monkeypatch).stdout
    assert text.startswith("2 files, 3 questions (1 invalid, not counted; run qbank lint)\n")
    assert "Types         multiple 1 (33%) · single 1 (33%) · true_false 1 (33%)" in text
    assert "Explanations  2 of 3 questions (67%)" in text
    assert "Why           4 of 5 wrong options (80%)" in text
    assert "  3 options:    B 1 (100%)   (n = 1)" in text
    assert "  true/false:   True 1 (100%)   (n = 1)" in text
    assert "       2  Deep learning / RNN" in text
    assert "Tags (3; 0 questions untagged)" in text


def test_stats_on_a_missing_path_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outcome = CliRunner().invoke(main, ["stats", "nowhere"])
    assert outcome.exit_code == 2 and "no such file or folder" in outcome.stderr
