"""``boolean``: yes or no; the form posts ``y``/``n``, the store keeps true/false."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wtforms import Field, RadioField

from survey.questionnaire.types.base import LABEL_SUFFIX, ExportColumn, FormData, QuestionType
from survey.questionnaire.types.fields import SelectChoice

if TYPE_CHECKING:
    from survey.questionnaire.model import Question

YES_NO = {"sv": ("Ja", "Nej"), "en": ("Yes", "No")}


class BooleanType(QuestionType):
    name = "boolean"
    kind = "boolean"

    def field(self, question: Question, lang: str) -> Field | None:
        yes_no = [SelectChoice("y", "y"), SelectChoice("n", "n")]
        return RadioField(question.label.get(lang), choices=yes_no, validate_choice=False)

    def parse(self, question: Question, formdata: FormData) -> Any:
        raw = formdata.get(question.name)
        if raw in (None, ""):
            return None
        if raw not in ("y", "n"):
            raise ValueError("bad_choice")
        return raw == "y"

    def form_data(self, question: Question, value: Any) -> Any:
        return "y" if value else "n"

    def display(self, question: Question, value: Any, lang: str) -> str:
        yes, no = YES_NO[lang]
        return yes if value else no

    def export_columns(self, question: Question) -> list[ExportColumn]:
        label, name = question.label.sv, question.name
        return [ExportColumn(name, f"{label} (kod)", "value"),
                ExportColumn(name + LABEL_SUFFIX, label, "label")]

    def export_cells(self, question: Question, value: Any) -> dict[str, Any]:
        yes, no = YES_NO["sv"]
        name = question.name
        return {name: int(bool(value)), name + LABEL_SUFFIX: yes if value else no}

    def demo_value(self, question: Question, rng: random.Random,
                   weights: Sequence[float] | None = None) -> Any:
        return rng.random() < 0.7
