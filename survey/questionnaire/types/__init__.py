"""The question types: YAML ``type`` name -> the object that knows that type's behaviour.

Each type is one module with one class (see base.py for what a type answers). Adding a type
is writing its module and adding its class to ``_CLASSES``; the order there is the order the
loader lists the types in when a questionnaire names an unknown one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey.questionnaire.types.base import (
    ITEM_SEPARATOR,
    LABEL_SUFFIX,
    ExportColumn,
    QuestionType,
)
from survey.questionnaire.types.boolean import BooleanType
from survey.questionnaire.types.date import DateType
from survey.questionnaire.types.matrix import MatrixType
from survey.questionnaire.types.multiple import MultipleType
from survey.questionnaire.types.note import NoteType
from survey.questionnaire.types.number import NumberType
from survey.questionnaire.types.scale import ScaleType
from survey.questionnaire.types.single import SingleType
from survey.questionnaire.types.text import TextType
from survey.questionnaire.types.textarea import TextareaType

if TYPE_CHECKING:
    from survey.questionnaire.model import Question

__all__ = ["ITEM_SEPARATOR", "LABEL_SUFFIX", "TYPES", "ExportColumn", "QuestionType", "get", "of"]

_CLASSES: tuple[type[QuestionType], ...] = (
    TextType, TextareaType, NumberType, DateType, BooleanType,
    SingleType, MultipleType, ScaleType, MatrixType, NoteType,
)

#: The registry. The types keep no state, so one instance of each serves everyone.
TYPES: dict[str, QuestionType] = {cls.name: cls() for cls in _CLASSES}


def get(name: str) -> QuestionType:
    """The type called ``name`` in YAML; KeyError for an unknown one."""
    return TYPES[name]


def of(question: Question) -> QuestionType:
    return TYPES[question.type]
