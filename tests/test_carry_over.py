"""A follow-up round that starts from the previous round's answers (#13): carried-over answers
are marked until their page is confirmed or they are edited, questions about now start empty,
and submit waits for every carried-over section."""

from __future__ import annotations

import random

import pytest

from survey import store
from survey.questionnaire import engine
from survey.questionnaire.loader import QuestionnaireError, loads
from survey.services import demo
from tests.conftest import HALMSTAD
from tests.formdata import page_post

ROUND, PREVIOUS = "2020-09", "2020-06"
BASE = f"/svar/{ROUND}/{HALMSTAD}"
NOW_QUESTIONS = {"report_date", "risk_change", "children_reports_change"}


@pytest.fixture
def questionnaire(db):
    return store.round_questionnaire(db, store.get_round(db, ROUND))


def june_answers(questionnaire, round_id=PREVIOUS):
    rng = random.Random(3)
    municipality = {"code": HALMSTAD, "name": "Halmstads kommun", "name_short": "Halmstad"}
    answers = demo.generate_answers(questionnaire, rng, demo.TextPool(rng), municipality,
                                    round_id)
    # the tests edit this answer: June has it whatever the demo's random texts leave out
    answers.setdefault("other_comments", "Inget mer att tillägga i juni.")
    return answers


@pytest.fixture
def june(db, questionnaire):
    answers = june_answers(questionnaire)
    previous = store.ensure_response(db, PREVIOUS, HALMSTAD, "juni")
    store.save_answers(db, previous["id"], answers, None, "juni")
    store.set_status(db, previous["id"], store.SUBMITTED, "juni")
    return answers


@pytest.fixture
def prefilled(client, links, june):
    client.get(links.url(ROUND, HALMSTAD))
    response = client.post(f"{BASE}/", data={"prefill": "previous", "actor_name": "Sara"})
    assert response.status_code == 302
    return client


def stored(db):
    return store.answers(db, store.get_response(db, ROUND, HALMSTAD)["id"])


def response_id(db):
    return store.get_response(db, ROUND, HALMSTAD)["id"]


# ---------------------------------------------------------------- questionnaire format


def test_carry_over_is_a_common_key_default_true(questionnaire):
    assert {q.name for q in questionnaire.questions if not q.carry_over} == NOW_QUESTIONS
    assert questionnaire.question("other_comments").carry_over is True


def test_carry_over_must_be_a_boolean_and_not_on_a_note():
    source = """
id: t
version: "1"
title: T
pages:
  - name: p
    title: P
    questions:
      - {name: a, type: text, label: A, carry_over: "no"}
      - {name: b, type: note, label: B, carry_over: false}
      - {name: c, type: date, label: C, carry_over: false}
"""
    with pytest.raises(QuestionnaireError) as error:
        loads(source, "t.yaml", codebooks=[])
    messages = [p.message for p in error.value.problems]
    assert any("carry_over must be true or false ('a')" in m for m in messages)
    assert any("carry_over does not apply to note" in m for m in messages)
    assert len(messages) == 2


def test_a_date_about_now_before_the_round_opened_is_refused(questionnaire):
    question = questionnaire.question("report_date")
    problem = engine.check_value(question, "2020-06-26", {}, "sv", round_opens="2020-09-01")
    assert problem == "Datumet kan inte vara tidigare än 2020-09-01, då omgången öppnade."
    assert engine.check_value(question, "2020-09-01", {}, "sv", round_opens="2020-09-01") is None
    # without the round's opening day (a questionnaire checked on its own) no such rule
    assert engine.check_value(question, "2020-06-26", {}, "sv") is None


# ---------------------------------------------------------------- store


def test_store_carries_confirms_and_edits(db, june):
    previous = store.get_response(db, PREVIOUS, HALMSTAD)
    response = store.ensure_response(db, ROUND, HALMSTAD, "Sara")
    store.save_answers(db, response["id"], {"other_comments": "Redan skrivet"}, None, "Sara")
    copied = store.carry_over_answers(
        db, response["id"], {"respondent_name": "Juni Person", "other_comments": "Juni"},
        previous["id"], "Sara")
    assert copied == ["respondent_name"]  # an answered question is never overwritten
    assert store.carried_over(db, response["id"]) == {"respondent_name": store.CARRIED}
    history = store.history(db, response["id"], "respondent_name")
    assert [(h["kind"], h["new_value"]) for h in history] == [("carried_over", "Juni Person")]

    assert store.confirm_carried(db, response["id"], ["respondent_name", "x"], "Sara") == [
        "respondent_name"]
    assert store.confirmed_unchanged(db, response["id"]) == ["respondent_name"]
    assert store.confirmed_unchanged_for_round(db, ROUND) == {HALMSTAD: ["respondent_name"]}

    store.save_answers(db, response["id"], {"respondent_name": "Sara Ny"}, None, "Sara")
    assert store.carried_over(db, response["id"]) == {"respondent_name": store.EDITED}
    assert store.confirmed_unchanged(db, response["id"]) == []


def test_saving_an_unchanged_value_does_not_confirm(db, june):
    previous = store.get_response(db, PREVIOUS, HALMSTAD)
    response = store.ensure_response(db, ROUND, HALMSTAD, "Sara")
    store.carry_over_answers(db, response["id"], {"other_comments": "Juni"}, previous["id"], "S")
    store.save_answers(db, response["id"], {"other_comments": "Juni"}, None, "Sara")
    assert store.unconfirmed(db, response["id"]) == {"other_comments"}


def test_the_migration_is_appended_and_named():
    names = [m.name for m in store.migrations._migrations]
    assert names[3] == "m004_carried_over"
    assert names[:3] == ["m001_initial", "m002_history_kind_and_last_page",
                         "m003_history_revision"]


# ---------------------------------------------------------------- web


def test_prefill_leaves_the_questions_about_now_empty(prefilled, db, june):
    answers = stored(db)
    assert NOW_QUESTIONS.isdisjoint(answers)
    expected = {k: v for k, v in june.items() if k not in NOW_QUESTIONS}
    assert answers == expected
    assert store.unconfirmed(db, response_id(db)) == set(expected)


def test_pages_mark_carried_answers_until_confirmed(prefilled, db, questionnaire):
    page = prefilled.get(f"{BASE}/sida/respondent").get_data(as_text=True)
    assert "Svar från förra omgången" in page
    assert page.count("Från förra omgången, inte bekräftat") >= 2
    assert 'value="confirm"' in page and "Bekräfta att svaren på sidan stämmer" in page

    data = page_post(questionnaire.page("respondent"), stored(db), action="confirm",
                     revision=store.get_response(db, ROUND, HALMSTAD)["revision"])
    response = prefilled.post(f"{BASE}/sida/respondent", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"{BASE}/sida/{questionnaire.pages[1].name}")
    page = prefilled.get(f"{BASE}/sida/respondent").get_data(as_text=True)
    assert "Från förra omgången, inte bekräftat" not in page and 'value="confirm"' not in page
    respondent = {q.name for q in questionnaire.page("respondent").questions}
    assert set(store.confirmed_unchanged(db, response_id(db))) == respondent & set(stored(db))


def test_editing_an_answer_confirms_it(prefilled, db, questionnaire):
    answers = {**stored(db), "other_comments": "Nytt i september"}
    data = page_post(questionnaire.page("other"), answers, action="save",
                     revision=store.get_response(db, ROUND, HALMSTAD)["revision"])
    assert prefilled.post(f"{BASE}/sida/other", data=data).status_code == 302
    assert store.carried_over(db, response_id(db))["other_comments"] == store.EDITED
    page = prefilled.get(f"{BASE}/sida/other").get_data(as_text=True)
    assert "Från förra omgången, inte bekräftat" not in page.split('id="q-other_comments"')[1]


def test_report_date_before_the_round_opened_is_refused_on_the_page(prefilled, db,
                                                                      questionnaire):
    data = page_post(questionnaire.page("other"), {**stored(db), "report_date": "2020-06-26"},
                     action="save")
    response = prefilled.post(f"{BASE}/sida/other", data=data)
    assert response.status_code == 422
    assert "Datumet kan inte vara tidigare än 2020-09-01, då omgången öppnade." in \
        response.get_data(as_text=True)
    assert "report_date" not in stored(db)


def test_submit_is_refused_until_every_carried_section_is_confirmed(prefilled, db,
                                                                    questionnaire):
    answers = stored(db)
    answers.update({k: v for k, v in june_answers(questionnaire, ROUND).items()
                    if k in NOW_QUESTIONS})
    revision = store.get_response(db, ROUND, HALMSTAD)["revision"]
    for page in questionnaire.pages:  # the questions about now, answered without confirming
        if any(q.name in NOW_QUESTIONS for q in page.questions):
            data = page_post(page, answers, action="save", revision=revision)
            assert prefilled.post(f"{BASE}/sida/{page.name}", data=data).status_code == 302
            revision = store.get_response(db, ROUND, HALMSTAD)["revision"]
    review = prefilled.get(f"{BASE}/granska").get_data(as_text=True)
    assert "Bekräfta förra omgångens svar innan ni skickar in" in review
    assert f'href="{BASE}/sida/respondent"' in review
    assert "Skicka in lägesbilden" not in review
    refused = prefilled.post(f"{BASE}/granska")
    assert refused.status_code == 422
    assert store.get_response(db, ROUND, HALMSTAD)["status"] == store.DRAFT

    for page in questionnaire.pages:
        data = page_post(page, stored(db), action="confirm", revision=revision)
        assert prefilled.post(f"{BASE}/sida/{page.name}", data=data).status_code == 302
        revision = store.get_response(db, ROUND, HALMSTAD)["revision"]
    review = prefilled.get(f"{BASE}/granska").get_data(as_text=True)
    assert "Bekräfta förra omgångens svar" not in review
    assert prefilled.post(f"{BASE}/granska").status_code == 302
    receipt = prefilled.get(f"{BASE}/kvitto").get_data(as_text=True)
    assert "Bekräftade utan ändring från förra omgången" in receipt
    assert 'data-question="other_comments"' in receipt
    assert 'data-question="report_date"' not in receipt
