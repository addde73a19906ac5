"""The municipality's flow through real HTTP handling and a real SQLite file."""

from __future__ import annotations

import json
import random
import re

import pytest
from werkzeug.datastructures import MultiDict

from survey import create_app, store
from survey.questionnaire import engine
from survey.services import demo
from tests.conftest import HALMSTAD, KARLSKRONA, LAHOLM, csrf_token
from tests.formdata import page_post

ROUND = "2020-09"
BASE = f"/svar/{ROUND}/{HALMSTAD}"


@pytest.fixture
def questionnaire(db):
    return store.round_questionnaire(db, store.get_round(db, ROUND))


@pytest.fixture
def halmstad(client, links):
    response = client.get(links.url(ROUND, HALMSTAD))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{BASE}/")
    return client


def complete_answers(questionnaire, seed=1):
    rng = random.Random(seed)
    pool = demo.TextPool(rng)
    municipality = {"code": HALMSTAD, "name": "Halmstads kommun", "name_short": "Halmstad"}
    return demo.generate_answers(questionnaire, rng, pool, municipality, ROUND)


def stored(db, code=HALMSTAD, round_id=ROUND):
    response = store.get_response(db, round_id, code)
    return store.answers(db, response["id"]) if response else {}


def test_link_grants_only_its_own_response(client, links):
    assert client.get(f"{BASE}/").status_code == 403  # no link opened yet
    client.get(links.url(ROUND, HALMSTAD))
    assert client.get(f"{BASE}/").status_code == 200
    assert client.get(f"/svar/{ROUND}/{LAHOLM}/").status_code == 403
    assert client.get(f"/svar/{ROUND}/{KARLSKRONA}/sida/respondent").status_code == 403
    assert client.get("/s/not-a-real-token").status_code == 404


def test_revoked_link_ends_access(halmstad, db):
    assert halmstad.get(f"{BASE}/").status_code == 200
    assert store.revoke_invitations(db, ROUND, HALMSTAD) == 1
    assert halmstad.get(f"{BASE}/").status_code == 403


def test_fill_in_leave_resume_and_submit(app, links, halmstad, questionnaire, db):
    answers = complete_answers(questionnaire)
    pages = questionnaire.pages
    half = len(pages) // 2
    for page in pages[:half]:
        response = halmstad.post(f"{BASE}/sida/{page.name}", data=page_post(page, answers))
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert store.get_response(db, ROUND, HALMSTAD)["last_page"] == pages[half - 1].name

    colleague = app.test_client()  # another browser, same link: resumes the draft
    colleague.get(links.url(ROUND, HALMSTAD))
    start = colleague.get(f"{BASE}/").get_data(as_text=True)
    assert "Fortsätt där ni slutade" in start
    resumed = colleague.post(f"{BASE}/", data={"actor_name": "Kollega"})
    assert resumed.headers["Location"].endswith(f"/sida/{pages[half - 1].name}")
    page_html = colleague.get(f"{BASE}/sida/respondent").get_data(as_text=True)
    assert answers["respondent_name"] in page_html
    for page in pages[half:]:
        response = colleague.post(f"{BASE}/sida/{page.name}", data=page_post(page, answers))
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    review = colleague.get(f"{BASE}/granska")
    assert review.status_code == 200
    assert "Skicka in lägesbilden" in review.get_data(as_text=True)
    submitted = colleague.post(f"{BASE}/granska")
    assert submitted.status_code == 302 and submitted.headers["Location"].endswith("/kvitto")
    receipt = colleague.get(f"{BASE}/kvitto").get_data(as_text=True)
    assert "Kvitto" in receipt and answers["violence_risks"][:40] in receipt.replace("&#39;", "'")
    row = store.get_response(db, ROUND, HALMSTAD)
    assert row["status"] == store.SUBMITTED and row["submitted_by"] == "Kollega"
    assert stored(db) == answers
    # submitted: further saves are refused and change nothing
    page = pages[1]
    refused = colleague.post(f"{BASE}/sida/{page.name}", data=page_post(page, {}))
    assert refused.status_code == 409
    assert stored(db) == answers


def test_review_lists_missing_required_and_refuses_submit(halmstad, db):
    halmstad.post(f"{BASE}/sida/other", data=MultiDict([("_present", "other_comments"),
                                              ("other_comments", "Bara detta"),
                                              ("action", "save")]))
    response = halmstad.post(f"{BASE}/granska")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Lägesbilden kan inte skickas in ännu" in html
    assert "Om lägesbilden och dig som svarar – Ditt namn: Frågan måste besvaras." in html \
        and "/sida/respondent#f-respondent_name\"" in html
    assert store.get_response(db, ROUND, HALMSTAD)["status"] == store.DRAFT


def test_hidden_question_is_cleared_and_history_kept(halmstad, questionnaire, db):
    page = questionnaire.page("assessment")
    risk = {row.name: "low" for row in page.questions[0].rows}
    high = {**risk, "violence": "high"}
    halmstad.post(f"{BASE}/sida/assessment", data=page_post(page, {"risk_level": high}))
    violence = questionnaire.page("area_violence")
    halmstad.post(f"{BASE}/sida/area_violence",
                  data=page_post(violence, {"violence_high_reason": "Fler larm till jouren"}))
    assert stored(db)["violence_high_reason"] == "Fler larm till jouren"
    # lowering the risk hides the follow-up question: its answer is no longer stored ...
    revision = store.get_response(db, ROUND, HALMSTAD)["revision"]
    halmstad.post(f"{BASE}/sida/assessment",
                  data=page_post(page, {"risk_level": risk}, revision=revision))
    assert "violence_high_reason" not in stored(db)
    # ... but its history keeps what was typed
    response_id = store.get_response(db, ROUND, HALMSTAD)["id"]
    history = store.history(db, response_id, "violence_high_reason")
    assert [h["new_value"] for h in history] == ["Fler larm till jouren", None]
    assert history[1]["old_value"] == "Fler larm till jouren"


def test_every_save_keeps_the_previous_value(halmstad, db):
    for revision, text in enumerate(("Första", "Andra", "Tredje")):
        halmstad.post(f"{BASE}/sida/other", data=MultiDict([
            ("_present", "other_comments"), ("other_comments", text), ("action", "save"),
            ("_revision", str(revision))]))
    response_id = store.get_response(db, ROUND, HALMSTAD)["id"]
    history = store.history(db, response_id, "other_comments")
    assert [(h["old_value"], h["new_value"]) for h in history] == [
        (None, "Första"), ("Första", "Andra"), ("Andra", "Tredje")]


def test_overlong_text_is_refused_and_nothing_is_lost(halmstad, db):
    halmstad.post(f"{BASE}/sida/other", data=MultiDict([("_present", "other_comments"),
                                              ("other_comments", "Sparat"), ("action", "save")]))
    too_long = "å" * 5001
    response = halmstad.post(f"{BASE}/sida/other", data=MultiDict([
        ("_present", "other_comments"), ("other_comments", too_long), ("action", "next")]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "5\u00a0001 tecken" in html and too_long in html  # the typed text comes back
    assert stored(db)["other_comments"] == "Sparat"


def test_invalid_option_and_tampered_fields_change_nothing(halmstad, questionnaire, db):
    page = questionnaire.page("assessment")
    good = {"risk_level": {r.name: "low" for r in page.questions[0].rows}}
    halmstad.post(f"{BASE}/sida/assessment", data=page_post(page, good))
    bad = page_post(page, {"risk_level": {"violence": "catastrophic"}})
    response = halmstad.post(f"{BASE}/sida/assessment", data=bad)
    assert response.status_code == 422
    assert "Välj ett av alternativen." in response.get_data(as_text=True)
    # a post without the page's markers (tampered or stale) keeps every stored answer
    response = halmstad.post(f"{BASE}/sida/assessment", data={"action": "next"})
    assert response.status_code == 302
    assert stored(db)["risk_level"] == good["risk_level"]


def test_unknown_page_and_round_are_404(halmstad):
    assert halmstad.get(f"{BASE}/sida/nope").status_code == 404
    assert halmstad.get(f"/svar/1999/{HALMSTAD}/").status_code == 404


def test_closed_round_is_read_only(client, links, db):
    client.get(links.url("2020-06", HALMSTAD))
    page = client.get(f"/svar/2020-06/{HALMSTAD}/sida/other")
    assert page.status_code == 200
    assert "Omgången är stängd" in page.get_data(as_text=True)
    refused = client.post(f"/svar/2020-06/{HALMSTAD}/sida/other", data=MultiDict([
        ("_present", "other_comments"), ("other_comments", "sent"), ("action", "save")]))
    assert refused.status_code == 409
    assert stored(db, round_id="2020-06") == {}


def test_reopened_response_is_editable_after_closing(client, links, db):
    response = store.ensure_response(db, "2020-06", HALMSTAD, "test")
    store.set_status(db, response["id"], store.SUBMITTED, "test")
    store.set_status(db, response["id"], store.REOPENED, "coordinator")
    client.get(links.url("2020-06", HALMSTAD))
    saved = client.post(f"/svar/2020-06/{HALMSTAD}/sida/other", data=MultiDict([
        ("_present", "other_comments"), ("other_comments", "Rättat"), ("action", "save")]))
    assert saved.status_code == 302
    assert stored(db, round_id="2020-06")["other_comments"] == "Rättat"


def test_concurrent_saves_keep_both_values(app, links, db):
    first, second = app.test_client(), app.test_client()
    for browser in (first, second):
        browser.get(links.url(ROUND, HALMSTAD))
    first.post(f"{BASE}/sida/other", data=MultiDict([("_present", "other_comments"),
                                          ("other_comments", "Start"), ("action", "save")]))
    revision = store.get_response(db, ROUND, HALMSTAD)["revision"]
    post = [("_present", "other_comments"), ("action", "save"), ("_revision", str(revision))]
    assert first.post(f"{BASE}/sida/other",
                      data=MultiDict(post + [("other_comments", "Annas text")])).status_code == 302
    clash = second.post(f"{BASE}/sida/other",
                        data=MultiDict(post + [("other_comments", "Bos text")]))
    assert clash.status_code == 409
    html = clash.get_data(as_text=True)
    assert "Annas text" in html and "Bos text" in html
    assert stored(db)["other_comments"] == "Annas text"
    response_id = store.get_response(db, ROUND, HALMSTAD)["id"]
    kinds = [(h["kind"], h["new_value"]) for h in store.history(db, response_id,
                                                                 "other_comments")]
    assert ("conflict", "Bos text") in kinds and ("change", "Annas text") in kinds


def test_follow_up_offers_previous_answers(client, links, db):
    previous = store.ensure_response(db, "2020-06", HALMSTAD, "juni")
    store.save_answers(db, previous["id"], {"respondent_name": "Juni Person",
                                            "other_comments": "Från juni"}, None, "juni")
    client.get(links.url(ROUND, HALMSTAD))
    start = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Utgå från våra svar i förra omgången" in start
    page = client.get(f"{BASE}/sida/other").get_data(as_text=True)
    assert "Ert svar i förra omgången" in page and "Från juni" in page
    client.post(f"{BASE}/", data={"prefill": "previous"})
    assert stored(db)["respondent_name"] == "Juni Person"


def test_swedish_and_english_ui(halmstad):
    assert "Spara och fortsätt" in halmstad.get(f"{BASE}/sida/respondent").get_data(as_text=True)
    english = halmstad.get(f"{BASE}/sida/respondent?lang=en").get_data(as_text=True)
    assert 'lang="en"' in english and "Save and continue" in english


def test_csrf_missing_or_wrong_gives_swedish_400(db_path, tmp_path, links):
    app = create_app({"TESTING": True, "DB": str(db_path), "SECRET_KEY": "x"})
    client = app.test_client()
    client.get(links.url(ROUND, HALMSTAD))
    page = client.get(f"{BASE}/sida/other").get_data(as_text=True)
    token = csrf_token(page)
    data = [("_present", "other_comments"), ("other_comments", "Med token"), ("action", "save")]
    missing = client.post(f"{BASE}/sida/other", data=MultiDict(data))
    assert missing.status_code == 400
    assert "säkerhetskod (CSRF)" in missing.get_data(as_text=True)
    wrong = client.post(f"{BASE}/sida/other", data=MultiDict(data + [("csrf_token", "forged")]))
    assert wrong.status_code == 400
    database = store.connect(db_path)
    assert store.get_response(database, ROUND, HALMSTAD) is None
    ok = client.post(f"{BASE}/sida/other", data=MultiDict(data + [("csrf_token", token)]))
    assert ok.status_code == 302
    assert store.answers(database, store.get_response(database, ROUND, HALMSTAD)["id"]) == {
        "other_comments": "Med token"}


def test_non_utf8_body_is_refused(halmstad, db):
    response = halmstad.post(f"{BASE}/sida/other", data=b"_present=other_comments&"
                             b"other_comments=%FF%FEbad&action=save",
                             content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)
    assert store.get_response(db, ROUND, HALMSTAD) is None


def test_security_headers_and_no_stack_traces(halmstad, db_path):
    response = halmstad.get(f"{BASE}/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    session_cookie = [c for c in response.headers.getlist("Set-Cookie")
                      if c.startswith("session=")][0]
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie

    app = create_app({"TESTING": True, "DB": str(db_path), "SECRET_KEY": "x"})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    crashed = app.test_client().get("/boom")
    assert crashed.status_code == 500
    assert "secret internals" not in crashed.get_data(as_text=True)
    assert "Ett oväntat fel inträffade" in crashed.get_data(as_text=True)


def test_html_in_answers_is_escaped(halmstad):
    halmstad.post(f"{BASE}/sida/other", data=MultiDict([
        ("_present", "other_comments"), ("other_comments", "<script>alert(1)</script>"),
        ("action", "save")]))
    html = halmstad.get(f"{BASE}/granska").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_section_links_save_before_jumping(halmstad, db):
    response = halmstad.post(f"{BASE}/sida/other", data=MultiDict([
        ("_present", "other_comments"), ("other_comments", "Inte förlorat"),
        ("action", "goto:area_children")]))
    assert response.headers["Location"].endswith(f"{BASE}/sida/area_children")
    assert stored(db)["other_comments"] == "Inte förlorat"
    to_review = halmstad.post(f"{BASE}/sida/other", data=MultiDict([("action", "review")]))
    assert to_review.headers["Location"].endswith(f"{BASE}/granska")


def test_home_page_links_to_the_coordinators_login(client, links):
    html = client.get("/").get_data(as_text=True)
    assert "Logga in som samordnare" in html
    client.get(links.url(ROUND, HALMSTAD))
    assert f"{BASE}/" in client.get("/").get_data(as_text=True)  # the opened link is listed


# Regressions from the independent review ---------------------------------------------------


def test_answers_embedded_as_json_cannot_close_the_script_tag(halmstad):
    evil = '</script><meta http-equiv="refresh" content="0;url=https://evil.example/">'
    # good_examples is read by a relevance rule, so other pages carry it for the browser
    halmstad.post(f"{BASE}/sida/good_examples", data=MultiDict([
        ("_present", "good_examples"), ("good_examples", evil), ("action", "save")]))
    html = halmstad.get(f"{BASE}/sida/assessment").get_data(as_text=True)
    assert "<meta http-equiv" not in html
    assert "\\u003c/script\\u003e" in html


def test_pages_carry_only_the_answers_relevance_rules_read(halmstad, questionnaire):
    """The browser mirrors relevance and needs no other answer; free text typed on one page
    is not repeated in every other page."""
    halmstad.post(f"{BASE}/sida/respondent", data=MultiDict([
        ("_present", "respondent_name"), ("respondent_name", "Anna Andersson"),
        ("action", "save")]))
    halmstad.post(f"{BASE}/sida/good_examples", data=MultiDict([
        ("_present", "good_examples"), ("good_examples", "Läxhjälp på biblioteket"),
        ("action", "save")]))
    html = halmstad.get(f"{BASE}/sida/assessment").get_data(as_text=True)
    embedded = json.loads(re.search(
        r'<script type="application/json" id="lagesbild-answers">(.*?)</script>', html,
        re.S).group(1))
    assert embedded == {"good_examples": "Läxhjälp på biblioteket"}
    assert "Anna Andersson" not in html
    assert set(embedded) <= set(engine.relevance_inputs(questionnaire))


def test_conflict_never_clears_answers_that_depend_on_the_losing_value(app, links, db,
                                                                      questionnaire):
    page = questionnaire.page("assessment")
    rows = [r.name for r in page.questions[0].rows]
    high = {row: "medium" for row in rows} | {"violence": "high"}
    first, second = app.test_client(), app.test_client()
    for browser in (first, second):
        browser.get(links.url(ROUND, HALMSTAD))
    first.post(f"{BASE}/sida/assessment", data=page_post(page, {"risk_level": high}))
    first.post(f"{BASE}/sida/area_violence", data=page_post(
        questionnaire.page("area_violence"), {"violence_high_reason": "Viktig motivering"}))
    base = store.get_response(db, ROUND, HALMSTAD)["revision"]
    first.post(f"{BASE}/sida/assessment", data=page_post(
        page, {"risk_level": high | {"children": "low"}}, revision=base))
    low = high | {"violence": "low"}
    clash = second.post(f"{BASE}/sida/assessment", data=page_post(page, {"risk_level": low},
                                                                  revision=base))
    assert clash.status_code == 409
    assert stored(db)["risk_level"]["violence"] == "high"
    assert stored(db)["violence_high_reason"] == "Viktig motivering"


def test_head_request_writes_nothing(halmstad, db):
    assert halmstad.head(f"{BASE}/sida/assessment").status_code == 200
    assert store.get_response(db, ROUND, HALMSTAD) is None


def test_submission_racing_a_save_shows_the_typed_text(halmstad, db, monkeypatch):
    response = store.ensure_response(db, ROUND, HALMSTAD, "test")
    original = store.save_answers

    def colleague_submits_first(database, response_id, *args, **kwargs):
        store.set_status(database, response_id, store.SUBMITTED, "Kollega")
        return original(database, response_id, *args, **kwargs)

    monkeypatch.setattr(store, "save_answers", colleague_submits_first)
    result = halmstad.post(f"{BASE}/sida/other", data=MultiDict([
        ("_present", "other_comments"), ("other_comments", "Min text"), ("action", "save")]))
    assert result.status_code == 409
    assert "Min text" in result.get_data(as_text=True)
    assert store.answers(db, response["id"]) == {}


def test_absurd_numbers_and_odd_dates_are_refused(halmstad, db):
    for digits in ("9" * 5000, "1" + "0" * 400 + ".5"):
        result = halmstad.post(f"{BASE}/sida/area_unemployment", data=MultiDict([
            ("_present", "summer_jobs_offered"), ("summer_jobs_offered", digits),
            ("action", "save")]))
        assert result.status_code == 422
        assert "Skriv ett tal" in result.get_data(as_text=True)
    for odd in ("20200101", "2020-W01-1"):
        result = halmstad.post(f"{BASE}/sida/other", data=MultiDict([
            ("_present", "report_date"), ("report_date", odd), ("action", "save")]))
        assert result.status_code == 422
    assert store.get_response(db, ROUND, HALMSTAD) is None


def test_non_utf8_multipart_is_refused(halmstad, db):
    boundary = "XyZ"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"_present\"\r\n\r\n"
            f"other_comments\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f"name=\"other_comments\"\r\n\r\n").encode() + b"ab\xffcd" + \
        f"\r\n--{boundary}--\r\n".encode()
    result = halmstad.post(f"{BASE}/sida/other", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert result.status_code == 400
    assert store.get_response(db, ROUND, HALMSTAD) is None


def test_https_base_url_makes_cookies_secure(db_path, tmp_path):
    app = create_app({"DB": str(db_path), "SECRET_KEY": "x", "BASE_URL": "https://lb.example"},
                     instance_path=str(tmp_path / "i"))
    assert app.config["SESSION_COOKIE_SECURE"] is True
