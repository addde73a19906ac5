"""``matrix``: one option per row; stored as a mapping row -> option value.

The form posts each row as ``NAME-ROW`` (a WTForms FormField with ``-`` as separator), which
is also what static/relevant.js reads.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wtforms import Field, Form, FormField, RadioField

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

#: How likely each option is in the demo when nothing else is said: mostly the middle.
DEMO_WEIGHTS = (0.25, 0.45, 0.25, 0.05)


class MatrixType(QuestionType):
    name = "matrix"
    kind = "matrix"
    takes_options = True
    takes_rows = True

    def check(self, question: Question, value: Any, lang: str) -> str | None:
        allowed = option_values(question)
        rows = {r.name for r in question.rows}
        if not isinstance(value, dict) or any(
                k not in rows or v not in allowed for k, v in value.items()):
            return message("bad_choice", lang)
        return None

    def missing(self, question: Question, value: Any, lang: str) -> str | None:
        """Required means every row, and the message names the rows left."""
        missing = [r.label.get(lang) for r in question.rows if not (value or {}).get(r.name)]
        if missing:
            return message("required_row", lang, rows=", ".join(missing))
        return None

    def field(self, question: Question, lang: str) -> Field | None:
        rows = {
            row.name: RadioField(row.label.get(lang), choices=choices(question, lang),
                                 validate_choice=False)
            for row in question.rows
        }
        row_form = type(f"Matrix_{question.name}", (Form,), rows)
        return FormField(row_form, label=question.label.get(lang), separator="-")

    def parse(self, question: Question, formdata: FormData) -> Any:
        name = question.name
        cells = {row.name: formdata.get(f"{name}-{row.name}", "").strip()
                 for row in question.rows}
        extra = [k for k in formdata if k.startswith(f"{name}-")
                 and k[len(name) + 1:] not in cells]
        if extra:
            raise ValueError("bad_choice")
        return {row: value for row, value in cells.items() if value} or None

    def display(self, question: Question, value: Any, lang: str) -> str:
        return ITEM_SEPARATOR.join(self.display_items(question, value, lang))

    def display_items(self, question: Question, value: Any, lang: str) -> list[str] | None:
        """One "row: option" per answered row, in the rows' order."""
        return [f"{row.label.get(lang)}: {question.option_label(value[row.name], lang)}"
                for row in question.rows if row.name in value]

    def export_columns(self, question: Question) -> list[ExportColumn]:
        """A code and a label column per row."""
        label, columns = question.label.sv, []
        for row in question.rows:
            key = f"{question.name}.{row.name}"
            columns += [ExportColumn(key, f"{label} – {row.label.sv} (kod)", "row"),
                        ExportColumn(key + LABEL_SUFFIX, f"{label} – {row.label.sv}", "label")]
        return columns

    def export_cells(self, question: Question, value: Any) -> dict[str, Any]:
        cells: dict[str, Any] = {}
        for row in question.rows:
            code = (value or {}).get(row.name)
            if code is not None:
                cells[f"{question.name}.{row.name}"] = code
                cells[f"{question.name}.{row.name}{LABEL_SUFFIX}"] = \
                    question.option_label(code, "sv")
        return cells

    def demo_value(self, question: Question, rng: random.Random,
                   weights: Sequence[float] | None = None) -> Any:
        values = [o.value for o in question.options]
        padded = (list(weights or DEMO_WEIGHTS) + [0.05] * len(values))[:len(values)]
        return {row.name: rng.choices(values, weights=padded)[0] for row in question.rows}
