"""Shared fixtures: a real SQLite file per test, the app, clients, and invitation links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from survey import create_app, store
from survey.services import versions
from survey.web import i18n

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HALMSTAD, LAHOLM, KARLSKRONA = "1380", "1381", "1080"


@dataclass
class Links:
    """Invitation tokens of the test rounds, by round and municipality."""

    tokens: dict[tuple[str, str], str]

    def url(self, round_id: str, code: str) -> str:
        return f"/s/{self.tokens[(round_id, code)]}"


def make_rounds(db, questionnaire_path: Path | None = None) -> Links:
    """Round 2020-06 (closed) and its follow-up 2020-09 (open), with links for three
    municipalities in two counties."""
    questionnaire = versions.import_file(
        db, questionnaire_path or ROOT / "questionnaires" / "lagesbild-2020.yaml")
    closes = (date.today() + timedelta(days=30)).isoformat()
    store.create_round(db, "2020-06", "Lägesbild juni 2020", questionnaire.hash,
                       "2020-06-15", "2020-07-03")
    store.create_round(db, "2020-09", "Lägesbild september 2020", questionnaire.hash,
                       "2020-09-01", closes, follows="2020-06")
    tokens = {}
    for round_id in ("2020-06", "2020-09"):
        for code in (HALMSTAD, LAHOLM, KARLSKRONA):
            token, token_hash = store.new_token()
            store.add_invitation(db, round_id, code, token_hash)
            tokens[(round_id, code)] = token
    return Links(tokens)


def pytest_sessionstart(session):
    i18n.compile_catalogues()  # a .mo older than its .po is rebuilt: tests never see stale text


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "lagesbild.db"


@pytest.fixture
def app(db_path, tmp_path):
    application = create_app({
        "TESTING": True, "DB": str(db_path), "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret", "BASE_URL": "http://localhost",
    }, instance_path=str(tmp_path / "instance"))
    database = store.connect(db_path)
    store.init(database)
    application.config["TEST_LINKS"] = make_rounds(database)
    database.conn.close()
    return application


@pytest.fixture
def links(app) -> Links:
    return app.config["TEST_LINKS"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app, db_path):
    database = store.connect(db_path)
    yield database
    database.conn.close()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    if not match:
        match = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"',
                          html)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def live_server(app):
    from tests.live import serve

    with serve(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from tests.live import chromium

    with chromium() as instance:
        yield instance
