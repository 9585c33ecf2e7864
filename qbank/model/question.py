"""Pydantic v2 models of a bank file, a question and an option.

The models are strict: a value of the wrong type is an error, never coerced, and an
unknown key is an error. Every field carries a description, which becomes the
JSON Schema that editors use for completion and hover help.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from qbank.model.kinds import SINGLE, Difficulty, QuestionType

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"
RULE_PATTERN = r"^QB[0-9]{0,3}$"



class _Strict(BaseModel):
    # Validators are built when first used, not on import: a cached re-lint validates no question in
    # its own process (a changed file is linted in a forked child, which builds them).
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


RuleCode = Annotated[
    str,
    Field(
        pattern=RULE_PATTERN,
        description="A rule code such as QB210, or a prefix such as QB2.",
    ),
]


class LintSettings(_Strict):
    """Per-question or per-file lint settings."""

    ignore: list[RuleCode] = Field(
        default_factory=list,
        description=(
            "Rule codes (or prefixes) not to report here. qbank reports a suppression "
            "that no longer matches any finding, so that stale ones get cleaned up."
        ),
    )


class Option(_Strict):
    """One answer option of a question."""

    text: str = Field(
        description="The option as the learner sees it, in Markdown. Quote it when it looks like a "
        "number, a date or yes/no, so that every YAML tool reads it as text.",
    )
    correct: bool = Field(
        default=False,
        description="true marks a correct option (a key). Leave it out on wrong options.",
    )
    why: str | None = Field(
        default=None,
        description="Why this option is wrong (or right), in Markdown. Shown as the feedback for this "
        "option. Every wrong option needs one.",
    )


class Question(_Strict):
    """One multiple-choice question."""

    id: str = Field(
        pattern=ID_PATTERN,
        max_length=100,
        description="A stable identifier, unique across the whole bank. Exports use it to update "
        "rather than duplicate (Anki GUID, Moodle idnumber). Never reuse or renumber it.",
    )
    type: QuestionType = Field(
        default=SINGLE,
        description="single: exactly one correct option (the default). multiple: one or more correct "
        "options, all of which must be picked. true_false: exactly the options True and False.",
    )
    stem: str = Field(
        description="The question itself, in Markdown. May hold fenced code, math between \\( \\) or "
        "$$ $$, and images given by a path relative to this file.",
    )
    options: list[Option] = Field(
        description="The answer options, in the order they are written. Mark the correct ones with "
        "correct: true.",
    )
    explanation: str | None = Field(
        default=None,
        description="The general explanation shown after answering, in Markdown.",
    )
    tags: list[str] = Field(
        default_factory=list,
        description="Tags for this question, added to the file's tags. No spaces; use - or _.",
    )
    difficulty: Difficulty | None = Field(
        default=None,
        description="How hard the question is meant to be: easy, medium or hard.",
    )
    category: str | None = Field(
        default=None,
        description="The category path, levels separated by /, overriding the file's category and the "
        "folder. Write a / inside one name as //.",
    )
    shuffle: bool = Field(
        default=True,
        description="Whether platforms may shuffle the options. Set false when order matters "
        "(for example options that refer to each other).",
    )
    points: float = Field(
        default=1.0,
        gt=0,
        allow_inf_nan=False,
        description="The question's default mark (Moodle defaultgrade).",
    )
    source: str | None = Field(
        default=None,
        description="Where the question comes from: a page title, a book, a URL. Kept on import and "
        "export.",
    )
    lint: LintSettings | None = Field(
        default=None,
        description="Lint settings for this question only, such as rule codes to ignore.",
    )


class BankFile(_Strict):
    """A file of a question bank: optional defaults, then the questions."""

    category: str | None = Field(
        default=None,
        description="The category of every question in this file, levels separated by /. Defaults to "
        "the folder the file is in, relative to the bank root.",
    )
    tags: list[str] = Field(
        default_factory=list,
        description="Tags added to every question in this file.",
    )
    lint: LintSettings | None = Field(
        default=None,
        description="Lint settings for the whole file, such as rule codes to ignore.",
    )
    questions: list[Question] = Field(
        description="The questions of this file.",
    )
