"""Login attempts, counted per account and per address to limit guessing.

An attempt is reserved (written as a failure) before its password is checked, inside one
``BEGIN IMMEDIATE`` transaction together with the count that decides whether it may be
checked at all: parallel requests queue on that lock, so 30 wrong passwords sent at once are
counted one after the other and at most the limit of them reach argon2. A successful check
then turns its reservation into a success.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def _counts(db: sqlite_utils.Database, email: str, ip: str, minutes: int
            ) -> tuple[int, int, int]:
    since = (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat(timespec="seconds")
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
    by_ip_account = next(db.query(
        "SELECT COUNT(*) AS n FROM login_attempts WHERE ip = ? AND email = ? AND success = 0 "
        "AND at >= ?", [ip, email, account_since]))["n"]
    return by_account, by_ip, by_ip_account


def recent_failures(db: sqlite_utils.Database, email: str, ip: str, minutes: int
                    ) -> tuple[int, int]:
    """Failed logins within the window, for this account and from this address.

    A success resets the count for the account (failures before it no longer count).
    Reserved attempts whose check has not finished count as failures.
    """
    by_account, by_ip, _ = _counts(db, email.strip().lower(), ip, minutes)
    return by_account, by_ip


@dataclass
class LoginReservation:
    attempt_id: int
    refused: bool  # too many failures: refuse without checking the password
    address_limited: bool  # this address is over its limit (a failure answers 429)


def reserve_login(db: sqlite_utils.Database, email: str, ip: str, minutes: int,
                  max_account: int, max_ip: int) -> LoginReservation:
    """Count and reserve one attempt atomically (the reservation counts as a failure).

    Refused: the account has ``max_account`` failures (from any address) since its last
    success; or the address has ``max_ip`` failures in the window *and* this e-mail has
    already failed from that address since. So a flood of junk e-mails from one address
    never stops a coordinator behind it who types the right password, while guessing from
    that address gets at most one more try per account per window.
    """
    email = email.strip().lower()
    with transaction(db):
        by_account, by_ip, by_ip_account = _counts(db, email, ip, minutes)
        address_limited = by_ip >= max_ip
        refused = by_account >= max_account or (address_limited and by_ip_account > 0)
        cursor = db.execute(
            "INSERT INTO login_attempts (at, email, ip, success) VALUES (?, ?, ?, 0)",
            [now(), email, ip])
        return LoginReservation(cursor.lastrowid, refused, address_limited)


def login_succeeded(db: sqlite_utils.Database, attempt_id: int, email: str,
                    user_id: int) -> None:
    """Turn a reserved attempt into a success (which resets the account's count)."""
    with transaction(db):
        db.execute("UPDATE login_attempts SET success = 1, at = ? WHERE id = ?",
                   [now(), attempt_id])
        db.execute("UPDATE users SET last_login_at = ? WHERE id = ?", [now(), user_id])
        record_audit(db, email, "login", "user", user_id)


def end_sessions(db: sqlite_utils.Database, user_id: int) -> None:
    """Every session of the account ends (logout): the account's session epoch moves on, so
    a cookie copied before the logout no longer names a valid session."""
    with transaction(db):
        db.execute("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = ?",
                   [user_id])


def prune_login_attempts(db: sqlite_utils.Database, older_than_days: int = 30) -> None:
    cutoff = (datetime.now(UTC) - timedelta(days=older_than_days)).isoformat(timespec="seconds")
    with transaction(db):
        db.execute("DELETE FROM login_attempts WHERE at < ?", [cutoff])
