"""Answers as people read them: option labels, Swedish numbers and dates, Ja/Nej.

How each type reads is the type's own business (survey.questionnaire.types); this module
is the one place the rest of the code asks.
"""

from __future__ import annotations

from typing import Any

from survey.questionnaire import types
from survey.questionnaire.model import Question
from survey.questionnaire.types.boolean import YES_NO
from survey.questionnaire.types.number import format_number

__all__ = ["YES_NO", "format_answer", "format_number", "matrix_cells"]


def format_answer(question: Question, value: Any, lang: str = "sv") -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    return types.of(question).display(question, value, lang)


def matrix_cells(question: Question, value: Any, lang: str = "sv") -> list[tuple[str, str]]:
    return [(row.label.get(lang), question.option_label((value or {}).get(row.name), lang))
            for row in question.rows]
