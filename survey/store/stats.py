"""Read-only figures for operations: how far each round has come, and whether the database
is reachable with every migration applied (for ``/healthz`` and ``lagesbild stats``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from survey.store.code_statuses import PRIMARY
from survey.store.schema import migration_sets

STAT_COLUMNS = ("invited", "started", "submitted", "coded", "reviewed")


def round_stats(db: sqlite_utils.Database) -> list[dict]:
    """Per round, counted in municipalities: invited (a link was issued), started (a response
    exists), submitted (sent, and not reopened since), coded (a sent response with at least
    one code) and reviewed (a sent response with at least one answer marked reviewed)."""
    sql = """
        SELECT r.id AS round_id, r.title,
          (SELECT COUNT(DISTINCT i.municipality_code) FROM invitations i
             WHERE i.round_id = r.id) AS invited,
          (SELECT COUNT(*) FROM responses s WHERE s.round_id = r.id) AS started,
          (SELECT COUNT(*) FROM responses s WHERE s.round_id = r.id
             AND s.status = 'submitted') AS submitted,
          (SELECT COUNT(*) FROM responses s WHERE s.round_id = r.id
             AND s.status IN ('submitted', 'reopened')
             AND EXISTS (SELECT 1 FROM codes c WHERE c.response_id = s.id)) AS coded,
          (SELECT COUNT(*) FROM responses s WHERE s.round_id = r.id
             AND s.status IN ('submitted', 'reopened')
             AND EXISTS (SELECT 1 FROM answer_reviews v WHERE v.response_id = s.id
                         AND v.mode = :primary AND v.undone_at IS NULL)) AS reviewed
        FROM rounds r ORDER BY r.opens_on, r.id"""
    return list(db.query(sql, {"primary": PRIMARY}))


def health(path: str | Path) -> dict[str, str]:
    """``{"database": "ok" | reason, "migrations": "current" | reason}``, opening the file
    read-only so that a check never creates or changes a database."""
    result = {"database": "ok", "migrations": "current"}
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return {"database": "unreachable", "migrations": "unknown"}
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        db = sqlite_utils.Database(conn)
        pending = [m.name for s in migration_sets() for m in s.pending(db)]
        if pending:
            result["migrations"] = f"pending: {', '.join(pending)}"
    except sqlite3.Error:
        # No reason in the answer: the check is public, and the reason names files.
        return {"database": "unreachable", "migrations": "unknown"}
    finally:
        conn.close()
    return result
