"""Answers as people read them: option labels, Swedish numbers and dates, Ja/Nej.

How each type reads is the type's own business (survey.questionnaire.types); this module
is the one place the rest of the code asks.
"""

from __future__ import annotations

import re
from typing import Any

from babel.numbers import format_decimal

from survey.questionnaire import types
from survey.questionnaire.model import Question
from survey.questionnaire.types import ITEM_SEPARATOR
from survey.questionnaire.types.boolean import YES_NO
from survey.questionnaire.types.number import format_number

__all__ = ["ITEM_SEPARATOR", "YES_NO", "answer_items", "format_answer", "format_number",
           "hint_states_limit", "limit_number", "matrix_cells", "option_text"]
_THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f,.](?=\d{3}\b)")


def limit_number(limit: int, lang: str = "sv") -> str:
    """A character limit as people write it: "4 000" (Babel, sv_SE), "4,000" in English."""
    return format_decimal(limit, locale="sv_SE" if lang == "sv" else "en_GB")


def hint_states_limit(hint: str | None, limit: int | None) -> bool:
    """Whether the question's own hint already says its limit ("Högst 4 000 tecken."), so the
    page need not say it twice."""
    if not hint or not limit:
        return False
    return re.search(rf"(?<![\d]){limit}(?![\d])", _THOUSANDS.sub("", hint)) is not None


def format_answer(question: Question, value: Any, lang: str = "sv") -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    return types.of(question).display(question, value, lang)


def answer_items(question: Question, value: Any, lang: str = "sv") -> list[str] | None:
    """The parts of an answer of several parts (chosen options, matrix rows) for a list on
    the page; None when the answer is one text (then use format_answer)."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    return types.of(question).display_items(question, value, lang)


def option_text(question: Question, value: str, lang: str = "sv") -> str:
    """The text beside an option's button (a scale's step says its number once)."""
    return types.of(question).option_text(question, value, lang)


def matrix_cells(question: Question, value: Any, lang: str = "sv") -> list[tuple[str, str]]:
    return [(row.label.get(lang), question.option_label((value or {}).get(row.name), lang))
            for row in question.rows]
