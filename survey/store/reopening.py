"""Reopening a submitted response, and the record of each submission.
"""

from __future__ import annotations

import sqlite_utils

from survey.store.audit import record, record_audit
from survey.store.connection import DRAFT, NOT_STARTED, REOPENED, SUBMITTED, now, transaction
from survey.store.errors import ReopenError
from survey.store.invitations import invitations
from survey.store.organisations import municipality
from survey.store.responses import get_response, response_by_id
from survey.store.rounds import get_round, round_is_open


def reopen(db: sqlite_utils.Database, round_id: str, municipality_code: str,
           actor: str | None, reason: str = "") -> dict:
    """Make a response editable again, after submission or after the closing date.

    A municipality that never started gets an empty reopened response, so it can still answer
    after the round closed. Status and audit row are one transaction.
    """
    round_row = get_round(db, round_id)
    if round_row is None or municipality(db, municipality_code) is None:
        raise ReopenError("unknown_municipality", "unknown round or municipality")
    response = get_response(db, round_id, municipality_code)
    before = response["status"] if response else NOT_STARTED
    if before == REOPENED:
        raise ReopenError("already_reopened", "already reopened")
    if response is None and not invitations(db, round_id, municipality_code):
        raise ReopenError("not_invited", "the municipality is not invited to this round")
    if before != SUBMITTED and round_is_open(round_row):
        raise ReopenError("still_open", "the response can already be changed")
    stamp = now()
    with transaction(db):
        if response is None:
            db.execute(
                "INSERT INTO responses (round_id, municipality_code, status, revision, "
                "created_at, updated_at, updated_by) VALUES (?, ?, ?, 0, ?, ?, ?)",
                [round_id, municipality_code, REOPENED, stamp, stamp, actor])
        else:
            db.execute(
                "UPDATE responses SET status = ?, updated_at = ?, updated_by = ?, "
                "revision = revision + 1 WHERE id = ?",
                [REOPENED, stamp, actor, response["id"]])
        record_audit(db, actor, "response_reopened", "response",
               response["id"] if response else None, round_id=round_id,
               municipality_code=municipality_code, before={"status": before},
               after={"status": REOPENED, "reason": reason or None})
    return get_response(db, round_id, municipality_code)


def record_submission(db: sqlite_utils.Database, response_id: int) -> None:
    """The audit row for a submission (called from the on-submit hook)."""
    response = response_by_id(db, response_id)
    if response is None:
        return
    previous = next(db.query(
        "SELECT action FROM audit_log WHERE entity = 'response' AND round_id = ? AND "
        "municipality_code = ? AND action IN ('response_reopened', 'response_submitted') "
        "ORDER BY id DESC LIMIT 1",
        [response["round_id"], response["municipality_code"]]), None)
    before = REOPENED if previous and previous["action"] == "response_reopened" \
        else DRAFT
    record(db, response["submitted_by"], "response_submitted", "response", response_id,
           round_id=response["round_id"], municipality_code=response["municipality_code"],
           before={"status": before},
           after={"status": response["status"], "submitted_at": response["submitted_at"]})
