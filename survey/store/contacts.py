"""Municipalities' contact addresses and the reminders sent to them.
"""

from __future__ import annotations

import sqlite_utils

from survey.store.audit import record, record_audit
from survey.store.connection import decode, now, transaction


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
            value = decode(row["value"])
            if isinstance(value, str) and "@" in value:
                found.setdefault(row["municipality_code"], value.strip())
    return found


def record_reminder(db: sqlite_utils.Database, round_id: str, municipality_code: str,
                    email: str, actor: str | None, new_link: bool) -> None:
    record(db, actor, "reminder_sent", "reminder", None, round_id=round_id,
           municipality_code=municipality_code, after={"to": email, "new_link": new_link})
