"""Regression tests for the probe's findings in issue #12 (F1-F8, text, durability)."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from argon2 import PasswordHasher
from werkzeug.datastructures import MultiDict

from survey import store
from survey.services import export, passwords
from survey.web import auth
from survey.web.security import safe_redirect_target
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import (
    NEW_ROUND,
    PASSWORD,
    USERS,
    A,
    make_app,
    municipality_client,
    user_client,
)
from tests.conftest import csrf_token
from tests.live import serve

PAGE = f"/svar/{NEW_ROUND}/{A}/sida/respondent"


def _answers(world) -> dict:
    database = store.connect(world.path)
    try:
        return store.answers(database, store.get_response(database, NEW_ROUND, A)["id"])
    finally:
        database.conn.close()


def _revision(client, url: str = PAGE) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="_revision" value="(\d+)"', html).group(1)


# ---------------------------------------------------------------- F1


def test_f1_parallel_wrong_passwords_check_at_most_the_limit(world, monkeypatch):
    app = make_app(world, LOGIN_MAX_FAILURES_ACCOUNT=5)
    checked = []
    real_verify = auth.verify_password

    def counting_verify(*args, **kwargs):
        checked.append(1)
        return real_verify(*args, **kwargs)

    monkeypatch.setattr(auth, "verify_password", counting_verify)
    body = urllib.parse.urlencode({"email": USERS["coord13"][0], "password": "fel"}).encode()
    statuses: list[int] = []
    with serve(app) as url:
        start = threading.Barrier(30)

        def attempt() -> None:
            start.wait()
            try:
                urllib.request.urlopen(f"{url}/samordna/logga-in", data=body, timeout=30)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)

        threads = [threading.Thread(target=attempt) for _ in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert len(statuses) == 30 and set(statuses) <= {401, 429}
    assert len(checked) <= 5
    assert statuses.count(429) >= 25


# ---------------------------------------------------------------- F2


def test_f2_unknown_and_known_emails_cost_one_verification_each(world, monkeypatch):
    app = make_app(world)
    calls = {"hash": 0, "verify": 0}
    real_hash, real_verify = PasswordHasher.hash, PasswordHasher.verify

    def counting_hash(self, *args, **kwargs):
        calls["hash"] += 1
        return real_hash(self, *args, **kwargs)

    def counting_verify(self, *args, **kwargs):
        calls["verify"] += 1
        return real_verify(self, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "hash", counting_hash)
    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", {})
    client = app.test_client()
    for number in range(3):
        assert client.post("/samordna/logga-in", data={
            "email": f"okand{number}@example.test", "password": "fel"}).status_code == 401
    assert calls == {"hash": 1, "verify": 3}  # the dummy hash once, then only verifications
    for _ in range(3):
        assert client.post("/samordna/logga-in", data={
            "email": USERS["coord13"][0], "password": "fel"}).status_code == 401
    assert calls == {"hash": 1, "verify": 6}


# ---------------------------------------------------------------- F3


@pytest.mark.parametrize("kind", ["urlencoded", "multipart"])
def test_f3_invalid_utf8_is_refused_before_csrf_and_nothing_is_stored(world, kind):
    app = make_app(world, WTF_CSRF_ENABLED=True)
    client = municipality_client(app, world, A)
    html = client.get(PAGE).get_data(as_text=True)
    token = csrf_token(html)
    revision = re.search(r'name="_revision" value="(\d+)"', html).group(1)
    before = _answers(world)
    if kind == "urlencoded":
        body = (f"csrf_token={token}&_revision={revision}&action=save&_present=respondent_name"
                "&respondent_name=Ny%FF%FEtext").encode()
        content_type = "application/x-www-form-urlencoded"
    else:
        parts = [("csrf_token", token.encode()), ("_revision", revision.encode()),
                 ("action", b"save"), ("_present", b"respondent_name"),
                 ("respondent_name", b"Ny\xff\xfetext")]
        body = b"".join(b'--XyZ\r\nContent-Disposition: form-data; name="' + name.encode()
                        + b'"\r\n\r\n' + value + b"\r\n" for name, value in parts) + b"--XyZ--\r\n"
        content_type = "multipart/form-data; boundary=XyZ"
    response = client.post(PAGE, data=body, content_type=content_type)
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)
    assert _answers(world) == before
    # the same form with valid text saves: the token was good, only the bytes were refused
    ok = client.post(PAGE, data={"csrf_token": token, "_revision": revision, "action": "save",
                                 "_present": "respondent_name", "respondent_name": "Ny text"})
    assert ok.status_code == 302 and _answers(world)["respondent_name"] == "Ny text"


# ---------------------------------------------------------------- F4


@pytest.mark.parametrize("target", ["/\r\nX:1", "/samordna/\nX", "//evil.example/",
                                    "https://evil.example/", "/\\evil.example", "/a\x00b",
                                    "/a\u2028b", "", None])
def test_f4_safe_redirect_target_refuses_unsafe_targets(target):
    assert safe_redirect_target(target, "/fallback") == "/fallback"


def test_f4_safe_redirect_target_keeps_local_paths():
    assert safe_redirect_target("/samordna/logg?lan=13", "/f") == "/samordna/logg?lan=13"
    assert safe_redirect_target("/samordna/", "/f", prefix="/granskning/") == "/f"


def test_f4_crlf_in_next_after_login_is_a_redirect_home_not_a_500(coord_app):
    client = coord_app.test_client()
    response = client.post("/samordna/logga-in?next=%2F%0D%0AX%3A1",
                           data={"email": USERS["coord13"][0], "password": PASSWORD})
    assert response.status_code == 302
    assert "\r" not in response.location and "\n" not in response.location
    assert response.location.endswith("/samordna/omgangar") or "/samordna/" in response.location
    assert "X" not in response.headers


def test_f4_crlf_in_next_of_review_undo_is_a_redirect_to_the_queue(coord_app):
    client = user_client(coord_app, "coord13")
    response = client.post(f"/granskning/{NEW_ROUND}/angra",
                           data={"next": f"/granskning/{NEW_ROUND}/\r\nX: 1"})
    assert response.status_code == 303
    assert response.location.endswith(f"/granskning/{NEW_ROUND}/svar")  # the queue
    assert "X" not in response.headers


# ---------------------------------------------------------------- F5


def test_f5_a_session_cookie_copied_before_logout_opens_nothing_after(coord_app):
    client = user_client(coord_app, "coord13")
    assert client.get("/samordna/").status_code == 200
    copied = client.get_cookie("session").value
    assert client.post("/samordna/logga-ut").status_code == 302
    thief = coord_app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/samordna/")
    assert response.status_code == 302 and "/samordna/logga-in" in response.location
    # logging in again works (a new session with the new epoch)
    assert user_client(coord_app, "coord13").get("/samordna/").status_code == 200


# ---------------------------------------------------------------- F6


def test_f6_pages_are_not_stored_but_static_files_are_cacheable(coord_app, world):
    municipality = municipality_client(coord_app, world, A)
    for url in (PAGE, f"/svar/{NEW_ROUND}/{A}/granska"):
        assert municipality.get(url).headers.get("Cache-Control") == "no-store", url
    coordinator = user_client(coord_app, "coord13")
    for url in ("/samordna/", f"/granskning/{NEW_ROUND}/"):
        response = coordinator.get(url)
        assert response.status_code == 200, url
        assert response.headers.get("Cache-Control") == "no-store", url
    static = coordinator.get("/static/style.css")
    static.close()
    assert static.status_code == 200
    assert "no-store" not in (static.headers.get("Cache-Control") or "")


# ---------------------------------------------------------------- F7


def test_f7_a_flood_of_junk_emails_does_not_lock_out_a_coordinator(world):
    app = make_app(world, LOGIN_MAX_FAILURES_IP=20)
    client = app.test_client()
    statuses = [client.post("/samordna/logga-in", data={
        "email": f"skrap{number}@example.test", "password": "fel"}).status_code
        for number in range(25)]
    assert statuses[:20] == [401] * 20 and set(statuses[20:]) == {429}
    # the same junk e-mail again from this address is refused unchecked
    assert client.post("/samordna/logga-in", data={
        "email": "skrap0@example.test", "password": "fel"}).status_code == 429
    real = app.test_client().post("/samordna/logga-in", data={
        "email": USERS["coord13"][0], "password": PASSWORD})
    assert real.status_code == 302


# ---------------------------------------------------------------- F8


def test_f8_a_cleared_answer_conflicts_with_a_stale_form(world):
    database = store.connect(world.path)
    try:
        response = store.ensure_response(database, NEW_ROUND, A, "Anna")
        saved = store.save_answers(database, response["id"], {"other_comments": "Text"},
                                   response["revision"], "Anna")
        opened_at = saved.revision  # both colleagues open the page now
        cleared = store.save_answers(database, response["id"], {"other_comments": None},
                                     opened_at, "Bo")
        assert cleared.changed == ["other_comments"] and not cleared.conflicts
        stale = store.save_answers(database, response["id"], {"other_comments": "Text"},
                                   opened_at, "Anna")
        assert [c.question for c in stale.conflicts] == ["other_comments"]
        assert stale.conflicts[0].theirs is None and stale.conflicts[0].their_author == "Bo"
        assert "other_comments" not in store.answers(database, response["id"])
        # a form opened after the clearing saves normally
        fresh = store.save_answers(database, response["id"], {"other_comments": "Ny"},
                                   cleared.revision, "Anna")
        assert fresh.changed == ["other_comments"] and not fresh.conflicts
    finally:
        database.conn.close()


def test_f8_a_missing_revision_never_overwrites_and_a_bad_one_is_a_400(coord_app, world):
    client = municipality_client(coord_app, world, A)
    before = _answers(world)
    assert before["respondent_name"]
    post = [("_present", "respondent_name"), ("respondent_name", "Skriven över"),
            ("action", "save")]
    missing = client.post(PAGE, data=MultiDict(post))
    assert missing.status_code == 409 and _answers(world) == before
    for bad in ("", "abc", "-1", "1.5", "²"):
        response = client.post(PAGE, data=MultiDict(post + [("_revision", bad)]))
        assert response.status_code == 400, bad
        assert _answers(world) == before
    ok = client.post(PAGE, data=MultiDict(post + [("_revision", _revision(client))]))
    assert ok.status_code == 302 and _answers(world)["respondent_name"] == "Skriven över"


# ---------------------------------------------------------------- text findings


def test_bidi_controls_are_not_stored(coord_app, world):
    client = municipality_client(coord_app, world, A)
    text = "rapport\u202eFDP.exe \u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069slut"
    response = client.post(PAGE, data=MultiDict([
        ("_present", "respondent_name"), ("respondent_name", text), ("action", "save"),
        ("_revision", _revision(client))]))
    assert response.status_code == 302
    assert _answers(world)["respondent_name"] == "rapportFDP.exe slut"
    assert store.clean_text({"a": ["x\u202ey"]}) == {"a": ["xy"]}


@pytest.mark.parametrize("text", ["\u200b=HYPERLINK(1)", "\ufeff=1", "\u00a0+1", " =1",
                                  "\uff1dHYPERLINK(1)", "\uff0b1", "\uff0d1", "\uff20SUM(A1)",
                                  "\u200b\uff1d1", "\t=1", "\r=1", "\n=1", "=1", "@x"])
def test_formula_guard_neutralises_hidden_and_full_width_signs(text):
    assert export._safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Fler larm", "1-2", "e-post: a@b.test", 42, None])
def test_formula_guard_leaves_ordinary_values(text):
    assert export._safe_text(text) == text


# ---------------------------------------------------------------- durability


def test_connections_are_durable(tmp_path):
    database = store.connect(tmp_path / "d.db")
    try:
        def pragma(name: str):
            return database.conn.execute(f"PRAGMA {name}").fetchone()[0]

        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == 30000
        assert pragma("wal_autocheckpoint") == 1000
        assert pragma("journal_size_limit") == 16 * 1024 * 1024
    finally:
        database.conn.close()


def test_the_wal_of_a_kept_connection_shrinks_back_after_a_burst(tmp_path):
    """A long-lived server connection reuses its WAL file: after a burst larger than the
    limit has been checkpointed, the next write truncates the file to the limit."""
    database = store.connect(tmp_path / "d.db")
    wal = tmp_path / "d.db-wal"
    try:
        database.execute("CREATE TABLE blobs (data BLOB)")
        with store.transaction(database) as db:
            for _ in range(24):
                db.execute("INSERT INTO blobs VALUES (?)", [b"x" * (1024 * 1024)])
        assert wal.stat().st_size > 20 * 1024 * 1024
        database.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        with store.transaction(database) as db:
            db.execute("INSERT INTO blobs VALUES (?)", [b"y"])
        assert wal.stat().st_size <= 16 * 1024 * 1024
        assert database.execute("SELECT count(*) FROM blobs").fetchone()[0] == 25
    finally:
        database.conn.close()
