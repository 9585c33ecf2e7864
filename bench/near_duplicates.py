"""Near-duplicate stems at scale: time, recall and false positives of QB304's detector.

It generates 100,000 question stems deterministically (one seeded random.Random),
of which 1% are planted near-duplicates: a copy of another stem with one light edit,
in equal parts

- a word changed (one content word replaced by another),
- punctuation and case changed (commas dropped or added, ? turned into ., a word
  capitalised),
- a clause moved ("When X, which Y?" becomes "Which Y when X?").

Stem lengths follow the sample bank (8 to 60 words, most between 12 and 35), and
stems share the openings real banks share ("Which of the following", "What happens
when"), so unrelated stems are not trivially far apart.

It then runs ``qbank.similarity.similar_pairs`` (MinHash + LSH banding, then exact
Jaccard ≥ 0.8 on character 5-grams, as QB304 does) and prints the elapsed time, the
recall of the planted pairs (overall and per kind of edit) and the false positives:
reported pairs that were not planted. Exit status 1 when the time is 60 s or more
or the recall is below 95%.

    python bench/near_duplicates.py [--questions 100000] [--share 0.01] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qbank.similarity import similar_pairs  # noqa: E402

TIME_LIMIT = 60.0
RECALL_TARGET = 0.95
THRESHOLD = 0.8

OPENINGS = [
    "Which of the following", "What happens when", "Which statement about", "Why does", "How does",
    "What is the effect of", "Which layer", "What does", "When you call", "In a model where",
]
EDITS = ("word", "punctuation", "clause")


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """Pronounceable made-up words of 3 to 12 letters, so that topics rarely repeat by chance."""
    consonants, vowels = "bcdfghklmnprstvwz", "aeiou"
    words = set()
    while len(words) < size:
        syllables = rng.randint(1, 4)
        words.add("".join(rng.choice(consonants) + rng.choice(vowels) + ("" if rng.random() < 0.6 else rng.choice(consonants)) for _ in range(syllables)))
    return sorted(words)


FUNCTION_WORDS = "the a of to in for with and is are that this by on from as at its their when which".split()


def length(rng: random.Random) -> int:
    """Words per stem, shaped like the sample bank: median about 22, from 8 to 60."""
    return max(8, min(60, int(rng.lognormvariate(3.1, 0.4))))


def phrase(rng: random.Random, words: list[str], count: int) -> str:
    out = []
    for _ in range(count):
        out.append(rng.choice(FUNCTION_WORDS) if rng.random() < 0.35 else rng.choice(words))
    return " ".join(out)


def stem(rng: random.Random, words: list[str]) -> str:
    """"When <clause>, <opening> <question>?" or "<opening> <question>?"."""
    total = length(rng)
    if rng.random() < 0.5:
        condition = max(3, total // 3)
        return f"When {phrase(rng, words, condition)}, {rng.choice(OPENINGS).lower()} {phrase(rng, words, total - condition)}?"
    return f"{rng.choice(OPENINGS)} {phrase(rng, words, total)}?"


def edit(rng: random.Random, text: str, kind: str, words: list[str]) -> str:
    if kind == "word":
        tokens = text.split()
        content = [i for i, t in enumerate(tokens) if t.strip(",?").lower() not in FUNCTION_WORDS and i > 0]
        i = rng.choice(content)
        ending = tokens[i][len(tokens[i].rstrip(",?")):]
        tokens[i] = rng.choice(words) + ending
        return " ".join(tokens)
    if kind == "punctuation":
        changed = text.replace(",", "") if "," in text else text.replace(" ", ", ", 1)
        changed = changed[:-1] + "." if changed.endswith("?") else changed
        tokens = changed.split()
        tokens[-1] = tokens[-1].capitalize()
        return " ".join(tokens)
    if text.startswith("When ") and ", " in text:
        condition, question = text[5:].split(", ", 1)
        return f"{question[0].upper()}{question[1:-1]} when {condition}?"
    tokens = text[:-1].split()
    cut = len(tokens) // 2
    return " ".join(tokens[cut:] + tokens[:cut]).capitalize() + "?"


def generate(questions: int, share: float, seed: int, size: int = 20_000) -> tuple[list[str], dict[tuple[int, int], str]]:
    """The stems, and the planted pairs (i, j) with i < j, each with its kind of edit."""
    rng = random.Random(seed)
    words = vocabulary(rng, size)
    planted_count = int(questions * share)
    stems = [stem(rng, words) for _ in range(questions - planted_count)]
    originals = rng.sample(range(len(stems)), planted_count)
    planted = {}
    for n, original in enumerate(originals):
        kind = EDITS[n % len(EDITS)]
        stems.append(edit(rng, stems[original], kind, words))
        planted[(original, len(stems) - 1)] = kind
    order = list(range(len(stems)))
    rng.shuffle(order)
    position = {old: new for new, old in enumerate(order)}
    shuffled = [stems[old] for old in order]
    planted = {tuple(sorted((position[i], position[j]))): kind for (i, j), kind in planted.items()}
    return shuffled, planted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--share", type=float, default=0.01, help="share of planted near-duplicates (default 1%%)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--vocabulary", type=int, default=20_000, help="distinct content words (fewer: stems look more alike)")
    args = parser.parse_args()

    stems, planted = generate(args.questions, args.share, args.seed, args.vocabulary)
    start = time.perf_counter()
    found = similar_pairs(stems, THRESHOLD)
    elapsed = time.perf_counter() - start

    reported = {(i, j) for i, j, _ in found}
    hits = Counter(kind for pair, kind in planted.items() if pair in reported)
    totals = Counter(planted.values())
    recall = sum(hits.values()) / len(planted) if planted else 1.0
    false_positives = len(reported - set(planted))
    print(f"near-duplicate stems: {len(stems):,} questions, {len(planted):,} planted pairs, "
          f"{args.vocabulary:,} content words, threshold {THRESHOLD}")
    print(f"  elapsed          {elapsed:6.1f} s   (target < {TIME_LIMIT:.0f} s)")
    print(f"  recall           {recall:6.1%}   (target ≥ {RECALL_TARGET:.0%})")
    for kind in EDITS:
        print(f"    {kind:<14} {hits[kind] / totals[kind]:6.1%}   ({hits[kind]} of {totals[kind]})")
    print(f"  reported pairs   {len(reported):,}")
    print(f"  false positives  {false_positives:,} pairs not planted ({false_positives / max(len(reported), 1):.2%} of reported pairs)")
    missed = sorted(pair for pair in planted if pair not in reported)[:3]
    for i, j in missed:
        print(f"  missed ({planted[(i, j)]}): {stems[i]!r}\n                 {stems[j]!r}")
    ok = elapsed < TIME_LIMIT and recall >= RECALL_TARGET
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
