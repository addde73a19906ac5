"""``number``: a count or an amount, typed the Swedish way (``3,5``, ``12 345``)."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from wtforms import Field

from survey.questionnaire.messages import message
from survey.questionnaire.types.base import FormData, QuestionType
from survey.questionnaire.types.fields import NumberField

if TYPE_CHECKING:
    from survey.questionnaire.model import Question


def parse_number(text: str) -> int | float | None:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    # at most 15 significant digits: what a float (JSON, SQLite, Excel) holds exactly
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned) or len(cleaned.lstrip("-0.")) > 16:
        raise ValueError("not_number")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("not_number") from None
    return int(number) if number == number.to_integral_value() else float(number)


def format_number(value: float | int, lang: str = "sv") -> str:
    """12 345,5 in Swedish (non-breaking space as thousands separator), 12,345.5 in English."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    if lang == "sv":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def _limit_text(value: float, lang: str) -> str:
    """A bound in a message, written like an answer ("10 000", "2,5"), never "1e+06"."""
    whole = isinstance(value, int) or float(value).is_integer()
    return format_number(int(value) if whole else float(value), lang)


class NumberType(QuestionType):
    name = "number"
    kind = "number"
    bounds = "number"

    def check(self, question: Question, value: Any, lang: str) -> str | None:
        if question.min is not None and value < question.min:
            return message("min", lang, limit=_limit_text(question.min, lang))
        if question.max is not None and value > question.max:
            return message("max", lang, limit=_limit_text(question.max, lang))
        return None

    def field(self, question: Question, lang: str) -> Field | None:
        return NumberField(question.label.get(lang))

    def parse(self, question: Question, formdata: FormData) -> Any:
        return parse_number(formdata.get(question.name, ""))

    def form_data(self, question: Question, value: Any) -> Any:
        return str(value)

    def display(self, question: Question, value: Any, lang: str) -> str:
        return format_number(value, lang)

    def demo_value(self, question: Question, rng: random.Random,
                   weights: Sequence[float] | None = None) -> Any:
        return rng.randint(int(question.min or 0), 40 + 8 * rng.randint(0, 40))
