"""The questionnaire model: what the YAML loader builds and everything else reads.

The model is plain frozen data so that a round can pin one exact version and
share it between requests without anyone mutating it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("sv", "en")

#: Question types and the kind of value an answer to each holds.
#: The kinds are what the expression language type-checks against.
VALUE_KIND = {
    "text": "string",
    "textarea": "string",
    "number": "number",
    "date": "date",
    "boolean": "boolean",
    "single": "string",
    "multiple": "list",
    "scale": "number",
    "matrix": "matrix",
    "note": "none",
}
QUESTION_TYPES = tuple(VALUE_KIND)
CHOICE_TYPES = ("single", "multiple", "scale", "matrix")
FREE_TEXT_TYPES = ("text", "textarea")

#: Default character limit of free-text fields; said on the page.
DEFAULT_MAX_LENGTH = {"text": 300, "textarea": 5000}


@dataclass(frozen=True)
class Text:
    """A text in Swedish with an optional English translation."""

    sv: str
    en: str | None = None

    def get(self, lang: str = "sv") -> str:
        return (self.en if lang == "en" and self.en else self.sv) or ""

    def __str__(self) -> str:
        return self.sv


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

    @property
    def kind(self) -> str:
        return VALUE_KIND[self.type]

    @property
    def stores_answer(self) -> bool:
        return self.type != "note"

    @property
    def text_limit(self) -> int | None:
        if self.type in FREE_TEXT_TYPES:
            return self.max_length or DEFAULT_MAX_LENGTH[self.type]
        return None

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
