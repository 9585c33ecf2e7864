from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.memo import per_bank, per_file
from qbank.model import TRUE_FALSE
from qbank.patterns import lazy_pattern
from qbank.rules.base import QuestionRule
from qbank.rules.quality._text import lemma, letter, numeric_option, plain, substantive
from qbank.rules.registry import register
from qbank.text import normalise_option

ARTICLES = frozenset({"a", "an", "the"})
_TOKEN = lazy_pattern(r"[^\W_]+")


@per_bank
def _comparable_word(token: str) -> str:
    return "" if token in ARTICLES else lemma(token)


@per_file
def comparable(text: str) -> str:
    """An option reduced to its words: no case, punctuation, hyphens, articles or plural endings."""
    tokens = _TOKEN.findall(plain(text).casefold())  # hyphens, underscores and slashes split words
    return " ".join(filter(None, map(_comparable_word, tokens)))


_NOT_IN_SHAPE = bytes(c for c in range(128) if not chr(c).isalnum()) + b"adeghinsty"


def shape(text: str) -> bytes | None:
    """What :func:`comparable` keeps of an ASCII text whatever its articles and word endings.

    Its letters and digits in order, but for those of articles and of the endings
    that :func:`lemma` cuts or adds (a, d, e, g, h, i, n, s, t, y). Two texts that
    compare the same have the same shape. None for a text that is not ASCII.
    """
    if not text.isascii():
        return None
    return plain(text).encode("ascii").lower().translate(None, _NOT_IN_SHAPE)


@register
class NearDuplicateOptions(QuestionRule):
    """Two options differ only in articles, punctuation, hyphens, case or plural endings.

    Such options say the same thing, so both are wrong or both right, and learners
    strike them as a pair (Haladyna 2002, guidelines 22–23; duplicated generated
    distractors). Word order and real words still count as differences, so parallel
    options such as "the first 20%" and "the last 20%" are fine, and numeric options
    are never compared. Exact duplicates are QB108.

    Bad::

        questions:
          - id: q1
            stem: Which layer keeps a separate cell state?
            explanation: Only the LSTM has a cell state besides its hidden state.
            options:
              - text: The LSTM layer
                correct: true
              - text: A GRU layer
                why: It merges cell and hidden state.
              - text: GRU layers
                why: It merges cell and hidden state.

    Good::

        questions:
          - id: q1
            stem: Which layer keeps a separate cell state?
            explanation: Only the LSTM has a cell state besides its hidden state.
            options:
              - text: The LSTM layer
                correct: true
              - text: The GRU layer
                why: It merges cell and hidden state.
              - text: The SimpleRNN layer
                why: It has only a hidden state.
    """

    code = "QB223"
    name = "near-duplicate-options"
    group = "quality"
    severity = Severity.WARNING

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        if item.question.type == TRUE_FALSE:
            return
        options = [(i, o) for i, o in substantive(item.question) if numeric_option(o.text) is None]
        shapes = [shape(o.text) for _, o in options]
        if None not in shapes:  # a cheap first look: an option of a shape of its own compares the same as none
            options = [option for option, seen in zip(options, shapes) if shapes.count(seen) > 1]
        first: dict[str, int] = {}
        for index, option in options:
            key = comparable(option.text)
            if not key:
                continue
            if key in first:
                original = first[key]
                if normalise_option(option.text) == normalise_option(item.question.options[original].text):
                    continue  # an exact duplicate: QB108
                yield Finding(
                    f"option {letter(index)} {plain(option.text)!r} says the same as option {letter(original)} "
                    f"{plain(item.question.options[original].text)!r} (they differ only in articles, punctuation, case or plural)",
                    ("options", index, "text"),
                    hint="replace one of them with a different plausible distractor",
                    evidence={"option": letter(index), "same_as": letter(original), "compared_as": key},
                )
            else:
                first[key] = index
