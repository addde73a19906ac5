"""``scale``: one step of an ordered list (1–5, say); numeric steps are stored as numbers
so that expressions can compare them."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from wtforms import Field, RadioField

from survey.questionnaire.types.base import FormData
from survey.questionnaire.types.fields import choices
from survey.questionnaire.types.single import SingleType

if TYPE_CHECKING:
    from survey.questionnaire.model import Question


def _starts_with(label: str, value: str) -> bool:
    """Whether a step's label already begins with its number ("1 Mycket liten oro")."""
    return re.match(rf"{re.escape(value)}(?!\d)", label.strip()) is not None


class ScaleType(SingleType):
    name = "scale"
    kind = "number"
    appearances = ()
    bounds = "number"

    def field(self, question: Question, lang: str) -> Field | None:
        return RadioField(question.label.get(lang), choices=choices(question, lang),
                          validate_choice=False)

    def parse(self, question: Question, formdata: FormData) -> Any:
        raw = formdata.get(question.name, "").strip()
        if re.fullmatch(r"-?\d+", raw):
            return int(raw)
        return raw or None

    def display(self, question: Question, value: Any, lang: str) -> str:
        return self.option_text(question, str(value), lang)

    def option_text(self, question: Question, value: str, lang: str) -> str:
        """The step's number, then its label, the number written once: "1 – Liten oro"
        for a label without it, "1 Mycket liten oro" as it stands."""
        label = question.option_label(value, lang)
        if not label or label.strip() == value or _starts_with(label, value):
            return label
        return f"{value} – {label}"

    def demo_value(self, question: Question, rng: random.Random,
                   weights: Sequence[float] | None = None) -> Any:
        """Any step but the first (often "not at all"), as a number."""
        return int(rng.choice([o.value for o in question.options[1:]]))
