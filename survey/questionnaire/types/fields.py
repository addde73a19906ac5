"""WTForms pieces several question types share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wtforms import StringField

if TYPE_CHECKING:
    from survey.questionnaire.model import Question

try:  # WTForms 3.3 deprecates tuple choices
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    def SelectChoice(value: str, label: str):  # noqa: N802
        return (value, label)


class NumberField(StringField):
    """Accepts Swedish decimal commas and spaces as thousands separators."""


def choices(question: Question, lang: str) -> list:
    return [SelectChoice(o.value, o.label.get(lang)) for o in question.options]
