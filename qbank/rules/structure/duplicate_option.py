from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.rules.base import QuestionRule
from qbank.rules.registry import register
from qbank.text import normalise_option


@register
class DuplicateOption(QuestionRule):
    """Two options of a question say the same thing.

    Options are compared after removing case, extra whitespace, trailing
    punctuation and Markdown emphasis, so ``The LSTM.`` equals ``the **lstm**``.

    Bad::

        questions:
          - id: q1
            stem: Which layer has a separate cell state?
            explanation: Only the LSTM keeps a cell state besides its hidden state.
            options:
              - text: LSTM
                correct: true
              - text: "  lstm."
                why: Same as the first.
              - text: SimpleRNN
                why: It has only a hidden state.

    Good::

        questions:
          - id: q1
            stem: Which layer has a separate cell state?
            explanation: Only the LSTM keeps a cell state besides its hidden state.
            options:
              - text: LSTM
                correct: true
              - text: GRU
                why: The GRU merges cell and hidden state.
              - text: SimpleRNN
                why: It has only a hidden state.
    """

    code = "QB108"
    name = "duplicate-option"
    group = "structure"
    severity = Severity.ERROR

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        first: dict[str, int] = {}
        for index, option in enumerate(item.question.options):
            key = normalise_option(option.text)
            if not key:
                continue
            if key in first:
                original = first[key]
                exact = option.text == item.question.options[original].text
                yield Finding(
                    f"option {chr(65 + index)} duplicates option {chr(65 + original)}"
                    + ("" if exact else " (ignoring case, spaces, punctuation and emphasis)"),
                    ("options", index, "text"),
                    hint="replace it with a different plausible distractor, or delete it",
                    evidence={"option": chr(65 + index), "duplicates": chr(65 + original), "normalised": key},
                )
            else:
                first[key] = index
