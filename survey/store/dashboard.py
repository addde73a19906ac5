"""Where each invited municipality stands in a round, for the dashboard and exports.

Counts come from one GROUP BY over the invited set; the full per-municipality rows are built
only where a page or an export shows them. Links and reminders are aggregated once per round
for the municipalities asked about (a reminder subquery per municipality scanned the whole
audit log each time); answers are counted per response through their primary key's index.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

from survey.store.connection import DRAFT, NOT_STARTED, REOPENED, SUBMITTED
from survey.store.responses import answers_for_round
from survey.store.rounds import rounds

STATUSES = (NOT_STARTED, DRAFT, SUBMITTED, REOPENED)

# Who a round counts: every municipality with a response or an invitation (even a revoked
# one) in that round, once, and only municipalities whose county is known.
_INVITED = """
    SELECT o.id AS round_id, m.code, m.county_code, c.name AS county_name,
           COALESCE(r.status, 'not_started') AS status
    FROM rounds o
    CROSS JOIN municipalities m
    JOIN counties c ON c.code = m.county_code
    LEFT JOIN responses r ON r.round_id = o.id AND r.municipality_code = m.code
    WHERE (:round IS NULL OR o.id = :round)
      AND (r.id IS NOT NULL OR EXISTS (SELECT 1 FROM invitations i
           WHERE i.round_id = o.id AND i.municipality_code = m.code))
      AND (:county IS NULL OR m.county_code = :county)"""


def round_summaries(db: sqlite_utils.Database, county_code: str | None = None) -> list[dict]:
    """Each round with how many were invited and how many submitted, within the county."""
    tallies: dict[str, dict[str, int]] = {}
    sql = f"""SELECT round_id, status, COUNT(*) AS n FROM ({_INVITED})
              GROUP BY round_id, status"""
    for row in db.query(sql, {"round": None, "county": county_code}):
        tallies.setdefault(row["round_id"], {})[row["status"]] = row["n"]
    return [{**round_row, **_from_tally(tallies.get(round_row["id"], {}))}
            for round_row in rounds(db)]


def status_counts(db: sqlite_utils.Database, round_id: str, county_code: str | None = None
                  ) -> tuple[dict[str, Any], list[dict]]:
    """What ``counts`` and ``county_summaries`` give for every invited municipality of the
    round, counted in SQL: a page that lists only some rows still shows the whole round."""
    sql = f"""SELECT county_code, county_name, status, COUNT(*) AS n FROM ({_INVITED})
              GROUP BY county_code, status ORDER BY county_code"""
    overall: dict[str, int] = {}
    by_county: dict[str, tuple[str, dict[str, int]]] = {}
    for row in db.query(sql, {"round": round_id, "county": county_code}):
        overall[row["status"]] = overall.get(row["status"], 0) + row["n"]
        by_county.setdefault(row["county_code"], (row["county_name"], {}))[1][row["status"]] = (
            row["n"])
    counties = [{"code": code, "name": name, **_from_tally(tally)}
                for code, (name, tally) in sorted(by_county.items())]
    return _from_tally(overall), counties


def status_rows(db: sqlite_utils.Database, round_id: str, county_code: str | None = None,
                status: str | None = None) -> list[dict]:
    """Every invited municipality of a round (or one with a response) and where it stands."""
    return _status_rows(db, round_id, county_code, status, None)


def _status_rows(db: sqlite_utils.Database, round_id: str, county_code: str | None,
                 status: str | None, code: str | None) -> list[dict]:
    sql = """
        WITH nearby AS (
               SELECT code FROM municipalities
               WHERE (:county IS NULL OR county_code = :county)
                 AND (:code IS NULL OR code = :code)),
             links AS (
               SELECT municipality_code, MAX(created_at) AS invited_at,
                      SUM(revoked_at IS NULL) AS active_links
               FROM invitations WHERE round_id = :round AND municipality_code IN nearby
               GROUP BY municipality_code),
             reminders AS (
               SELECT municipality_code, MAX(at) AS reminded_at FROM audit_log
               WHERE action = 'reminder_sent' AND round_id = :round
                 AND municipality_code IN nearby
               GROUP BY municipality_code)
        SELECT m.code, m.name, m.name_short, m.county_code, c.name AS county_name,
               COALESCE(r.status, 'not_started') AS status, r.id AS response_id,
               r.updated_at, r.updated_by, r.submitted_at, r.submitted_by,
               (SELECT COUNT(*) FROM answers a WHERE a.response_id = r.id) AS answer_count,
               COALESCE(l.active_links, 0) AS active_links,
               l.invited_at, rm.reminded_at
        FROM municipalities m
        JOIN counties c ON c.code = m.county_code
        LEFT JOIN responses r ON r.round_id = :round AND r.municipality_code = m.code
        LEFT JOIN links l ON l.municipality_code = m.code
        LEFT JOIN reminders rm ON rm.municipality_code = m.code
        WHERE (r.id IS NOT NULL OR l.municipality_code IS NOT NULL)
          AND (:county IS NULL OR m.county_code = :county)
          AND (:status IS NULL OR COALESCE(r.status, 'not_started') = :status)
          AND (:code IS NULL OR m.code = :code)
        ORDER BY m.county_code, m.code"""
    rows = list(db.query(sql, {"round": round_id, "county": county_code, "status": status,
                               "code": code}))
    for row in rows:
        row["last_activity"] = row["updated_at"] or row["invited_at"]
    return rows


def counts(rows: Iterable[dict]) -> dict[str, Any]:
    """Counts per status and the response rate (submitted of invited)."""
    tally: dict[str, int] = {}
    for row in rows:
        tally[row["status"]] = tally.get(row["status"], 0) + 1
    return _from_tally(tally)


def _from_tally(found: dict[str, int]) -> dict[str, Any]:
    """Every status counted (zero when none), an unknown status refused as before."""
    tally = dict.fromkeys(STATUSES, 0)
    for status, number in found.items():
        if status not in tally:
            raise KeyError(status)
        tally[status] += number
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
    found = _status_rows(db, round_id, None, None, code)
    return found[0] if found else None


def export_rows(db: sqlite_utils.Database, round_id: str, county_code: str | None = None
                ) -> tuple[list[dict], dict[str, dict[str, Any]]]:
    """Status rows of the round and every answer keyed by municipality code."""
    return (status_rows(db, round_id, county_code),
            answers_for_round(db, round_id, county_code))
