"""Background jobs as the application sees them: what was asked for, by whom, how far it got
and where its file is. The queue itself (what a worker picks up next) is huey's storage; this
table is what the pages show and what survives a restart of the server.

A job's ``key`` names what it produces (``report:2020-06:13:pdf:<revision>``): two requests
with the same key while one is queued, running or done share that job.
"""

from __future__ import annotations

import hashlib
from typing import Any

import sqlite_utils

from survey.store.connection import now, transaction

QUEUED, RUNNING, DONE, FAILED, INTERRUPTED = "queued", "running", "done", "failed", "interrupted"
LIVE_STATUSES = (QUEUED, RUNNING, DONE)  # a new request for the same key shares these
ACTIVE_STATUSES = (QUEUED, RUNNING)

# What a report reads, as cheap aggregates: when any of them changes, the report may differ.
# Answers and responses count only once submitted, so a draft being typed elsewhere does not
# make a finished report stale.
_REVISION_PARTS = (
    "SELECT group_concat(id || '|' || title || '|' || questionnaire_hash || '|' || "
    "IFNULL(follows, '') || '|' || IFNULL(reference_number, '') || '|' || "
    "IFNULL(addressee, '') || '|' || IFNULL(partners, '') || '|' || "
    "IFNULL(county_deadline, '') || '|' || IFNULL(report_due, '') || '|' || opens_on || '|' || "
    "closes_on, ';') FROM (SELECT * FROM rounds ORDER BY id)",
    "SELECT count(*) || ':' || total(revision) || ':' || IFNULL(max(submitted_at), '') "
    "FROM responses WHERE status = 'submitted'",
    "SELECT count(*) || ':' || total(a.revision) || ':' || IFNULL(max(a.updated_at), '') "
    "FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.status = 'submitted'",
    "SELECT count(*) || ':' || IFNULL(max(id), 0) || ':' || IFNULL(max(decided_at), '') || "
    "':' || total(length(status) * id) FROM codes",
    "SELECT count(*) || ':' || IFNULL(max(id), 0) || ':' || count(undone_at) "
    "FROM code_decisions",
    "SELECT count(*) || ':' || IFNULL(max(id), 0) || ':' || count(undone_at) "
    "FROM answer_reviews",
    "SELECT count(*) || ':' || IFNULL(max(id), 0) || ':' || count(undone_at) "
    "FROM blind_decisions",
    "SELECT count(*) || ':' || IFNULL(max(updated_at), '') FROM code_thresholds",
    "SELECT count(*) || ':' || total(revision) || ':' || IFNULL(max(updated_at), '') "
    "FROM assessments",
    "SELECT count(*) || ':' || IFNULL(max(id), 0) || ':' || IFNULL(max(chosen_at), '') || "
    "':' || total(included * id) FROM quote_choices",
    "SELECT count(*) || ':' || IFNULL(max(id), 0) FROM sources",
    "SELECT count(*) || ':' || IFNULL(max(delivered_at), '') || ':' || "
    "IFNULL(max(sent_back_at), '') || ':' || IFNULL(group_concat(status), '') FROM deliveries",
)


def data_revision(db: sqlite_utils.Database) -> str:
    """A fingerprint of everything a report is built from; equal fingerprints, equal data."""
    sql = "SELECT " + ", ".join(f"({part})" for part in _REVISION_PARTS)
    row = db.execute(sql).fetchone()
    text = "\n".join("" if value is None else str(value) for value in row)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def create_or_share(db: sqlite_utils.Database, job_id: str, kind: str, key: str,
                    round_id: str, requested_by: int | None, requested_by_actor: str | None,
                    **fields: Any) -> tuple[dict, bool]:
    """A new queued job, unless one with this key is live: then that one (checked and
    inserted in one transaction, so two requests at the same moment make one job).
    Returns (job, created)."""
    row = {"id": job_id, "kind": kind, "key": key, "round_id": round_id, "status": QUEUED,
           "stage": QUEUED, "requested_by": requested_by,
           "requested_by_actor": requested_by_actor, "created_at": now(), **fields}
    with transaction(db):
        shared = live_job(db, key)
        if shared is not None:
            return shared, False
        db["jobs"].insert(row)
    return get_job(db, job_id), True


def get_job(db: sqlite_utils.Database, job_id: str) -> dict | None:
    return next(db.query("SELECT * FROM jobs WHERE id = ?", [job_id]), None)


def live_job(db: sqlite_utils.Database, key: str) -> dict | None:
    """The job a new request with this key should share: the newest queued, running or done."""
    marks = ", ".join("?" for _ in LIVE_STATUSES)
    return next(db.query(
        f"SELECT * FROM jobs WHERE key = ? AND status IN ({marks}) "
        "ORDER BY created_at DESC, rowid DESC LIMIT 1", [key, *LIVE_STATUSES]), None)


def jobs_for_round(db: sqlite_utils.Database, round_id: str, kind: str,
                   limit: int = 50) -> list[dict]:
    return list(db.query(
        "SELECT * FROM jobs WHERE round_id = ? AND kind = ? "
        "ORDER BY created_at DESC, rowid DESC LIMIT ?", [round_id, kind, limit]))


def active_jobs(db: sqlite_utils.Database) -> list[dict]:
    marks = ", ".join("?" for _ in ACTIVE_STATUSES)
    return list(db.query(f"SELECT * FROM jobs WHERE status IN ({marks})", ACTIVE_STATUSES))


def set_task(db: sqlite_utils.Database, job_id: str, task_id: str) -> None:
    with transaction(db):
        db.execute("UPDATE jobs SET task_id = ? WHERE id = ?", [task_id, job_id])


def claim_job(db: sqlite_utils.Database, job_id: str, worker: str) -> bool:
    """Queued → running for this worker; False when the job is gone or no longer queued
    (a stale queue entry, or another worker was first)."""
    stamp = now()
    with transaction(db):
        cursor = db.execute(
            "UPDATE jobs SET status = ?, stage = ?, worker = ?, started_at = ?, "
            "heartbeat_at = ? WHERE id = ? AND status = ?",
            [RUNNING, RUNNING, worker, stamp, stamp, job_id, QUEUED])
    return cursor.rowcount == 1


def set_stage(db: sqlite_utils.Database, job_id: str, stage: str) -> None:
    with transaction(db):
        db.execute("UPDATE jobs SET stage = ?, heartbeat_at = ? WHERE id = ? AND status = ?",
                   [stage, now(), job_id, RUNNING])


def heartbeat(db: sqlite_utils.Database, job_id: str) -> None:
    with transaction(db):
        db.execute("UPDATE jobs SET heartbeat_at = ? WHERE id = ? AND status = ?",
                   [now(), job_id, RUNNING])


def finish_job(db: sqlite_utils.Database, job_id: str, file: str) -> None:
    with transaction(db):
        db.execute("UPDATE jobs SET status = ?, stage = ?, file = ?, finished_at = ? "
                   "WHERE id = ?", [DONE, DONE, file, now(), job_id])


def fail_job(db: sqlite_utils.Database, job_id: str, error: str) -> None:
    with transaction(db):
        db.execute("UPDATE jobs SET status = ?, stage = ?, error = ?, finished_at = ? "
                   "WHERE id = ?", [FAILED, FAILED, error, now(), job_id])


def interrupt_jobs(db: sqlite_utils.Database, job_ids: list[str]) -> int:
    """Mark jobs whose worker is gone; only those still queued or running change."""
    if not job_ids:
        return 0
    marks = ", ".join("?" for _ in job_ids)
    states = ", ".join("?" for _ in ACTIVE_STATUSES)
    with transaction(db):
        cursor = db.execute(
            f"UPDATE jobs SET status = ?, stage = ?, finished_at = ? WHERE id IN ({marks}) "
            f"AND status IN ({states})",
            [INTERRUPTED, INTERRUPTED, now(), *job_ids, *ACTIVE_STATUSES])
    return cursor.rowcount
