"""The audit log: who did what, written in the same transaction as the change.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from survey.store.connection import decode, now, transaction
from survey.store.organisations import municipality


def record_audit(db: sqlite_utils.Database, actor: str | None, action: str, entity: str,
           entity_id: Any = None, round_id: str | None = None,
           municipality_code: str | None = None, county_code: str | None = None,
           before: Any = None, after: Any = None) -> None:
    """One audit row, written inside the caller's transaction."""
    if municipality_code and not county_code:
        found = municipality(db, municipality_code)
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
        row["before"], row["after"] = decode(row["before"]), decode(row["after"])
    return rows




def audit_row(db: sqlite_utils.Database, actor: str | None, action: str, entity: str,
              entity_id: Any = None, **scope: Any) -> None:
    """An audit-log row inside the caller's transaction, when the accounts area exists."""

    record_audit(db, actor, action, entity, entity_id, **scope)
