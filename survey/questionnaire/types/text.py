"""``text``: one line of free text, optionally held to a pattern."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wtforms import Field, StringField

from survey.questionnaire.types.base import FormData, QuestionType

if TYPE_CHECKING:
    from survey.questionnaire.model import Question


class TextType(QuestionType):
    """Length, control characters and pattern are checked for every text value by the
    engine (a tampered choice can be text too), so there is nothing more to check here."""

    name = "text"
    kind = "string"
    default_max_length = 300
    takes_pattern = True

    def field(self, question: Question, lang: str) -> Field | None:
        return StringField(question.label.get(lang))

    def parse(self, question: Question, formdata: FormData) -> Any:
        """Line breaks as ``\\n`` whatever the browser sent, so lengths count the same."""
        text = formdata.get(question.name, "").replace("\r\n", "\n").replace("\r", "\n")
        return text.strip() or None
