"""The cheaper dashboard and access checks (#12) show what the full per-municipality rows
showed, and respondent pages skip the lookups they never needed."""

from __future__ import annotations

import re

from flask_login import user_accessed

from survey import store
from survey.store.dashboard import status_counts
from survey.web import access
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import (
    NEW_ROUND,
    OLD_ROUND,
    USERS,
    A,
    B,
    C,
    D,
    municipality_client,
    user_client,
)

UNINVITED = "1381"  # Laholm: a response but no link in the old round


def _vary(db) -> None:
    """Every case the rows count: reopened, revoked link, reminder, response without a link."""
    store.reopen(db, OLD_ROUND, A, "test", "fel siffra")
    store.revoke_invitation(db, NEW_ROUND, D, "test")
    store.record_reminder(db, NEW_ROUND, C, "c@kommun.test", "test", new_link=False)
    store.ensure_response(db, OLD_ROUND, UNINVITED, "test")


def test_counts_in_sql_are_the_counts_of_the_full_rows(coord_app, accounts_db):
    _vary(accounts_db)
    scopes = [None, "13", "10", "12"]
    for scope in scopes:
        summaries = {r["id"]: r for r in store.round_summaries(accounts_db, scope)}
        for round_id, summary in summaries.items():
            rows = store.status_rows(accounts_db, round_id, scope)
            assert status_counts(accounts_db, round_id, scope) == (
                store.counts(rows), store.county_summaries(rows))
            assert {k: summary[k] for k in ("invited", "counts", "rate")} == store.counts(rows)
    old = store.counts(store.status_rows(accounts_db, OLD_ROUND))
    assert old["invited"] == 6
    assert old["counts"] == {store.NOT_STARTED: 1, store.DRAFT: 1, store.SUBMITTED: 3,
                             store.REOPENED: 1}


def test_rows_keep_links_reminders_and_answers(coord_app, accounts_db):
    _vary(accounts_db)
    rows = {r["code"]: r for r in store.status_rows(accounts_db, NEW_ROUND)}
    assert rows[D]["active_links"] == 0 and rows[D]["invited_at"] is not None
    assert rows[C]["reminded_at"] is not None and rows[B]["reminded_at"] is None
    assert store.status_row(accounts_db, OLD_ROUND, C)["reminded_at"] is None
    assert rows[B]["active_links"] == 1 and rows[B]["answer_count"] > 0
    assert rows[D]["answer_count"] == 0 and rows[D]["status"] == store.NOT_STARTED
    assert store.status_row(accounts_db, NEW_ROUND, C) == rows[C]
    assert store.status_row(accounts_db, OLD_ROUND, UNINVITED)["invited_at"] is None
    assert store.status_row(accounts_db, NEW_ROUND, UNINVITED) is None


def test_a_filtered_dashboard_lists_some_rows_and_counts_the_whole_round(coord_app):
    national = user_client(coord_app, "national")
    html = national.get(f"/samordna/omgang/{OLD_ROUND}/?status=submitted").get_data(
        as_text=True)
    listed = re.findall(r'data-status="([a-z_]+)"', html)
    assert listed and set(listed) == {store.SUBMITTED}
    assert re.search(r'id="count-not_started">1<', html)
    assert re.search(r'id="count-submitted">4<', html)


def test_a_respondent_page_looks_its_grants_up_once(coord_app, world, monkeypatch):
    client = municipality_client(coord_app, world, A)
    looked_up = []
    original = store.invitation_by_hash

    def counting(db, token_hash):
        looked_up.append(token_hash)
        return original(db, token_hash)

    monkeypatch.setattr(store, "invitation_by_hash", counting)
    assert client.get(f"/svar/{NEW_ROUND}/{A}/").status_code == 200
    assert len(looked_up) == 1
    assert client.get(f"/svar/{NEW_ROUND}/{B}/").status_code == 403


def test_a_grant_made_during_the_request_counts_at_once(coord_app, world):
    token_hash = store.hash_token(world.token(B, NEW_ROUND))
    with coord_app.test_request_context("/"):
        assert access.granted() == []
        access.grant(token_hash)
        assert access.may_open(NEW_ROUND, B)
        assert not access.may_open(NEW_ROUND, A)


def test_respondent_pages_do_not_load_an_account_but_coordinator_pages_do(coord_app, world):
    loads = []

    def loaded(_sender, **_extra):
        loads.append(1)

    user_accessed.connect(loaded, coord_app)
    try:
        municipality = municipality_client(coord_app, world, A)
        assert municipality.get(f"/svar/{NEW_ROUND}/{A}/").status_code == 200
        assert loads == []
        national = user_client(coord_app, "national")
        page = national.get("/samordna/").get_data(as_text=True)
        assert loads
        assert USERS["national"][1] in page and 'class="whoami"' in page
    finally:
        user_accessed.disconnect(loaded, coord_app)
    assert 'class="whoami"' not in coord_app.test_client().get(
        "/samordna/logga-in").get_data(as_text=True)
