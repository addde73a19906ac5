"""The one module that owns the database: connections, migrations and every query.

Views and commands call the functions here and never build SQL themselves. Writes run
inside ``transaction()`` (BEGIN IMMEDIATE), so a failed request leaves nothing half-saved,
and every change to an answer keeps its previous value in ``answer_history``.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

DATA_DIR = Path(__file__).parent / "data"
migrations = Migrations("lagesbild")

# Response statuses, in the order a response moves through them.
NOT_STARTED, DRAFT, SUBMITTED, REOPENED = "not_started", "draft", "submitted", "reopened"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open the database with settings that suit a multi-threaded web server."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 30000")
    return db


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """All or nothing: BEGIN IMMEDIATE so two writers queue instead of failing mid-way."""
    conn = db.conn
    if conn.in_transaction:
        conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.rollback()
        raise
    else:
        conn.commit()


# ---------------------------------------------------------------- migrations


@migrations(name="m001_initial")
def _m001_initial(db: sqlite_utils.Database) -> None:
    _run_statements(db, """
        CREATE TABLE counties (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, name_short TEXT NOT NULL);
        CREATE TABLE municipalities (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, name_short TEXT NOT NULL,
            county_code TEXT NOT NULL REFERENCES counties(code));
        CREATE TABLE questionnaire_versions (
            hash TEXT PRIMARY KEY, questionnaire_id TEXT NOT NULL, version TEXT NOT NULL,
            source TEXT NOT NULL, loaded_at TEXT NOT NULL);
        CREATE TABLE rounds (
            id TEXT PRIMARY KEY, title TEXT NOT NULL,
            questionnaire_hash TEXT NOT NULL REFERENCES questionnaire_versions(hash),
            opens_on TEXT NOT NULL, closes_on TEXT NOT NULL,
            follows TEXT REFERENCES rounds(id), created_at TEXT NOT NULL);
        CREATE TABLE responses (
            id INTEGER PRIMARY KEY,
            round_id TEXT NOT NULL REFERENCES rounds(id),
            municipality_code TEXT NOT NULL REFERENCES municipalities(code),
            status TEXT NOT NULL DEFAULT 'draft',
            revision INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT,
            submitted_at TEXT, submitted_by TEXT,
            UNIQUE (round_id, municipality_code));
        CREATE TABLE answers (
            response_id INTEGER NOT NULL REFERENCES responses(id),
            question TEXT NOT NULL, value TEXT NOT NULL,
            revision INTEGER NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT,
            PRIMARY KEY (response_id, question));
        CREATE TABLE answer_history (
            id INTEGER PRIMARY KEY,
            response_id INTEGER NOT NULL REFERENCES responses(id),
            question TEXT NOT NULL, old_value TEXT, new_value TEXT,
            changed_at TEXT NOT NULL, changed_by TEXT);
        CREATE INDEX answer_history_response ON answer_history(response_id, question);
        CREATE TABLE invitations (
            id INTEGER PRIMARY KEY,
            round_id TEXT NOT NULL REFERENCES rounds(id),
            municipality_code TEXT NOT NULL REFERENCES municipalities(code),
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL, revoked_at TEXT);
        """)


def _run_statements(db: sqlite_utils.Database, script: str) -> None:
    # Statement by statement (not executescript, which commits) so a migration stays atomic.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations(name="m002_history_kind_and_last_page")
def _m002_history_kind(db: sqlite_utils.Database) -> None:
    # 'change' for an applied edit, 'conflict' for a save that lost an optimistic-lock race
    # (kept so that nothing typed is ever lost).
    db.execute("ALTER TABLE answer_history ADD COLUMN kind TEXT NOT NULL DEFAULT 'change'")
    db.execute("ALTER TABLE responses ADD COLUMN last_page TEXT")


def migration_sets() -> list[Migrations]:
    """Core first, then each area's own ordered set (their tables reference core's)."""
    from survey import db_accounts, db_codes

    return [migrations, db_accounts.migrations, db_codes.migrations]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations of every set; return the names applied."""
    applied = []
    for migration_set in migration_sets():
        applied += [m.name for m in migration_set.pending(db)]
        migration_set.apply(db)
    return applied


def load_organisations(db: sqlite_utils.Database) -> None:
    """Counties and municipalities from the packaged SCB lists (idempotent)."""
    with transaction(db):
        with open(DATA_DIR / "counties.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                db.execute(
                    "INSERT INTO counties (code, name, name_short) VALUES (?, ?, ?) "
                    "ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
                    "name_short = excluded.name_short",
                    [row["county_code"], row["county_name"], row["county_name_short"]])
        with open(DATA_DIR / "municipalities.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                db.execute(
                    "INSERT INTO municipalities (code, name, name_short, county_code) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
                    "name_short = excluded.name_short, county_code = excluded.county_code",
                    [row["municipality_code"], row["municipality_name"],
                     row["municipality_name_short"], row["county_code"]])


def init(db: sqlite_utils.Database) -> list[str]:
    applied = migrate(db)
    load_organisations(db)
    return applied


# ---------------------------------------------------------------- organisations


def counties(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM counties ORDER BY code"))


def county(db: sqlite_utils.Database, code: str) -> dict | None:
    return next(db.query("SELECT * FROM counties WHERE code = ?", [code]), None)


def municipalities(db: sqlite_utils.Database, county_code: str | None = None) -> list[dict]:
    if county_code:
        return list(db.query(
            "SELECT * FROM municipalities WHERE county_code = ? ORDER BY code", [county_code]))
    return list(db.query("SELECT * FROM municipalities ORDER BY code"))


def municipality(db: sqlite_utils.Database, code: str) -> dict | None:
    return next(db.query("SELECT * FROM municipalities WHERE code = ?", [code]), None)


# ---------------------------------------------------------------- questionnaires and rounds


def store_questionnaire(db: sqlite_utils.Database, questionnaire_id: str, version: str,
                        source: str, digest: str) -> None:
    """Keep an exact copy of a questionnaire version; rounds point at it by hash."""
    db.execute(
        "INSERT OR IGNORE INTO questionnaire_versions "
        "(hash, questionnaire_id, version, source, loaded_at) VALUES (?, ?, ?, ?, ?)",
        [digest, questionnaire_id, version, source, now()])
    db.conn.commit()


def questionnaire_source(db: sqlite_utils.Database, digest: str) -> dict | None:
    return next(db.query("SELECT * FROM questionnaire_versions WHERE hash = ?", [digest]), None)


def latest_questionnaire(db: sqlite_utils.Database, questionnaire_id: str) -> dict | None:
    return next(db.query(
        "SELECT * FROM questionnaire_versions WHERE questionnaire_id = ? "
        "ORDER BY loaded_at DESC, rowid DESC LIMIT 1", [questionnaire_id]), None)


class RoundError(ValueError):
    pass


def create_round(db: sqlite_utils.Database, round_id: str, title: str, questionnaire_hash: str,
                 opens_on: str, closes_on: str, follows: str | None = None) -> dict:
    if get_round(db, round_id):
        raise RoundError(f"round '{round_id}' already exists")
    if not questionnaire_source(db, questionnaire_hash):
        raise RoundError("unknown questionnaire version")
    if follows and not get_round(db, follows):
        raise RoundError(f"round '{follows}' to follow up does not exist")
    if date.fromisoformat(opens_on) > date.fromisoformat(closes_on):
        raise RoundError("the round closes before it opens")
    with transaction(db):
        db.execute(
            "INSERT INTO rounds (id, title, questionnaire_hash, opens_on, closes_on, follows, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [round_id, title, questionnaire_hash, opens_on, closes_on, follows, now()])
    return get_round(db, round_id)


def get_round(db: sqlite_utils.Database, round_id: str) -> dict | None:
    return next(db.query("SELECT * FROM rounds WHERE id = ?", [round_id]), None)


def rounds(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM rounds ORDER BY opens_on, id"))


def round_is_open(round_row: dict, today: date | None = None) -> bool:
    today = today or date.today()
    return date.fromisoformat(round_row["opens_on"]) <= today <= date.fromisoformat(
        round_row["closes_on"])


# ---------------------------------------------------------------- invitations


def add_invitation(db: sqlite_utils.Database, round_id: str, municipality_code: str,
                   token_hash: str) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO invitations (round_id, municipality_code, token_hash, created_at) "
            "VALUES (?, ?, ?, ?)", [round_id, municipality_code, token_hash, now()])


def invitation_by_hash(db: sqlite_utils.Database, token_hash: str) -> dict | None:
    return next(db.query(
        "SELECT * FROM invitations WHERE token_hash = ? AND revoked_at IS NULL",
        [token_hash]), None)


def revoke_invitations(db: sqlite_utils.Database, round_id: str, municipality_code: str) -> int:
    with transaction(db):
        cursor = db.execute(
            "UPDATE invitations SET revoked_at = ? WHERE round_id = ? AND "
            "municipality_code = ? AND revoked_at IS NULL", [now(), round_id, municipality_code])
    return cursor.rowcount


# ---------------------------------------------------------------- responses and answers


def encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def get_response(db: sqlite_utils.Database, round_id: str, municipality_code: str
                 ) -> dict | None:
    return next(db.query(
        "SELECT * FROM responses WHERE round_id = ? AND municipality_code = ?",
        [round_id, municipality_code]), None)


def ensure_response(db: sqlite_utils.Database, round_id: str, municipality_code: str,
                    actor: str | None) -> dict:
    """The one response of a municipality in a round, created on first visit."""
    existing = get_response(db, round_id, municipality_code)
    if existing:
        return existing
    with transaction(db):
        db.execute(
            "INSERT OR IGNORE INTO responses (round_id, municipality_code, status, revision, "
            "created_at, updated_at, updated_by) VALUES (?, ?, ?, 0, ?, ?, ?)",
            [round_id, municipality_code, DRAFT, now(), now(), actor])
    return get_response(db, round_id, municipality_code)


def answers(db: sqlite_utils.Database, response_id: int) -> dict[str, Any]:
    return {row["question"]: decode(row["value"]) for row in db.query(
        "SELECT question, value FROM answers WHERE response_id = ?", [response_id])}


def answer_rows(db: sqlite_utils.Database, response_id: int) -> dict[str, dict]:
    return {row["question"]: row for row in db.query(
        "SELECT * FROM answers WHERE response_id = ?", [response_id])}


def history(db: sqlite_utils.Database, response_id: int, question: str | None = None
            ) -> list[dict]:
    sql = "SELECT * FROM answer_history WHERE response_id = ?"
    params: list[Any] = [response_id]
    if question:
        sql += " AND question = ?"
        params.append(question)
    rows = list(db.query(sql + " ORDER BY id", params))
    for row in rows:
        row["old_value"], row["new_value"] = decode(row["old_value"]), decode(row["new_value"])
    return rows


class ResponseLocked(Exception):
    """The response cannot be changed: submitted, or its round is closed."""


@dataclass
class Conflict:
    """A value someone else saved after this form was opened."""

    question: str
    yours: Any
    theirs: Any
    their_author: str | None
    their_time: str


@dataclass
class SaveResult:
    revision: int
    changed: list[str]
    conflicts: list[Conflict]


def save_answers(db: sqlite_utils.Database, response_id: int, values: dict[str, Any],
                 base_revision: int | None, actor: str | None, page: str | None = None,
                 allow_locked: bool = False,
                 hidden: Callable[[dict[str, Any]], list[str]] | None = None) -> SaveResult:
    """Save a page of answers with optimistic locking, in one transaction.

    ``values`` maps question name to its new value (None removes the answer). A question that
    someone else changed after ``base_revision`` to something other than ours is a conflict:
    their value stays, ours is kept in the history as kind 'conflict' and handed back so the
    page can show both. Everything else is saved. None of it is lost.

    ``hidden(stored_answers) -> names`` then clears answers the saved values made irrelevant;
    it is skipped when there was a conflict, because the answer that controls relevance may be
    the one that lost.
    """
    with transaction(db):
        response = next(db.query("SELECT * FROM responses WHERE id = ?", [response_id]))
        if response["status"] == SUBMITTED and not allow_locked:
            raise ResponseLocked("submitted")
        revision = response["revision"] + 1
        stored = {row["question"]: row for row in db.query(
            "SELECT * FROM answers WHERE response_id = ?", [response_id])}
        changed, conflicts, stamp = [], [], now()

        def apply(question: str, value: Any) -> None:
            row = stored.get(question)
            if value is None:
                db.execute("DELETE FROM answers WHERE response_id = ? AND question = ?",
                           [response_id, question])
                stored.pop(question, None)
            else:
                db.execute(
                    "INSERT INTO answers (response_id, question, value, revision, updated_at, "
                    "updated_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(response_id, question) "
                    "DO UPDATE SET value = excluded.value, revision = excluded.revision, "
                    "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                    [response_id, question, encode(value), revision, stamp, actor])
                stored[question] = {"value": encode(value), "revision": revision}
            db.execute(
                "INSERT INTO answer_history (response_id, question, old_value, new_value, "
                "changed_at, changed_by, kind) VALUES (?, ?, ?, ?, ?, ?, 'change')",
                [response_id, question, row["value"] if row else None,
                 None if value is None else encode(value), stamp, actor])
            changed.append(question)

        for question, value in values.items():
            row = stored.get(question)
            old = decode(row["value"]) if row else None
            if old == value:
                continue
            if (row is not None and base_revision is not None
                    and row["revision"] > base_revision):
                conflicts.append(Conflict(question, value, old, row["updated_by"],
                                          row["updated_at"]))
                db.execute(
                    "INSERT INTO answer_history (response_id, question, old_value, new_value, "
                    "changed_at, changed_by, kind) VALUES (?, ?, ?, ?, ?, ?, 'conflict')",
                    [response_id, question, row["value"], encode(value), stamp, actor])
                continue
            apply(question, value)
        if hidden is not None and not conflicts:
            current = {name: decode(row["value"]) for name, row in stored.items()}
            for question in hidden(current):
                apply(question, None)
        if changed or page:
            db.execute(
                "UPDATE responses SET revision = ?, updated_at = ?, updated_by = ?, "
                "last_page = COALESCE(?, last_page) WHERE id = ?",
                [revision if changed else response["revision"], stamp, actor, page,
                 response_id])
        return SaveResult(revision if changed else response["revision"], changed, conflicts)


def set_status(db: sqlite_utils.Database, response_id: int, status: str,
               actor: str | None) -> None:
    stamp = now()
    with transaction(db):
        if status == SUBMITTED:
            db.execute(
                "UPDATE responses SET status = ?, submitted_at = ?, submitted_by = ?, "
                "updated_at = ?, updated_by = ?, revision = revision + 1 WHERE id = ?",
                [status, stamp, actor, stamp, actor, response_id])
        else:
            db.execute(
                "UPDATE responses SET status = ?, updated_at = ?, updated_by = ?, "
                "revision = revision + 1 WHERE id = ?", [status, stamp, actor, response_id])


def response_by_id(db: sqlite_utils.Database, response_id: int) -> dict | None:
    return next(db.query("SELECT * FROM responses WHERE id = ?", [response_id]), None)


def in_county(county_code: str | None, params: list[Any]) -> str:
    """The SQL condition (and its parameter) that limits a query joined to municipalities `m`
    to one county; nothing when all counties are wanted."""
    if not county_code:
        return ""
    params.append(county_code)
    return " AND m.county_code = ?"


def responses_for_round(db: sqlite_utils.Database, round_id: str,
                        county_code: str | None = None) -> list[dict]:
    sql = ("SELECT r.*, m.name AS municipality_name, m.county_code FROM responses r "
           "JOIN municipalities m ON m.code = r.municipality_code WHERE r.round_id = ?")
    params: list[Any] = [round_id]
    sql += in_county(county_code, params)
    return list(db.query(sql + " ORDER BY r.municipality_code", params))


def answers_for_round(db: sqlite_utils.Database, round_id: str,
                      county_code: str | None = None) -> dict[str, dict[str, Any]]:
    """Every answer of a round keyed by municipality code, in one query."""
    sql = ("SELECT r.municipality_code, a.question, a.value FROM answers a "
           "JOIN responses r ON r.id = a.response_id "
           "JOIN municipalities m ON m.code = r.municipality_code WHERE r.round_id = ?")
    params: list[Any] = [round_id]
    sql += in_county(county_code, params)
    result: dict[str, dict[str, Any]] = {}
    for row in db.query(sql, params):
        result.setdefault(row["municipality_code"], {})[row["question"]] = decode(row["value"])
    return result
