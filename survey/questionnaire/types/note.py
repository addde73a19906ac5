"""``note``: text shown between questions; no field, no answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wtforms import Field

from survey.questionnaire.types.base import QuestionType

if TYPE_CHECKING:
    from survey.questionnaire.model import Question


class NoteType(QuestionType):
    name = "note"
    kind = "none"
    stores_answer = False

    def field(self, question: Question, lang: str) -> Field | None:
        return None
