"""County and national compilation: what the coordinators write, choose and deliver (#11).

The API the report side reads (all names exported by ``survey.store``):

Round settings (columns of ``rounds``, so ``get_round`` rows carry them):
    ``set_round_report_settings(db, round_id, *, reference_number, addressee, partners,
    county_deadline, report_due, actor)`` -> the round row. ``reference_number`` e.g.
    "S2020/05273/SOF", ``addressee`` e.g. "Regeringskansliet (Socialdepartementet)",
    ``partners`` free text, ``county_deadline`` (ISO date the counties deliver by) and
    ``report_due`` (ISO date of the national report); every value may be None.

Written assessments, per (round, county_code or None for national, area or None for overall):
    ``assessment(db, round_id, county_code, area)`` -> row or None: id, round_id, county_code,
    area, text, revision, updated_at, updated_by. ``assessments(db, round_id, county_code)``
    -> {area or None: row} for one county (``county_code=None``: the national texts).
    ``all_county_assessments(db, round_id)`` -> {county_code: {area or None: row}}.
    ``save_assessment(db, round_id, county_code, area, text, base_revision, actor)`` ->
    ``AssessmentSave``; ``assessment_history(db, assessment_id)`` -> old/new values.
    The text is plain paragraphs (blank line between) and lists with lines starting "- ";
    ``reports.written.blocks(text)`` splits it for a renderer.

Quote choices, per (round, county, response, question, passage start/end):
    ``quote_choices(db, round_id, county_code)`` -> rows: id, response_id,
    municipality_code, question, start, end, code_id, included (bool), area, theme, quote
    (the sentence as shown when chosen), reason (kept when excluded), chosen_at, chosen_by.
    ``choose_quote(db, round_id, county_code, response_id, question, start, end, included,
    actor, *, area, theme, code_id, quote, reason)``. A passage has one row, so it is used in
    one area/theme only. A passage without a row is undecided: the report decides.

Other sources: ``sources(db, round_id, county_code)`` -> rows: id, date, actor (the other
party, e.g. "Polisregion Väst"), kind (one of ``SOURCE_KINDS``), summary, added_at, added_by;
``add_source(db, round_id, county_code, date, actor, kind, summary, added_by)`` -> id;
``remove_source(db, source_id, county_code, actor)``.

Delivery: ``delivery(db, round_id, county_code)`` -> row or None: status ('delivered' or
'sent_back'), delivered_at, delivered_by, sent_back_at, sent_back_by, reason.
``deliveries(db, round_id)`` -> one row per county (code, name and the above, None when never
delivered) with ``timing``: 'on_time', 'late' or 'not_delivered' against the round's
``county_deadline``. ``deliver(db, round_id, county_code, actor)``, ``send_back(db,
round_id, county_code, reason, actor)``. While delivered, a county's assessments, choices and
sources refuse changes with ``StoreError`` code "delivered".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from survey.store.audit import record_audit
from survey.store.connection import now, transaction
from survey.store.errors import StoreError

SOURCE_KINDS = ("network_meeting", "police", "region", "civil_society", "other")
DELIVERED, SENT_BACK = "delivered", "sent_back"
ON_TIME, LATE, NOT_DELIVERED = "on_time", "late", "not_delivered"
MAX_TEXT = 20_000
SETTINGS = ("reference_number", "addressee", "partners", "county_deadline", "report_due")


class CompilationError(StoreError):
    """A compilation change was refused: "delivered", "not_delivered", "unknown_round",
    "unknown_source", "bad_kind", "too_long", "reason_required"."""


# ---------------------------------------------------------------- round settings


def set_round_report_settings(db: sqlite_utils.Database, round_id: str, *,
                              reference_number: str | None = None,
                              addressee: str | None = None, partners: str | None = None,
                              county_deadline: str | None = None,
                              report_due: str | None = None,
                              actor: str | None = None) -> dict:
    """Set the deliverable's settings of a round (None clears one), with an audit row."""
    values = {"reference_number": reference_number, "addressee": addressee,
              "partners": partners, "county_deadline": county_deadline,
              "report_due": report_due}
    with transaction(db):
        before = _round(db, round_id)
        db.execute("UPDATE rounds SET " + ", ".join(f"{c} = ?" for c in SETTINGS)
                   + " WHERE id = ?", [*values.values(), round_id])
        record_audit(db, actor, "round_report_settings", "round", round_id,
                     round_id=round_id, before={c: before[c] for c in SETTINGS},
                     after=values)
    return _round(db, round_id)


def _round(db: sqlite_utils.Database, round_id: str) -> dict:
    row = next(db.query("SELECT * FROM rounds WHERE id = ?", [round_id]), None)
    if row is None:
        raise CompilationError("unknown_round", f"round '{round_id}' does not exist")
    return row


# ---------------------------------------------------------------- assessments


@dataclass
class AssessmentConflict:
    """Someone else saved the text after this form was opened: theirs stands, ours is in
    the history (kind 'conflict') and handed back to be shown beside it."""

    yours: str
    theirs: str
    their_author: str | None
    their_time: str


@dataclass
class AssessmentSave:
    revision: int
    changed: bool
    conflict: AssessmentConflict | None = None


def assessment(db: sqlite_utils.Database, round_id: str, county_code: str | None,
               area: str | None) -> dict | None:
    return next(db.query(
        "SELECT * FROM assessments WHERE round_id = ? AND county_code IS ? AND area IS ?",
        [round_id, county_code, area]), None)


def assessments(db: sqlite_utils.Database, round_id: str, county_code: str | None
                ) -> dict[str | None, dict]:
    return {row["area"]: row for row in db.query(
        "SELECT * FROM assessments WHERE round_id = ? AND county_code IS ?",
        [round_id, county_code])}


def all_county_assessments(db: sqlite_utils.Database, round_id: str
                           ) -> dict[str, dict[str | None, dict]]:
    result: dict[str, dict[str | None, dict]] = {}
    for row in db.query("SELECT * FROM assessments WHERE round_id = ? AND county_code IS NOT "
                        "NULL ORDER BY county_code", [round_id]):
        result.setdefault(row["county_code"], {})[row["area"]] = row
    return result


def assessment_history(db: sqlite_utils.Database, assessment_id: int) -> list[dict]:
    return list(db.query("SELECT * FROM assessment_history WHERE assessment_id = ? "
                         "ORDER BY id", [assessment_id]))


def normalise_text(text: str) -> str:
    """Line endings as \\n, no trailing spaces, no blank lines at either end."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n")
             .split("\n")]
    return "\n".join(lines).strip("\n")


def save_assessment(db: sqlite_utils.Database, round_id: str, county_code: str | None,
                    area: str | None, text: str, base_revision: int | None,
                    actor: str | None) -> AssessmentSave:
    """Save a written assessment with optimistic locking, its history and an audit row.

    ``base_revision`` is the revision the form showed (0 for a new text; None saves without
    the check, for scripts); if the stored text moved on since and differs from ours, ours
    is kept as a conflict."""
    text = normalise_text(text)
    if len(text) > MAX_TEXT:
        raise CompilationError("too_long", "the text is too long", limit=MAX_TEXT)
    with transaction(db):
        _round(db, round_id)
        _refuse_if_delivered(db, round_id, county_code)
        row = assessment(db, round_id, county_code, area)
        old = row["text"] if row else ""
        if old == text:
            return AssessmentSave(row["revision"] if row else 0, False)
        stamp = now()
        if row is not None and base_revision is not None and base_revision < row["revision"]:
            _history(db, row["id"], old, text, stamp, actor, "conflict")
            record_audit(db, actor, "assessment_conflict", "assessment", row["id"],
                         round_id=round_id, county_code=county_code,
                         after={"area": area, "revision": row["revision"]})
            return AssessmentSave(row["revision"], False, AssessmentConflict(
                text, old, row["updated_by"], row["updated_at"]))
        revision = (row["revision"] if row else 0) + 1
        if row is None:
            assessment_id = db.execute(
                "INSERT INTO assessments (round_id, county_code, area, text, revision, "
                "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [round_id, county_code, area, text, revision, stamp, actor]).lastrowid
        else:
            assessment_id = row["id"]
            db.execute("UPDATE assessments SET text = ?, revision = ?, updated_at = ?, "
                       "updated_by = ? WHERE id = ?",
                       [text, revision, stamp, actor, assessment_id])
        _history(db, assessment_id, old if row else None, text, stamp, actor, "change")
        record_audit(db, actor, "assessment_saved", "assessment", assessment_id,
                     round_id=round_id, county_code=county_code,
                     after={"area": area, "revision": revision, "characters": len(text)})
        return AssessmentSave(revision, True)


def _history(db: sqlite_utils.Database, assessment_id: int, old: str | None, new: str,
             stamp: str, actor: str | None, kind: str) -> None:
    db.execute("INSERT INTO assessment_history (assessment_id, old_value, new_value, "
               "changed_at, changed_by, kind) VALUES (?, ?, ?, ?, ?, ?)",
               [assessment_id, old, new, stamp, actor, kind])


# ---------------------------------------------------------------- quote choices


def quote_choices(db: sqlite_utils.Database, round_id: str, county_code: str) -> list[dict]:
    rows = list(db.query(
        "SELECT q.*, r.municipality_code FROM quote_choices q JOIN responses r "
        "ON r.id = q.response_id WHERE q.round_id = ? AND q.county_code = ? "
        "ORDER BY r.municipality_code, q.question, q.start", [round_id, county_code]))
    for row in rows:
        row["included"] = bool(row["included"])
    return rows


def choose_quote(db: sqlite_utils.Database, round_id: str, county_code: str,
                 response_id: int, question: str, start: int | None, end: int | None,
                 included: bool, actor: str | None, *, area: str | None = None,
                 theme: str | None = None, code_id: int | None = None,
                 quote: str | None = None, reason: str | None = None) -> None:
    """Include or exclude one passage (one row per passage: it is used in one place).
    An exclusion needs a reason (a new one, or the one given before), which is kept."""
    reason = (reason or "").strip() or None
    with transaction(db):
        _refuse_if_delivered(db, round_id, county_code)
        key = [round_id, county_code, response_id, question, start, end]
        where = ("round_id = ? AND county_code = ? AND response_id = ? AND question = ? "
                 "AND start IS ? AND end IS ?")
        old = next(db.query(f"SELECT * FROM quote_choices WHERE {where}", key), None)
        reason = reason or (old["reason"] if old else None)
        if not included and not reason:
            raise CompilationError("reason_required", "an excluded quote needs a reason")
        if old is not None:
            db.execute(f"DELETE FROM quote_choices WHERE {where}", key)
        db.execute(
            "INSERT INTO quote_choices (round_id, county_code, response_id, question, start, "
            "end, code_id, included, area, theme, quote, reason, chosen_at, chosen_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*key, code_id, int(included), area, theme, quote, reason, now(), actor])
        record_audit(db, actor, "quote_included" if included else "quote_excluded", "quote",
                     f"{response_id}:{question}:{start}-{end}", round_id=round_id,
                     county_code=county_code,
                     before=None if old is None else {"included": bool(old["included"])},
                     after={"area": area, "theme": theme, "reason": reason})


# ---------------------------------------------------------------- other sources


def sources(db: sqlite_utils.Database, round_id: str, county_code: str) -> list[dict]:
    return list(db.query("SELECT * FROM sources WHERE round_id = ? AND county_code = ? "
                         "ORDER BY date, id", [round_id, county_code]))


def add_source(db: sqlite_utils.Database, round_id: str, county_code: str, date: str,
               actor: str, kind: str, summary: str, added_by: str | None) -> int:
    """A source the county report cites besides the answers; ``actor`` is who it came from,
    ``added_by`` who wrote it down."""
    if kind not in SOURCE_KINDS:
        raise CompilationError("bad_kind", f"unknown kind '{kind}'")
    with transaction(db):
        _round(db, round_id)
        _refuse_if_delivered(db, round_id, county_code)
        source_id = db.execute(
            "INSERT INTO sources (round_id, county_code, date, actor, kind, summary, "
            "added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [round_id, county_code, date, actor.strip(), kind, normalise_text(summary),
             now(), added_by]).lastrowid
        record_audit(db, added_by, "source_added", "source", source_id, round_id=round_id,
                     county_code=county_code,
                     after={"date": date, "actor": actor.strip(), "kind": kind})
    return source_id


def remove_source(db: sqlite_utils.Database, source_id: int, county_code: str,
                  actor: str | None) -> None:
    """Remove a source of ``county_code`` (another county's id is unknown here)."""
    with transaction(db):
        row = next(db.query("SELECT * FROM sources WHERE id = ? AND county_code = ?",
                            [source_id, county_code]), None)
        if row is None:
            raise CompilationError("unknown_source", "no such source")
        _refuse_if_delivered(db, row["round_id"], county_code)
        db.execute("DELETE FROM sources WHERE id = ?", [source_id])
        record_audit(db, actor, "source_removed", "source", source_id,
                     round_id=row["round_id"], county_code=county_code,
                     before={k: row[k] for k in ("date", "actor", "kind", "summary")})


# ---------------------------------------------------------------- delivery


def delivery(db: sqlite_utils.Database, round_id: str, county_code: str) -> dict | None:
    return next(db.query("SELECT * FROM deliveries WHERE round_id = ? AND county_code = ?",
                         [round_id, county_code]), None)


def is_delivered(db: sqlite_utils.Database, round_id: str, county_code: str | None) -> bool:
    if county_code is None:
        return False
    row = delivery(db, round_id, county_code)
    return row is not None and row["status"] == DELIVERED


def _refuse_if_delivered(db: sqlite_utils.Database, round_id: str,
                         county_code: str | None) -> None:
    if is_delivered(db, round_id, county_code):
        raise CompilationError("delivered", "the county's compilation is delivered",
                               county_code=county_code)


def deliveries(db: sqlite_utils.Database, round_id: str) -> list[dict]:
    """Every county with its delivery (None values when never delivered) and its timing."""
    deadline = _round(db, round_id)["county_deadline"]
    rows = list(db.query(
        "SELECT c.code AS county_code, c.name AS county_name, d.status, d.delivered_at, "
        "d.delivered_by, d.sent_back_at, d.sent_back_by, d.reason FROM counties c "
        "LEFT JOIN deliveries d ON d.county_code = c.code AND d.round_id = ? "
        "ORDER BY c.code", [round_id]))
    for row in rows:
        row["timing"] = delivery_timing(row, deadline)
    return rows


def delivery_timing(row: dict | None, deadline: str | None) -> str:
    """'on_time' when delivered on or before the deadline's date (or without a deadline),
    'late' after it, 'not_delivered' when not (or no longer) delivered."""
    if not row or row.get("status") != DELIVERED:
        return NOT_DELIVERED
    if deadline and row["delivered_at"][:10] > deadline:
        return LATE
    return ON_TIME


def deliver(db: sqlite_utils.Database, round_id: str, county_code: str,
            actor: str | None) -> dict:
    """Mark the county's lägesbild delivered to the national coordinator: locked from now."""
    with transaction(db):
        _round(db, round_id)
        _refuse_if_delivered(db, round_id, county_code)
        before = delivery(db, round_id, county_code)
        db.execute(
            "INSERT INTO deliveries (round_id, county_code, status, delivered_at, "
            "delivered_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT(round_id, county_code) DO "
            "UPDATE SET status = excluded.status, delivered_at = excluded.delivered_at, "
            "delivered_by = excluded.delivered_by",
            [round_id, county_code, DELIVERED, now(), actor])
        record_audit(db, actor, "compilation_delivered", "delivery", county_code,
                     round_id=round_id, county_code=county_code,
                     before=_brief(before), after={"status": DELIVERED})
    return delivery(db, round_id, county_code)


def send_back(db: sqlite_utils.Database, round_id: str, county_code: str, reason: str,
              actor: str | None) -> dict:
    """The national coordinator returns a delivered lägesbild, with a reason: unlocked."""
    reason = (reason or "").strip()
    if not reason:
        raise CompilationError("reason_required", "sending back needs a reason")
    with transaction(db):
        if not is_delivered(db, round_id, county_code):
            raise CompilationError("not_delivered", "nothing delivered to send back")
        db.execute("UPDATE deliveries SET status = ?, sent_back_at = ?, sent_back_by = ?, "
                   "reason = ? WHERE round_id = ? AND county_code = ?",
                   [SENT_BACK, now(), actor, reason, round_id, county_code])
        record_audit(db, actor, "compilation_sent_back", "delivery", county_code,
                     round_id=round_id, county_code=county_code,
                     before={"status": DELIVERED}, after={"status": SENT_BACK,
                                                          "reason": reason})
    return delivery(db, round_id, county_code)


def _brief(row: dict | None) -> dict[str, Any] | None:
    return None if row is None else {"status": row["status"]}
