"""Questionnaire versions: the exact YAML text a round pinned, by its sha256.

A round keeps the YAML text it was opened with (and its hash), so editing the file later never
reinterprets old answers; the parsed questionnaire is cached per hash, as a version never
changes.
"""

from __future__ import annotations

import threading

import sqlite_utils

from survey.questionnaire import loader
from survey.questionnaire.model import Questionnaire
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


_BY_HASH: dict[str, Questionnaire] = {}
# Parsing takes a second or more; a freshly started server's threads all ask at once, and
# without the lock each of them would parse the same version (and share the CPU doing it).
_PARSING = threading.Lock()


def pinned_questionnaire(db: sqlite_utils.Database, digest: str) -> Questionnaire:
    """The questionnaire stored under this hash; KeyError when there is none."""
    found = _BY_HASH.get(digest)
    if found is not None:
        return found
    with _PARSING:
        if digest not in _BY_HASH:
            row = questionnaire_source(db, digest)
            if row is None:
                raise KeyError(digest)
            _BY_HASH[digest] = loader.loads(
                row["source"], f"{row['questionnaire_id']} {row['version']} (stored)")
    return _BY_HASH[digest]


def round_questionnaire(db: sqlite_utils.Database, round_row: dict) -> Questionnaire:
    return pinned_questionnaire(db, round_row["questionnaire_hash"])


def newest_questionnaire(db: sqlite_utils.Database, questionnaire_id: str
                         ) -> Questionnaire | None:
    row = latest_questionnaire(db, questionnaire_id)
    return pinned_questionnaire(db, row["hash"]) if row else None
