"""The review workspace: bands and thresholds, decisions with undo, bulk accept, blind double
coding, the queue's filters, county limits on every route, the JSON and plain-form flows, the
agreement command and retraining.

World (tests/accounts_fixtures.py): round 2020-06 has submitted responses from Halmstad (A),
Varberg (B) and Hylte (E) in county 13 and Karlshamn (C) in county 10; `seed_codes` codes
their free-text answers by a fixed recipe, so nothing here depends on how the auto-coder
happens to score a text.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from survey import store
from survey.store import Reviewer
from survey.web import i18n
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import USERS, A, C, make_app, user_client

ROUND = "2020-06"
HANS = Reviewer(1, "Hans Halland (halland@lansstyrelsen.test)")
NINA = Reviewer(2, "Nina Nationell (nationell@lansstyrelsen.test)")


# ---------------------------------------------------------------- the recipe


def coded_questions(db, round_id: str = ROUND) -> dict[str, str]:
    questionnaire = store.round_questionnaire(db, store.get_round(db, round_id))
    return questionnaire.coded_questions


def seed_codes(db, round_id: str = ROUND) -> int:
    """Code every reviewable free-text answer by a fixed recipe: the codebook's first theme
    on the first sentence (score 0.9), the second on the whole answer (score 0.5), and on
    answers about risks the third theme as a negated mention. Returns the number of
    answers."""
    from coding import load_codebook

    count = 0
    for response_id, question, codebook, text in store.iter_free_text(
            db, round_id, coded_questions(db, round_id)):
        if store.answer_context(db, response_id)["status"] != store.SUBMITTED:
            continue
        themes = load_codebook(codebook).theme_ids
        first_end = text.find(".") + 1 or len(text)
        codes = [
            {"code": themes[0], "score": 0.9, "negated": False, "source": "rule+model",
             "start": 0, "end": first_end, "evidence": text[:first_end]},
            {"code": themes[1], "score": 0.5, "negated": False, "source": "model",
             "start": 0, "end": len(text), "evidence": text},
        ]
        if question.endswith("_risks"):
            codes.append({"code": themes[2], "score": 0.8, "negated": True, "source": "rule",
                          "start": 0, "end": first_end, "evidence": text[:first_end]})
        store.store_codes(db, response_id, question, codebook, codes, "test-model-1")
        count += 1
    return count


@pytest.fixture
def rdb(accounts_db):
    seed_codes(accounts_db)
    return accounts_db


def answer_of(db, municipality: str, question: str = "violence_risks") -> tuple[int, str]:
    response = store.get_response(db, ROUND, municipality)
    return response["id"], question


def codes_of(db, municipality: str, question: str = "violence_risks") -> dict[str, dict]:
    response_id, question = answer_of(db, municipality, question)
    return {c["code"]: c for c in store.codes_for_answer(db, response_id, question)}


def dump(db) -> str:
    return "\n".join(line for line in db.conn.iterdump()
                     if "login_attempts" not in line and "'login','user'" not in line)


# ---------------------------------------------------------------- storage


def test_upgrade_from_the_first_codes_schema_keeps_decisions(tmp_path):
    import sqlite_utils

    from survey import store

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    store.accounts_migrations.apply(old)
    store.migrations.apply(old)
    store.codes_migrations.apply(old, stop_before="c002_review")
    store.load_organisations(old)
    old.execute("INSERT INTO questionnaire_versions VALUES ('h', 'q', '1', 'src', 'now')")
    old.execute("INSERT INTO rounds (id, title, questionnaire_hash, opens_on, closes_on, "
                "created_at) VALUES ('r', 'R', 'h', '2020-06-01', '2020-07-03', 'n')")
    old.execute("INSERT INTO responses (id, round_id, municipality_code, status, revision, "
                "created_at, updated_at) VALUES (1, 'r', '1380', 'submitted', 1, 'n', 'n')")
    for code_id, status in ((1, "to_review"), (2, "accepted")):
        old.execute("INSERT INTO codes (id, response_id, question, codebook, code, score, "
                    "source, status, created_at) VALUES (?, 1, 'q', 'risks', ?, 0.7, 'rule', "
                    "?, 'n')", [code_id, f"theme{code_id}", status])
    old.execute("INSERT INTO code_decisions (code_id, action, before_status, after_status, "
                "user, at) VALUES (2, 'accept', 'auto_accepted', 'accepted', 'anna', 'n')")
    old.conn.commit()
    old.conn.close()

    db = store.connect(path)
    assert "c002_review" in store.migrate(db)
    rows = {r["id"]: r for r in db.query("SELECT * FROM codes")}
    assert rows[1]["auto_status"] == "to_review"
    assert rows[2]["auto_status"] == "auto_accepted"  # the band before the decision
    assert rows[2]["status"] == "accepted"
    assert store.migrate(db) == []


def test_bands_follow_the_thresholds(rdb):
    band = store.Band(accept_at=0.85, reject_below=0.4)
    assert band.status(0.9, False) == store.AUTO_ACCEPTED
    assert band.status(0.85, False) == store.AUTO_ACCEPTED
    assert band.status(0.6, False) == store.TO_REVIEW
    assert band.status(0.39, False) == store.AUTO_REJECTED
    assert band.status(0.99, True) == store.AUTO_REJECTED  # negated: never suggested
    assert store.Band().status(0.99, False) == store.TO_REVIEW

    hylte = codes_of(rdb, "1315")
    store.decide(rdb, hylte["domestic_violence"]["id"], "reject", HANS)
    moved = store.set_threshold(rdb, "risks", "domestic_violence", 0.85, None, "test")
    codes = codes_of(rdb, A)
    assert codes["domestic_violence"]["status"] == store.AUTO_ACCEPTED
    assert codes["domestic_violence"]["auto_status"] == store.AUTO_ACCEPTED
    # a person's decision is never re-banded
    assert codes_of(rdb, "1315")["domestic_violence"]["status"] == store.REJECTED
    assert moved >= 2
    with pytest.raises(store.ReviewError):
        store.set_threshold(rdb, "risks", "domestic_violence", 0.5, 0.6, "test")
    # re-coding an answer uses the stored thresholds
    response_id, question = answer_of(rdb, "1383")
    store.store_codes(rdb, response_id, question, "risks", [
        {"code": "domestic_violence", "score": 0.95, "negated": False, "source": "rule",
         "start": 0, "end": 3}], "test-model-2")
    assert codes_of(rdb, "1383")["domestic_violence"]["status"] == store.AUTO_ACCEPTED
    audit = [r["action"] for r in rdb.query("SELECT action FROM audit_log")]
    assert "code_thresholds_changed" in audit


def test_recoding_keeps_decided_codes(rdb):
    codes = codes_of(rdb, A)
    store.decide(rdb, codes["domestic_violence"]["id"], "reject", HANS)
    response_id, question = answer_of(rdb, A)
    store.store_codes(rdb, response_id, question, "risks", [
        {"code": "domestic_violence", "score": 0.99, "negated": False, "source": "model",
         "start": 0, "end": 5},
        {"code": "isolation", "score": 0.7, "negated": False, "source": "model",
         "start": 0, "end": 5}], "test-model-2")
    after = codes_of(rdb, A)
    assert after["domestic_violence"]["status"] == store.REJECTED
    assert after["domestic_violence"]["model_version"] == "test-model-1"
    assert after["isolation"]["model_version"] == "test-model-2"
    assert "honour_violence" not in after  # the undecided suggestion was replaced


# ---------------------------------------------------------------- decisions and undo


def test_decisions_carry_user_time_and_model_version_and_reach_the_audit_log(rdb):
    code = codes_of(rdb, A)["domestic_violence"]
    store.decide(rdb, code["id"], "accept", HANS)
    decision = next(rdb.query("SELECT * FROM code_decisions WHERE code_id = ?", [code["id"]]))
    assert decision["user"] == HANS.name and decision["user_id"] == HANS.id
    assert decision["model_version"] == "test-model-1" and decision["at"]
    assert (decision["before_status"], decision["after_status"]) == ("to_review", "accepted")
    audit = next(rdb.query("SELECT * FROM audit_log WHERE action = 'code_accept'"))
    assert audit["actor"] == HANS.name and audit["municipality_code"] == A
    assert audit["county_code"] == "13" and "test-model-1" in audit["after"]
    with pytest.raises(store.ReviewError):
        store.decide(rdb, code["id"], "accept", HANS)  # already decided


def test_undo_reverts_the_last_batch_of_that_person_only(rdb):
    codes = codes_of(rdb, A)
    dv, hv = codes["domestic_violence"], codes["honour_violence"]
    store.decide(rdb, dv["id"], "accept", HANS)
    store.decide(rdb, hv["id"], "reject", NINA)
    result = store.undo_last(rdb, ROUND, HANS)
    assert result.batch["kind"] == "accept" and result.answers == [answer_of(rdb, A)]
    codes = codes_of(rdb, A)
    assert codes["domestic_violence"]["status"] == store.TO_REVIEW
    assert codes["domestic_violence"]["decided_by"] is None
    assert codes["honour_violence"]["status"] == store.REJECTED  # Nina's stays
    assert store.undo_last(rdb, ROUND, HANS) is None  # nothing left for Hans
    actions = [r["action"] for r in rdb.query(
        "SELECT action FROM code_decisions WHERE code_id = ? ORDER BY id", [dv["id"]])]
    assert actions == ["accept", "undo"]  # the history keeps both


def test_undo_leaves_a_code_someone_decided_on_again(rdb):
    code = codes_of(rdb, A)["domestic_violence"]
    store.decide(rdb, code["id"], "accept", HANS)
    store.decide(rdb, code["id"], "reject", NINA)
    result = store.undo_last(rdb, ROUND, HANS)
    assert result.skipped == 1
    assert codes_of(rdb, A)["domestic_violence"]["status"] == store.REJECTED


def test_done_needs_every_suggestion_decided_and_confirms_the_bands(rdb):
    store.set_threshold(rdb, "risks", "domestic_violence", 0.85, None, "test")
    response_id, question = answer_of(rdb, A)
    with pytest.raises(store.PendingSuggestions):
        store.mark_done(rdb, response_id, question, "risks", HANS)
    store.decide(rdb, codes_of(rdb, A)["honour_violence"]["id"], "reject", HANS)
    store.mark_done(rdb, response_id, question, "risks", HANS)
    codes = codes_of(rdb, A)
    assert codes["domestic_violence"]["status"] == store.ACCEPTED  # auto-accepted, confirmed
    assert codes["substance_abuse"]["status"] == store.REJECTED  # negated, confirmed
    assert store.is_done(rdb, response_id, question)["user"] == HANS.name
    with pytest.raises(store.ReviewError):
        store.mark_done(rdb, response_id, question, "risks", HANS)
    store.undo_last(rdb, ROUND, HANS)  # undoing 'done' reopens the answer
    codes = codes_of(rdb, A)
    assert codes["domestic_violence"]["status"] == store.AUTO_ACCEPTED
    assert codes["honour_violence"]["status"] == store.REJECTED
    assert store.is_done(rdb, response_id, question) is None


def test_add_a_theme_on_a_span_or_a_quote(rdb):
    response_id, question = answer_of(rdb, A)
    text = store.answer_text(rdb, response_id, question)
    code_id, _ = store.add_code(rdb, response_id, question, "risks", "isolation", HANS,
                                    start=2, end=12)
    added = codes_of(rdb, A)["isolation"]
    assert added["id"] == code_id and added["status"] == store.ADDED
    assert (added["start"], added["end"]) == (2, 12) and added["source"] == "human"
    assert added["evidence"] == " ".join(text[2:12].split())
    # a quote without offsets is found in the text
    quote = text[20:35].strip()  # a quote as a person marks it: whole words, no edge spaces
    store.add_code(rdb, response_id, question, "risks", "public_safety", HANS,
                       quote=quote)
    safety = codes_of(rdb, A)["public_safety"]
    assert text[safety["start"]:safety["end"]] == quote
    with pytest.raises(store.ReviewError):
        store.add_code(rdb, response_id, question, "risks", "economic_hardship", HANS,
                           quote="finns inte i svaret alls")
    with pytest.raises(store.ReviewError):
        store.add_code(rdb, response_id, question, "risks", "isolation", HANS)
    # adding a theme the coder suggested accepts it, on the person's span; undo restores
    store.add_code(rdb, response_id, question, "risks", "honour_violence", HANS,
                       start=0, end=4)
    hv = codes_of(rdb, A)["honour_violence"]
    assert (hv["status"], hv["start"], hv["end"]) == (store.ACCEPTED, 0, 4)
    store.undo_last(rdb, ROUND, HANS)
    hv = codes_of(rdb, A)["honour_violence"]
    assert (hv["status"], hv["start"], hv["end"]) == (store.TO_REVIEW, 0, len(text))
    # removing an added theme withdraws it; undoing the addition does too
    store.decide(rdb, codes_of(rdb, A)["isolation"]["id"], "remove", HANS)
    assert codes_of(rdb, A)["isolation"]["status"] == store.REMOVED


def test_bulk_accept_within_filter_and_county_and_one_undo(rdb):
    questions = coded_questions(rdb)
    flt = store.QueueFilter(theme="domestic_violence")
    _batch, count = store.bulk_accept(rdb, ROUND, questions, "13", flt, 0.85, HANS)
    accepted = [c for c in store.codes_for_round(rdb, ROUND)
                if c["status"] == store.ACCEPTED]
    assert count == len(accepted) > 0
    assert {c["code"] for c in accepted} == {"domestic_violence"}
    assert {c["county_code"] for c in accepted} == {"13"}
    karlshamn = [c for c in store.codes_for_round(rdb, ROUND, "10")]
    assert all(c["status"] == store.TO_REVIEW for c in karlshamn if not c["negated"])
    store.undo_last(rdb, ROUND, HANS)
    assert not [c for c in store.codes_for_round(rdb, ROUND)
                if c["status"] == store.ACCEPTED]


def test_blind_second_coder_neither_sees_nor_changes_the_first(coord_app, rdb):
    from coding import load_codebook
    from survey.web.review.cards import build_card

    response_id, question = answer_of(rdb, A)
    codes = codes_of(rdb, A)
    store.decide(rdb, codes["domestic_violence"]["id"], "reject", HANS)
    store.decide(rdb, codes["honour_violence"]["id"], "accept", HANS)
    store.add_code(rdb, response_id, question, "risks", "isolation", HANS)
    answer = {"response_id": response_id, "question": question, "municipality_name": "H",
              "text": store.answer_text(rdb, response_id, question)}

    def card(mode: str, user_id: int) -> dict:
        with coord_app.test_request_context():
            return build_card(rdb, answer, "Fråga", load_codebook("risks"), mode, user_id)
    shown = {c["theme"]: c["status"] for c in card(store.BLIND, NINA.id)["codes"]}
    assert shown == {"domestic_violence": "to_review", "honour_violence": "to_review",
                     "substance_abuse": "auto_rejected"}  # no trace of Hans' decisions
    store.blind_decide(rdb, response_id, question, "risks", "domestic_violence", True, NINA)
    store.blind_decide(rdb, response_id, question, "risks", "honour_violence", False, NINA)
    store.blind_decide(rdb, response_id, question, "risks", "public_safety", True, NINA,
                           start=0, end=5)
    store.blind_done(rdb, response_id, question, "risks", NINA)
    codes = codes_of(rdb, A)
    assert codes["domestic_violence"]["status"] == store.REJECTED  # Hans' decision stands
    assert "public_safety" not in codes
    labels = store.blind_labels(rdb, response_id, question, NINA.id)
    assert {t: r["present"] for t, r in labels.items()} == {
        "domestic_violence": 1, "honour_violence": 0, "public_safety": 1,
        "substance_abuse": 0}
    primary = card(store.PRIMARY, HANS.id)
    assert "public_safety" not in {c["theme"] for c in primary["codes"]}  # nor the other way
    # the primary coder cannot be their own second coder
    with pytest.raises(store.ReviewError):
        store.blind_decide(rdb, response_id, question, "risks", "isolation", True, HANS)
    questions = coded_questions(rdb)
    hans_queue, _ = store.queue(rdb, ROUND, questions, "13", mode=store.BLIND,
                                   user_id=HANS.id, limit=None)
    assert (response_id, question) not in {(r["response_id"], r["question"])
                                           for r in hans_queue}


# ---------------------------------------------------------------- the queue


def test_queue_filters_and_county(rdb):
    questions = coded_questions(rdb)
    everything, total = store.queue(rdb, ROUND, questions, None, limit=None)
    assert total == len(everything) > 10
    halland, _ = store.queue(rdb, ROUND, questions, "13", limit=None)
    assert {r["county_code"] for r in halland} == {"13"}
    assert {r["municipality_code"] for r in everything} == {A, "1383", "1315", C}
    only_a, _ = store.queue(rdb, ROUND, questions, None,
                               store.QueueFilter(municipality=A), limit=None)
    assert {r["municipality_code"] for r in only_a} == {A}
    one_question, _ = store.queue(rdb, ROUND, questions, None,
                                     store.QueueFilter(question="violence_risks"),
                                     limit=None)
    assert {r["question"] for r in one_question} == {"violence_risks"}
    negated, _ = store.queue(rdb, ROUND, questions, None,
                                store.QueueFilter(band=store.AUTO_REJECTED), limit=None)
    assert 0 < len(negated) < total
    response_id, question = answer_of(rdb, A)
    store.decide(rdb, codes_of(rdb, A)["domestic_violence"]["id"], "accept", HANS)
    store.decide(rdb, codes_of(rdb, A)["honour_violence"]["id"], "reject", HANS)
    store.mark_done(rdb, response_id, question, "risks", HANS)
    for status, expected in (("accepted", 1), ("rejected", 1), ("reviewed", 1),
                             ("unreviewed", total - 1)):
        rows, count = store.queue(rdb, ROUND, questions, None,
                                     store.QueueFilter(status=status), limit=None)
        assert count == expected, status  # answers, not codes
    themed, _ = store.queue(rdb, ROUND, questions, None, store.QueueFilter(
        theme="domestic_violence", status="accepted"), limit=None)
    assert [(r["response_id"], r["question"]) for r in themed] == [(response_id, question)]
    page, count = store.queue(rdb, ROUND, questions, None, limit=5, offset=5)
    assert len(page) == 5 and count == total
    assert page == everything[5:10]


def test_drafts_are_not_reviewed(rdb):
    questions = coded_questions(rdb, "2020-09")
    rows, _ = store.queue(rdb, "2020-09", questions, None, limit=None)
    assert {r["municipality_code"] for r in rows} == {"1383"}  # the one submitted response


def test_verified_examples_use_partial_and_complete_labels(rdb):
    from coding import load_codebook

    themes = load_codebook("risks").theme_ids
    assert store.verified_examples(rdb, "risks", themes) == []
    response_id, question = answer_of(rdb, A)
    store.decide(rdb, codes_of(rdb, A)["domestic_violence"]["id"], "accept", HANS)
    partial = store.verified_examples(rdb, "risks", themes)
    assert [cats for _text, cats in partial] == [{"domestic_violence": 1.0}]
    store.decide(rdb, codes_of(rdb, A)["honour_violence"]["id"], "reject", HANS)
    store.mark_done(rdb, response_id, question, "risks", HANS)
    (text, cats), = store.verified_examples(rdb, "risks", themes)
    assert text == store.answer_text(rdb, response_id, question)
    assert cats == {theme: float(theme == "domestic_violence") for theme in themes}


# ---------------------------------------------------------------- the web: who sees what


def login(app, who: str):
    return user_client(app, who)


def first_code(db, municipality: str) -> dict:
    return codes_of(db, municipality)["domestic_violence"]


def test_county_coordinator_neither_sees_nor_decides_on_another_county(coord_app, rdb):
    halland = login(coord_app, "coord13")
    queue = halland.get(f"/granskning/{ROUND}/svar?status=").get_data(as_text=True)
    assert "Halmstads kommun" in queue and "Karlshamns kommun" not in queue
    c_id, c_question = answer_of(rdb, C)
    c_code = first_code(rdb, C)
    before = dump(rdb)
    refused = {
        "answer page": halland.get(f"/granskning/{ROUND}/svar/{c_id}/{c_question}"),
        "decide": halland.post(f"/granskning/{ROUND}/kod/{c_code['id']}",
                               data={"action": "accept"}),
        "decide (fetch)": halland.post(f"/granskning/{ROUND}/kod/{c_code['id']}",
                                       data={"action": "reject"},
                                       headers={"X-Requested-With": "fetch"}),
        "add": halland.post(f"/granskning/{ROUND}/svar/{c_id}/{c_question}/tema",
                            data={"theme": "isolation"}),
        "done": halland.post(f"/granskning/{ROUND}/svar/{c_id}/{c_question}/klar"),
        "blind": halland.post(f"/granskning/{ROUND}/blind/{c_id}/{c_question}",
                              data={"theme": "isolation", "action": "accept"}),
        "blind done": halland.post(f"/granskning/{ROUND}/blind/{c_id}/{c_question}/klar"),
        "other county's queue": halland.get(f"/granskning/{ROUND}/svar?lan=10"),
        "other county's municipality": halland.get(f"/granskning/{ROUND}/svar?kommun={C}"),
        "other county's export": halland.get(f"/granskning/{ROUND}/export.csv?lan=10"),
    }
    assert {name: r.status_code for name, r in refused.items()} == dict.fromkeys(refused, 403)
    assert dump(rdb) == before
    # what Halland may export holds only Halland
    export = halland.get(f"/granskning/{ROUND}/export.csv").get_data(as_text=True)
    assert f",{A}," in export and f",{C}," not in export
    assert halland.get(f"/granskning/{ROUND}/export.qdpx").status_code == 200
    # bulk accept from Halland never reaches Blekinge
    assert halland.post(f"/granskning/{ROUND}/godta-alla",
                        data={"min_score": "0"}).status_code == 303
    assert all(c["status"] != store.ACCEPTED for c in store.codes_for_round(rdb, ROUND,
                                                                                   "10"))


def test_the_other_county_coordinator_is_held_the_same_way(coord_app, rdb):
    blekinge = login(coord_app, "coord10")
    a_id, a_question = answer_of(rdb, A)
    assert blekinge.get(f"/granskning/{ROUND}/svar/{a_id}/{a_question}").status_code == 403
    assert blekinge.post(f"/granskning/{ROUND}/kod/{first_code(rdb, A)['id']}",
                         data={"action": "accept"}).status_code == 403
    page = blekinge.get(f"/granskning/{ROUND}/svar?status=").get_data(as_text=True)
    assert "Karlshamns kommun" in page and "Halmstads kommun" not in page
    c_id, c_question = answer_of(rdb, C)
    assert blekinge.get(f"/granskning/{ROUND}/svar/{c_id}/{c_question}").status_code == 200


def test_national_coordinator_sees_all_and_may_narrow(coord_app, rdb):
    national = login(coord_app, "national")
    page = national.get(f"/granskning/{ROUND}/svar?status=").get_data(as_text=True)
    assert "Halmstads kommun" in page and "Karlshamns kommun" in page
    narrowed = national.get(f"/granskning/{ROUND}/svar?status=&lan=10").get_data(as_text=True)
    assert "Karlshamns kommun" in narrowed and "Halmstads kommun" not in narrowed
    assert national.post(f"/granskning/{ROUND}/kod/{first_code(rdb, C)['id']}",
                         data={"action": "accept"}).status_code == 303


def test_nobody_and_municipalities_are_sent_to_the_login(coord_app, rdb, world):
    from tests.accounts_fixtures import municipality_client

    for client in (coord_app.test_client(), municipality_client(coord_app, world, A)):
        for method, url in (("GET", f"/granskning/{ROUND}/svar"),
                            ("POST", f"/granskning/{ROUND}/kod/{first_code(rdb, A)['id']}")):
            response = client.open(url, method=method, data={"action": "accept"})
            assert response.status_code == 302 and "/samordna/logga-in" in response.location
    assert first_code(rdb, A)["status"] == store.TO_REVIEW


# ---------------------------------------------------------------- the web: decisions


def test_plain_form_flow_redirects_back_with_a_message(coord_app, rdb):
    halland = login(coord_app, "coord13")
    code = first_code(rdb, A)
    back = f"/granskning/{ROUND}/svar?kommun={A}"
    response = halland.post(f"/granskning/{ROUND}/kod/{code['id']}",
                            data={"action": "accept", "next": back})
    assert response.status_code == 303
    assert response.location == f"{back}#a-{code['response_id']}-violence_risks"
    page = halland.get(back).get_data(as_text=True)
    assert "Godtog Våld i nära relationer." in page
    assert first_code(rdb, A)["status"] == store.ACCEPTED
    # never back to another site
    response = halland.post(f"/granskning/{ROUND}/angra", data={"next": "https://evil.test/"})
    assert response.location.startswith(f"/granskning/{ROUND}/svar")
    assert first_code(rdb, A)["status"] == store.TO_REVIEW
    # marking done with suggestions left is refused, with the reason
    response_id, question = answer_of(rdb, A)
    response = halland.post(f"/granskning/{ROUND}/svar/{response_id}/{question}/klar",
                            data={"next": back})
    assert response.status_code == 303
    assert "förslag väntar på beslut" in halland.get(back).get_data(as_text=True)


def test_fetch_flow_returns_the_new_card_and_progress(coord_app, rdb):
    halland = login(coord_app, "coord13")
    code = first_code(rdb, A)
    headers = {"X-Requested-With": "fetch"}
    reply = halland.post(f"/granskning/{ROUND}/kod/{code['id']}", data={"action": "reject"},
                         headers=headers).get_json()
    dom_id = f"a-{code['response_id']}-violence_risks"
    assert reply["ok"] and list(reply["cards"]) == [dom_id]
    assert "Avvisat" in reply["cards"][dom_id] and reply["message"].startswith("Avvisade")
    assert reply["progress"]["decisions"] == 1
    response_id, question = answer_of(rdb, A)
    refused = halland.post(f"/granskning/{ROUND}/svar/{response_id}/{question}/klar",
                           headers=headers)
    assert refused.status_code == 409 and not refused.get_json()["ok"]
    added = halland.post(f"/granskning/{ROUND}/svar/{response_id}/{question}/tema",
                         data={"theme": "isolation", "start": "0", "end": "5"},
                         headers=headers).get_json()
    assert added["ok"] and "[Isolering]" in added["cards"][dom_id]
    assert halland.post(f"/granskning/{ROUND}/svar/{response_id}/{question}/tema",
                        data={"theme": "no_such_theme"}, headers=headers).status_code == 422
    undone = halland.post(f"/granskning/{ROUND}/angra", headers=headers).get_json()
    assert undone["ok"] and "tillägg" in undone["message"]
    assert "isolation" not in {c["code"] for c in store.codes_for_answer(
        rdb, response_id, question) if c["status"] != store.REMOVED}


def test_bulk_accept_and_its_undo_in_the_browser_reload_the_page(coord_app, rdb):
    halland = login(coord_app, "coord13")
    headers = {"X-Requested-With": "fetch"}
    reply = halland.post(f"/granskning/{ROUND}/godta-alla", data={"min_score": "0,4"},
                         headers=headers).get_json()
    accepted = sum(1 for c in store.codes_for_round(rdb, ROUND)
                   if c["status"] == store.ACCEPTED)
    assert reply["reload"] and reply["message"] == f"Godtog {accepted} förslag."
    assert accepted > 25
    assert halland.post(f"/granskning/{ROUND}/godta-alla", data={"min_score": "hög"},
                        headers=headers).status_code == 422
    undone = halland.post(f"/granskning/{ROUND}/angra", data={"mode": "primary"},
                          headers=headers).get_json()
    assert undone["reload"] and "godtagande av många förslag" in undone["message"]
    assert not [c for c in store.codes_for_round(rdb, ROUND)
                if c["status"] == store.ACCEPTED]
    # a blind queue's undo does not reach the primary review's decisions
    store.decide(rdb, first_code(rdb, A)["id"], "accept", store.Reviewer(
        next(rdb.query("SELECT id FROM users WHERE role = 'county_coordinator' AND "
                       "county_code = '13'"))["id"], "Hans"))
    refused = halland.post(f"/granskning/{ROUND}/angra", data={"mode": "blind"},
                           headers=headers)
    assert refused.status_code == 409
    assert first_code(rdb, A)["status"] == store.ACCEPTED


def test_evidence_is_marked_with_text_not_colour_alone(coord_app, rdb):
    halland = login(coord_app, "coord13")
    response_id, question = answer_of(rdb, A)
    page = halland.get(f"/granskning/{ROUND}/svar/{response_id}/{question}").get_data(
        as_text=True)
    text = store.answer_text(rdb, response_id, question)
    first = text[:text.find(".") + 1]
    assert re.search(r'<mark class="ev" data-o="0">' + re.escape(first[:20]), page) or \
        '<mark class="ev" data-o="0">' in page
    assert "[Våld i nära relationer]" in page  # the theme named in brackets after its span
    assert "nämns som frånvarande" in page  # a negated mention says so in words
    # the pieces put together are exactly the answer (offsets for text selection)
    pieces = re.findall(r'data-o="(\d+)">([^<]*)<', page)
    import html

    assert "".join(html.unescape(p) for _o, p in pieces) == text


def test_overview_counts_match_the_database(coord_app, rdb):
    halland = login(coord_app, "coord13")
    code = first_code(rdb, A)
    halland.post(f"/granskning/{ROUND}/kod/{code['id']}", data={"action": "accept"})
    page = halland.get(f"/granskning/{ROUND}/").get_data(as_text=True)
    summary = store.review_summary(rdb, ROUND, coded_questions(rdb), "13")

    def number(element_id: str) -> int:
        return int(re.search(rf'id="{element_id}">(\d+)<', page).group(1))
    assert number("count-accepted") == summary["codes"]["accepted"] == 1
    assert number("count-to_review") == summary["codes"]["to_review"]
    assert number("count-decisions") == 1
    assert number("count-answers") == summary["answers"]
    assert number("count-domestic_violence-accepted") == 1


def test_theme_names_follow_the_chosen_language(coord_app, rdb):
    """Under ?lang=en the overview and the cards name themes and questions in English; the
    Swedish page is unchanged."""
    halland = login(coord_app, "coord13")
    swedish = halland.get(f"/granskning/{ROUND}/").get_data(as_text=True)
    assert "Våld i nära relationer" in swedish
    english = halland.get(f"/granskning/{ROUND}/?lang=en").get_data(as_text=True)
    assert "Domestic violence" in english and "Våld i nära relationer" not in english
    a_id, a_question = answer_of(rdb, A)
    card = halland.get(f"/granskning/{ROUND}/svar/{a_id}/{a_question}").get_data(as_text=True)
    assert "Domestic violence" in card and "Våld i nära relationer" not in card


def test_thresholds_only_for_those_who_see_all(coord_app, rdb):
    form = {"accept_at-risks-domestic_violence": "0,85",
            "reject_below-risks-domestic_violence": ""}
    halland = login(coord_app, "coord13")
    assert halland.get(f"/granskning/{ROUND}/troskelvarden").status_code == 200
    assert halland.post(f"/granskning/{ROUND}/troskelvarden", data=form).status_code == 403
    national = login(coord_app, "national")
    bad = national.post(f"/granskning/{ROUND}/troskelvarden",
                        data={"accept_at-risks-domestic_violence": "1,5"})
    assert bad.status_code == 422 and "mellan 0 och 1" in bad.get_data(as_text=True)
    response = national.post(f"/granskning/{ROUND}/troskelvarden", data=form)
    assert response.status_code == 303
    assert store.thresholds(rdb, "risks")["domestic_violence"] == store.Band(0.85, None)
    assert first_code(rdb, A)["status"] == store.AUTO_ACCEPTED
    assert "bytte band" in national.get(response.location).get_data(as_text=True)


def test_agreement_page_and_command(coord_app, rdb, world):
    response_id, question = answer_of(rdb, A)
    codes = codes_of(rdb, A)
    store.decide(rdb, codes["domestic_violence"]["id"], "accept", HANS)
    store.decide(rdb, codes["honour_violence"]["id"], "reject", HANS)
    store.mark_done(rdb, response_id, question, "risks", HANS)
    page = login(coord_app, "coord13").get(f"/granskning/{ROUND}/overensstammelse")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="judged-risks">1<' in text

    from survey.cli.review import agreement

    result = CliRunner().invoke(agreement, ["--round", ROUND, "--county", "13", "--db",
                                            str(world.path)])
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.output.splitlines() if ln.startswith("domestic_violence"))
    assert line.split()[1] == "1"  # one judged answer
    assert "[risks] 1 answers judged" in result.output
    bad = CliRunner().invoke(agreement, ["--round", "nope", "--db", str(world.path)])
    assert bad.exit_code == 1 and "unknown round" in bad.output


def test_templates_have_no_inline_scripts_or_styles():
    from pathlib import Path

    for path in (Path(__file__).parent.parent / "survey" / "templates" / "review").glob("*"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\sstyle\s*=", text), path
        assert not re.search(r"<script(?![^>]*\ssrc=)", text), path
        assert not re.search(r"\son[a-z]+\s*=", text), path


def test_every_review_form_needs_a_csrf_token(world, rdb):
    from tests.accounts_fixtures import PASSWORD

    app = make_app(world, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    login_page = client.get("/samordna/logga-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    assert client.post("/samordna/logga-in", data={
        "email": USERS["national"][0], "password": PASSWORD, "csrf_token": token}
    ).status_code == 302
    before = dump(rdb)
    response_id, question = answer_of(rdb, A)
    values = {"round_id": ROUND, "code_id": first_code(rdb, A)["id"],
              "response_id": response_id, "question": question}
    posts = [rule for rule in app.url_map.iter_rules()
             if "POST" in rule.methods and rule.endpoint.startswith("review.")]
    assert len(posts) >= 9
    for rule in posts:
        url = rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]
        refused = client.post(url, data={"action": "accept", "theme": "isolation",
                                         "min_score": "0", "codebook": "risks"})
        assert refused.status_code == 400, url
    assert dump(rdb) == before


# ---------------------------------------------------------------- retraining


@pytest.fixture
def trained_decisions(rdb):
    """A complete, consistent primary review of every answer in 2020-06 by the corpus
    labels the demo texts came with (what a careful coordinator would decide)."""
    import json
    from pathlib import Path

    gold = {}
    for path in (Path(__file__).parent.parent / "coding" / "corpus").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                gold[row["text"]] = set(row["labels"])
    rows, _ = store.queue(rdb, ROUND, coded_questions(rdb), None, limit=None)
    for row in rows:
        labels = gold.get(row["text"], set())
        for code in store.codes_for_answer(rdb, row["response_id"], row["question"]):
            if code["status"] in store.MACHINE_STATUSES:
                store.decide(rdb, code["id"], "accept" if code["code"] in labels
                                 else "reject", NINA)
        present = {c["code"] for c in store.codes_for_answer(
            rdb, row["response_id"], row["question"]) if c["status"] in ("accepted", "added")}
        for theme in sorted(labels - present):
            store.add_code(rdb, row["response_id"], row["question"], row["codebook"],
                               theme, NINA)
        store.mark_done(rdb, row["response_id"], row["question"], row["codebook"], NINA)
    return rdb


def test_retrain_shows_before_and_after_and_keeps_only_a_model_not_worse(
        coord_app, trained_decisions, tmp_path):
    from pathlib import Path

    from survey.services import retrain

    halland = login(coord_app, "coord13")
    assert halland.post(f"/granskning/{ROUND}/traning",
                        data={"codebook": "risks"}).status_code == 403
    national = login(coord_app, "national")
    response = national.post(f"/granskning/{ROUND}/traning", data={"codebook": "risks"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-2000:]
    before = float(re.search(r'id="macro-before">([\d.]+)<', page).group(1))
    after = float(re.search(r'id="macro-after">([\d.]+)<', page).group(1))
    pointer = Path(coord_app.instance_path) / "models" / "risks" / "current"
    if after >= before:
        assert "används nu" in page and pointer.is_file()
        version = pointer.read_text().strip()
        assert f'id="model-risks">{version}<' in page
    else:
        assert "gamla modellen behålls" in page and not pointer.exists()
    audit = next(trained_decisions.query(
        "SELECT * FROM audit_log WHERE action = 'model_retrained'"))
    assert audit["actor"].startswith("Nina Nationell")
    # the F1 row headers are catalogue text with their explanation, in either language
    assert ">Makro-F1</abbr>" in page and ">Mikro-F1</abbr>" in page
    assert 'title="Makro-F1 är medelvärdet av F1 per tema' in page
    job_id = re.search(r"jobb=([0-9a-f]+)", page).group(1)
    english = national.get(f"/granskning/{ROUND}/traning?jobb={job_id}&lang=en")
    english_page = english.get_data(as_text=True)
    assert 'id="macro-after"' in english_page, english_page[-2000:]
    assert ">Macro-F1</abbr>" in english_page and ">Micro-F1</abbr>" in english_page
    assert "Makro-F1" not in english_page
    national.get(f"/granskning/{ROUND}/traning?lang=sv")
    # the rule itself, on evaluations with known numbers
    scores = retrain.BinaryScores

    def evaluation(tp: int, fp: int, fn: int) -> retrain.Evaluation:
        return retrain.Evaluation(10, {"a": scores(tp, fp, fn, 10 - tp - fp - fn)})
    assert retrain.not_worse(evaluation(4, 1, 1), evaluation(4, 1, 1))  # equal is not worse
    assert retrain.not_worse(evaluation(4, 1, 1), evaluation(5, 0, 0))
    assert not retrain.not_worse(evaluation(5, 0, 0), evaluation(4, 1, 1))


def test_both_retraining_texts_give_the_same_time_estimate():
    """The page's introduction and the job's text disagreed (half a minute, tens of seconds)."""
    def message(lang: str, domain: str, key: str) -> str:
        return next(m.string for m in i18n.read_po_file(i18n.po_path(lang, domain)) if m.id == key)
    for domain, key in (("review", "retrain_intro"), ("jobs", "retrain_job_text")):
        assert "10–30 sekunder" in message("sv", domain, key)
        assert "10–30 seconds" in message("en", domain, key)


def test_retrain_needs_enough_reviewed_answers(coord_app, rdb):
    national = login(coord_app, "national")
    response = national.post(f"/granskning/{ROUND}/traning", data={"codebook": "risks"})
    assert response.status_code == 409
    assert "granskade svar behövs" in response.get_data(as_text=True)


def test_a_better_model_replaces_a_worse_one(trained_decisions, tmp_path):
    """A deliberately bad model in use (trained on shuffled labels) is replaced by one
    trained on the coordinators' decisions, and the coder then uses the new version."""
    import random

    from coding import clear_cache, get_coder
    from coding.classifier import save_model
    from coding.training import TrainingExample, corpus_examples, train
    from survey.services import retrain

    rng = random.Random(1)
    corpus = corpus_examples("risks", ("train",))
    shuffled_cats = [e.cats for e in corpus]
    rng.shuffle(shuffled_cats)
    bad = [TrainingExample(e.text, cats, "corpus") for e, cats in zip(corpus, shuffled_cats,
                                                                        strict=True)]
    nlp, info = train("risks", bad, seed=1, epochs=3)
    models = tmp_path / "models"
    save_model(nlp, info, models / "risks", version="bad-model")
    clear_cache()
    result = retrain.retrain(trained_decisions, "risks", models)
    assert result.old_version == "bad-model"
    assert result.after.macro_f1 > result.before.macro_f1
    assert result.replaced and result.new_version
    assert (models / "risks" / "current").read_text().strip() == result.new_version
    assert get_coder("risks", models / "risks").model_version == result.new_version


# ---------------------------------------------------------------- every route, every visitor

ROLES = ("A", "B", "coord13", "coord10", "nobody", "national", "admin")
LOGIN = "login"


def review_route_table(db) -> dict[tuple[str, str], tuple[dict, dict, dict, dict]]:
    """(endpoint, method) -> (expected status per visitor, URL values, query, form), in the
    format of tests/test_roles.py's ROUTES, for a world whose 2020-06 answers went through
    `seed_codes`. URLs point at Halmstad's (county 13) violence_risks answer."""
    response_id, question = answer_of(db, A)
    code_id = first_code(db, A)["id"]
    answer = {"round_id": ROUND, "response_id": response_id, "question": question}

    def expect(coord13, coord10, national=None, admin=None) -> dict:
        national = coord13 if national is None else national
        return {"A": LOGIN, "B": LOGIN, "nobody": LOGIN, "coord13": coord13,
                "coord10": coord10, "national": national,
                "admin": national if admin is None else admin}
    page = expect(200, 200)
    own_answer = expect(200, 403)
    own_action = expect(303, 403)
    see_all_action = expect(403, 403, 303)
    return {
        ("review.index", "GET"): (page, {}, {}, {}),
        ("review.overview", "GET"): (page, {"round_id": ROUND}, {}, {}),
        ("review.queue", "GET"): (page, {"round_id": ROUND}, {}, {}),
        ("review.blind_queue", "GET"): (page, {"round_id": ROUND}, {}, {}),
        ("review.answer", "GET"): (own_answer, answer, {}, {}),
        ("review.decide", "POST"): (own_action, {"round_id": ROUND, "code_id": code_id}, {},
                                    {"action": "accept"}),
        ("review.add", "POST"): (own_action, answer, {}, {"theme": "isolation"}),
        # suggestions are left, so 'done' is refused with a message (and a redirect back)
        ("review.done", "POST"): (own_action, answer, {}, {}),
        ("review.blind_decide", "POST"): (own_action, answer, {},
                                          {"theme": "isolation", "action": "accept"}),
        ("review.blind_done", "POST"): (own_action, answer, {}, {}),
        # each coordinator undoes and bulk-accepts only their own, in their own county
        ("review.undo", "POST"): (expect(303, 303), {"round_id": ROUND}, {}, {}),
        ("review.bulk", "POST"): (expect(303, 303), {"round_id": ROUND}, {},
                                  {"min_score": "0.95"}),
        ("review.thresholds", "GET"): (page, {"round_id": ROUND}, {}, {}),
        ("review.thresholds", "POST"): (see_all_action, {"round_id": ROUND}, {},
                                        {"accept_at-risks-domestic_violence": "0.95"}),
        ("review.agreement", "GET"): (page, {"round_id": ROUND}, {}, {}),
        ("review.retrain", "GET"): (page, {"round_id": ROUND}, {}, {}),
        # too few reviewed answers in the test world: refused before any training
        ("review.retrain", "POST"): (expect(403, 403, 409), {"round_id": ROUND}, {},
                                     {"codebook": "risks"}),
        ("review.export", "GET"): (page, {"round_id": ROUND, "fmt": "csv"}, {}, {}),
    }


def test_every_review_route_as_every_visitor(world, tmp_path):
    import os
    import shutil

    from flask import url_for

    from tests.accounts_fixtures import municipality_client

    database = store.connect(world.path)
    seed_codes(database)
    table = review_route_table(database)
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.conn.close()
    template = tmp_path / "seeded.db"
    shutil.copyfile(world.path, template)
    app = make_app(world)
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("review.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == set(table), "every review route needs an entry"
    failures = {}
    for (endpoint, method), (expected, values, query, form) in sorted(table.items()):
        with app.test_request_context():
            url = url_for(endpoint, **values, **query)
        for role in ROLES:
            for suffix in ("-wal", "-shm"):
                (world.path.parent / (world.path.name + suffix)).unlink(missing_ok=True)
            # a copy under a new inode: the app keeps a connection per thread and opens a new
            # one when its file was replaced (writing into the open file would corrupt it)
            fresh = world.path.with_name(world.path.name + ".fresh")
            shutil.copyfile(template, fresh)
            os.replace(fresh, world.path)
            client = (municipality_client(app, world, A) if role == "A" else
                      municipality_client(app, world, "1383") if role == "B" else
                      app.test_client() if role == "nobody" else user_client(app, role))
            db = store.connect(world.path)
            before = dump(db)
            response = client.open(url, method=method, data=form or None)
            want = expected[role]
            ok = (response.status_code == 302 and "/samordna/logga-in" in response.location
                  if want == LOGIN else response.status_code == want)
            if want in (403, LOGIN) and dump(db) != before:
                ok = False
            db.conn.close()
            if not ok:
                failures[(endpoint, method, role)] = (response.status_code, want)
    assert failures == {}
