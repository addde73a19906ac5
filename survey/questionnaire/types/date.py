"""``date``: a day, stored as ISO text so that dates sort and compare as text."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wtforms import Field, StringField

from survey.questionnaire.messages import message
from survey.questionnaire.types.base import QuestionType

if TYPE_CHECKING:
    from survey.questionnaire.model import Question


class DateType(QuestionType):
    name = "date"
    kind = "date"
    bounds = "date"

    def check(self, question: Question, value: Any, lang: str) -> str | None:
        # only YYYY-MM-DD: Python also takes 20200101 and 2020-W01-1, which sort wrongly
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return message("not_date", lang)
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return message("not_date", lang)
        if question.min is not None and value < str(question.min):
            return message("min", lang, limit=question.min)
        if question.max is not None and value > str(question.max):
            return message("max", lang, limit=question.max)
        return None

    def field(self, question: Question, lang: str) -> Field | None:
        return StringField(question.label.get(lang))

    def demo_value(self, question: Question, rng: random.Random,
                   weights: Sequence[float] | None = None) -> Any:
        return "2020-06-26"
