"""Shared fixtures: a real SQLite file per test, the app, clients, and invitation links."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from collections.abc import Callable
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


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder `build` fills once per test run, shared by every xdist worker: the first to
    ask builds it under a file lock, the others wait for it and read it. Whole-country demos
    take seconds each; tests copy what they change out of it (`copy_db`)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's own folder, above each worker's
    folder = root / f"built-once-{name}"
    with open(root / f"built-once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed half-way
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


def copy_db(source: Path, target: Path) -> Path:
    """A closed SQLite file (its WAL checkpointed on close) copied for one test to change."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


@pytest.fixture(scope="session")
def whole_demo(tmp_path_factory) -> Path:
    """`demo.build` with its defaults (all 290 municipalities, no auto-coding), built once:
    tests that change it take a `copy_db`."""
    from survey.services import demo

    return built_once(tmp_path_factory, "demo",
                      lambda folder: demo.build(folder / "demo.db")) / "demo.db"


@dataclass
class DemoRun:
    """What `lagesbild demo --no-serve` printed, and the database it built at `path`."""

    exit_code: int
    output: str
    path: Path


@pytest.fixture(scope="session")
def demo_command(tmp_path_factory) -> DemoRun:
    """One run of `lagesbild demo --no-serve` (the whole country, auto-coded: the slowest
    command there is) for every test that only reads what it printed and built."""
    from click.testing import CliRunner

    from survey.cli import cli

    def run(folder: Path) -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("LAGESBILD_DB", str(folder / "demo.db"))
            patch.delenv("LAGESBILD_MAIL_OUTBOX", raising=False)
            result = CliRunner().invoke(cli, ["demo", "--no-serve"])
        (folder / "exit_code").write_text(str(result.exit_code), encoding="utf-8")
        (folder / "output").write_text(result.output, encoding="utf-8")

    folder = built_once(tmp_path_factory, "demo-command", run)
    return DemoRun(int((folder / "exit_code").read_text(encoding="utf-8")),
                   (folder / "output").read_text(encoding="utf-8"), folder / "demo.db")


def pytest_sessionstart(session):
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller compiled them before starting it
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


@pytest.fixture(scope="session")
def risks():
    """The risks coder without a model: rule tests read what the rules alone decide (a test
    module may define its own `risks`, which then wins)."""
    from coding.coder import rules_only_coder

    return rules_only_coder("risks")


@pytest.fixture(scope="session")
def measures():
    """The measures coder without a model (see `risks`)."""
    from coding.coder import rules_only_coder

    return rules_only_coder("measures")
