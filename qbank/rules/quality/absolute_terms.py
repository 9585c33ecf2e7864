from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.model import TRUE_FALSE
from qbank.patterns import lazy_pattern
from qbank.rules.base import QuestionRule
from qbank.rules.quality._text import letter, prose, substantive
from qbank.rules.registry import register

TERMS = (
    "always", "never", "all", "none", "every", "only", "completely", "absolutely", "totally",
    "definitely", "impossible", "invariably", "entirely", "exclusively",
)
_UNITS = r"(?:other|single|morning|night|evening|day|week|month|year|dose|hour|minute|second|time|epoch|batch|step|iteration|sample|token|call|run|\d+\s*\w*)"
IDIOMS = lazy_pattern(
    r"\b(?:all|none|neither|each)\s+of\s+(?:the\s+)?(?:above|these|them)\b|\bevery\s+" + _UNITS + r"\b"
    r"|\bonly\s+(?:one|two|three|four|five|a\s+few|a\s+little|a\s+handful|\d+)\b|\ball\s+but\b|\ball\s+of\b"
    r"|\bat\s+all\b|\ball-cause\b|\bnot\s+only\b|\bif\s+and\s+only\s+if\b|\bnone\s+of\b|\bonce\s+daily\b",
    re.I,
)


@lru_cache(maxsize=64)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(" + "|".join(map(re.escape, terms)) + r")\b", re.I)


@lru_cache(maxsize=64)
def _lower_terms(terms: tuple[str, ...]) -> tuple[tuple[str, ...], re.Pattern] | None:
    """ASCII terms in lower case, and a pattern of them as words (None when a term is not ASCII)."""
    if not all(term.isascii() for term in terms):
        return None
    lowered = tuple(term.lower() for term in terms)
    return lowered, re.compile(r"\b(" + "|".join(map(re.escape, lowered)) + r")\b")


def may_have_terms(text: str, terms: tuple[str, ...]) -> bool:
    """Whether :func:`absolute_terms` may find any of ``terms`` in ``text``.

    ASCII text is searched in lower case, which is the same as ignoring case and faster.
    """
    lower = _lower_terms(terms) if text.isascii() else None
    if lower is not None:
        lowered, pattern = lower
        text = text.lower()
        # A substring test per term first (map: no Python frame per term): the search for whole
        # words costs more than all of them.
        return any(map(text.__contains__, lowered)) and pattern.search(text) is not None
    return _terms_pattern(terms).search(text) is not None


def absolute_terms(text: str, terms: list[str]) -> list[str]:
    """The absolute words of a text, outside quotes, code and idioms ("every other day")."""
    if not _terms_pattern(tuple(terms)).search(text):
        return []
    cleaned = IDIOMS.sub(" ", prose(text))
    return [m.group(1).lower() for m in _terms_pattern(tuple(terms)).finditer(cleaned)]


@register
class AbsoluteTerms(QuestionRule):
    """Absolute words ("always", "never", "only") appear in wrong options but not in the key.

    Test-wise learners know that sweeping claims are usually false, so absolute terms
    that only the distractors use point away from them (Haladyna 2002, guideline 28a;
    Tarrant 2006; NBME "specific determiners"). Idioms do not count ("every other day",
    "only one", "all of", "at all"), nor do words inside quotes or code. Published
    agreement with human raters is low (precision 0.29), so this is a hint at info
    level; the word list is the ``terms`` option.

    Bad::

        questions:
          - id: q1
            stem: What does dropout do during training?
            explanation: It zeroes a random share of the inputs at each step.
            options:
              - text: It zeroes a random share of the inputs at each step
                correct: true
              - text: It always removes the same units
                why: The dropped units are drawn anew at each step.
              - text: It never changes the outputs
                why: Dropped inputs change the outputs.

    Good::

        questions:
          - id: q1
            stem: What does dropout do during training?
            explanation: It zeroes a random share of the inputs at each step.
            options:
              - text: It zeroes a random share of the inputs at each step
                correct: true
              - text: It removes the same units at each step
                why: The dropped units are drawn anew at each step.
              - text: It leaves the outputs unchanged
                why: Dropped inputs change the outputs.
    """

    code = "QB208"
    name = "absolute-terms"
    group = "quality"
    severity = Severity.INFO
    defaults = {"terms": list(TERMS)}

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        question = item.question
        if question.type == TRUE_FALSE:
            return
        options = substantive(question)
        if not any(o.correct for _, o in options):
            return
        if not may_have_terms("\n".join([o.text for _, o in options]), tuple(self.options["terms"])):
            return  # a cheap first look, one search for all options: none has any of the words
        found = {i: absolute_terms(o.text, self.options["terms"]) for i, o in options}
        if any(found[i] for i, o in options if o.correct):
            return
        hits = {letter(i): terms for i, terms in found.items() if terms}
        if not hits:
            return
        first = min(i for i, terms in found.items() if terms)
        shown = ", ".join(f"{' '.join(repr(t) for t in terms)} ({key})" for key, terms in hits.items())
        yield Finding(
            f"absolute terms appear only in wrong options: {shown}; test-wise learners rule those out",
            ("options", first, "text"),
            hint="qualify the distractors the way the key is qualified, or reword them without the absolute",
            evidence={"terms": hits},
        )
