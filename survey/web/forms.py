"""WTForms forms built from the questionnaire model, one class per page.

WTForms parses the request and carries CSRF; the questionnaire rules (survey.engine) decide
what is valid, so the web form and the review page can never disagree about an answer.
Which field a question gets, how its posted value is read and how a stored value is put
back are each question type's own (survey.questionnaire.types); this module assembles them.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, FormField, SelectField, SelectMultipleField
from wtforms.fields.core import UnboundField

from survey.questionnaire import engine, types
from survey.questionnaire.model import Page, Question, Questionnaire
from survey.questionnaire.types.fields import NumberField as NumberField
from survey.questionnaire.types.fields import SelectChoice as SelectChoice
from survey.questionnaire.types.number import parse_number as parse_number

PRESENT = "_present"  # hidden marker: "this question was on the submitted page"


def _field(question: Question, lang: str) -> Field | None:
    """The question's own type knows which field it needs (None for a note)."""
    return types.of(question).field(question, lang)


_FORM_CLASSES: dict[tuple[str, str, str], type[FlaskForm]] = {}
_FORM_FIELDS: dict[tuple[str, str, str], dict[str, UnboundField]] = {}


def page_form_class(questionnaire: Questionnaire, page_name: str, lang: str) -> type[FlaskForm]:
    """One form class per questionnaire version, page and language, built once."""
    key = (questionnaire.hash or str(id(questionnaire)), page_name, lang)
    if key not in _FORM_CLASSES:
        page = questionnaire.page(page_name)
        fields = {q.name: f for q in page.questions if (f := _field(q, lang)) is not None}
        _FORM_FIELDS[key] = fields
        _FORM_CLASSES[key] = type(f"Page_{page_name}", (FlaskForm,), fields)
    return _FORM_CLASSES[key]


def stored_to_form_data(page: Page, answers: dict[str, Any]) -> dict[str, Any]:
    """Stored values in the shape the WTForms fields expect."""
    data: dict[str, Any] = {}
    for question in page.questions:
        value = answers.get(question.name)
        if value is not None:
            data[question.name] = types.of(question).form_data(question, value)
    return data


def build_form(questionnaire: Questionnaire, page: Page, lang: str, answers: dict[str, Any],
               formdata: MultiDict | None = None) -> FlaskForm:
    form_class = page_form_class(questionnaire, page.name, lang)
    return form_class(formdata=formdata, data=stored_to_form_data(page, answers))


class Shown:
    """One field of a page opened to read: ``data`` as the page's WTForms field would hold
    it, and for a matrix each row's field (``shown[row].data``)."""

    __slots__ = ("data", "_rows")

    def __init__(self, data: Any, rows: dict[str, Shown] | None = None):
        self.data, self._rows = data, rows or {}

    def __getitem__(self, row: str) -> Shown:
        return self._rows[row]


def shown_values(questionnaire: Questionnaire, page: Page, lang: str,
                 answers: dict[str, Any]) -> dict[str, Shown]:
    """What ``build_form`` without posted data holds, field by field, without building the
    form: a page view only reads each field's data, and the form (its fields bound, its CSRF
    field signed) was a tenth of the view's time. tests/test_save_path_form_data.py holds
    it to the form's own data for every question type."""
    form_class = page_form_class(questionnaire, page.name, lang)
    fields = _FORM_FIELDS.get((questionnaire.hash or str(id(questionnaire)), page.name, lang))
    if fields is None:  # the class was built by someone else's call before this module
        fields = {name: value for name, value in vars(form_class).items()
                  if isinstance(value, UnboundField)}
    data = stored_to_form_data(page, answers)
    return {name: _shown(unbound, data.get(name)) for name, unbound in fields.items()}


def _shown(unbound: UnboundField, value: Any) -> Shown:
    """The field's ``process_data`` (WTForms 3), for the field classes the types use."""
    field_class = unbound.field_class
    if issubclass(field_class, FormField):
        row_fields = {name: field for name, field in vars(unbound.args[0]).items()
                      if isinstance(field, UnboundField)}
        row_values = value if isinstance(value, dict) else {}
        rows = {name: _shown(field, row_values.get(name)) for name, field in row_fields.items()}
        return Shown({name: row.data for name, row in rows.items()}, rows)
    coerce = unbound.kwargs.get("coerce", str)
    try:
        if issubclass(field_class, SelectMultipleField):
            return Shown(list(coerce(item) for item in value))
        if issubclass(field_class, SelectField):
            return Shown(coerce(value) if value is not None else None)
    except (ValueError, TypeError):
        return Shown(None)
    return Shown(value)


def submitted_values(page: Page, formdata: MultiDict) -> tuple[dict[str, Any], dict[str, str]]:
    """Turn the posted page into answer values, and collect parse errors (Swedish/English
    messages are chosen later). Questions whose marker is missing were not on the submitted
    page (tampered or stale form): they are left out, so their stored answers stay."""
    present = set(formdata.getlist(PRESENT))
    values: dict[str, Any] = {}
    parse_errors: dict[str, str] = {}
    for question in page.questions:
        if not question.stores_answer or question.name not in present:
            continue
        name = question.name
        try:
            values[name] = _parse(question, formdata)
        except ValueError as error:
            parse_errors[name] = str(error)
    return values, parse_errors


def _parse(question: Question, formdata: MultiDict) -> Any:
    return types.of(question).parse(question, formdata)


def page_errors(questionnaire: Questionnaire, page: Page, values: dict[str, Any],
                parse_errors: dict[str, str], answers: dict[str, Any], lang: str,
                round_opens: str | None = None) -> dict[str, str]:
    """Problems with what was typed on this page (required is only enforced at submit);
    ``round_opens`` refuses a date about now from before the round opened."""
    errors = {name: engine.message(key, lang) for name, key in parse_errors.items()}
    merged = {**answers, **values}
    visible = engine.without_hidden(questionnaire, merged)
    for question in page.questions:
        if question.name in errors or question.name not in values:
            continue
        problem = engine.check_value(question, values[question.name], visible, lang,
                                     round_opens)
        if problem:
            errors[question.name] = problem
    return errors
