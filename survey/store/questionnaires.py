"""Questionnaire versions: the exact YAML text a round pinned, by its sha256.
"""

from __future__ import annotations

import sqlite_utils

from survey.store.connection import now


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


def questionnaire_ids(db: sqlite_utils.Database) -> list[str]:
    """Questionnaires a new round can pin (it pins the latest stored version of one)."""
    return [row["questionnaire_id"] for row in db.query(
        "SELECT DISTINCT questionnaire_id FROM questionnaire_versions ORDER BY questionnaire_id")]
