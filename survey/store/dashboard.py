"""Where each invited municipality stands in a round, for the dashboard and exports.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

from survey.store.connection import DRAFT, NOT_STARTED, REOPENED, SUBMITTED
from survey.store.responses import answers_for_round
from survey.store.rounds import rounds

STATUSES = (NOT_STARTED, DRAFT, SUBMITTED, REOPENED)


def round_summaries(db: sqlite_utils.Database, county_code: str | None = None) -> list[dict]:
    """Each round with how many were invited and how many submitted, within the county."""
    result = []
    for round_row in rounds(db):
        rows = status_rows(db, round_row["id"], county_code)
        result.append({**round_row, **counts(rows)})
    return result




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
    rate = tally[SUBMITTED] / invited if invited else 0.0
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




def export_rows(db: sqlite_utils.Database, round_id: str, county_code: str | None = None
                ) -> tuple[list[dict], dict[str, dict[str, Any]]]:
    """Status rows of the round and every answer keyed by municipality code."""
    return (status_rows(db, round_id, county_code),
            answers_for_round(db, round_id, county_code))
