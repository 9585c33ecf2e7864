from __future__ import annotations

import re
from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.model import TRUE_FALSE
from qbank.patterns import lazy_pattern
from qbank.rules.base import QuestionRule
from qbank.rules.quality._text import WORD, letter, plain, prose, substantive, words
from qbank.rules.registry import register

_TRAILING_BACKWARDS = lazy_pattern(r"(?:\s|_{2,}|\.{3,}|…|:|—|-|\]knalb\[|\)knalb\()*", re.I)
"""What may follow the article at the end of a stem (spaces, blanks, dots, "[blank]"), spelt backwards."""
_TAIL = 64
_REWRITTEN = lazy_pattern(r"[`\\<>*_~$]")
SILENT_H = ("hour", "honest", "honor", "honour", "heir")
"""Words that start with a vowel sound although the first letter is a consonant: an hour."""
YOU_SOUND = ("uni", "use", "usa", "usu", "uti", "ure", "uro", "eu", "ewe", "one", "once", "ubiq", "ukr", "uter")
"""Words that start with a consonant sound although the first letter is a vowel: a unit, a one-hot code."""
VOWEL_LETTER_NAMES = set("AEFHILMNORSX")
"""Letters whose names start with a vowel sound: an LSTM, an RNN, an SGD optimiser."""


def vowel_sound(word: str) -> bool | None:
    """Whether ``word`` starts with a vowel sound; None when unsure (numbers, symbols, long acronyms)."""
    if not word or not word[0].isalpha():
        return None
    letters = re.sub(r"[^A-Za-z]", "", word)
    if letters.isupper() and len(letters) > 1:
        if len(letters) <= 4:
            return letters[0] in VOWEL_LETTER_NAMES
        return None
    lower = word.lower()
    if lower.startswith(SILENT_H):
        return True
    if lower.startswith(YOU_SOUND):
        return False
    return lower[0] in "aeiou"


def trailing_article(stem: str) -> str | None:
    """``a`` or ``an`` when the stem ends with one (completion format: "An LSTM is a").

    Read backwards from the end. When the stem ends in plain ASCII text (no mark of
    code, math, HTML or emphasis, which :func:`prose` rewrites up to where they close),
    its last characters are the end of its prose too, and usually suffice.
    """
    tail = stem[-_TAIL:]
    if len(stem) > _TAIL and tail.isascii() and not _REWRITTEN.search(tail):
        word, sure = _final_word(tail)
        if sure:
            return _article(word)
    return _article(_final_word(prose(stem, quotes=True))[0])


def _final_word(text: str) -> tuple[str | None, bool]:
    """The last word of ``text`` before its trailing blanks, and whether ``text`` holds
    all that decides it (when ``text`` is the end of a longer text): neither that word
    nor a trailing "[blank]" runs into its start."""
    backwards = text[::-1]
    start = _TRAILING_BACKWARDS.match(backwards).end()
    last = WORD.search(backwards, start)
    if last is None:
        return None, False
    return last.group(0)[::-1], start + len("[blank]") <= len(backwards) and last.end() < len(backwards)


def _article(word: str | None) -> str | None:
    return word.lower() if word is not None and word.lower() in ("a", "an") else None


@register
class ArticleCue(QuestionRule):
    """The stem ends in "a" or "an", and only some options fit that article.

    In a completion stem such as "Text is split into tokens by a", an option that
    starts with a vowel sound cannot follow "a", so learners can rule it out on
    grammar alone (Haladyna 2002, guideline 28c; Tarrant 2006; NBME). The vowel sound
    is judged by ear, not by letter: an hour, a unit, a one-hot code, an LSTM (acronyms
    of up to four capitals are read letter by letter). Options starting with a
    number or a symbol are left out, as are longer acronyms, which may be read as
    words.

    Bad::

        questions:
          - id: q1
            stem: A layer that turns token ids into dense vectors is an
            explanation: Embedding layers are trainable lookup tables.
            options:
              - text: Embedding layer
                correct: true
              - text: Dense layer
                why: It acts on vectors, not ids.
              - text: Flatten layer
                why: It only reshapes.

    Good::

        questions:
          - id: q1
            stem: A layer that turns token ids into dense vectors is called
            explanation: Embedding layers are trainable lookup tables.
            options:
              - text: an Embedding layer
                correct: true
              - text: a Dense layer
                why: It acts on vectors, not ids.
              - text: a Flatten layer
                why: It only reshapes.
    """

    code = "QB213"
    name = "article-cue"
    group = "quality"
    severity = Severity.WARNING

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        question = item.question
        if question.type == TRUE_FALSE:
            return
        article = trailing_article(question.stem)
        if article is None:
            return
        judged = {}
        for index, option in substantive(question):
            first = words(plain(option.text))
            sound = vowel_sound(plain(option.text).split()[0]) if first and plain(option.text) else None
            if sound is not None:
                judged[index] = sound
        wants_vowel = article == "an"
        misfits = sorted(i for i, sound in judged.items() if sound != wants_vowel)
        if not misfits or len(misfits) == len(judged):
            return
        key_fits = all(i not in misfits for i, o in enumerate(question.options) if o.correct and i in judged)
        shown = ", ".join(f"{letter(i)} {plain(question.options[i].text)!r}" for i in misfits)
        yield Finding(
            f"the stem ends in {article!r}, which does not fit option{'s' if len(misfits) > 1 else ''} {shown}"
            + ("" if key_fits else "; the key itself does not fit"),
            ("stem",),
            hint='end the stem before the article and start each option with its own ("a Dense layer", "an Embedding layer")',
            evidence={"article": article, "misfits": [letter(i) for i in misfits], "key_fits": key_fits},
        )
