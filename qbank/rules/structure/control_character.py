from __future__ import annotations

from collections.abc import Iterator

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.rules.base import QuestionRule
from qbank.rules.registry import register
from qbank.rules.shared import text_fields
from qbank.text import XML_FORBIDDEN, holds_xml_forbidden


@register
class ControlCharacter(QuestionRule):
    """A text holds a control character that Moodle and Canvas cannot import.

    Control characters (U+0000 to U+001F, except tab and line breaks) are invisible;
    they come with text pasted from a PDF or a word processor, or from a YAML escape
    such as ``"\\x01"``. XML cannot carry them, not even escaped, so the Moodle and
    QTI exports refuse such a question. The stem, explanation, options, whys,
    source, category and tags are checked; one finding per text, at its first such
    character.

    Bad::

        questions:
          - id: q1
            stem: "Which layer keeps a cell state?\\x0b"
            explanation: Only the LSTM has a cell state.
            options:
              - text: LSTM
                correct: true
              - text: Dense
                why: It keeps no state.

    Good::

        questions:
          - id: q1
            stem: Which layer keeps a cell state?
            explanation: Only the LSTM has a cell state.
            options:
              - text: LSTM
                correct: true
              - text: Dense
                why: It keeps no state.
    """

    code = "QB113"
    name = "control-character"
    group = "structure"
    severity = Severity.ERROR

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        question = item.question
        texts = [text for _, text in text_fields(question)] + question.tags
        if question.category:
            texts.append(question.category)
        if not holds_xml_forbidden(texts):
            return
        fields = [*text_fields(question), *((("tags", index), tag) for index, tag in enumerate(question.tags))]
        fields += [(("category",), question.category)] if question.category else []
        for path, text in fields:
            if match := XML_FORBIDDEN.search(text):
                yield _finding(path, text, match.start())


def _finding(path: tuple, text: str, at: int) -> Finding:
    point = ord(text[at])
    kind = "a noncharacter" if point >= 0xFFFE else "a control character"
    code = f"U+{point:04X}"
    return Finding(
        f"the {path[-1] if isinstance(path[-1], str) else path[-2]} holds {code}, {kind}, at character {at + 1}, "
        "which Moodle and Canvas cannot import",
        path,
        hint="delete it (it is invisible; an editor that shows control characters helps), or the \\x.. escape that wrote it",
        evidence={"character": code, "index": at},
    )
