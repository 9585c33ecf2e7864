from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.model import TRUE_FALSE
from qbank.patterns import lazy_pattern
from qbank.rules.base import QuestionRule
from qbank.rules.quality._text import letter, plain, prose
from qbank.rules.registry import register

_REF = r"\(?(?:[A-Ja-j]|[1-9]|I{1,3}|IV|V|i{1,3}|iv|v)\)?"
COMBINATION = lazy_pattern(
    rf"^(?:[Bb]oth\s+|[Oo]nly\s+|[Oo]ptions?\s+)?(?P<refs>{_REF}(?:\s*,\s*{_REF})*\s*,?\s*(?:and|or|&)\s+{_REF})(?:\s+only)?$"
)
_LOOKS_COMBINED = lazy_pattern(r"(?:\b(?:and|or)\b|&|\(\w{1,3}\)).*$")
"""A cheap first look: a combination joins labels with and/or/&, or lists (i)-style labels."""
_COMBINING_MARK = lazy_pattern(r"\b(?:and|or)\b|&|\(\w{1,3}\)")
_REF_TOKEN = lazy_pattern(_REF.replace(r"\(?", "").replace(r"\)?", "").join([r"(?<![\w(])\(?(", r")\)?(?!\w)"]))
_PAREN_LABEL = lazy_pattern(r"\((?:[1-9]|i{1,3}|iv|v|I{1,3}|IV|V|[a-j])\)")
_LABEL = r"([1-9]|i{1,3}|iv|v|I{1,3}|IV|V|[a-jA-J])"
_STEM_LABEL = lazy_pattern(rf"(?m)(?:^\s*(?:[-*]\s+)?|[.?!:]\s+)\(?{_LABEL}[.)]\s+|\({_LABEL}\)")


def looks_combined(texts: list[str]) -> bool:
    """A cheap first look: whether any option may combine labels (:data:`_LOOKS_COMBINED`).

    Texts of one line each are searched at once: then a mark on any of them reaches the end of its line.
    """
    joined = "\n".join(texts)
    if joined.count("\n") >= len(texts):  # some text has a line break of its own
        return any(_LOOKS_COMBINED.search(text) for text in texts)
    return _COMBINING_MARK.search(joined) is not None


def stem_labels(stem: str) -> set[str]:
    """Labels of statements enumerated in the stem: 1. … 2. …, (i) … (ii) …, I. … II. …

    A label counts at the start of a line or right after a sentence ends ("dropout? I. It…").
    """
    return {(a or b).lower() for a, b in _STEM_LABEL.findall(prose(stem, quotes=True))}


def combination_refs(text: str, labels: set[str], option_letters: str) -> list[str] | None:
    """The labels an option combines ("A and C", "I, II and IV only"), if it is a combination."""
    match = COMBINATION.match(plain(text).rstrip("."))
    if not match:
        return None
    refs = [m.group(1) for m in _REF_TOKEN.finditer(match.group("refs"))]
    if len(refs) < 2:
        return None
    for ref in refs:
        known_option = len(ref) == 1 and ref.upper() in option_letters and ref.isupper()
        if not known_option and ref.lower() not in labels:
            return None
    return refs


@register
class CombinationOptions(QuestionRule):
    """Options combine other options or numbered statements ("A and C", "I, II and IV only").

    Combination (K-type) items test logic and partial knowledge: a learner who knows
    one statement is false can strike every combination that holds it (Haladyna 2002,
    guideline 9; Tarrant 2006; NBME). Write one question per statement, or use
    ``type: multiple``. An option counts when it is nothing but two or more labels
    joined by "and"/"or", and every label names an option (A, B…) or a statement
    enumerated in the stem (1., (i), II.). A lone "IV" (a disease stage) or a
    content answer such as "1 and 2" without numbered statements does not count.

    Bad::

        questions:
          - id: q1
            stem: |
              Which statements about LSTMs are true?

              1. They keep a cell state.
              2. They have no gates.
              3. They process time steps in order.
            explanation: Statements 1 and 3 are true.
            options:
              - text: 1 and 3
                correct: true
              - text: 1 and 2
                why: LSTMs have gates.
              - text: 2 and 3
                why: LSTMs have gates.

    Good::

        questions:
          - id: q1
            stem: Which statements about LSTMs are true? Select all that apply.
            type: multiple
            explanation: Both of the first two are true.
            options:
              - text: They keep a cell state.
                correct: true
              - text: They process time steps in order.
                correct: true
              - text: They have no gates.
                why: They have input, forget and output gates.
    """

    code = "QB207"
    name = "combination-options"
    group = "quality"
    severity = Severity.WARNING

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        question = item.question
        if question.type == TRUE_FALSE:
            return
        if not looks_combined([o.text for o in question.options]):
            return
        labels = stem_labels(question.stem)
        option_letters = "".join(letter(i) for i in range(len(question.options)))
        combined = {}
        for index, option in enumerate(question.options):
            refs = combination_refs(option.text, labels, option_letters)
            if refs:
                combined[index] = refs
        if not combined and labels:
            listing = {i: _PAREN_LABEL.findall(o.text) for i, o in enumerate(question.options)}
            listing = {i: refs for i, refs in listing.items() if len(refs) >= 2 and all(r.strip("()").lower() in labels for r in refs)}
            if len(listing) >= 2:
                combined = listing
        if not combined:
            return
        first = min(combined)
        shown = "; ".join(f"{letter(i)}: {plain(question.options[i].text)!r}" for i in sorted(combined))
        yield Finding(
            f"{len(combined)} option{'s combine' if len(combined) != 1 else ' combines'} other statements ({shown})",
            ("options", first, "text"),
            hint="ask about each statement separately, or use type: multiple and let learners tick each true one",
            evidence={"combinations": {letter(i): refs for i, refs in sorted(combined.items())}},
        )
