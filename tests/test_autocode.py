"""Submitting a response auto-codes its free-text answers; coding failures never block it."""

from __future__ import annotations

from survey import store
from tests.conftest import HALMSTAD
from tests.formdata import page_post
from tests.test_respond import BASE, ROUND, complete_answers


def submit(client, questionnaire, answers) -> None:
    for page in questionnaire.pages:
        assert client.post(f"{BASE}/sida/{page.name}",
                           data=page_post(page, answers)).status_code == 302
    assert client.post(f"{BASE}/granska").status_code == 302


def test_submit_codes_free_text_with_evidence(client, links, db):

    questionnaire = store.round_questionnaire(db, store.get_round(db, ROUND))
    answers = complete_answers(questionnaire)
    answers["violence_risks"] = ("Fler kvinnor söker sig till kvinnojouren. Vi ser inga "
                                 "tecken på ökat spelmissbruk.")
    client.get(links.url(ROUND, HALMSTAD))
    submit(client, questionnaire, answers)
    response_id = store.get_response(db, ROUND, HALMSTAD)["id"]
    codes = store.codes_for_answer(db, response_id, "violence_risks")
    by_code = {c["code"]: c for c in codes}
    assert by_code["domestic_violence"]["negated"] == 0
    assert by_code["substance_abuse"]["negated"] == 1
    # the direction of change is stored with every code (#10)
    assert by_code["domestic_violence"]["direction"] == "increase"
    assert by_code["substance_abuse"]["direction"] == "denied"
    text = answers["violence_risks"]
    evidence = by_code["domestic_violence"]
    assert text[evidence["start"]:evidence["end"]].startswith("Fler kvinnor")
    assert evidence["model_version"]  # which model proposed it is recorded
    assert evidence["status"] in (store.AUTO_ACCEPTED, store.TO_REVIEW)
    coded = {c["question"] for c in store.codes_for_round(db, ROUND)}
    assert "violence_risks" in coded and len(coded) >= 6
    assert all(questionnaire.question(q).code_with for q in coded)


def test_coding_failure_does_not_block_submission(app, client, links, db, monkeypatch):
    from survey.services import autocode

    def broken(*_args, **_kwargs):
        raise RuntimeError("model exploded")

    monkeypatch.setattr(autocode, "code_response", broken)
    questionnaire = store.round_questionnaire(db, store.get_round(db, ROUND))
    client.get(links.url(ROUND, HALMSTAD))
    submit(client, questionnaire, complete_answers(questionnaire, seed=3))
    assert store.get_response(db, ROUND, HALMSTAD)["status"] == store.SUBMITTED
    assert store.codes_for_round(db, ROUND) == []


def test_resubmitting_without_an_answer_drops_its_automatic_codes(client, links, db):

    questionnaire = store.round_questionnaire(db, store.get_round(db, ROUND))
    answers = complete_answers(questionnaire)
    answers["violence_risks"] = "Fler kvinnor söker sig till kvinnojouren."
    client.get(links.url(ROUND, HALMSTAD))
    submit(client, questionnaire, answers)
    response_id = store.get_response(db, ROUND, HALMSTAD)["id"]
    assert store.codes_for_answer(db, response_id, "violence_risks")
    store.set_status(db, response_id, store.REOPENED, "samordnare")
    page = questionnaire.page("area_violence")
    cleared = page_post(page, {**answers, "violence_risks": None},
                        revision=store.get_response(db, ROUND, HALMSTAD)["revision"])
    assert client.post(f"{BASE}/sida/area_violence", data=cleared).status_code == 302
    assert client.post(f"{BASE}/granska").status_code == 302
    assert store.codes_for_answer(db, response_id, "violence_risks") == []
