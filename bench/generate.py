"""Generate synthetic question banks for benchmarks and tests, deterministically.

The same arguments always give the same bytes: every choice comes from one seeded
``random.Random``, and nothing depends on the time, the machine or dict order.

A generated bank looks like a real one: 100 questions per file by default, single,
multiple and true/false questions, 4-5 options each, a ``why`` on every wrong option
(often on the right one too), an explanation on every question, sentences of varied
length, some Markdown (emphasis, inline code, math, fenced code, bullet lists),
plain, quoted and block scalars, and flow-style options now and then. It lints clean
under every rule (quality and bank-wide included) unless faults are planted with
``errors``, so a benchmark measures the checks, not the reporting of findings:

- options draw their words from :data:`OPTION_WORDS`, which no stem uses, so a key
  never repeats the stem (QB212) nor answers another question (QB305);
- no option is contained in another (QB217), and all-number options are in order (QB215);
- a key of four words or more is shortened until it is at most 1.25 times as long
  as the longest distractor (QB210); it stays the longest option as often as chance
  gives, so the bank's key lengths are not biased either way (QB302).

    python bench/generate.py --questions 10000 --per-file 100 --out bench/out/bank-10k
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

FILES_PER_FOLDER = 50

WORDS = """
model layer network input output weight bias gradient loss optimizer learning rate batch epoch
training validation test data set sample feature label class token sequence vector embedding
dimension matrix tensor shape unit cell state hidden gate memory recurrent dense dropout
regularization overfitting underfitting accuracy precision recall score metric threshold
probability distribution softmax sigmoid activation function linear nonlinear kernel filter
convolution pooling attention encoder decoder padding truncation vocabulary frequency word
sentence review sentiment positive negative neutral prediction error variance bias noise
signal signal step update momentum decay schedule callback checkpoint early stopping patience
monitor curve plot history value parameter hyperparameter search grid random seed result
experiment baseline benchmark dataset split fold cross average mean median standard deviation
normalization scaling standardization mask length maximum minimum window context direction
forward backward bidirectional stack depth width capacity complexity generalization
representation similarity distance cosine space projection lookup index table integer float
string list array frame column row text corpus document paragraph character subword
tokenizer vectorizer preprocessing pipeline stage inference deployment serving latency
throughput memory footprint hardware device processor graph execution eager mode compile fit
evaluate predict summary trainable frozen transfer pretrained fine tuning initial random
uniform normal clipping exploding vanishing long short term dependency information flow
""".split()

OPTION_WORDS = """
alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa
quebec romeo sierra tango uniform victor whiskey xray yankee zulu amber azure beige bronze cobalt
coral crimson cyan ebony emerald fuchsia garnet hazel indigo ivory jade khaki lavender lemon lilac
magenta maroon mauve navy ochre olive orchid peach pearl plum ruby saffron salmon sapphire scarlet
sepia silver tan teal topaz turquoise umber vermilion violet walnut wheat wine apricot banana cherry
damson elderberry fig grape guava kiwi lychee mango melon nectarine orange papaya pear pineapple
quince raspberry satsuma tangerine ugli voavanga watermelon yuzu almond cashew chestnut hickory
macadamia pecan pistachio acacia birch cedar cypress elm hawthorn juniper larch maple oak pine
poplar rowan spruce sycamore willow yew
""".split()
"""The words of options: no stem uses them, so no key gives itself or another question away."""

VERBS = """
computes returns stores updates reduces increases controls limits keeps removes adds maps
converts splits combines measures predicts learns ignores repeats shuffles pads truncates
normalises scales masks selects averages sums multiplies compares""".split()

TAGS = """keras rnn lstm gru embedding dropout loss optimizer metrics preprocessing padding
tokenization evaluation overfitting regularization attention training sigmoid softmax imdb""".split()

IDENTIFIERS = """pad_sequences Embedding SimpleRNN LSTM GRU Bidirectional Dropout Dense
EarlyStopping TextVectorization binary_crossentropy Adam RMSprop return_sequences mask_zero
recurrent_dropout input_dim output_dim maxlen num_words validation_split""".split()

CODE_LINES = [
    "model = keras.Sequential()",
    "model.add(layers.Embedding(input_dim=10000, output_dim=32))",
    "model.add(layers.LSTM(64, return_sequences=False))",
    "model.add(layers.Dense(1, activation=\"sigmoid\"))",
    "model.compile(optimizer=\"adam\", loss=\"binary_crossentropy\", metrics=[\"accuracy\"])",
    "x = pad_sequences(x, maxlen=200, padding=\"pre\")",
    "history = model.fit(x, y, epochs=5, validation_split=0.2)",
]

MATH = [r"\( \sigma(x) = 1/(1+e^{-x}) \)", r"\(h_t = \tanh(W x_t + U h_{t-1} + b)\)", r"\( n \times d \)", r"\(p = 0.5\)"]

_NUMBER = re.compile(r"\d+\.\d\d")
_PLAIN_SAFE = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;()'?/-]*[A-Za-z0-9.?)]\Z")


# -- text --------------------------------------------------------------------
class Writer:
    """Random text of realistic shape; every choice from one seeded RNG."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def words(self, low: int, high: int) -> list[str]:
        return [self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high))]

    def sentence(self, low: int = 5, high: int = 22, end: str = ".") -> str:
        words = self.words(low, high)
        if len(words) > 6 and self.rng.random() < 0.3:
            words.insert(self.rng.randint(1, len(words) - 1), self.rng.choice(VERBS))
        if len(words) > 8 and self.rng.random() < 0.25:
            words[self.rng.randint(3, len(words) - 2)] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + end

    def markdown_sentence(self, end: str = ".") -> str:
        """A sentence with some inline Markdown: code, emphasis or math."""
        words = self.sentence(end="").split(" ")
        roll = self.rng.random()
        at = self.rng.randint(1, len(words))
        if roll < 0.4:
            words.insert(at, f"`{self.rng.choice(IDENTIFIERS)}`")
        elif roll < 0.6:
            words[at - 1] = f"**{words[at - 1].rstrip(',')}**"
        elif roll < 0.8:
            words.insert(at, self.rng.choice(MATH))
        else:
            words[at - 1] = f"*{words[at - 1].rstrip(',')}*"
        return " ".join(words) + end

    def paragraph(self, sentences: tuple[int, int] = (1, 4)) -> str:
        parts = []
        for _ in range(self.rng.randint(*sentences)):
            parts.append(self.markdown_sentence() if self.rng.random() < 0.35 else self.sentence())
        return " ".join(parts)

    def stem(self) -> str:
        roll = self.rng.random()
        question = self.sentence(6, 20, end="?")
        if roll < 0.5:
            return question
        if roll < 0.75:
            return self.paragraph((1, 2)) + "\n\n" + question
        if roll < 0.9:
            code = "\n".join(self.rng.sample(CODE_LINES, self.rng.randint(2, 4)))
            return self.paragraph((1, 2)) + "\n\n```python\n" + code + "\n```\n\n" + question
        return self.markdown_sentence(end="?")

    def explanation(self) -> str:
        roll = self.rng.random()
        if roll < 0.4:
            return self.paragraph((1, 3))
        if roll < 0.8:
            return self.paragraph((2, 4)) + "\n\n" + self.paragraph((1, 3))
        bullets = "\n".join(f"- {self.sentence(3, 10)}" for _ in range(self.rng.randint(2, 4)))
        return self.paragraph((1, 2)) + "\n\n" + bullets + "\n\n" + self.sentence()

    def option_texts(self, count: int) -> list[str]:
        """``count`` options, none equal to or contained in another after normalisation."""
        seen: list[str] = []
        texts: list[str] = []
        while len(texts) < count:
            roll = self.rng.random()
            if roll < 0.1:
                text = f"`{self.rng.choice(OPTION_WORDS)}_{self.rng.choice(OPTION_WORDS)}`"
            elif roll < 0.18:
                text = f"{self.rng.randint(1, 999) / 100:.2f}"
            else:
                text = " ".join(self.rng.choice(OPTION_WORDS) for _ in range(self.rng.randint(1, 9)))
                text = text[0].upper() + text[1:]
            key = f" {text.casefold().strip('`')} "
            if not any(key in other or other in key for other in seen):
                seen.append(key)
                texts.append(text)
        if all(_NUMBER.fullmatch(text) for text in texts):
            texts.sort(key=float)  # numbers in order, as QB215 asks
        return texts


# -- YAML --------------------------------------------------------------------
def scalar(text: str, indent: int) -> str:
    """A YAML value for ``text``: a literal block, a plain scalar, or a double-quoted one."""
    if "\n" in text:
        pad = " " * (indent + 2)
        body = "\n".join(pad + line if line else "" for line in text.split("\n"))
        return "|\n" + body
    if _PLAIN_SAFE.match(text) and " " in text and ": " not in text and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Plan:
    """The shape of one question before it is written."""

    kind: str
    options: list[tuple[str, bool, str | None]]


def plan_question(writer: Writer) -> Plan:
    rng = writer.rng
    roll = rng.random()
    if roll < 0.1:
        key = rng.random() < 0.5
        return Plan(
            "true_false",
            [("True", key, None if key else writer.sentence(6, 18)), ("False", not key, None if not key else writer.sentence(6, 18))],
        )
    kind = "multiple" if roll < 0.3 else "single"
    count = rng.choice((4, 4, 5))
    texts = writer.option_texts(count)
    keys = set(rng.sample(range(count), rng.randint(2, 3) if kind == "multiple" else 1))
    if kind == "single":
        (key,) = keys
        texts[key] = shorten_key(texts[key], [t for i, t in enumerate(texts) if i != key])
    options = []
    for index, text in enumerate(texts):
        correct = index in keys
        why = writer.sentence(5, 25) if not correct or rng.random() < 0.4 else None
        options.append((text, correct, why))
    return Plan(kind, options)


def shorten_key(key: str, distractors: list[str]) -> str:
    """Drop words from the end of a key of four words or more that is over 1.2 times the longest distractor."""
    longest = max(len(d.strip("`")) for d in distractors)
    words = key.split(" ")
    while len(words) >= 4 and len(" ".join(words)) > 1.2 * longest:
        words.pop()
    shorter = " ".join(words)
    return shorter if not any(f" {shorter.casefold()} " in f" {d.casefold()} " for d in distractors) else key


def write_question(out: list[str], writer: Writer, qid: str) -> None:
    rng = writer.rng
    plan = plan_question(writer)
    out.append(f"  - id: {qid}")
    if plan.kind != "single" or rng.random() < 0.3:
        out.append(f"    type: {plan.kind}")
    if rng.random() < 0.6:
        out.append(f"    difficulty: {rng.choice(('easy', 'medium', 'hard'))}")
    if rng.random() < 0.7:
        out.append(f"    tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]")
    if rng.random() < 0.1:
        out.append(f"    source: {scalar(writer.sentence(3, 8, end=''), 4)}")
    out.append(f"    stem: {scalar(writer.stem(), 4)}")
    out.append("    options:")
    flow = rng.random() < 0.1
    for text, correct, why in plan.options:
        if flow:
            parts = [f"text: {json.dumps(text, ensure_ascii=False)}"]
            if correct:
                parts.append("correct: true")
            if why:
                parts.append(f"why: {json.dumps(why, ensure_ascii=False)}")
            out.append("      - {" + ", ".join(parts) + "}")
            continue
        quoted = text in ("True", "False")
        out.append(f"      - text: {json.dumps(text) if quoted else scalar(text, 8)}")
        if correct:
            out.append("        correct: true")
        if why:
            out.append(f"        why: {scalar(why, 8)}")
    out.append(f"    explanation: {scalar(writer.explanation(), 4)}")


# -- planted faults ----------------------------------------------------------
FAULTS = (
    "missing-why",  # QB109: a wrong option without a why
    "duplicate-id",  # QB102: the id of a question in another file
    "unknown-key",  # QB101: a misspelt key
    "no-correct",  # QB103: no key
    "duplicate-key",  # QB003: a key twice in one mapping
    "ambiguous-scalar",  # QB005: an option written No
    "syntax-error",  # QB002: the whole file unreadable
)


def _is_wrong_with_why(lines: list[str], index: int) -> bool:
    line = lines[index]
    if line.startswith("      - {"):
        return "why: " in line and "correct: true" not in line
    return line.startswith("        why: ") and lines[index - 1] != "        correct: true"


def plant(lines: list[str], fault: str, other_id: str) -> list[str]:
    """Break the first single or multiple question of a file in the way ``fault`` names."""
    starts = [i for i, line in enumerate(lines) if line.startswith("  - id: ")] + [len(lines)]
    first, end = next(
        (a, b) for a, b in zip(starts, starts[1:]) if "    type: true_false" not in lines[a:b]
    )
    question = lines[first:end]
    if fault == "missing-why":
        at = next(i for i in range(len(question)) if _is_wrong_with_why(question, i))
        if question[at].startswith("      - {"):
            question[at] = re.sub(r', why: ".*"\}$', "}", question[at])
        else:
            del question[at]
    elif fault == "duplicate-id":
        question[0] = f"  - id: {other_id}"
    elif fault == "unknown-key":
        question.insert(1, "    dificulty: easy")
    elif fault == "no-correct":
        question = [line.replace(", correct: true", "") for line in question if line != "        correct: true"]
    elif fault == "duplicate-key":
        question.insert(1, "    id: twice")
    elif fault == "ambiguous-scalar":
        at = question.index("    options:")
        question[at + 1 : at + 1] = ["      - text: No", "        why: It is not the answer."]
    elif fault == "syntax-error":
        question.insert(1, "    stem: a: b: c")
    return lines[:first] + question + lines[end:]


# -- files -------------------------------------------------------------------
def file_lines(writer: Writer, number: int, first_id: int, count: int) -> list[str]:
    rng = writer.rng
    lines = ["# yaml-language-server: $schema=../../../schemas/qbank-file.schema.json"]
    if rng.random() < 0.5:
        lines.append(f"category: {scalar('Synthetic/' + writer.sentence(1, 3, end=''), 0)}")
    if rng.random() < 0.5:
        lines.append(f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 2)))}]")
    lines.append("questions:")
    for offset in range(count):
        write_question(lines, writer, f"q{first_id + offset:06d}")
        if offset + 1 < count and rng.random() < 0.5:
            lines.append("")
    return lines


def relative_path(number: int) -> Path:
    return Path(f"unit-{number // FILES_PER_FOLDER:03d}") / f"part-{number:04d}.yaml"


def generate(out: Path, questions: int, per_file: int = 100, seed: int = 1, errors: int = 0) -> list[Path]:
    """Write a bank of ``questions`` questions, ``per_file`` a file, under ``out``.

    ``out`` is emptied first. With ``errors`` > 0, that many files (spread evenly) get
    one planted fault each, cycling through :data:`FAULTS`. Returns the files written.
    """
    if out.exists():
        shutil.rmtree(out)
    files = -(-questions // per_file)
    faulty = {round(i * files / errors): FAULTS[i % len(FAULTS)] for i in range(errors)} if errors else {}
    written = []
    for number in range(files):
        writer = Writer(random.Random(f"{seed}:{number}"))
        first_id = number * per_file
        lines = file_lines(writer, number, first_id, min(per_file, questions - first_id))
        if number in faulty:
            lines = plant(lines, faulty[number], other_id=f"q{(first_id + per_file) % questions:06d}")
        path = out / relative_path(number)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=10_000, help="how many questions in all")
    parser.add_argument("--per-file", type=int, default=100, help="questions per file")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same bytes")
    parser.add_argument("--errors", type=int, default=0, help="plant one fault in this many files")
    parser.add_argument("--out", type=Path, required=True, help="output folder (emptied first)")
    args = parser.parse_args(argv)
    written = generate(args.out, args.questions, args.per_file, args.seed, args.errors)
    print(f"{args.questions} questions in {len(written)} files under {args.out}")


if __name__ == "__main__":
    main()
