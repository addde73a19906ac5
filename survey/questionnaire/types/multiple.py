"""``multiple``: any number of options; stored as a list in the options' order."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wtforms import Field, SelectMultipleField

from survey.questionnaire.messages import message
from survey.questionnaire.types.base import (
    ITEM_SEPARATOR,
    LABEL_SUFFIX,
    ExportColumn,
    FormData,
    QuestionType,
    option_values,
)
from survey.questionnaire.types.fields import choices

if TYPE_CHECKING:
    from survey.questionnaire.model import Question


class MultipleType(QuestionType):
    name = "multiple"
    kind = "list"
    takes_options = True

    def check(self, question: Question, value: Any, lang: str) -> str | None:
        allowed = option_values(question)
        if not isinstance(value, list) or any(v not in allowed for v in value):
            return message("bad_choice", lang)
        return None

    def field(self, question: Question, lang: str) -> Field | None:
        return SelectMultipleField(question.label.get(lang), choices=choices(question, lang),
                                   validate_choice=False)

    def parse(self, question: Question, formdata: FormData) -> Any:
        chosen = set(formdata.getlist(question.name))
        order = [o.value for o in question.options]
        if chosen - set(order):
            raise ValueError("bad_choice")
        return [value for value in order if value in chosen] or None

    def display(self, question: Question, value: Any, lang: str) -> str:
        return ITEM_SEPARATOR.join(self.display_items(question, value, lang))

    def display_items(self, question: Question, value: Any, lang: str) -> list[str] | None:
        return [question.option_label(v, lang) for v in value]

    def export_columns(self, question: Question) -> list[ExportColumn]:
        """One 0/1 column per option, so a spreadsheet can count each."""
        label, name = question.label.sv, question.name
        return [ExportColumn(f"{name}.{option.value}", f"{label}: {option.label.sv}", "option")
                for option in question.options] + [
            ExportColumn(name + LABEL_SUFFIX, label, "label")]

    def export_cells(self, question: Question, value: Any) -> dict[str, Any]:
        name, chosen = question.name, set(value or [])
        cells: dict[str, Any] = {f"{name}.{o.value}": int(o.value in chosen)
                                 for o in question.options}
        cells[name + LABEL_SUFFIX] = self.display(question, value, "sv")
        return cells

    def demo_value(self, question: Question, rng: random.Random,
                   weights: Sequence[float] | None = None) -> Any:
        """One to three real options (never "none" or "don't know")."""
        values = [o.value for o in question.options if o.value not in ("none", "unknown")]
        k = min(len(values), rng.randint(1, 3))
        chosen = set(rng.sample(values, k))
        return [v for v in values if v in chosen]
