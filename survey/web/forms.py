"""WTForms forms built from the questionnaire model, one class per page.

WTForms parses the request and carries CSRF; the questionnaire rules (survey.engine) decide
what is valid, so the web form and the review page can never disagree about an answer.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    Field,
    Form,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from survey.questionnaire import engine
from survey.questionnaire.model import Page, Question, Questionnaire

try:  # WTForms 3.3 deprecates tuple choices
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    def SelectChoice(value: str, label: str):  # noqa: N802
        return (value, label)

PRESENT = "_present"  # hidden marker: "this question was on the submitted page"


class NumberField(StringField):
    """Accepts Swedish decimal commas and spaces as thousands separators."""


def _choices(question: Question, lang: str) -> list:
    return [SelectChoice(o.value, o.label.get(lang)) for o in question.options]


def _field(question: Question, lang: str) -> Field | None:
    label = question.label.get(lang)
    if question.type == "text":
        return StringField(label)
    if question.type == "textarea":
        return TextAreaField(label)
    if question.type == "number":
        return NumberField(label)
    if question.type == "date":
        return StringField(label)
    if question.type == "boolean":
        yes_no = [SelectChoice("y", "y"), SelectChoice("n", "n")]
        return RadioField(label, choices=yes_no, validate_choice=False)
    if question.type == "single" and question.appearance == "select":
        return SelectField(label, choices=[SelectChoice("", "")] + _choices(question, lang),
                           validate_choice=False)
    if question.type in ("single", "scale"):
        return RadioField(label, choices=_choices(question, lang), validate_choice=False)
    if question.type == "multiple":
        return SelectMultipleField(label, choices=_choices(question, lang),
                                   validate_choice=False)
    if question.type == "matrix":
        rows = {
            row.name: RadioField(row.label.get(lang), choices=_choices(question, lang),
                                 validate_choice=False)
            for row in question.rows
        }
        row_form = type(f"Matrix_{question.name}", (Form,), rows)
        return FormField(row_form, label=label, separator="-")
    return None  # note


_FORM_CLASSES: dict[tuple[str, str, str], type[FlaskForm]] = {}


def page_form_class(questionnaire: Questionnaire, page_name: str, lang: str) -> type[FlaskForm]:
    """One form class per questionnaire version, page and language, built once."""
    key = (questionnaire.hash or str(id(questionnaire)), page_name, lang)
    if key not in _FORM_CLASSES:
        page = questionnaire.page(page_name)
        fields = {q.name: f for q in page.questions if (f := _field(q, lang)) is not None}
        _FORM_CLASSES[key] = type(f"Page_{page_name}", (FlaskForm,), fields)
    return _FORM_CLASSES[key]


def stored_to_form_data(page: Page, answers: dict[str, Any]) -> dict[str, Any]:
    """Stored values in the shape the WTForms fields expect."""
    data: dict[str, Any] = {}
    for question in page.questions:
        value = answers.get(question.name)
        if value is None:
            continue
        if question.type == "boolean":
            data[question.name] = "y" if value else "n"
        elif question.type == "number":
            data[question.name] = str(value)
        elif question.type in ("single", "scale"):
            data[question.name] = str(value)
        else:
            data[question.name] = value
    return data


def build_form(questionnaire: Questionnaire, page: Page, lang: str, answers: dict[str, Any],
               formdata: MultiDict | None = None) -> FlaskForm:
    form_class = page_form_class(questionnaire, page.name, lang)
    return form_class(formdata=formdata, data=stored_to_form_data(page, answers))


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
    name = question.name
    if question.type in ("text", "textarea"):
        text = formdata.get(name, "").replace("\r\n", "\n").replace("\r", "\n")
        return text.strip() or None
    if question.type == "number":
        return parse_number(formdata.get(name, ""))
    if question.type == "date":
        return formdata.get(name, "").strip() or None
    if question.type == "boolean":
        raw = formdata.get(name)
        if raw in (None, ""):
            return None
        if raw not in ("y", "n"):
            raise ValueError("bad_choice")
        return raw == "y"
    if question.type in ("single", "scale"):
        raw = formdata.get(name, "").strip()
        if not raw:
            return None
        if question.type == "scale" and re.fullmatch(r"-?\d+", raw):
            return int(raw)
        return raw
    if question.type == "multiple":
        chosen = set(formdata.getlist(name))
        order = [o.value for o in question.options]
        unknown = chosen - set(order)
        if unknown:
            raise ValueError("bad_choice")
        return [value for value in order if value in chosen] or None
    if question.type == "matrix":
        cells = {row.name: formdata.get(f"{name}-{row.name}", "").strip()
                 for row in question.rows}
        extra = [k for k in formdata if k.startswith(f"{name}-")
                 and k[len(name) + 1:] not in cells]
        if extra:
            raise ValueError("bad_choice")
        return {row: value for row, value in cells.items() if value} or None
    return None


def parse_number(text: str) -> int | float | None:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    # at most 15 significant digits: what a float (JSON, SQLite, Excel) holds exactly
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned) or len(cleaned.lstrip("-0.")) > 16:
        raise ValueError("not_number")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("not_number") from None
    return int(number) if number == number.to_integral_value() else float(number)


def page_errors(questionnaire: Questionnaire, page: Page, values: dict[str, Any],
                parse_errors: dict[str, str], answers: dict[str, Any], lang: str
                ) -> dict[str, str]:
    """Problems with what was typed on this page (required is only enforced at submit)."""
    errors = {name: engine.message(key, lang) for name, key in parse_errors.items()}
    merged = {**answers, **values}
    visible = engine.without_hidden(questionnaire, merged)
    for question in page.questions:
        if question.name in errors or question.name not in values:
            continue
        problem = engine.check_value(question, values[question.name], visible, lang)
        if problem:
            errors[question.name] = problem
    return errors
