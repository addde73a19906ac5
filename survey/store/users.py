"""Coordinators' accounts and roles.
"""

from __future__ import annotations

import sqlite_utils

from survey.store.audit import record_audit
from survey.store.connection import now, transaction
from survey.store.errors import AccountError
from survey.store.organisations import county

COUNTY_COORDINATOR, NATIONAL_COORDINATOR, ADMIN = (
    "county_coordinator", "national_coordinator", "admin")
ROLES = (COUNTY_COORDINATOR, NATIONAL_COORDINATOR, ADMIN)




def create_user(db: sqlite_utils.Database, email: str, name: str, role: str,
                county_code: str | None, password_hash: str, actor: str | None) -> dict:
    if role not in ROLES:
        raise AccountError("unknown_role", f"unknown role '{role}'")
    if role == COUNTY_COORDINATOR and not (county_code and county(db, county_code)):
        raise AccountError("county_required", "a county coordinator needs an existing county code")
    if role != COUNTY_COORDINATOR:
        county_code = None
    if user_by_email(db, email):
        raise AccountError("account_exists", f"an account for {email} already exists")
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
