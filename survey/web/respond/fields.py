"""What a questionnaire page shows of each question whatever the answers: label, hint, option
buttons with their ids, the input's kind, the relevance rule for the browser.

A page view used to work these out in the template on every request (a macro call per
option, a catalogue look-up per "(obligatorisk)"); they depend only on the questionnaire
version, the page and the language, so they are worked out once and kept. The template
(respond/_question.html) adds what does depend on the answers: values, errors, hidden
questions, carried-over marks and last round's answer.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from survey.questionnaire import display, expr
from survey.questionnaire.model import Question, Questionnaire
from survey.web.i18n import MESSAGES

#: How each type is shown: one text field, a list to pick from, buttons, a grid.
_CONTROLS = {"note": "note", "textarea": "textarea", "text": "input", "number": "input",
             "date": "input", "boolean": "boolean", "single": "choice", "scale": "choice",
             "multiple": "multiple", "matrix": "matrix"}


@dataclass(frozen=True)
class Choice:
    """One option's button (or a select's option): its id, posted name, value and text."""

    id: str
    name: str
    value: str
    label: str


@dataclass(frozen=True)
class Row:
    """One row of a matrix: its answer's key, its legend and its buttons."""

    name: str
    legend: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Field:
    question: Question
    name: str
    type: str
    control: str
    label: str
    #: The hint paragraph's text (the question's hint, then the character limit unless the
    #: hint says it), None when there is no paragraph; a note's own hint is ``note_hint``.
    hint: str | None
    note_hint: str | None
    required: bool
    stores_answer: bool
    relevant: str | None
    choices: tuple[Choice, ...] = ()
    rows: tuple[Row, ...] = ()
    input_type: str = "text"
    autocomplete: str | None = None
    min: object = None
    max: object = None


@dataclass(frozen=True)
class PageView:
    fields: tuple[Field, ...]
    names: frozenset[str]
    #: (page name, title) of every page, for the section links.
    titles: tuple[tuple[str, str], ...]


_CACHE: dict[tuple[str, str, str], tuple[Questionnaire, PageView]] = {}
_LOCK = threading.Lock()


def page_view(questionnaire: Questionnaire, page_name: str, lang: str) -> PageView:
    """The page's fields, built once per questionnaire version, page and language."""
    key = (questionnaire.hash or str(id(questionnaire)), page_name, lang)
    hit = _CACHE.get(key)
    if hit is not None and (questionnaire.hash or hit[0] is questionnaire):
        return hit[1]
    page = questionnaire.page(page_name)
    view = PageView(
        fields=tuple(_field(question, lang) for question in page.questions),
        names=frozenset(question.name for question in page.questions),
        titles=tuple((p.name, p.title.get(lang)) for p in questionnaire.pages))
    with _LOCK:  # the entry keeps the questionnaire alive, so an id is never reused
        _CACHE[key] = (questionnaire, view)
    return view


def _field(question: Question, lang: str) -> Field:
    name = question.name
    control = _CONTROLS[question.type]
    if question.type == "single" and question.appearance == "select":
        control = "select"
    choices: tuple[Choice, ...] = ()
    if control == "boolean":
        choices = (Choice(f"f-{name}-y", name, "y", MESSAGES.text_in(lang, "yes")),
                   Choice(f"f-{name}-n", name, "n", MESSAGES.text_in(lang, "no")))
    elif control in ("choice", "multiple", "select"):
        choices = tuple(
            Choice(f"f-{name}-{index}", name, option.value,
                   display.option_text(question, option.value, lang) if control == "choice"
                   else option.label.get(lang))
            for index, option in enumerate(question.options, start=1))
    rows = tuple(
        Row(row.name, row.label.get(lang), tuple(
            Choice(f"f-{name}-{row.name}-{index}", f"{name}-{row.name}", option.value,
                   option.label.get(lang))
            for index, option in enumerate(question.options, start=1)))
        for row in question.rows) if control == "matrix" else ()
    return Field(
        question=question, name=name, type=question.type, control=control,
        label=question.label.get(lang),
        hint=None if control == "note" else _hint(question, lang),
        note_hint=question.hint.get(lang) if control == "note" and question.hint else None,
        required=question.required, stores_answer=question.stores_answer,
        relevant=json.dumps(expr.to_json(question.relevant), ensure_ascii=False)
        if question.relevant is not None else None,
        choices=choices, rows=rows, **_input(question))


def _hint(question: Question, lang: str) -> str | None:
    limit = question.text_limit
    if not question.hint and not limit:
        return None
    hint = question.hint.get(lang) if question.hint else None
    text = f"{hint} " if hint is not None else ""
    if limit and not display.hint_states_limit(hint, limit):
        text += MESSAGES.text_in(lang, "max_chars", n=display.limit_number(limit, lang))
    return text


def _input(question: Question) -> dict[str, object]:
    """A one-line field's type and autofill: a date picker, decimals, e-mail, telephone."""
    name = question.name
    if question.type == "date":
        return {"input_type": "date", "min": question.min, "max": question.max}
    if question.type == "number":
        return {"input_type": "number"}  # type="text" inputmode="decimal" in the template
    if "mail" in name:
        return {"input_type": "email", "autocomplete": "email"}
    if "phone" in name:
        return {"input_type": "tel", "autocomplete": "tel"}
    return {"autocomplete": "name" if name.endswith("_name") else None}
