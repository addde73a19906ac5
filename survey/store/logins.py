"""Login attempts, counted per account and per address to limit guessing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils

from survey.store.audit import record_audit
from survey.store.connection import now, transaction


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
