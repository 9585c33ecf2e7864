"""The question model: pure data, knows nothing of files or positions.

The question types come from :mod:`qbank.model.kinds`; the pydantic models from
:mod:`qbank.model.question`, imported when one is first asked for. Rules and the
cached re-lint compare types without them, and so never import pydantic.
"""

from __future__ import annotations

from typing import Any

from qbank.model.kinds import MULTIPLE, SINGLE, TRUE_FALSE, Difficulty, QuestionType

_MODELS = frozenset({"BankFile", "LintSettings", "Option", "Question"})

__all__ = ["MULTIPLE", "SINGLE", "TRUE_FALSE", "BankFile", "Difficulty", "LintSettings", "Option", "Question", "QuestionType"]


def __getattr__(name: str) -> Any:
    if name in _MODELS:
        from qbank.model import question  # noqa: PLC0415

        return getattr(question, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
