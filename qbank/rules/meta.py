"""QB006: suppressions that hide nothing. Judged after every other rule has run."""

from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import Bank, Located
from qbank.diagnostics import Finding, Severity
from qbank.rules.base import Rule, SuppressionRule
from qbank.rules.registry import all_rules, matches, register
from qbank.suppression import entries


@register
class UnusedSuppression(SuppressionRule):
    """A ``lint: {ignore: [...]}`` entry hides no finding.

    Suppressions outlive the problems they were written for: the text gets fixed, the
    rule changes, and the stale entry then hides the next real problem. An entry is
    judged only when a rule it names ran in this lint (``--select QB1`` does not judge
    an ``ignore: [QB210]``). An entry that names no rule at all, or only rules that
    cannot be switched off (QB0xx read errors, QB101), is always reported. Entries for
    QB006 itself are not judged.

    Bad::

        questions:
          - id: q1
            stem: Which layer turns token ids into dense vectors?
            explanation: Embedding is a trainable lookup table.
            lint: {ignore: [QB299]}
            options:
              - text: Embedding
                correct: true
              - text: Dense
                why: It acts on vectors, not ids.
              - text: Flatten
                why: It only reshapes.

    Good::

        questions:
          - id: q1
            stem: Which of these layers does not keep a hidden state?
            explanation: Dense layers have no recurrence; the negative is the point here.
            lint: {ignore: [QB201]}
            options:
              - text: Dense
                correct: true
              - text: LSTM
                why: It keeps a hidden and a cell state.
              - text: GRU
                why: It keeps a hidden state.
    """

    code = "QB006"
    name = "unused-suppression"
    group = "meta"
    severity = Severity.WARNING

    def check(self, bank: Bank, used: set[tuple[str, tuple]], ran: list[Rule]) -> Iterator[Located]:
        known = all_rules()
        ran_codes = {rule.code for rule in ran}
        for file in bank.files:
            for entry in entries(file):
                if matches(self.code, [entry.pattern]):
                    continue
                named = [rule for rule in known if matches(rule.code, [entry.pattern])]
                if not named:
                    message = f"{entry.pattern} names no rule; see qbank rules"
                elif all(rule.always_on for rule in named):
                    message = f"{entry.pattern} cannot be suppressed: a file that cannot be read is always reported"
                elif not any(rule.code in ran_codes for rule in named):
                    continue
                elif (file.loaded.name, entry.path) in used:
                    continue
                else:
                    scope = "this file" if entry.path[0] == "lint" else "this question"
                    message = f"the suppression of {entry.pattern} is unused: no {entry.pattern} finding in {scope} to hide"
                yield Located(file, Finding(
                    message,
                    entry.path,
                    hint="remove it from lint.ignore",
                    evidence={"pattern": entry.pattern, "rules": [rule.code for rule in named]},
                ))
