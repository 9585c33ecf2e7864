"""The question types and difficulties: plain values, which rules compare against without the models."""

from __future__ import annotations

from typing import Literal

QuestionType = Literal["single", "multiple", "true_false"]
Difficulty = Literal["easy", "medium", "hard"]
SINGLE: QuestionType = "single"
MULTIPLE: QuestionType = "multiple"
TRUE_FALSE: QuestionType = "true_false"
