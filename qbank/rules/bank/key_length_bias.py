from __future__ import annotations

import math
from array import array
from collections.abc import Iterator
from itertools import chain
from typing import NamedTuple

from qbank.bank import Bank, BankQuestion, Collected, Located
from qbank.diagnostics import Finding, Severity
from qbank.model import SINGLE
from qbank.rules.base import BankRule
from qbank.rules.bank._place import at_bank
from qbank.rules.bank._stats import binomial_two_sided
from qbank.rules.quality._text import has_digit, numeric_option, plain, single_key, substantive
from qbank.rules.registry import register


def option_lengths(item: BankQuestion) -> tuple[int, list[int]] | None:
    """(key length, distractor lengths) of a single-answer question with three or more non-numeric options."""
    question = item.question
    key = single_key(question)
    options = substantive(question)
    if question.type != SINGLE or key is None or key not in {i for i, _ in options} or len(options) < 3:
        return None
    if any(has_digit(o.text) and numeric_option(o.text) is not None for _, o in options):
        return None
    lengths = {i: len(plain(o.text)) for i, o in options}
    return lengths[key], [n for i, n in lengths.items() if i != key]


class Lengths(NamedTuple):
    """QB302's summary of one file: the counts it needs, and per question the two terms it averages.

    The terms stay per question, in order, so that the bank's sums are the very floats
    that summing question by question gives."""

    questions: int
    longest: int
    """Questions whose key is strictly the longest option."""
    shortest: int
    key_total: int
    chances: array
    """1/k for each question of k options: the chance that a random option is the longest."""
    distractor_means: array


@register
class KeyLengthBias(BankRule):
    """Across the bank, the key is the longest (or the shortest) option far more often than chance.

    One long key is a hint (QB210); a bank where the key is usually the longest option
    teaches learners to pick it (NBME "long correct answer"). Over single-answer
    questions with non-numeric options, the rule counts how often the key is strictly
    the longest and strictly the shortest option, and compares each count with the
    chance rate Σ 1/k in a two-sided binomial test. It fires when p < ``alpha`` and
    the rate differs from chance by at least ``min_difference``: keys that are usually
    the longest, usually the shortest, or almost never the longest (over-correction is
    a cue too). When several hold, the one with the smallest p is reported. Needs at
    least ``min_questions`` questions.

    Bad::

        questions:
          - {id: q1, stem: What does an LSTM keep?, explanation: A cell state., options: [{text: A cell state next to its hidden state, correct: true}, {text: No state, why: It keeps one.}, {text: Weights only, why: It keeps a state.}]}
          - {id: q2, stem: What does Embedding learn?, explanation: Vectors., options: [{text: One dense vector for every token id, correct: true}, {text: Counts, why: Bag of words.}, {text: Labels, why: No.}]}
          - {id: q3, stem: What does dropout do?, explanation: Zeroes inputs., options: [{text: It zeroes a random share of inputs, correct: true}, {text: Adds units, why: No.}, {text: Sorts data, why: No.}]}
          - {id: q4, stem: What does padding do?, explanation: Equal lengths., options: [{text: It makes all sequences the same length, correct: true}, {text: Shuffles, why: No.}, {text: Masks, why: No.}]}
          - {id: q5, stem: What does sigmoid output?, explanation: A probability., options: [{text: A probability between zero and one, correct: true}, {text: A label, why: No.}, {text: A logit, why: No.}]}
          - {id: q6, stem: What does Adam adapt?, explanation: Step sizes., options: [{text: The step size of every single weight, correct: true}, {text: Labels, why: No.}, {text: Batches, why: No.}]}
          - {id: q7, stem: What does EarlyStopping watch?, explanation: A metric., options: [{text: A monitored validation metric per epoch, correct: true}, {text: Time, why: No.}, {text: Memory, why: No.}]}
          - {id: q8, stem: What does AUC measure?, explanation: Ranking., options: [{text: How well scores rank positives first, correct: true}, {text: Speed, why: No.}, {text: Loss, why: No.}]}
          - {id: q9, stem: What does Bidirectional add?, explanation: A backward pass., options: [{text: A second layer reading the sequence backwards, correct: true}, {text: Depth, why: No.}, {text: Masks, why: No.}]}
          - {id: q10, stem: What does mask_zero do?, explanation: Skips padding., options: [{text: It makes later layers skip padding steps, correct: true}, {text: Pads, why: No.}, {text: Drops, why: No.}]}

    Good::

        questions:
          - {id: q1, stem: What does an LSTM keep?, explanation: A cell state., options: [{text: A cell state, correct: true}, {text: No state at all, why: It keeps one.}, {text: Weights only, why: It keeps a state.}]}
          - {id: q2, stem: What does Embedding learn?, explanation: Vectors., options: [{text: Dense vectors, correct: true}, {text: Word counts, why: Bag of words.}, {text: Class labels, why: No.}]}
    """

    code = "QB302"
    name = "key-length-bias"
    group = "bank"
    severity = Severity.WARNING
    defaults = {"alpha": 0.01, "min_difference": 0.10, "min_questions": 10}
    ranges = {"alpha": (0, 1), "min_difference": (0, 1), "min_questions": (1, math.inf)}

    def collect(self, item: BankQuestion) -> tuple[int, list[int]] | None:
        return option_lengths(item)

    def pack(self, summaries: list[tuple[int, list[int]]]) -> Lengths:
        return Lengths(
            len(summaries),
            sum(k > max(d) for k, d in summaries),
            sum(k < min(d) for k, d in summaries),
            sum(k for k, _ in summaries),
            array("d", [1 / (1 + len(d)) for _, d in summaries]),
            array("d", [sum(d) / len(d) for _, d in summaries]),
        )

    def check(self, bank: Bank, collected: Collected) -> Iterator[Located]:
        files: list[Lengths] = collected.packed
        n = len(collected)
        if n < self.options["min_questions"]:
            return
        chance = sum(chain.from_iterable(f.chances for f in files)) / n
        mean_key = sum(f.key_total for f in files) / n
        mean_distractor = sum(chain.from_iterable(f.distractor_means for f in files)) / n
        findings = []
        for side, hits in (
            ("longest", sum(f.longest for f in files)),
            ("shortest", sum(f.shortest for f in files)),
        ):
            rate = hits / n
            if abs(rate - chance) < self.options["min_difference"]:
                continue  # told first: the exact test sums thousands of terms on a large bank
            if side == "shortest" and rate < chance:
                continue  # the mirror image of long keys, reported as such
            p_value = binomial_two_sided(hits, n, chance)
            if p_value >= self.options["alpha"]:
                continue
            direction = "far more often" if rate > chance else "far less often"
            findings.append((p_value, Finding(
                f"the key is the {side} option in {hits} of {n} single-answer questions ({rate:.0%}), {direction} than the "
                f"{chance:.0%} expected by chance (binomial p = {p_value:.2g}); keys average {mean_key / max(mean_distractor, 1):.2f}× "
                "the length of wrong options",
                hint="vary which option is longest: lengthen distractors or tighten keys",
                evidence={"side": side, "questions": n, "hits": hits, "rate": round(rate, 3), "chance": round(chance, 3),
                          "p_value": p_value, "mean_length_ratio": round(mean_key / max(mean_distractor, 1), 3)},
            )))
        if findings:
            yield at_bank(bank, [collected.member(0)], min(findings, key=lambda pair: pair[0])[1])
