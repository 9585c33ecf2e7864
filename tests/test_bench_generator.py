"""The benchmark's bank generator: deterministic, and clean under every rule unless told to plant faults."""

from __future__ import annotations

from bench.generate import FAULTS, generate
from qbank.config import Config
from qbank.discovery import discover
from qbank.engine import lint


def _bytes(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.yaml"))}


def test_same_arguments_give_the_same_bytes(tmp_path):
    generate(tmp_path / "a", questions=250, per_file=40, seed=7)
    generate(tmp_path / "b", questions=250, per_file=40, seed=7)
    generate(tmp_path / "c", questions=250, per_file=40, seed=8)
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")
    assert _bytes(tmp_path / "a") != _bytes(tmp_path / "c")
    assert len(_bytes(tmp_path / "a")) == 7


def test_a_generated_bank_lints_clean_and_has_every_question_type(tmp_path):
    generate(tmp_path / "bank", questions=300, per_file=100)
    result = lint(discover([tmp_path / "bank"]), Config(), jobs=1)
    assert result.errors == 0, [d.message for d in result.diagnostics][:5]
    assert result.bank.question_count == 300
    assert {q.question.type for q in result.bank.questions} == {"single", "multiple", "true_false"}
    assert all(2 <= len(q.question.options) <= 5 and q.question.explanation for q in result.bank.questions)


def test_planted_faults_each_give_their_finding(tmp_path):
    generate(tmp_path / "bank", questions=len(FAULTS) * 10, per_file=10, errors=len(FAULTS))
    codes = {d.code for d in lint(discover([tmp_path / "bank"]), Config(), select=["QB0", "QB1"], jobs=1).diagnostics}
    assert codes == {"QB109", "QB102", "QB101", "QB103", "QB003", "QB005", "QB002"}
