"""``textarea``: several lines of free text; what gets auto-coded most often."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wtforms import Field, TextAreaField

from survey.questionnaire.types.text import TextType

if TYPE_CHECKING:
    from survey.questionnaire.model import Question


class TextareaType(TextType):
    name = "textarea"
    default_max_length = 5000
    takes_pattern = False

    def field(self, question: Question, lang: str) -> Field | None:
        return TextAreaField(question.label.get(lang))
