"""Answers carried over from the round a follow-up round follows, until confirmed or edited.

A follow-up response may start from the municipality's own answers in the previous round.
Each such answer has a row in ``carried_over``: 'carried' until the respondent confirms it
unchanged ('confirmed') or changes it ('edited', set by ``save_answers``). The history row of
the carried value has kind 'carried_over', so the history keeps where the value came from.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from survey.store.connection import SUBMITTED, now, transaction
from survey.store.errors import ResponseLocked
from survey.store.responses import _PageSave, clean_text

CARRIED, CONFIRMED, EDITED = "carried", "confirmed", "edited"


def carry_over_answers(db: sqlite_utils.Database, response_id: int, values: dict[str, Any],
                       from_response_id: int, actor: str | None) -> list[str]:
    """Copy ``values`` (the previous round's answers) into the response where nothing is
    answered yet, each marked 'carried'; the names copied, in one transaction."""
    with transaction(db):
        response = next(db.query("SELECT * FROM responses WHERE id = ?", [response_id]))
        if response["status"] == SUBMITTED:
            raise ResponseLocked("submitted", "the response is submitted")
        save = _PageSave(db, response, actor, kind="carried_over")
        for question, value in values.items():
            if question not in save.stored and value is not None:
                save.apply(question, clean_text(value))
        for question in save.changed:
            db.execute(
                "INSERT OR REPLACE INTO carried_over (response_id, question, from_response_id, "
                "state, carried_at, carried_by) VALUES (?, ?, ?, ?, ?, ?)",
                [response_id, question, from_response_id, CARRIED, save.stamp, actor])
        save.finish(None)
        return list(save.changed)


def carried_over(db: sqlite_utils.Database, response_id: int) -> dict[str, str]:
    """Question -> state ('carried', 'confirmed' or 'edited') of every carried-over answer."""
    return {row["question"]: row["state"] for row in db.query(
        "SELECT question, state FROM carried_over WHERE response_id = ?", [response_id])}


def unconfirmed(db: sqlite_utils.Database, response_id: int) -> set[str]:
    """Carried-over answers neither confirmed nor edited yet."""
    return {q for q, state in carried_over(db, response_id).items() if state == CARRIED}


def confirm_carried(db: sqlite_utils.Database, response_id: int, questions: list[str],
                    actor: str | None) -> list[str]:
    """Confirm the still-carried answers among ``questions`` as unchanged; the names confirmed."""
    if not questions:
        return []
    marks = ", ".join("?" * len(questions))
    with transaction(db):
        status = next(db.query("SELECT status FROM responses WHERE id = ?", [response_id]))
        if status["status"] == SUBMITTED:
            raise ResponseLocked("submitted", "the response is submitted")
        confirmed = [row["question"] for row in db.query(
            f"SELECT question FROM carried_over WHERE response_id = ? AND state = ? "
            f"AND question IN ({marks}) ORDER BY question",
            [response_id, CARRIED, *questions])]
        db.execute(
            f"UPDATE carried_over SET state = ?, decided_at = ?, decided_by = ? "
            f"WHERE response_id = ? AND state = ? AND question IN ({marks})",
            [CONFIRMED, now(), actor, response_id, CARRIED, *questions])
    return confirmed


def confirmed_unchanged(db: sqlite_utils.Database, response_id: int) -> list[str]:
    """Answers taken over from the previous round and confirmed unchanged."""
    return [row["question"] for row in db.query(
        "SELECT question FROM carried_over WHERE response_id = ? AND state = ? ORDER BY question",
        [response_id, CONFIRMED])]


def confirmed_unchanged_for_round(db: sqlite_utils.Database, round_id: str
                                  ) -> dict[str, list[str]]:
    """Municipality code -> the answers confirmed unchanged, for a whole round (exports)."""
    result: dict[str, list[str]] = {}
    for row in db.query(
            "SELECT r.municipality_code, c.question FROM carried_over c JOIN responses r "
            "ON r.id = c.response_id WHERE r.round_id = ? AND c.state = ? "
            "ORDER BY r.municipality_code, c.question", [round_id, CONFIRMED]):
        result.setdefault(row["municipality_code"], []).append(row["question"])
    return result
