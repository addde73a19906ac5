"""What a page view keeps between requests gives what working it out afresh would: relevance
in one pass, the per-version field lists, the catalogue per locale, the number formats."""

from __future__ import annotations

import itertools

from babel.numbers import format_decimal, format_percent
from flask_babel import force_locale

from survey.questionnaire import engine, loader
from survey.web import i18n
from survey.web.respond import fields
from tests.conftest import ROOT

# A chain of rules (c reads b, which reads a) written in the wrong order, plus a matrix cell.
CHAIN = """
id: chain
version: "1"
title: "Kedja"
pages:
  - name: one
    title: "Ett"
    questions:
      - {name: c, type: text, label: "C", relevant: "b = 'ja' or grid.r1 = '2'"}
      - {name: b, type: text, label: "B", relevant: "a = true"}
      - {name: a, type: boolean, label: "A"}
      - name: grid
        type: matrix
        label: "Rutnät"
        relevant: "not empty(a)"
        rows: [{name: r1, label: "R1"}]
        options: [{value: "1", label: "Ett"}, {value: "2", label: "Två"}]
"""


def test_one_pass_relevance_equals_passes_until_stable():
    questionnaire = loader.loads(CHAIN)
    plan = engine._plan(questionnaire)
    order = [q.name for q in plan.order]  # b and grid both read only a: either may be first
    assert sorted(order) == ["b", "c", "grid"] and order[-1] == "c"
    values = {"a": [None, True, False], "b": [None, "ja", "nej"],
              "grid": [None, {"r1": "2"}, {"r1": "1"}], "c": [None, "x"]}
    for combination in itertools.product(*values.values()):
        answers = {k: v for k, v in zip(values, combination, strict=True) if v is not None}
        expected = engine._relevant_by_passes(questionnaire, answers)
        assert engine._relevant_questions(questionnaire, plan, answers) == expected
        assert engine.relevant_questions(questionnaire, answers) == expected
    # b hidden (a is false) takes its "ja" with it: c is hidden too
    assert engine.relevant_questions(questionnaire, {"a": False, "b": "ja"}) == {"a", "grid"}


def test_field_lists_are_built_once_per_version_page_and_language(app):
    questionnaire = loader.load(ROOT / "questionnaires" / "lagesbild-2020.yaml")
    with app.test_request_context("/"):
        swedish = fields.page_view(questionnaire, "assessment", "sv")
        assert fields.page_view(questionnaire, "assessment", "sv") is swedish
        english = fields.page_view(questionnaire, "assessment", "en")
    page = questionnaire.page("assessment")
    assert [f.name for f in swedish.fields] == [q.name for q in page.questions]
    matrix = swedish.fields[0]
    assert matrix.control == "matrix" and matrix.rows[0].choices[0].id.endswith("-1")
    assert matrix.label == page.questions[0].label.get("sv")
    assert english.fields[0].label == page.questions[0].label.get("en")
    assert swedish.titles[1] == ("assessment", page.title.get("sv"))


def test_catalogue_follows_the_locale_and_forced_locale(app):
    with app.test_request_context("/?lang=en"):
        app.preprocess_request()
        assert i18n.t("save") == i18n.MESSAGES.text_in("en", "save")
        with force_locale("sv"):
            assert i18n.t("save") == i18n.MESSAGES.text_in("sv", "save")
        bound = i18n.MESSAGES.bound()
        assert bound("save") == i18n.MESSAGES.text_in("en", "save")
        assert i18n.MESSAGES.text_in("sv", "save") != i18n.MESSAGES.text_in("en", "save")


def test_number_formats_equal_babels(app, monkeypatch):
    for lang, locale in (("sv", "sv_SE"), ("en", "en_GB")):
        monkeypatch.setattr(i18n, "language", lambda lang=lang: lang)
        for value, digits in itertools.product((0, 7, 4000, 1234567, 0.94, 0.5795, -3), (0, 1, 2)):
            pattern = "#,##0" + ("." + "0" * digits if digits else "")
            assert i18n.number(value, digits) == format_decimal(value, pattern, locale=locale)
            sign = "\u00a0%" if lang == "sv" else "%"
            assert i18n.percent(value, digits) == format_percent(value, pattern + sign,
                                                                 locale=locale)
    assert i18n.number(None) == "–"
