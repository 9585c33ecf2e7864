"""The question model: pure data, knows nothing of files or positions."""

from qbank.model.question import (
    MULTIPLE,
    SINGLE,
    TRUE_FALSE,
    BankFile,
    Difficulty,
    LintSettings,
    Option,
    Question,
    QuestionType,
)

__all__ = ["MULTIPLE", "SINGLE", "TRUE_FALSE", "BankFile", "Difficulty", "LintSettings", "Option", "Question", "QuestionType"]
