"""Observability: JSON request logs without secrets, /healthz and `lagesbild stats`."""

from __future__ import annotations

import io
import json
import logging
import sqlite3

import pytest
from click.testing import CliRunner

from survey import store
from survey.cli import cli
from survey.web import observe
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import NEW_ROUND, OLD_ROUND, A, cli_env, make_app, municipality_client

SECRET_ANSWER = "Hemlig Kollega Xyzzy"


@pytest.fixture
def log_lines():
    """The request logger's output, as parsed lines (and the raw text, for searching)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(observe.JsonFormatter())
    observe.logger.addHandler(handler)
    observe.logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        observe.logger.removeHandler(handler)


def parsed(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_request_lines_are_json_and_hold_no_token_or_answer(coord_app, world, log_lines):
    client = municipality_client(coord_app, world, A)
    token = world.token(A)
    database = store.connect(world.path)
    revision = store.get_response(database, NEW_ROUND, A)["revision"]
    database.conn.close()
    save = client.post(f"/svar/{NEW_ROUND}/{A}/sida/respondent?lang=en&t={token}", data={
        "_present": ["respondent_name"], "respondent_name": SECRET_ANSWER, "action": "save",
        "_revision": str(revision)})
    assert save.status_code == 302
    database = store.connect(world.path)
    try:
        response = store.get_response(database, NEW_ROUND, A)
        assert store.answers(database, response["id"])["respondent_name"] == SECRET_ANSWER
    finally:
        database.conn.close()
    text = log_lines.getvalue()
    assert token not in text and SECRET_ANSWER not in text and "lang=en" not in text
    lines = parsed(log_lines)
    assert [line["route"] for line in lines] == [
        "/s/<token>", "/svar/<round_id>/<code>/sida/<page_name>"]
    link, post = lines
    assert link["method"] == "GET" and link["status"] == 302
    assert post["method"] == "POST" and post["status"] == 302
    assert post["endpoint"] == "respond.page"
    for line in lines:
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
        assert len(line["request_id"]) == 32
    assert save.headers["X-Request-ID"] == post["request_id"]


def test_unmatched_paths_are_not_logged_verbatim(coord_app, log_lines):
    response = coord_app.test_client().get("/ingen-sida/hemlig-token-123")
    assert response.status_code == 404
    (line,) = parsed(log_lines)
    assert line["route"] == "<unmatched>" and line["status"] == 404
    assert "hemlig" not in log_lines.getvalue()


def test_a_proxy_request_id_is_kept_only_when_plain(coord_app, log_lines):
    client = coord_app.test_client()
    client.get("/healthz", headers={"X-Request-ID": "proxy-id-12345"})
    client.get("/healthz", headers={"X-Request-ID": '"} {"evil": 1'})
    first, second = parsed(log_lines)
    assert first["request_id"] == "proxy-id-12345"
    assert second["request_id"] != '"} {"evil": 1' and "evil" not in second


def test_healthz_ok(coord_app):
    response = coord_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"database": "ok", "migrations": "current"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_503_on_a_broken_database_path(coord_app, tmp_path):
    coord_app.config["DB"] = str(tmp_path / "no-such-dir" / "lagesbild.db")
    response = coord_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
    assert response.headers["Cache-Control"] == "no-store"
    assert not (tmp_path / "no-such-dir").exists()  # the check creates nothing


def test_healthz_503_when_migrations_are_pending(coord_app, tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE unrelated (x)")
    conn.close()
    coord_app.config["DB"] = str(path)
    response = coord_app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "ok" and body["migrations"].startswith("pending: m001_initial")


def test_stats_per_round(world):
    make_app(world)  # migrations applied, as `lagesbild serve` would
    database = store.connect(world.path)
    try:
        response = store.get_response(database, OLD_ROUND, A)
        # one coded answer, reviewed; a second code on the same response counts it once
        for code in ("violence", "housing"):
            database.execute(
                "INSERT INTO codes (response_id, question, codebook, code, source, status, "
                "created_at) VALUES (?, 'other_comments', 'themes', ?, 'rules', "
                "'auto_accepted', '2020-07-01')", [response["id"], code])
        database.execute(
            "INSERT INTO answer_reviews (response_id, question, codebook, mode, at) "
            "VALUES (?, 'other_comments', 'themes', 'primary', '2020-07-02')",
            [response["id"]])
        database.conn.commit()
    finally:
        database.conn.close()
    result = CliRunner().invoke(cli, ["stats", "--json"], env=cli_env(world))
    assert result.exit_code == 0, result.output
    rows = {row["round_id"]: row for row in map(json.loads, result.output.splitlines())}
    picked = {k: {c: rows[k][c] for c in store.STAT_COLUMNS} for k in rows}
    assert picked == {
        OLD_ROUND: {"invited": 5, "started": 4, "submitted": 4, "coded": 1, "reviewed": 1},
        NEW_ROUND: {"invited": 5, "started": 3, "submitted": 1, "coded": 0, "reviewed": 0},
        "t-1": {"invited": 2, "started": 2, "submitted": 2, "coded": 0, "reviewed": 0},
        "t-2": {"invited": 2, "started": 2, "submitted": 1, "coded": 0, "reviewed": 0},
    }
    table = CliRunner().invoke(cli, ["stats"], env=cli_env(world))
    assert table.exit_code == 0
    header, *lines = table.output.splitlines()
    assert header.split() == ["round", *store.STAT_COLUMNS]
    assert lines[0].split() == ["t-1", "2", "2", "2", "0", "0"]
