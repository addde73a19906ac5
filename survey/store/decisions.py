"""Decisions in the review workspace: accept, reject, add, mark done, undo, bulk-accept,
and the blind second coding.

Every decision belongs to a *batch* (one keypress: accept one code; mark an answer done;
bulk-accept a filter) so that undo reverts exactly what one action did. Each decision is
stored with the person, the time and the model version of the code, in the same transaction
as its audit-log row. Tables and read queries live in ``survey.db_codes``.

"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from survey.store.audit import audit_row
from survey.store.code_statuses import (
    ACCEPTED,
    ADDED,
    AUTO_ACCEPTED,
    AUTO_REJECTED,
    BLIND,
    HUMAN_SOURCE,
    MACHINE_STATUSES,
    PRESENT_STATUSES,
    PRIMARY,
    REJECTED,
    REMOVED,
    TO_REVIEW,
)
from survey.store.codes import (
    answer_context,
    answer_model_version,
    answer_text,
    blind_labels,
    codes_for_answer,
    is_done,
    took_part,
)
from survey.store.connection import decode, encode, now, transaction
from survey.store.errors import PendingSuggestions, ReviewError
from survey.store.queue import QueueFilter, queue_conditions

# ---------------------------------------------------------------- who decides


@dataclass(frozen=True)
class Reviewer:
    """The person behind a decision: account id and how they appear in histories."""

    id: int | None
    name: str




# ---------------------------------------------------------------- primary decisions


def _new_batch(db: sqlite_utils.Database, round_id: str, kind: str, who: Reviewer,
               mode: str = PRIMARY, undo_of: int | None = None) -> int:
    return db.execute(
        "INSERT INTO review_batches (round_id, kind, mode, user_id, user, at, undo_of) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [round_id, kind, mode, who.id, who.name, now(), undo_of]).lastrowid


def _apply(db: sqlite_utils.Database, code: dict, action: str, after: str, who: Reviewer,
           batch_id: int, stamp: str) -> None:
    """Set one code's status, append the decision and its audit row (caller's transaction)."""
    db.execute("UPDATE codes SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
               [after, who.name, stamp, code["id"]])
    db.execute(
        "INSERT INTO code_decisions (code_id, action, before_status, after_status, user, at, "
        "model_version, batch_id, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [code["id"], action, code["status"], after, who.name, stamp, code["model_version"],
         batch_id, who.id])
    context = answer_context(db, code["response_id"])
    audit_row(db, who.name, f"code_{action}", "code", code["id"],
           round_id=context["round_id"], municipality_code=context["municipality_code"],
           county_code=context["county_code"], before={"status": code["status"]},
           after={"status": after, "theme": code["code"], "question": code["question"],
                  "model_version": code["model_version"], "batch": batch_id})


ACTIONS = {"accept": ACCEPTED, "reject": REJECTED, "remove": REJECTED}


def decide(db: sqlite_utils.Database, code_id: int, action: str, who: Reviewer) -> int:
    """Accept, reject or remove one code; returns the batch id (what undo reverts).

    Removing a theme a person added withdraws it (status ``removed``); removing an
    auto-code rejects it.
    """
    if action not in ACTIONS:
        raise ReviewError("unknown_action", f"unknown action {action}", action=action)
    with transaction(db):
        code = next(db.query("SELECT * FROM codes WHERE id = ?", [code_id]), None)
        if code is None:
            raise ReviewError("no_code", "no such code")
        after = ACTIONS[action]
        if action == "remove" and code["source"] == HUMAN_SOURCE:
            after = REMOVED
        if code["status"] == after:
            raise ReviewError("already_decided", "already decided")
        context = answer_context(db, code["response_id"])
        batch = _new_batch(db, context["round_id"], action, who)
        _apply(db, code, action, after, who, batch, now())
    return batch




def _span(text: str, start: int | None, end: int | None, quote: str | None
          ) -> tuple[int | None, int | None]:
    """The selected span: offsets if they are valid (and select the quote, when given),
    else the first place the quote occurs, else no span (the whole answer)."""
    quote = (quote or "").strip()
    if start is not None and end is not None and 0 <= start < end <= len(text):
        if not quote or " ".join(text[start:end].split()) == " ".join(quote.split()):
            return start, end
    if quote:
        found = text.find(quote)
        if found < 0:
            raise ReviewError("quote_not_found", "the quote is not in the answer")
        return found, found + len(quote)
    return None, None


def add_code(db: sqlite_utils.Database, response_id: int, question: str, codebook: str,
             theme: str, who: Reviewer, start: int | None = None, end: int | None = None,
             quote: str | None = None) -> tuple[int, int]:
    """Add a theme to an answer, optionally on a span; returns (code id, batch id).

    A theme the coder suggested is accepted instead (with the person's span, if any), so an
    answer never has two rows for one theme.
    """
    text = answer_text(db, response_id, question)
    if text is None:
        raise ReviewError("no_answer", "no such answer")
    start, end = _span(text, start, end, quote)
    evidence = " ".join(text[start:end].split()) if start is not None else None
    stamp = now()
    with transaction(db):
        context = answer_context(db, response_id)
        existing = next(db.query(
            "SELECT * FROM codes WHERE response_id = ? AND question = ? AND code = ?",
            [response_id, question, theme]), None)
        if existing and existing["status"] in PRESENT_STATUSES:
            raise ReviewError("theme_exists", "the theme is already on the answer")
        batch = _new_batch(db, context["round_id"], "add", who)
        if existing is None:
            code_id = db.execute(
                "INSERT INTO codes (response_id, question, codebook, code, score, negated, "
                "source, start, end, evidence, model_version, status, created_at) VALUES "
                "(?, ?, ?, ?, NULL, 0, ?, ?, ?, ?, ?, ?, ?)",
                [response_id, question, codebook, theme, HUMAN_SOURCE, start, end, evidence,
                 answer_model_version(db, response_id, question), REMOVED, stamp]).lastrowid
            existing = next(db.query("SELECT * FROM codes WHERE id = ?", [code_id]))
            existing = {**existing, "status": None}
        after = ACCEPTED if existing["source"] != HUMAN_SOURCE else ADDED
        _apply(db, existing, "add", after, who, batch, stamp)
        if start is not None and (existing["start"], existing["end"]) != (start, end):
            db.execute("UPDATE code_decisions SET span_before = ? WHERE id = (SELECT MAX(id) "
                       "FROM code_decisions WHERE code_id = ?)",
                       [encode([existing["start"], existing["end"], existing["evidence"]]),
                        existing["id"]])
            db.execute("UPDATE codes SET start = ?, end = ?, evidence = ? WHERE id = ?",
                       [start, end, evidence, existing["id"]])
    return existing["id"], batch






def mark_done(db: sqlite_utils.Database, response_id: int, question: str, codebook: str,
              who: Reviewer) -> int:
    """The themes of this answer are now complete: auto-accepted codes become accepted and
    auto-rejected ones rejected (decision 'confirm'). Refused while suggestions in the review
    band are undecided. Returns the batch id."""
    stamp = now()
    with transaction(db):
        codes = codes_for_answer(db, response_id, question)
        pending = [c for c in codes if c["status"] == TO_REVIEW]
        if pending:
            raise PendingSuggestions("pending", f"{len(pending)} suggestions pending",
                                     count=len(pending))
        if is_done(db, response_id, question):
            raise ReviewError("already_done", "the answer is already marked done")
        context = answer_context(db, response_id)
        batch = _new_batch(db, context["round_id"], "done", who)
        for code in codes:
            if code["status"] == AUTO_ACCEPTED:
                _apply(db, code, "confirm", ACCEPTED, who, batch, stamp)
            elif code["status"] == AUTO_REJECTED:
                _apply(db, code, "confirm", REJECTED, who, batch, stamp)
        db.execute(
            "INSERT INTO answer_reviews (response_id, question, codebook, mode, user_id, user, "
            "at, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [response_id, question, codebook, PRIMARY, who.id, who.name, stamp, batch])
        audit_row(db, who.name, "answer_reviewed", "answer", f"{response_id}/{question}",
               round_id=context["round_id"], municipality_code=context["municipality_code"],
               after={"themes": sorted(c["code"] for c in codes_for_answer(
                   db, response_id, question) if c["status"] in PRESENT_STATUSES),
                   "batch": batch})
    return batch


# ---------------------------------------------------------------- undo


@dataclass
class UndoResult:
    """What an undo reverted: the batch, the answers it touched, and how many of its codes
    were left alone because someone decided on them again afterwards."""

    batch: dict
    answers: list[tuple[int, str]] = field(default_factory=list)
    skipped: int = 0


def last_batch(db: sqlite_utils.Database, round_id: str, user_id: int | None,
               mode: str | None = None) -> dict | None:
    sql = ("SELECT * FROM review_batches WHERE round_id = ? AND user_id IS ? AND kind != 'undo' "
           "AND undone_at IS NULL")
    params: list[Any] = [round_id, user_id]
    if mode:
        sql += " AND mode = ?"
        params.append(mode)
    return next(db.query(sql + " ORDER BY id DESC LIMIT 1", params), None)


def undo_last(db: sqlite_utils.Database, round_id: str, who: Reviewer,
              mode: str | None = None) -> UndoResult | None:
    """Revert this person's latest batch in the round (None when there is nothing to undo).

    A code someone decided on again after this batch keeps that later decision.
    """
    stamp = now()
    with transaction(db):
        batch = last_batch(db, round_id, who.id, mode)
        if batch is None:
            return None
        undo_batch = _new_batch(db, round_id, "undo", who, batch["mode"], undo_of=batch["id"])
        result = UndoResult(batch)
        touched: set[tuple[int, str]] = set()
        for decision in list(db.query(
                "SELECT * FROM code_decisions WHERE batch_id = ? AND undone_at IS NULL "
                "ORDER BY id DESC", [batch["id"]])):
            if not _revert_decision(db, decision, who, undo_batch, stamp):
                result.skipped += 1
                continue
            code = next(db.query("SELECT response_id, question FROM codes WHERE id = ?",
                                 [decision["code_id"]]))
            touched.add((code["response_id"], code["question"]))
        for table in ("answer_reviews", "blind_decisions"):
            for row in list(db.query(
                    f"SELECT id, response_id, question FROM {table} WHERE batch_id = ? "
                    f"AND undone_at IS NULL", [batch["id"]])):
                db.execute(f"UPDATE {table} SET undone_at = ? WHERE id = ?", [stamp, row["id"]])
                touched.add((row["response_id"], row["question"]))
        db.execute("UPDATE review_batches SET undone_at = ? WHERE id = ?", [stamp, batch["id"]])
        result.answers = sorted(touched)
        first = result.answers[0] if result.answers else None
        context = answer_context(db, first[0]) if first else None
        audit_row(db, who.name, "review_undone", "review_batch", batch["id"], round_id=round_id,
               municipality_code=context["municipality_code"] if context else None,
               before={"kind": batch["kind"], "mode": batch["mode"], "at": batch["at"]},
               after={"answers": [f"{r}/{q}" for r, q in result.answers],
                      "skipped": result.skipped})
    return result


def _revert_decision(db: sqlite_utils.Database, decision: dict, who: Reviewer,
                     undo_batch: int, stamp: str) -> bool:
    later = next(db.query(
        "SELECT id FROM code_decisions WHERE code_id = ? AND id > ? AND undone_at IS NULL "
        "AND action != 'undo' LIMIT 1", [decision["code_id"], decision["id"]]), None)
    if later is not None:
        return False
    restore = decision["before_status"] or REMOVED  # None: the code was created by 'add'
    previous = next(db.query(
        "SELECT user, at FROM code_decisions WHERE code_id = ? AND id < ? AND undone_at IS NULL "
        "AND action != 'undo' ORDER BY id DESC LIMIT 1",
        [decision["code_id"], decision["id"]]), None)
    db.execute("UPDATE codes SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
               [restore, previous["user"] if previous else None,
                previous["at"] if previous else None, decision["code_id"]])
    if decision["span_before"]:
        start, end, evidence = decode(decision["span_before"])
        db.execute("UPDATE codes SET start = ?, end = ?, evidence = ? WHERE id = ?",
                   [start, end, evidence, decision["code_id"]])
    db.execute("UPDATE code_decisions SET undone_at = ? WHERE id = ?", [stamp, decision["id"]])
    db.execute(
        "INSERT INTO code_decisions (code_id, action, before_status, after_status, user, at, "
        "model_version, batch_id, user_id) VALUES (?, 'undo', ?, ?, ?, ?, ?, ?, ?)",
        [decision["code_id"], decision["after_status"], restore, who.name, stamp,
         decision["model_version"], undo_batch, who.id])
    return True


# ---------------------------------------------------------------- bulk accept


def bulk_accept(db: sqlite_utils.Database, round_id: str, questions: dict[str, str],
                county_code: str | None, flt: QueueFilter, min_score: float,
                who: Reviewer) -> tuple[int | None, int]:
    """Accept every undecided, non-negated auto-code with score >= min_score among the
    answers the filter selects (in the county); one batch, so one undo reverts it all."""
    where, params = queue_conditions(round_id, questions, county_code, flt, PRIMARY, who.id)
    code_sql = ("SELECT c.* FROM codes c JOIN answers a ON a.response_id = c.response_id "
                "AND a.question = c.question JOIN responses r ON r.id = a.response_id "
                "JOIN municipalities m ON m.code = r.municipality_code "
                f"WHERE {where} AND c.status IN (?, ?, ?) AND c.negated = 0 "
                "AND c.score >= ? AND c.source != ?")
    code_params = [*params, *MACHINE_STATUSES, min_score, HUMAN_SOURCE]
    if flt.theme:
        code_sql += " AND c.code = ?"
        code_params.append(flt.theme)
    if flt.band:
        code_sql += " AND c.auto_status = ?"
        code_params.append(flt.band)
    stamp = now()
    with transaction(db):
        codes = list(db.query(code_sql + " ORDER BY c.id", code_params))
        if not codes:
            return None, 0
        batch = _new_batch(db, round_id, "bulk_accept", who)
        for code in codes:
            _apply(db, code, "bulk_accept", ACCEPTED, who, batch, stamp)
    return batch, len(codes)


# ---------------------------------------------------------------- blind double coding






def blind_decide(db: sqlite_utils.Database, response_id: int, question: str, codebook: str,
                 theme: str, present: bool, who: Reviewer, start: int | None = None,
                 end: int | None = None, quote: str | None = None, kind: str = "blind") -> int:
    """A second coder's judgment on one theme of an answer; returns the batch id."""
    text = answer_text(db, response_id, question)
    if text is None:
        raise ReviewError("no_answer", "no such answer")
    if took_part(db, response_id, question, who.id):
        raise ReviewError("took_part", "the user reviewed the answer and cannot double-code it")
    start, end = _span(text, start, end, quote) if present else (None, None)
    stamp = now()
    with transaction(db):
        context = answer_context(db, response_id)
        batch = _new_batch(db, context["round_id"], kind, who, BLIND)
        _insert_blind(db, response_id, question, codebook, theme, present, who, start, end,
                      batch, stamp)
    return batch


def _insert_blind(db: sqlite_utils.Database, response_id: int, question: str, codebook: str,
                  theme: str, present: bool, who: Reviewer, start: int | None, end: int | None,
                  batch: int, stamp: str) -> None:
    context = answer_context(db, response_id)
    version = answer_model_version(db, response_id, question)
    db.execute(
        "INSERT INTO blind_decisions (response_id, question, codebook, code, present, start, "
        "end, user_id, user, at, model_version, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)", [response_id, question, codebook, theme, int(present), start, end, who.id,
                  who.name, stamp, version, batch])
    audit_row(db, who.name, "blind_code_decided", "answer", f"{response_id}/{question}",
           round_id=context["round_id"], municipality_code=context["municipality_code"],
           county_code=context["county_code"],
           after={"theme": theme, "present": present, "model_version": version,
                  "batch": batch})


def blind_done(db: sqlite_utils.Database, response_id: int, question: str, codebook: str,
               who: Reviewer) -> int:
    """The second coder is done with the answer: suggestions they left alone follow their
    auto band (as in the primary review); refused while review-band suggestions remain."""
    if took_part(db, response_id, question, who.id):
        raise ReviewError("took_part", "the user reviewed the answer and cannot double-code it")
    stamp = now()
    with transaction(db):
        if is_done(db, response_id, question, BLIND, who.id):
            raise ReviewError("already_done", "the answer is already marked done")
        mine = blind_labels(db, response_id, question, who.id)
        machine = [c for c in codes_for_answer(db, response_id, question)
                   if c["source"] != HUMAN_SOURCE and c["code"] not in mine]
        pending = [c for c in machine if c["auto_status"] == TO_REVIEW]
        if pending:
            raise PendingSuggestions("pending", f"{len(pending)} suggestions pending",
                                     count=len(pending))
        context = answer_context(db, response_id)
        batch = _new_batch(db, context["round_id"], "done", who, BLIND)
        for code in machine:
            _insert_blind(db, response_id, question, codebook, code["code"],
                          code["auto_status"] == AUTO_ACCEPTED, who, None, None, batch, stamp)
        db.execute(
            "INSERT INTO answer_reviews (response_id, question, codebook, mode, user_id, user, "
            "at, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [response_id, question, codebook, BLIND, who.id, who.name, stamp, batch])
    return batch
