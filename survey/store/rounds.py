"""Survey rounds: each pinned to one questionnaire version, opening and closing on dates.
"""

from __future__ import annotations

from datetime import date

import sqlite_utils

from survey.store.audit import record
from survey.store.connection import now, transaction
from survey.store.errors import RoundError
from survey.store.questionnaires import questionnaire_source


def create_round(db: sqlite_utils.Database, round_id: str, title: str, questionnaire_hash: str,
                 opens_on: str, closes_on: str, follows: str | None = None,
                 actor: str | None = None) -> dict:
    """Create a round and its audit row in one transaction."""
    if get_round(db, round_id):
        raise RoundError("round_exists", f"round '{round_id}' already exists")
    if not questionnaire_source(db, questionnaire_hash):
        raise RoundError("unknown_version", "unknown questionnaire version")
    if follows and not get_round(db, follows):
        raise RoundError("unknown_follows", f"round '{follows}' to follow up does not exist")
    if date.fromisoformat(opens_on) > date.fromisoformat(closes_on):
        raise RoundError("closes_before_opens", "the round closes before it opens")
    with transaction(db):
        db.execute(
            "INSERT INTO rounds (id, title, questionnaire_hash, opens_on, closes_on, follows, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [round_id, title, questionnaire_hash, opens_on, closes_on, follows, now()])
        record(db, actor, "round_created", "round", round_id, round_id=round_id,
               after={"title": title, "questionnaire_hash": questionnaire_hash,
                      "opens_on": opens_on, "closes_on": closes_on, "follows": follows})
    return get_round(db, round_id)


def get_round(db: sqlite_utils.Database, round_id: str) -> dict | None:
    return next(db.query("SELECT * FROM rounds WHERE id = ?", [round_id]), None)


def rounds(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM rounds ORDER BY opens_on, id"))


def round_is_open(round_row: dict, today: date | None = None) -> bool:
    today = today or date.today()
    return date.fromisoformat(round_row["opens_on"]) <= today <= date.fromisoformat(
        round_row["closes_on"])
