"""The questionnaire model: what the YAML loader builds and everything else reads.

The model is plain frozen data so that a round can pin one exact version and
share it between requests without anyone mutating it. What differs between question
types is behaviour and lives in survey.questionnaire.types; the few facts the model answers
about its questions (value kind, whether an answer is stored, the text limit) come from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from survey.questionnaire import types
from survey.questionnaire.text import Text

__all__ = [
    "CHOICE_TYPES", "DEFAULT_MAX_LENGTH", "FREE_TEXT_TYPES", "LANGUAGES", "QUESTION_TYPES",
    "VALUE_KIND", "Option", "Page", "Question", "Questionnaire", "Row", "Text",
]

LANGUAGES = ("sv", "en")

# What the question types say about themselves (survey.questionnaire.types), as the tables
# the loader, the expression checker and the XLSForm converters read.

#: Question types and the kind of value an answer to each holds.
#: The kinds are what the expression language type-checks against.
VALUE_KIND = {name: qtype.kind for name, qtype in types.TYPES.items()}
QUESTION_TYPES = tuple(VALUE_KIND)
CHOICE_TYPES = tuple(name for name, qtype in types.TYPES.items() if qtype.takes_options)
FREE_TEXT_TYPES = tuple(name for name, qtype in types.TYPES.items() if qtype.free_text)

#: Default character limit of free-text fields; said on the page.
DEFAULT_MAX_LENGTH = {name: qtype.default_max_length for name, qtype in types.TYPES.items()
                      if qtype.default_max_length is not None}


@dataclass(frozen=True)
class Option:
    value: str
    label: Text


@dataclass(frozen=True)
class Row:
    """One row of a matrix question; its answer is ``question.row``."""

    name: str
    label: Text


@dataclass(frozen=True)
class Question:
    name: str
    type: str
    label: Text
    line: int = 0
    hint: Text | None = None
    required: bool = False
    relevant: Any = None  # parsed expression tree (survey.expr), None = always shown
    relevant_src: str | None = None
    constraint: Any = None
    constraint_src: str | None = None
    constraint_message: Text | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    pattern: str | None = None
    options: tuple[Option, ...] = ()
    rows: tuple[Row, ...] = ()
    appearance: str | None = None  # "select" or "radio" for single
    code_with: str | None = None
    #: False for questions about now (a date, a change since last time): a follow-up round
    #: leaves them empty instead of starting from the previous round's answer.
    carry_over: bool = True

    @property
    def kind(self) -> str:
        return types.of(self).kind

    @property
    def stores_answer(self) -> bool:
        return types.of(self).stores_answer

    @property
    def text_limit(self) -> int | None:
        default = types.of(self).default_max_length
        return (self.max_length or default) if default is not None else None

    def option_label(self, value: Any, lang: str = "sv") -> str:
        for option in self.options:
            if option.value == str(value):
                return option.label.get(lang)
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Page:
    name: str
    title: Text
    questions: tuple[Question, ...]
    intro: Text | None = None
    line: int = 0
    #: Codebook themes the page's area covers (``themes:`` in the YAML): what the review
    #: workspace compares with the area's structured change answer.
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: Text
    pages: tuple[Page, ...]
    description: Text | None = None
    source: str = ""  # the YAML text this was loaded from
    hash: str = ""  # sha256 of ``source``: what a round pins
    path: str = ""
    _index: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for page in self.pages:
            for question in page.questions:
                self._index[question.name] = question

    @property
    def questions(self) -> list[Question]:
        return [q for page in self.pages for q in page.questions]

    @property
    def coded_questions(self) -> dict[str, str]:
        """Question name -> codebook, for the questions whose answers are auto-coded."""
        return {q.name: q.code_with for q in self.questions if q.code_with}

    @property
    def codebooks(self) -> list[str]:
        """The codebooks the free texts are coded with, in questionnaire order."""
        return list(dict.fromkeys(self.coded_questions.values()))

    def question(self, name: str) -> Question:
        return self._index[name]

    def has(self, name: str) -> bool:
        return name in self._index

    def page(self, name: str) -> Page:
        for page in self.pages:
            if page.name == name:
                return page
        raise KeyError(name)

    def page_index(self, name: str) -> int:
        return [p.name for p in self.pages].index(name)
