"""``single``: one option of a list, as radio buttons or (``appearance: select``) a menu."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wtforms import Field, RadioField, SelectField

from survey.questionnaire.messages import message
from survey.questionnaire.types.base import (
    LABEL_SUFFIX,
    ExportColumn,
    FormData,
    QuestionType,
    option_values,
)
from survey.questionnaire.types.fields import SelectChoice, choices

if TYPE_CHECKING:
    from survey.questionnaire.model import Question


class SingleType(QuestionType):
    name = "single"
    kind = "string"
    takes_options = True
    appearances = ("radio", "select")

    def check(self, question: Question, value: Any, lang: str) -> str | None:
        if str(value) not in option_values(question):
            return message("bad_choice", lang)
        return None

    def field(self, question: Question, lang: str) -> Field | None:
        label = question.label.get(lang)
        if question.appearance == "select":
            return SelectField(label, choices=[SelectChoice("", "")] + choices(question, lang),
                               validate_choice=False)
        return RadioField(label, choices=choices(question, lang), validate_choice=False)

    def parse(self, question: Question, formdata: FormData) -> Any:
        return formdata.get(question.name, "").strip() or None

    def form_data(self, question: Question, value: Any) -> Any:
        return str(value)

    def display(self, question: Question, value: Any, lang: str) -> str:
        return question.option_label(value, lang)

    def export_columns(self, question: Question) -> list[ExportColumn]:
        label, name = question.label.sv, question.name
        return [ExportColumn(name, f"{label} (kod)", "value"),
                ExportColumn(name + LABEL_SUFFIX, label, "label")]

    def export_cells(self, question: Question, value: Any) -> dict[str, Any]:
        return {question.name: value,
                question.name + LABEL_SUFFIX: question.option_label(value, "sv")}

    def demo_value(self, question: Question, rng: random.Random,
                   weights: Sequence[float] | None = None) -> Any:
        """Any option but "don't know": the demo shows municipalities that know."""
        return rng.choice([o.value for o in question.options if o.value != "unknown"])
