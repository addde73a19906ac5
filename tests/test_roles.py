"""Every route, walked as every kind of visitor: each sees and changes only what it may.

The permission table has one entry per (endpoint, method) of the application, with the
expected status for each visitor. A route added to the app without an entry makes
``test_table_covers_every_route`` fail, so nobody can add a page without deciding who may use
it. A refused request must also leave the database exactly as it was.

The entries for respondent and coordinator pages are here (ROUTES); another area adds its own
in a module ``tests/route_table_<area>.py`` that defines ``ROUTES`` in the same form (helpers
``expect``, ``LOGIN`` and ``ROLES`` are in tests/accounts_fixtures.py). A URL value may be a
function ``(world, db) -> value`` for ids that exist only in the test database.

Visitors (see tests/accounts_fixtures.py): municipality A (Halmstad, county 13) with A's link,
municipality B (Varberg, county 13) with B's link, the coordinator of county 13, the
coordinator of county 10, nobody, and the national coordinator and administrator.
URLs point at A's response, A's county and round 2020-09.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from survey import store
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import (
    LOGIN,
    NEW_ROUND,
    ROLES,
    USERS,
    A,
    B,
    World,
    copy_world,
    expect,
    make_app,
    municipality_client,
    snapshot,
    user_client,
)

ANSWER_FORM = {"_present": ["respondent_name"], "respondent_name": "Ny Kollega",
               "action": "save", "_revision": "1"}  # A's response as the world built it
# A response page: A reads and writes; coordinators of A's county (and those who see all)
# read only; everyone else is refused.
READ_A = expect(a=200, b=403, coord13=200, coord10=403, nobody=403, national=200, admin=200)
WRITE_A = expect(a=302, everyone=403)
COORDINATOR_PAGE = expect(coord13=200, coord10=403, national=200, admin=200, municipalities=LOGIN,
                          nobody=LOGIN)
# A page every coordinator has, showing each only their own part
COORDINATOR_PAGE_ALL_COUNTIES = expect(coordinators=200, municipalities=LOGIN, nobody=LOGIN)
COORDINATOR_ACTION = expect(coord13=302, coord10=403, national=302, admin=302,
                            municipalities=LOGIN, nobody=LOGIN)

# (endpoint, method) -> (expected per visitor, URL values, query, form data)
ROUTES: dict[tuple[str, str], tuple[dict, dict, dict, dict]] = {
    ("respond.home", "GET"): (expect(everyone=200), {}, {}, {}),
    ("about.accessibility", "GET"): (expect(everyone=200), {}, {}, {}),
    ("observe.healthz", "GET"): (expect(everyone=200), {}, {}, {}),
    ("respond.open_link", "GET"): (expect(everyone=302), {"token": "A"}, {}, {}),
    ("respond.start", "GET"): (READ_A, {}, {}, {}),
    ("respond.start", "POST"): (WRITE_A, {}, {}, {"actor_name": "Kollega", "prefill": ""}),
    ("respond.page", "GET"): (READ_A, {"page_name": "respondent"}, {}, {}),
    ("respond.page", "POST"): (WRITE_A, {"page_name": "respondent"}, {}, ANSWER_FORM),
    ("respond.review", "GET"): (READ_A, {}, {}, {}),
    ("respond.review", "POST"): (WRITE_A, {}, {}, {}),
    # A's response is a draft, so its receipt sends readers on to the review page
    ("respond.receipt", "GET"): (
        expect(a=302, b=403, coord13=302, coord10=403, nobody=403, national=302, admin=302),
        {}, {}, {}),
    # only A's own link mails a copy of the receipt (a draft's goes on to the review page)
    ("respond.receipt_mail", "POST"): (WRITE_A, {}, {}, {"email": "a@halmstad.test"}),
    ("coordinate.login", "GET"): (expect(everyone=200), {}, {}, {}),
    ("coordinate.login", "POST"): (expect(everyone=401), {}, {},
                                   {"email": USERS["coord13"][0], "password": "fel lösenord"}),
    ("coordinate.logout", "POST"): (expect(everyone=302), {}, {}, {}),
    ("coordinate.password", "GET"): (
        expect(coordinators=200, municipalities=LOGIN, nobody=LOGIN), {}, {}, {}),
    ("coordinate.password", "POST"): (
        expect(coordinators=422, municipalities=LOGIN, nobody=LOGIN), {}, {},
        {"current": "fel lösenord", "new": "ett nytt långt lösenord"}),
    ("coordinate.rounds", "GET"): (COORDINATOR_PAGE, {}, {"lan": "13"}, {}),
    ("coordinate.new_round", "GET"): (
        expect(coord13=403, coord10=403, national=200, admin=200, municipalities=LOGIN,
               nobody=LOGIN), {}, {}, {}),
    ("coordinate.new_round", "POST"): (
        expect(coord13=403, coord10=403, national=302, admin=302, municipalities=LOGIN,
               nobody=LOGIN), {}, {},
        {"round_id": "2021-01", "title": "Lägesbild januari 2021",
         "questionnaire": "test-lagesbild", "opens": "2021-01-01", "closes": "2021-01-31",
         "follows": NEW_ROUND}),
    ("coordinate.dashboard", "GET"): (COORDINATOR_PAGE, {}, {"lan": "13"}, {}),
    ("coordinate.invite", "POST"): (
        expect(coord13=200, coord10=403, national=200, admin=200, municipalities=LOGIN,
               nobody=LOGIN), {}, {}, {"lan": "13", "mode": "all"}),
    ("coordinate.municipality", "GET"): (COORDINATOR_PAGE, {}, {}, {}),
    ("coordinate.reissue", "POST"): (
        expect(coord13=200, coord10=403, national=200, admin=200, municipalities=LOGIN,
               nobody=LOGIN), {}, {}, {}),
    ("coordinate.revoke", "POST"): (COORDINATOR_ACTION, {}, {}, {}),
    # A's draft in an open round can already be changed: reopening it is a conflict (409)
    ("coordinate.reopen", "POST"): (
        expect(coord13=409, coord10=403, national=409, admin=409, municipalities=LOGIN,
               nobody=LOGIN), {}, {}, {"reason": "test"}),
    ("coordinate.contact", "POST"): (COORDINATOR_ACTION, {}, {},
                                     {"email": "registrator@halmstad.test"}),
    ("coordinate.remind", "GET"): (COORDINATOR_PAGE, {}, {"lan": "13"}, {}),
    ("coordinate.remind", "POST"): (COORDINATOR_PAGE, {}, {},
                                    {"lan": "13", "action": "dry_run"}),
    # without MAIL_OUTBOX there is no outbox (its county check: tests/test_mail.py)
    ("coordinate.outbox_mail", "GET"): (
        expect(coordinators=404, municipalities=LOGIN, nobody=LOGIN),
        {"name": "20261201T000000-r-1315-abcdef.eml"}, {}, {}),
    ("coordinate.export", "GET"): (COORDINATOR_PAGE, {"fmt": "csv"}, {"lan": "13"}, {}),
    ("coordinate.audit", "GET"): (COORDINATOR_PAGE, {}, {"lan": "13"}, {}),
    ("coordinate.audit_export", "GET"): (COORDINATOR_PAGE, {}, {"lan": "13"}, {}),
    ("coordinate.account_list", "GET"): (
        expect(coord13=403, coord10=403, national=403, admin=200, municipalities=LOGIN,
               nobody=LOGIN), {}, {}, {}),
    ("coordinate.account_list", "POST"): (
        expect(coord13=403, coord10=403, national=403, admin=302, municipalities=LOGIN,
               nobody=LOGIN), {}, {},
        {"email": "ny@lansstyrelsen.test", "name": "Ny Samordnare",
         "role": "county_coordinator", "county": "13", "password": "ett långt lösenord"}),
    ("coordinate.account_active", "POST"): (
        expect(coord13=403, coord10=403, national=403, admin=302, municipalities=LOGIN,
               nobody=LOGIN), {"user_id": "coord10"}, {}, {"active": "0"}),
    # reports (reports/web.py): county report for A's county, national report for all
    ("reports.index", "GET"): (COORDINATOR_PAGE_ALL_COUNTIES, {}, {}, {}),
    ("reports.county", "GET"): (COORDINATOR_PAGE, {"county_code": "13", "fmt": "html"}, {}, {}),
    ("reports.national", "GET"): (
        expect(coord13=403, coord10=403, national=200, admin=200, municipalities=LOGIN,
               nobody=LOGIN), {"fmt": "html"}, {}, {}),
}
IGNORED_ENDPOINTS = {"static"}  # files anyone may fetch


def permission_table() -> dict[tuple[str, str], tuple[dict, dict, dict, dict]]:
    """ROUTES here plus the tables other areas keep in tests/route_table_*.py."""
    import importlib

    table = dict(ROUTES)
    for path in sorted(Path(__file__).parent.glob("route_table_*.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        overlap = set(table) & set(module.ROUTES)
        assert not overlap, f"{path.name} repeats entries: {sorted(overlap)}"
        table.update(module.ROUTES)
    return table


def app_routes(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            if rule.endpoint not in IGNORED_ENDPOINTS
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def markdown_table(table: dict | None = None) -> str:
    """The permission table as documentation (`python -m tests.test_roles` prints it)."""
    lines = ["| route | method | " + " | ".join(ROLES) + " |",
             "|---|---|" + "---|" * len(ROLES)]
    for (endpoint, method), (expected, *_rest) in sorted((table or permission_table()).items()):
        lines.append(f"| {endpoint} | {method} | "
                     + " | ".join(str(expected[r]) for r in ROLES) + " |")
    return "\n".join(lines)


def test_table_covers_every_route(coord_app, accounts_db):
    """One table for the whole app: this module's routes plus the review workspace's, whose
    rows (and their walk as every visitor) live in tests/test_review.py because they need
    coded answers."""
    from tests.test_review import review_route_table, seed_codes

    seed_codes(accounts_db)
    routes = app_routes(coord_app)
    table = {**permission_table(), **review_route_table(accounts_db)}
    missing = sorted(routes - set(table))
    stale = sorted(set(table) - routes)
    assert not missing, f"routes without an entry in the permission table: {missing}"
    assert not stale, f"entries for routes that no longer exist: {stale}"
    document = markdown_table(table)
    assert all(f"| {endpoint} | {method} |" in document for endpoint, method in routes)


def _url(app, world: World, endpoint: str, values: dict, query: dict) -> str:
    from flask import url_for

    arguments = {"round_id": NEW_ROUND, "code": A, **values}
    if any(callable(v) for v in arguments.values()):
        database = store.connect(world.path)
        try:
            arguments = {k: v(world, database) if callable(v) else v
                         for k, v in arguments.items()}
        finally:
            database.conn.close()
    if arguments.get("token") == "A":
        arguments["token"] = world.token(A)
    if arguments.get("user_id") in world.user_ids:
        arguments["user_id"] = world.user_ids[arguments["user_id"]]
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    arguments = {k: v for k, v in arguments.items() if k in rule.arguments}
    with app.test_request_context():
        return url_for(endpoint, **arguments, **query)


def _client(app, world: World, role: str):
    if role == "A":
        return municipality_client(app, world, A)
    if role == "B":
        return municipality_client(app, world, B)
    if role == "nobody":
        return app.test_client()
    return user_client(app, role)


def _restore(template: World, world: World) -> None:
    """A fresh copy under a new inode: the app keeps a connection per thread and opens a new
    one when the file it holds was replaced (writing into the open file would corrupt it)."""
    for suffix in ("-wal", "-shm"):
        Path(str(world.path) + suffix).unlink(missing_ok=True)
    fresh = world.path.with_name(world.path.name + ".fresh")
    shutil.copyfile(template.path, fresh)
    os.replace(fresh, world.path)


@pytest.mark.parametrize(("endpoint", "method"), sorted(permission_table()),
                         ids=lambda v: str(v))
def test_route_as_every_visitor(endpoint: str, method: str, world_template: World,
                                tmp_path: Path):
    world = copy_world(world_template, tmp_path)
    app = make_app(world)
    expected, values, query, form = permission_table()[(endpoint, method)]
    url = _url(app, world, endpoint, values, query)
    outcomes = {}
    for role in ROLES:
        _restore(world_template, world)
        client = _client(app, world, role)
        before = snapshot(world.path)
        response = client.open(url, method=method, data=form or None)
        want = expected[role]
        if want == LOGIN:
            ok = response.status_code == 302 and "/samordna/logga-in" in response.location
        else:
            ok = response.status_code == want
        outcomes[role] = (response.status_code, want, ok)
        if want in (403, LOGIN):
            assert snapshot(world.path) == before, f"{role} was refused but changed data"
        assert b"Traceback" not in response.data
    failures = {role: outcome for role, outcome in outcomes.items() if not outcome[2]}
    assert not failures, f"{method} {url}: (got, expected) {failures}"


# ---------------------------------------------------------------- what each one sees


def test_county_coordinator_sees_only_own_county(coord_app, world):
    halland = user_client(coord_app, "coord13")
    page = halland.get(f"/samordna/omgang/{NEW_ROUND}/").get_data(as_text=True)
    assert "Halmstads kommun" in page and "Varbergs kommun" in page
    assert "Karlshamns kommun" not in page and "Ronneby kommun" not in page
    export = halland.get(f"/samordna/omgang/{NEW_ROUND}/export.csv").get_data(as_text=True)
    assert "1380" in export and "1082" not in export
    log = halland.get("/samordna/logg").get_data(as_text=True)
    assert "Anna Andersson" in log and "Cecilia Carlsson" not in log
    # asking for another county is refused, not quietly narrowed
    assert halland.get(f"/samordna/omgang/{NEW_ROUND}/?lan=10").status_code == 403
    assert halland.get(f"/samordna/omgang/{NEW_ROUND}/export.json?lan=10").status_code == 403
    assert halland.get("/samordna/logg.csv?lan=10").status_code == 403
    assert halland.get(f"/samordna/omgang/{NEW_ROUND}/kommun/1082").status_code == 403
    assert halland.get(f"/svar/{NEW_ROUND}/1082/").status_code == 403


def test_national_coordinator_sees_every_county(coord_app):
    national = user_client(coord_app, "national")
    page = national.get(f"/samordna/omgang/{NEW_ROUND}/").get_data(as_text=True)
    assert "Halmstads kommun" in page and "Karlshamns kommun" in page
    narrowed = national.get(f"/samordna/omgang/{NEW_ROUND}/?lan=10").get_data(as_text=True)
    assert "Karlshamns kommun" in narrowed and "Halmstads kommun" not in narrowed
    # account events are for administrators only
    assert "user_created" not in national.get("/samordna/logg.csv").get_data(as_text=True)
    admin = user_client(coord_app, "admin")
    assert "user_created" in admin.get("/samordna/logg.csv").get_data(as_text=True)


def test_municipality_sees_only_its_own_response(coord_app, world):
    client = municipality_client(coord_app, world, A)
    assert client.get(f"/svar/{NEW_ROUND}/{A}/").status_code == 200
    for code in ("1383", "1082", "1315"):
        assert client.get(f"/svar/{NEW_ROUND}/{code}/").status_code == 403
    # the link opens one round: last round's response needs last round's link
    assert client.get(f"/svar/2020-06/{A}/").status_code == 403
    assert client.get("/samordna/").status_code == 302


def test_coordinator_cannot_change_a_response_it_may_read(coord_app, accounts_db):
    halland = user_client(coord_app, "coord13")
    before = store.answers(accounts_db, store.get_response(accounts_db, NEW_ROUND, A)["id"])
    assert halland.get(f"/svar/{NEW_ROUND}/{A}/sida/respondent").status_code == 200
    for path, data in ((f"/svar/{NEW_ROUND}/{A}/sida/respondent", ANSWER_FORM),
                       (f"/svar/{NEW_ROUND}/{A}/", {"prefill": "previous"}),
                       (f"/svar/{NEW_ROUND}/{A}/granska", {})):
        assert halland.post(path, data=data).status_code == 403
    assert store.answers(accounts_db, store.get_response(accounts_db, NEW_ROUND, A)["id"]) == before


def test_revoked_link_ends_access_for_everyone_holding_it(coord_app, world, accounts_db):
    colleague_one = municipality_client(coord_app, world, A)
    colleague_two = municipality_client(coord_app, world, A)
    halland = user_client(coord_app, "coord13")
    assert halland.post(f"/samordna/omgang/{NEW_ROUND}/kommun/{A}/aterkalla").status_code == 302
    for client in (colleague_one, colleague_two):
        assert client.get(f"/svar/{NEW_ROUND}/{A}/").status_code == 403
    assert coord_app.test_client().get(f"/s/{world.token(A)}").status_code == 404


def test_deactivated_account_loses_its_open_session(coord_app, world, accounts_db):
    from survey import store

    blekinge = user_client(coord_app, "coord10")
    assert blekinge.get("/samordna/").status_code == 200
    store.set_active(accounts_db, world.user_ids["coord10"], False, "test")
    response = blekinge.get("/samordna/")
    assert response.status_code == 302 and "/samordna/logga-in" in response.location
    login = coord_app.test_client().post("/samordna/logga-in", data={
        "email": USERS["coord10"][0], "password": "korrekt häst batteri"})
    assert login.status_code == 401


if __name__ == "__main__":
    print(markdown_table())
