"""Per-theme score bands that turn a score into auto-accept, review or auto-reject.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from survey.store.audit import audit_row
from survey.store.code_statuses import AUTO_ACCEPTED, AUTO_REJECTED, MACHINE_STATUSES, TO_REVIEW
from survey.store.connection import now, transaction
from survey.store.errors import ReviewError


@dataclass(frozen=True)
class Band:
    """Per-theme thresholds: score >= accept_at is auto-accepted, score < reject_below is
    auto-rejected, anything between goes to review. None switches a side off."""

    accept_at: float | None = None
    reject_below: float | None = None

    def status(self, score: float | None, negated: bool) -> str:
        if negated:
            return AUTO_REJECTED  # a theme mentioned only as absent is not suggested
        if score is None:
            return TO_REVIEW
        if self.accept_at is not None and score >= self.accept_at:
            return AUTO_ACCEPTED
        if self.reject_below is not None and score < self.reject_below:
            return AUTO_REJECTED
        return TO_REVIEW


def thresholds(db: sqlite_utils.Database, codebook: str) -> dict[str, Band]:
    return {row["code"]: Band(row["accept_at"], row["reject_below"]) for row in db.query(
        "SELECT * FROM code_thresholds WHERE codebook = ?", [codebook])}


def threshold_rows(db: sqlite_utils.Database, codebook: str) -> dict[str, dict]:
    return {row["code"]: row for row in db.query(
        "SELECT * FROM code_thresholds WHERE codebook = ?", [codebook])}


def status_for_codebook(db: sqlite_utils.Database, codebook: str) -> Callable[[dict], str]:
    """The band function ``store_codes`` uses: the theme's thresholds, else to review."""
    bands = thresholds(db, codebook)

    def status_for(code: dict) -> str:
        band = bands.get(code["code"], Band())
        return band.status(code.get("score"), bool(code.get("negated")))
    return status_for


def set_threshold(db: sqlite_utils.Database, codebook: str, code: str,
                  accept_at: float | None, reject_below: float | None, actor: str | None
                  ) -> int:
    """Store a theme's bands and re-band its undecided auto-codes; returns how many moved."""
    if accept_at is not None and reject_below is not None and reject_below > accept_at:
        raise ReviewError("bands_cross", "reject_below is above accept_at")
    band = Band(accept_at, reject_below)
    moved = 0
    with transaction(db):
        before = next(db.query("SELECT accept_at, reject_below FROM code_thresholds WHERE "
                               "codebook = ? AND code = ?", [codebook, code]), None)
        db.execute(
            "INSERT INTO code_thresholds (codebook, code, accept_at, reject_below, updated_at, "
            "updated_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(codebook, code) DO UPDATE SET "
            "accept_at = excluded.accept_at, reject_below = excluded.reject_below, "
            "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            [codebook, code, accept_at, reject_below, now(), actor])
        marks = ",".join("?" * len(MACHINE_STATUSES))
        for row in list(db.query(
                f"SELECT id, score, negated, status FROM codes WHERE codebook = ? AND code = ? "
                f"AND status IN ({marks})", [codebook, code, *MACHINE_STATUSES])):
            status = band.status(row["score"], bool(row["negated"]))
            if status != row["status"]:
                db.execute("UPDATE codes SET status = ?, auto_status = ? WHERE id = ?",
                           [status, status, row["id"]])
                moved += 1
        audit_row(db, actor, "code_thresholds_changed", "code_threshold", f"{codebook}/{code}",
               before=before, after={"accept_at": accept_at, "reject_below": reject_below,
                                     "codes_moved": moved})
    return moved
