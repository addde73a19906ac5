"""A page opened to read shows its values without a WTForms form (forms.shown_values): each
field's data must equal what the page's form would hold, for every question type and for
stored values of the wrong shape too."""

from __future__ import annotations

import random

import pytest

from survey.questionnaire import loader, types
from survey.web import forms
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def questionnaire():
    return loader.load(ROOT / "questionnaires" / "lagesbild-2020.yaml")


def _answer_sets(questionnaire):
    rng = random.Random(7)
    questions = [q for q in questionnaire.questions if q.stores_answer]
    yield {}
    for _ in range(3):
        yield {q.name: types.of(q).demo_value(q, rng) for q in questions}
    # stored values of another shape than the type writes (older versions, hand edits)
    yield {q.name: "x" for q in questions}
    yield {q.name: 7 for q in questions}
    yield {q.name: {"a": 1} for q in questions}
    yield {q.name: [1, "2"] for q in questions}


def _form_data(form, name):
    field = form[name]
    if hasattr(field, "form"):  # a matrix: its rows' fields
        return field.data, {row.short_name: row.data for row in field.form}
    return field.data, None


def _shown_data(shown, name, form):
    value = shown[name]
    if hasattr(form[name], "form"):
        return value.data, {row.short_name: value[row.short_name].data for row in form[name].form}
    return value.data, None


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_shown_values_equal_the_forms_data(app, questionnaire, lang):
    checked = 0
    with app.test_request_context("/"):
        for answers in _answer_sets(questionnaire):
            for page in questionnaire.pages:
                form = forms.build_form(questionnaire, page, lang, answers)
                shown = forms.shown_values(questionnaire, page, lang, answers)
                names = [field.short_name for field in form if field.short_name != "csrf_token"]
                assert sorted(shown) == sorted(names)
                for name in names:
                    assert _shown_data(shown, name, form) == _form_data(form, name), \
                        (page.name, name, answers.get(name))
                    checked += 1
    assert checked > 100
