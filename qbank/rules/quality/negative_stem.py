from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.model import TRUE_FALSE
from qbank.patterns import lazy_pattern
from qbank.rules.base import QuestionRule
from qbank.rules.quality._text import lead_in
from qbank.rules.registry import register
from qbank.text import strip_emphasis

_AUX = r"is|are|was|were|does|do|did|would|will|should|could|can|may|might|must|has|have"
_NEGATED_AUX = rf"(?:{_AUX})\s+(?P<not>not|never)\b|(?P<nt>cannot|can't|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|wouldn't|won't|shouldn't|couldn't|mustn't|hasn't|haven't)"
_SUBORDINATE = r"\b(?:who|whom|whose|that|when|if|because|where|while|after|before|unless|since|although|whether)\b"
_ASK = r"(?:(?:[^,?]*,\s*)?(?:which|what|who|where|how))"
_IMPERATIVE = r"(?:select|choose|identify|pick|name|mark|find|indicate)"
_FALSE_WORD = r"false|incorrect|untrue|wrong|inaccurate|not\s+true|not\s+correct"
_LEAST = r"least\s+(?:likely|appropriate|correct|accurate|true|useful|helpful|important|suitable|effective|probable|relevant|valid|plausible)"

PATTERNS = [
    # "Which of these is not ...?", "What does X not do?": the negation in the main clause.
    lazy_pattern(rf"^{_ASK}\b(?P<between>[^?]*?)\b(?:{_NEGATED_AUX})", re.I),
    # "Which layer never ...?"
    lazy_pattern(rf"^{_ASK}\b(?P<between>[^?]*?)\b(?P<never>never)\b", re.I),
    # "Select the option that is not ...", "Choose the statement that is false".
    lazy_pattern(rf"^{_IMPERATIVE}\b[^?]*?\b(?:that|which)\s+(?:(?:{_NEGATED_AUX})|(?:is|are)\s+(?P<false2>{_FALSE_WORD})\b)", re.I),
    # "Which statement is false?", "the incorrect statement".
    lazy_pattern(rf"^(?:{_ASK}|{_IMPERATIVE})\b(?P<between>[^?]*?)\b(?:is|are)\s+(?P<false>{_FALSE_WORD})\b", re.I),
    lazy_pattern(rf"\b(?P<false3>false|incorrect|untrue|inaccurate|wrong)\s+(?:statement|answer|option|claim|description|choice)s?\b", re.I),
    # "All of the following ... EXCEPT", "... except:".
    lazy_pattern(r"\b(?P<except>except)\s*[:?.…]?\s*$", re.I),
    lazy_pattern(r"\b(?:all|each)\b.*?\b(?P<except2>except)\b", re.I),
    lazy_pattern(rf"^(?:{_ASK}|{_IMPERATIVE})\b[^?]*?\b(?P<least>{_LEAST})\b", re.I),
]
_IGNORED = lazy_pattern(r"\bnot\s+only\b|\bat\s+least\b|\bif\s+not\b|\bor\s+not\b|\bnot\s+yet\b", re.I)
_EMPHASIS = r"(?:\*\*|__|\*|_|<u>|<b>|<strong>|<em>|<i>)"


_TRIGGER = lazy_pattern(r"\b(?:not|never|except|least|false|incorrect|untrue|wrong|inaccurate|cannot)\b|n't\b", re.I)
"""A cheap first look: without one of these words no pattern can match."""
_LOWER_TRIGGER = lazy_pattern(_TRIGGER.pattern)
""":data:`_TRIGGER` for ASCII text in lower case, where ignoring case is lowering it (and searching is faster)."""


_TRIGGER_TEXTS = ("not", "never", "except", "least", "false", "incorrect", "untrue", "wrong", "inaccurate", "n't")
"""What :data:`_TRIGGER` needs: one of these, in any case (``cannot`` holds ``not``)."""


def may_be_negative(stem: str) -> bool:
    """A cheap first look: the lead-in is made of the stem's words, emphasis removed.

    An ASCII stem is first searched for the trigger words as plain substrings, with
    all emphasis marks deleted (so ``n**o**t`` still counts), which is much faster.
    """
    if stem.isascii():
        lowered = stem.encode("ascii").translate(None, b"*_`~").lower().decode("ascii")
        if not any(map(lowered.__contains__, _TRIGGER_TEXTS)):  # map: no Python frame per word
            return False
    text = strip_emphasis(unicodedata.normalize("NFKC", stem))
    if text.isascii():
        return _LOWER_TRIGGER.search(text.lower()) is not None
    return _TRIGGER.search(text) is not None


def find_negative(lead: str) -> re.Match | None:
    if not _TRIGGER.search(lead):
        return None
    lead = _IGNORED.sub(lambda m: "§" * len(m.group(0)), lead)
    for pattern in PATTERNS:
        for match in pattern.finditer(lead):
            between = match.groupdict().get("between")
            if between and re.search(_SUBORDINATE, between, re.I):
                continue
            return match
    return None


def negative_word(match: re.Match) -> str:
    for name, value in match.groupdict().items():
        if name != "between" and value:
            return value
    return match.group(0)


def emphasised(word: str, stem: str) -> bool:
    """NOT in capitals, or **not** / _not_ / <u>not</u> in the stem as written."""
    head = word.split()[0]
    if head.isupper() and len(head) > 1:
        return True
    return bool(re.search(rf"{_EMPHASIS}\s*{re.escape(head)}\b[^*_<\n]{{0,40}}?{_EMPHASIS}|{_EMPHASIS}{re.escape(head)}{_EMPHASIS}", stem, re.I))


@register
class NegativeStem(QuestionRule):
    """The question asks for what is not true (NOT, EXCEPT, LEAST, false).

    Negative stems make learners pick the one wrong statement among right ones,
    which tests reading care more than knowledge, and a learner who misses the
    negation answers the opposite question (Haladyna 2002, guideline 17; NBME).
    Only the lead-in (the sentence that asks) is read, and only a negation of its
    main clause counts: "a review that is not padded" or quoted speech ("I am not
    sure") does not, nor do "not only" and "at least". An emphasised negative
    (``NOT`` or ``**not**``) is reported at info level, since the guidelines accept
    one when the negative is essential.

    Bad::

        questions:
          - id: q1
            stem: Which of these layers does not keep a hidden state?
            explanation: Dense layers have no recurrence.
            options:
              - text: Dense
                correct: true
              - text: LSTM
                why: It keeps a hidden and a cell state.
              - text: GRU
                why: It keeps a hidden state.

    Good::

        questions:
          - id: q1
            stem: Which of these layers keeps a hidden state between time steps?
            explanation: Recurrent layers keep a state; Dense layers do not.
            options:
              - text: LSTM
                correct: true
              - text: Dense
                why: It has no recurrence.
              - text: Flatten
                why: It only reshapes its input.
    """

    code = "QB201"
    name = "negative-stem"
    group = "quality"
    severity = Severity.WARNING

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        question = item.question
        if question.type == TRUE_FALSE or not may_be_negative(question.stem):
            return
        lead = lead_in(question.stem)
        match = find_negative(lead)
        if match is None:
            return
        word = negative_word(match)
        strong = emphasised(word, question.stem)
        yield Finding(
            f"negative stem: {word!r} in the lead-in {lead!r}" + (" (emphasised)" if strong else ""),
            ("stem",),
            hint="ask for what is true instead; if the negative is essential, write it as **NOT** so nobody misses it"
            if not strong
            else "fine if the negative is essential; otherwise ask for what is true",
            evidence={"negative": word, "lead_in": lead, "emphasised": strong},
            severity=Severity.INFO if strong else None,
        )
