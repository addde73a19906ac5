"""Tables and queries for coordinators: accounts, the audit log, invitations, status, export.

Core (``survey.db``) owns responses and answers; this module owns who may look at them and the
record of what everyone did. Every write runs inside ``survey.db.transaction`` together with its
audit row, so an action and its trace are committed or rolled back as one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from survey import access
from survey import db as store
from survey.db import now, transaction

migrations = Migrations("lagesbild-accounts")

COUNTY_COORDINATOR, NATIONAL_COORDINATOR, ADMIN = (
    "county_coordinator", "national_coordinator", "admin")
ROLES = (COUNTY_COORDINATOR, NATIONAL_COORDINATOR, ADMIN)
STATUSES = (store.NOT_STARTED, store.DRAFT, store.SUBMITTED, store.REOPENED)


# ---------------------------------------------------------------- migrations


@migrations(name="a001_users")
def _a001_users(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN
                ('county_coordinator', 'national_coordinator', 'admin')),
            county_code TEXT REFERENCES counties(code),
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            session_epoch INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            last_login_at TEXT,
            CHECK (role != 'county_coordinator' OR county_code IS NOT NULL))""")


@migrations(name="a002_audit_log")
def _a002_audit_log(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT,
            round_id TEXT,
            municipality_code TEXT,
            county_code TEXT,
            before TEXT,
            after TEXT)""")
    db.execute("CREATE INDEX audit_log_scope ON audit_log(county_code, round_id)")
    db.execute("CREATE INDEX audit_log_at ON audit_log(at)")


@migrations(name="a003_login_attempts")
def _a003_login_attempts(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE login_attempts (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            email TEXT NOT NULL,
            ip TEXT NOT NULL,
            success INTEGER NOT NULL)""")
    db.execute("CREATE INDEX login_attempts_email ON login_attempts(email, at)")
    db.execute("CREATE INDEX login_attempts_ip ON login_attempts(ip, at)")


@migrations(name="a004_contacts")
def _a004_contacts(db: sqlite_utils.Database) -> None:
    # Where reminders go when nobody in the municipality has typed an address yet.
    db.execute("""
        CREATE TABLE contacts (
            municipality_code TEXT PRIMARY KEY REFERENCES municipalities(code),
            email TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT)""")


# ---------------------------------------------------------------- audit log


def record_audit(db: sqlite_utils.Database, actor: str | None, action: str, entity: str,
           entity_id: Any = None, round_id: str | None = None,
           municipality_code: str | None = None, county_code: str | None = None,
           before: Any = None, after: Any = None) -> None:
    """One audit row, written inside the caller's transaction."""
    if municipality_code and not county_code:
        found = store.municipality(db, municipality_code)
        county_code = found["county_code"] if found else None
    db.execute(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, round_id, "
        "municipality_code, county_code, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [now(), actor, action, entity, None if entity_id is None else str(entity_id),
         round_id, municipality_code, county_code, _json(before), _json(after)])


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def record(db: sqlite_utils.Database, actor: str | None, action: str, entity: str,
           entity_id: Any = None, **scope: Any) -> None:
    """An audit row in its own transaction, for events with no other write."""
    with transaction(db):
        record_audit(db, actor, action, entity, entity_id, **scope)


AUDIT_COLUMNS = ("source", "id", "at", "actor", "action", "entity", "entity_id", "round_id",
                 "municipality_code", "county_code", "before", "after")


def audit_entries(db: sqlite_utils.Database, county_code: str | None = None,
                  round_id: str | None = None, municipality_code: str | None = None,
                  include_accounts: bool = False, limit: int | None = 200,
                  offset: int = 0) -> list[dict]:
    """The audit log and every answer change, newest first, limited to one county if given.

    Answer changes live in core's ``answer_history``; they are read here so that a
    coordinator sees one timeline. Account events have no county and are shown to admins only.
    """
    sql = """
        SELECT * FROM (
          SELECT 'audit' AS source, id, at, actor, action, entity, entity_id, round_id,
                 municipality_code, county_code, before, after FROM audit_log
          UNION ALL
          SELECT 'answer', h.id, h.changed_at, h.changed_by,
                 CASE h.kind WHEN 'conflict' THEN 'answer_conflict' ELSE 'answer_changed' END,
                 'answer', h.question, r.round_id, r.municipality_code, m.county_code,
                 h.old_value, h.new_value
          FROM answer_history h JOIN responses r ON r.id = h.response_id
          JOIN municipalities m ON m.code = r.municipality_code)
        WHERE 1 = 1"""
    params: list[Any] = []
    if county_code:
        sql += " AND county_code = ?"
        params.append(county_code)
    if round_id:
        sql += " AND round_id = ?"
        params.append(round_id)
    if municipality_code:
        sql += " AND municipality_code = ?"
        params.append(municipality_code)
    if not include_accounts:
        sql += " AND entity != 'user'"
    sql += " ORDER BY at DESC, source, id DESC"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    rows = list(db.query(sql, params))
    for row in rows:
        row["before"], row["after"] = store.decode(row["before"]), store.decode(row["after"])
    return rows


# ---------------------------------------------------------------- users


def create_user(db: sqlite_utils.Database, email: str, name: str, role: str,
                county_code: str | None, password_hash: str, actor: str | None) -> dict:
    if role not in ROLES:
        raise ValueError(f"unknown role '{role}'")
    if role == COUNTY_COORDINATOR and not (county_code and store.county(db, county_code)):
        raise ValueError("a county coordinator needs an existing county code")
    if role != COUNTY_COORDINATOR:
        county_code = None
    if user_by_email(db, email):
        raise ValueError(f"an account for {email} already exists")
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO users (email, name, role, county_code, password_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [email.strip(), name.strip(), role, county_code, password_hash, now()])
        user_id = cursor.lastrowid
        record_audit(db, actor, "user_created", "user", user_id, county_code=county_code,
               after={"email": email, "name": name, "role": role, "county_code": county_code})
    return get_user(db, user_id)


def get_user(db: sqlite_utils.Database, user_id: int) -> dict | None:
    return next(db.query("SELECT * FROM users WHERE id = ?", [user_id]), None)


def user_by_email(db: sqlite_utils.Database, email: str) -> dict | None:
    return next(db.query("SELECT * FROM users WHERE email = ? COLLATE NOCASE",
                         [email.strip()]), None)


def users(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM users ORDER BY role, county_code, email"))


def set_active(db: sqlite_utils.Database, user_id: int, active: bool, actor: str | None) -> None:
    """(De)activate an account; its open sessions end because the epoch moves on."""
    with transaction(db):
        before = get_user(db, user_id)
        db.execute("UPDATE users SET active = ?, session_epoch = session_epoch + 1 "
                   "WHERE id = ?", [int(active), user_id])
        record_audit(db, actor, "user_activated" if active else "user_deactivated", "user", user_id,
               before={"active": bool(before["active"])}, after={"active": active})


def set_password(db: sqlite_utils.Database, user_id: int, password_hash: str,
                 actor: str | None, end_sessions: bool = True) -> None:
    with transaction(db):
        db.execute("UPDATE users SET password_hash = ?, session_epoch = session_epoch + ? "
                   "WHERE id = ?", [password_hash, int(end_sessions), user_id])
        if actor is not None:
            record_audit(db, actor, "password_changed", "user", user_id)


def rehash_password(db: sqlite_utils.Database, user_id: int, password_hash: str) -> None:
    """A stronger hash of the same password after a parameter upgrade (not an audit event)."""
    with transaction(db):
        db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [password_hash, user_id])


# ---------------------------------------------------------------- login attempts


def record_login(db: sqlite_utils.Database, email: str, ip: str, success: bool,
                 user_id: int | None = None) -> None:
    with transaction(db):
        db.execute("INSERT INTO login_attempts (at, email, ip, success) VALUES (?, ?, ?, ?)",
                   [now(), email.strip().lower(), ip, int(success)])
        if success and user_id is not None:
            db.execute("UPDATE users SET last_login_at = ? WHERE id = ?", [now(), user_id])
            record_audit(db, email, "login", "user", user_id)


def recent_failures(db: sqlite_utils.Database, email: str, ip: str, minutes: int
                    ) -> tuple[int, int]:
    """Failed logins within the window, for this account and from this address.

    A success resets the count for the account (failures before it no longer count).
    """
    since = (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat(timespec="seconds")
    email = email.strip().lower()
    last_success = next(db.query(
        "SELECT MAX(at) AS at FROM login_attempts WHERE email = ? AND success = 1",
        [email]))["at"]
    account_since = max(since, last_success) if last_success else since
    by_account = next(db.query(
        "SELECT COUNT(*) AS n FROM login_attempts WHERE email = ? AND success = 0 AND at >= ?",
        [email, account_since]))["n"]
    by_ip = next(db.query(
        "SELECT COUNT(*) AS n FROM login_attempts WHERE ip = ? AND success = 0 AND at >= ?",
        [ip, since]))["n"]
    return by_account, by_ip


def prune_login_attempts(db: sqlite_utils.Database, older_than_days: int = 30) -> None:
    cutoff = (datetime.now(UTC) - timedelta(days=older_than_days)).isoformat(timespec="seconds")
    with transaction(db):
        db.execute("DELETE FROM login_attempts WHERE at < ?", [cutoff])


# ---------------------------------------------------------------- rounds


def create_round(db: sqlite_utils.Database, round_id: str, title: str, questionnaire_hash: str,
                 opens_on: str, closes_on: str, follows: str | None, actor: str | None) -> dict:
    """Core creates the round (its checks); the audit row follows it."""
    round_row = store.create_round(db, round_id, title, questionnaire_hash, opens_on,
                                   closes_on, follows)
    record(db, actor, "round_created", "round", round_id, round_id=round_id,
           after={k: round_row[k] for k in ("title", "questionnaire_hash", "opens_on",
                                            "closes_on", "follows")})
    return round_row


def round_summaries(db: sqlite_utils.Database, county_code: str | None = None) -> list[dict]:
    """Each round with how many were invited and how many submitted, within the county."""
    result = []
    for round_row in store.rounds(db):
        rows = status_rows(db, round_row["id"], county_code)
        result.append({**round_row, **counts(rows)})
    return result


# ---------------------------------------------------------------- status dashboard


def status_rows(db: sqlite_utils.Database, round_id: str, county_code: str | None = None,
                status: str | None = None) -> list[dict]:
    """Every invited municipality of a round (or one with a response) and where it stands."""
    sql = """
        SELECT m.code, m.name, m.name_short, m.county_code, c.name AS county_name,
               COALESCE(r.status, 'not_started') AS status, r.id AS response_id,
               r.updated_at, r.updated_by, r.submitted_at, r.submitted_by,
               (SELECT COUNT(*) FROM answers a WHERE a.response_id = r.id) AS answer_count,
               (SELECT COUNT(*) FROM invitations i WHERE i.round_id = :round
                  AND i.municipality_code = m.code AND i.revoked_at IS NULL) AS active_links,
               (SELECT MAX(created_at) FROM invitations i WHERE i.round_id = :round
                  AND i.municipality_code = m.code) AS invited_at,
               (SELECT MAX(at) FROM audit_log l WHERE l.action = 'reminder_sent'
                  AND l.round_id = :round AND l.municipality_code = m.code) AS reminded_at
        FROM municipalities m
        JOIN counties c ON c.code = m.county_code
        LEFT JOIN responses r ON r.round_id = :round AND r.municipality_code = m.code
        WHERE (r.id IS NOT NULL OR EXISTS (SELECT 1 FROM invitations i
               WHERE i.round_id = :round AND i.municipality_code = m.code))
          AND (:county IS NULL OR m.county_code = :county)
          AND (:status IS NULL OR COALESCE(r.status, 'not_started') = :status)
        ORDER BY m.county_code, m.code"""
    rows = list(db.query(sql, {"round": round_id, "county": county_code, "status": status}))
    for row in rows:
        row["last_activity"] = row["updated_at"] or row["invited_at"]
    return rows


def counts(rows: Iterable[dict]) -> dict[str, Any]:
    """Counts per status and the response rate (submitted of invited)."""
    tally = dict.fromkeys(STATUSES, 0)
    for row in rows:
        tally[row["status"]] += 1
    invited = sum(tally.values())
    rate = tally[store.SUBMITTED] / invited if invited else 0.0
    return {"invited": invited, "counts": tally, "rate": rate}


def county_summaries(rows: list[dict]) -> list[dict]:
    by_county: dict[str, list[dict]] = {}
    for row in rows:
        by_county.setdefault(row["county_code"], []).append(row)
    return [{"code": code, "name": group[0]["county_name"], **counts(group)}
            for code, group in sorted(by_county.items())]


def status_row(db: sqlite_utils.Database, round_id: str, code: str) -> dict | None:
    found = [row for row in status_rows(db, round_id) if row["code"] == code]
    return found[0] if found else None


# ---------------------------------------------------------------- invitations


def issue_invitation(db: sqlite_utils.Database, round_id: str, municipality_code: str,
                     token_hash: str, actor: str | None) -> int:
    """A new link for a municipality; any earlier link of the round stops working.

    Returns how many earlier links were revoked (0 for a first invitation).
    """
    with transaction(db):
        stamp = now()
        revoked = db.execute(
            "UPDATE invitations SET revoked_at = ? WHERE round_id = ? AND municipality_code = ? "
            "AND revoked_at IS NULL", [stamp, round_id, municipality_code]).rowcount
        cursor = db.execute(
            "INSERT INTO invitations (round_id, municipality_code, token_hash, created_at) "
            "VALUES (?, ?, ?, ?)", [round_id, municipality_code, token_hash, stamp])
        record_audit(db, actor, "invitation_reissued" if revoked else "invitation_issued",
               "invitation", cursor.lastrowid, round_id=round_id,
               municipality_code=municipality_code,
               before={"active_links": revoked}, after={"active_links": 1})
    return revoked


def revoke_invitation(db: sqlite_utils.Database, round_id: str, municipality_code: str,
                      actor: str | None) -> int:
    with transaction(db):
        revoked = db.execute(
            "UPDATE invitations SET revoked_at = ? WHERE round_id = ? AND municipality_code = ? "
            "AND revoked_at IS NULL", [now(), round_id, municipality_code]).rowcount
        if revoked:
            record_audit(db, actor, "invitation_revoked", "invitation", None, round_id=round_id,
                   municipality_code=municipality_code, before={"active_links": revoked},
                   after={"active_links": 0})
    return revoked


def active_invitation_codes(db: sqlite_utils.Database, round_id: str) -> set[str]:
    return {row["municipality_code"] for row in db.query(
        "SELECT DISTINCT municipality_code FROM invitations WHERE round_id = ? "
        "AND revoked_at IS NULL", [round_id])}


def invitations(db: sqlite_utils.Database, round_id: str, municipality_code: str) -> list[dict]:
    """The invitation history of one municipality (never the token: only its hash exists)."""
    return list(db.query(
        "SELECT id, created_at, revoked_at FROM invitations WHERE round_id = ? "
        "AND municipality_code = ? ORDER BY id", [round_id, municipality_code]))


# ---------------------------------------------------------------- reopening


class ReopenError(ValueError):
    pass


def reopen(db: sqlite_utils.Database, round_id: str, municipality_code: str,
           actor: str | None, reason: str = "") -> dict:
    """Make a response editable again, after submission or after the closing date.

    A municipality that never started gets an empty reopened response, so it can still answer
    after the round closed. Status and audit row are one transaction.
    """
    round_row = store.get_round(db, round_id)
    if round_row is None or store.municipality(db, municipality_code) is None:
        raise ReopenError("unknown round or municipality")
    response = store.get_response(db, round_id, municipality_code)
    before = response["status"] if response else store.NOT_STARTED
    if before == store.REOPENED:
        raise ReopenError("already reopened")
    if response is None and not invitations(db, round_id, municipality_code):
        raise ReopenError("the municipality is not invited to this round")
    if before != store.SUBMITTED and store.round_is_open(round_row):
        raise ReopenError("the response can already be changed")
    stamp = now()
    with transaction(db):
        if response is None:
            db.execute(
                "INSERT INTO responses (round_id, municipality_code, status, revision, "
                "created_at, updated_at, updated_by) VALUES (?, ?, ?, 0, ?, ?, ?)",
                [round_id, municipality_code, store.REOPENED, stamp, stamp, actor])
        else:
            db.execute(
                "UPDATE responses SET status = ?, updated_at = ?, updated_by = ?, "
                "revision = revision + 1 WHERE id = ?",
                [store.REOPENED, stamp, actor, response["id"]])
        record_audit(db, actor, "response_reopened", "response",
               response["id"] if response else None, round_id=round_id,
               municipality_code=municipality_code, before={"status": before},
               after={"status": store.REOPENED, "reason": reason or None})
    return store.get_response(db, round_id, municipality_code)


def record_submission(db: sqlite_utils.Database, response_id: int) -> None:
    """The audit row for a submission (called from the on-submit hook)."""
    response = store.response_by_id(db, response_id)
    if response is None:
        return
    previous = next(db.query(
        "SELECT action FROM audit_log WHERE entity = 'response' AND round_id = ? AND "
        "municipality_code = ? AND action IN ('response_reopened', 'response_submitted') "
        "ORDER BY id DESC LIMIT 1",
        [response["round_id"], response["municipality_code"]]), None)
    before = store.REOPENED if previous and previous["action"] == "response_reopened" \
        else store.DRAFT
    record(db, response["submitted_by"], "response_submitted", "response", response_id,
           round_id=response["round_id"], municipality_code=response["municipality_code"],
           before={"status": before},
           after={"status": response["status"], "submitted_at": response["submitted_at"]})


# ---------------------------------------------------------------- contacts


def contact(db: sqlite_utils.Database, municipality_code: str) -> dict | None:
    return next(db.query("SELECT * FROM contacts WHERE municipality_code = ?",
                         [municipality_code]), None)


def set_contact(db: sqlite_utils.Database, municipality_code: str, email: str | None,
                actor: str | None) -> None:
    with transaction(db):
        before = contact(db, municipality_code)
        if email:
            db.execute(
                "INSERT INTO contacts (municipality_code, email, updated_at, updated_by) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(municipality_code) DO UPDATE SET "
                "email = excluded.email, updated_at = excluded.updated_at, "
                "updated_by = excluded.updated_by", [municipality_code, email, now(), actor])
        else:
            db.execute("DELETE FROM contacts WHERE municipality_code = ?", [municipality_code])
        record_audit(db, actor, "contact_changed", "contact", municipality_code,
               municipality_code=municipality_code,
               before={"email": before["email"]} if before else None,
               after={"email": email} if email else None)


def answered_emails(db: sqlite_utils.Database, round_ids: list[str]) -> dict[str, str]:
    """Addresses respondents typed (questions whose name mentions e-mail), newest round first."""
    found: dict[str, str] = {}
    for round_id in round_ids:
        for row in db.query(
                "SELECT r.municipality_code, a.value FROM answers a "
                "JOIN responses r ON r.id = a.response_id WHERE r.round_id = ? AND "
                "(a.question LIKE '%email%' OR a.question LIKE '%e_post%') "
                "ORDER BY a.updated_at", [round_id]):
            value = store.decode(row["value"])
            if isinstance(value, str) and "@" in value:
                found.setdefault(row["municipality_code"], value.strip())
    return found


def record_reminder(db: sqlite_utils.Database, round_id: str, municipality_code: str,
                    email: str, actor: str | None, new_link: bool) -> None:
    record(db, actor, "reminder_sent", "reminder", None, round_id=round_id,
           municipality_code=municipality_code, after={"to": email, "new_link": new_link})


# ---------------------------------------------------------------- export


def export_rows(db: sqlite_utils.Database, round_id: str, county_code: str | None = None
                ) -> tuple[list[dict], dict[str, dict[str, Any]]]:
    """Status rows of the round and every answer keyed by municipality code."""
    return (status_rows(db, round_id, county_code),
            store.answers_for_round(db, round_id, county_code))


def questionnaire_ids(db: sqlite_utils.Database) -> list[str]:
    """Questionnaires a new round can pin (it pins the latest stored version of one)."""
    return [row["questionnaire_id"] for row in db.query(
        "SELECT DISTINCT questionnaire_id FROM questionnaire_versions ORDER BY questionnaire_id")]


def issue_links(db: sqlite_utils.Database, round_id: str, municipalities: list[dict],
                actor: str | None, only_new: bool = False) -> list[tuple[dict, str]]:
    """A fresh secret link for each municipality; returns (municipality, token) pairs.

    The token exists only in the return value (the caller shows or prints it once); the
    database keeps its hash. With ``only_new``, municipalities that already have a working
    link keep it and are left out.
    """
    skip = active_invitation_codes(db, round_id) if only_new else set()
    issued = []
    for municipality in municipalities:
        if municipality["code"] in skip:
            continue
        token, token_hash = access.new_token()
        issue_invitation(db, round_id, municipality["code"], token_hash, actor)
        issued.append((municipality, token))
    return issued
