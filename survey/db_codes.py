"""Tables and queries for the themes coded in free-text answers, and their review.

An auto-code is a suggestion until a person decides on it; each code row keeps its source,
the model version that proposed it, the band its score fell in (``auto_status``) and its
current review status, and every decision is appended to ``code_decisions`` so the history
of who changed what is never rewritten. Decisions come in *batches* (one keypress: accept
one code; mark an answer done; bulk-accept a filter), and undo reverts a person's last batch.

Double coding is blind: a second coordinator's judgments go to ``blind_decisions`` and never
touch ``codes.status``, so neither coder's view shows the other's decisions.

This module owns the tables and the read queries; ``survey.db_review`` makes the decisions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from survey.db import decode, in_county, now, transaction

migrations = Migrations("lagesbild-codes")

# Review status of a code. Auto statuses come from per-theme score bands; the others are
# human decisions and are never overwritten by re-coding.
AUTO_ACCEPTED, TO_REVIEW, AUTO_REJECTED = "auto_accepted", "to_review", "auto_rejected"
ACCEPTED, REJECTED, ADDED = "accepted", "rejected", "added"
REMOVED = "removed"  # a theme a person added and then withdrew (kept for the history)
HUMAN_STATUSES = (ACCEPTED, REJECTED, ADDED)
MACHINE_STATUSES = (AUTO_ACCEPTED, TO_REVIEW, AUTO_REJECTED)
PRESENT_STATUSES = (ACCEPTED, ADDED)
HUMAN_SOURCE = "human"

# Review passes: the primary review sets code statuses; the blind pass is a second opinion.
PRIMARY, BLIND = "primary", "blind"
# Answers that can be reviewed: the municipality has sent them (drafts still change).
REVIEWABLE_RESPONSES = ("submitted", "reopened")


@migrations(name="c001_codes")
def _c001_codes(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE codes (
            id INTEGER PRIMARY KEY,
            response_id INTEGER NOT NULL REFERENCES responses(id),
            question TEXT NOT NULL,
            codebook TEXT NOT NULL,
            code TEXT NOT NULL,
            score REAL,
            negated INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL,
            start INTEGER, end INTEGER, evidence TEXT,
            model_version TEXT,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            decided_by TEXT, decided_at TEXT)""")
    db.execute("CREATE INDEX codes_answer ON codes(response_id, question)")
    db.execute("""
        CREATE TABLE code_decisions (
            id INTEGER PRIMARY KEY,
            code_id INTEGER NOT NULL REFERENCES codes(id),
            action TEXT NOT NULL,
            before_status TEXT, after_status TEXT,
            user TEXT, at TEXT NOT NULL, model_version TEXT)""")


@migrations(name="c002_review")
def _c002_review(db: sqlite_utils.Database) -> None:
    # The band an auto-code fell in when it was stored; a decision changes `status` only.
    db.execute("ALTER TABLE codes ADD COLUMN auto_status TEXT")
    db.execute("""
        UPDATE codes SET auto_status = COALESCE(
            (SELECT d.before_status FROM code_decisions d WHERE d.code_id = codes.id
             ORDER BY d.id LIMIT 1), status)
        WHERE source != 'human'""")
    db.execute("""
        CREATE TABLE review_batches (
            id INTEGER PRIMARY KEY,
            round_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            mode TEXT NOT NULL DEFAULT 'primary',
            user_id INTEGER, user TEXT,
            at TEXT NOT NULL,
            undone_at TEXT,
            undo_of INTEGER REFERENCES review_batches(id))""")
    db.execute("CREATE INDEX review_batches_user ON review_batches(user_id, round_id)")
    db.execute("ALTER TABLE code_decisions ADD COLUMN batch_id INTEGER "
               "REFERENCES review_batches(id)")
    db.execute("ALTER TABLE code_decisions ADD COLUMN user_id INTEGER")
    db.execute("ALTER TABLE code_decisions ADD COLUMN undone_at TEXT")
    # [start, end, evidence] before a decision moved a code's span (undo puts it back)
    db.execute("ALTER TABLE code_decisions ADD COLUMN span_before TEXT")
    db.execute("CREATE INDEX code_decisions_code ON code_decisions(code_id)")
    db.execute("CREATE INDEX code_decisions_batch ON code_decisions(batch_id)")
    db.execute("""
        CREATE TABLE answer_reviews (
            id INTEGER PRIMARY KEY,
            response_id INTEGER NOT NULL REFERENCES responses(id),
            question TEXT NOT NULL,
            codebook TEXT NOT NULL,
            mode TEXT NOT NULL,
            user_id INTEGER, user TEXT,
            at TEXT NOT NULL,
            batch_id INTEGER REFERENCES review_batches(id),
            undone_at TEXT)""")
    db.execute("CREATE INDEX answer_reviews_answer ON answer_reviews(response_id, question)")
    db.execute("""
        CREATE TABLE blind_decisions (
            id INTEGER PRIMARY KEY,
            response_id INTEGER NOT NULL REFERENCES responses(id),
            question TEXT NOT NULL,
            codebook TEXT NOT NULL,
            code TEXT NOT NULL,
            present INTEGER NOT NULL,
            start INTEGER, end INTEGER,
            user_id INTEGER, user TEXT,
            at TEXT NOT NULL,
            model_version TEXT,
            batch_id INTEGER REFERENCES review_batches(id),
            undone_at TEXT)""")
    db.execute("CREATE INDEX blind_decisions_answer ON blind_decisions(response_id, question)")
    db.execute("""
        CREATE TABLE code_thresholds (
            codebook TEXT NOT NULL,
            code TEXT NOT NULL,
            accept_at REAL,
            reject_below REAL,
            updated_at TEXT NOT NULL,
            updated_by TEXT,
            PRIMARY KEY (codebook, code))""")


class ReviewError(ValueError):
    """A decision that cannot be made; the message is Swedish, for the coordinator."""


# ---------------------------------------------------------------- audit


def audit_row(db: sqlite_utils.Database, actor: str | None, action: str, entity: str,
              entity_id: Any = None, **scope: Any) -> None:
    """An audit-log row inside the caller's transaction, when the accounts area exists."""
    from survey import db_accounts

    db_accounts.record_audit(db, actor, action, entity, entity_id, **scope)


# ---------------------------------------------------------------- thresholds


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
        raise ReviewError("Gränsen för automatiskt avvisande kan inte ligga över gränsen "
                          "för automatiskt godkännande.")
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


# ---------------------------------------------------------------- storing auto-codes


def iter_free_text(db: sqlite_utils.Database, round_id: str,
                   coded_questions: dict[str, str]) -> Iterator[tuple[int, str, str, str]]:
    """(response_id, question, codebook, text) for every answered free-text question.

    ``coded_questions`` maps question name to codebook (from the questionnaire's code_with).
    """
    if not coded_questions:
        return
    marks = ",".join("?" for _ in coded_questions)
    rows = db.query(
        f"SELECT a.response_id, a.question, a.value FROM answers a "
        f"JOIN responses r ON r.id = a.response_id "
        f"WHERE r.round_id = ? AND a.question IN ({marks}) ORDER BY a.response_id, a.question",
        [round_id, *coded_questions])
    for row in rows:
        text = decode(row["value"])
        if isinstance(text, str) and text.strip():
            yield row["response_id"], row["question"], coded_questions[row["question"]], text


def store_codes(db: sqlite_utils.Database, response_id: int, question: str, codebook: str,
                codes: list[dict[str, Any]], model_version: str | None,
                status_for: Callable[[dict], str] | None = None) -> int:
    """Replace the automatic codes of one answer; codes a person decided on stay.

    ``status_for(code_dict) -> status`` assigns the review band; default: the theme's
    thresholds (``code_thresholds``), which without thresholds means to review.
    """
    status_for = status_for or status_for_codebook(db, codebook)
    stamp = now()
    with transaction(db):
        decided = {row["code"] for row in db.query(
            "SELECT code FROM codes WHERE response_id = ? AND question = ? AND status IN "
            "(?, ?, ?)", [response_id, question, *HUMAN_STATUSES])}
        db.execute(
            "DELETE FROM codes WHERE response_id = ? AND question = ? AND status NOT IN "
            "(?, ?, ?) AND id NOT IN (SELECT code_id FROM code_decisions)",
            [response_id, question, *HUMAN_STATUSES])
        kept = {row["code"] for row in db.query(
            "SELECT code FROM codes WHERE response_id = ? AND question = ?",
            [response_id, question])}
        stored = 0
        for code in codes:
            if code["code"] in decided or code["code"] in kept:
                continue
            status = status_for(code)
            db.execute(
                "INSERT INTO codes (response_id, question, codebook, code, score, negated, "
                "source, start, end, evidence, model_version, status, auto_status, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [response_id, question, codebook, code["code"], code.get("score"),
                 int(bool(code.get("negated"))), code.get("source", "rule"), code.get("start"),
                 code.get("end"), code.get("evidence"), model_version, status, status, stamp])
            stored += 1
    return stored


# ---------------------------------------------------------------- reading codes


def codes_for_answer(db: sqlite_utils.Database, response_id: int, question: str) -> list[dict]:
    return list(db.query(
        "SELECT * FROM codes WHERE response_id = ? AND question = ? ORDER BY start, code",
        [response_id, question]))


def code_by_id(db: sqlite_utils.Database, code_id: int) -> dict | None:
    """A code with its round and municipality, so callers can check who may see it."""
    return next(db.query(
        "SELECT c.*, r.round_id, r.municipality_code, m.county_code FROM codes c "
        "JOIN responses r ON r.id = c.response_id "
        "JOIN municipalities m ON m.code = r.municipality_code WHERE c.id = ?", [code_id]),
        None)


def codes_for_round(db: sqlite_utils.Database, round_id: str,
                    county_code: str | None = None) -> list[dict]:
    """Every code of a round with its municipality, for reports and exports."""
    sql = ("SELECT c.*, r.municipality_code, m.name AS municipality_name, m.county_code "
           "FROM codes c JOIN responses r ON r.id = c.response_id "
           "JOIN municipalities m ON m.code = r.municipality_code WHERE r.round_id = ?")
    params: list[Any] = [round_id]
    sql += in_county(county_code, params)
    return list(db.query(sql + " ORDER BY r.municipality_code, c.question, c.start", params))


def answer_text(db: sqlite_utils.Database, response_id: int, question: str) -> str | None:
    row = next(db.query("SELECT value FROM answers WHERE response_id = ? AND question = ?",
                        [response_id, question]), None)
    value = decode(row["value"]) if row else None
    return value if isinstance(value, str) else None


def answer_context(db: sqlite_utils.Database, response_id: int) -> dict | None:
    """The response's round, status and municipality (with its county)."""
    return next(db.query(
        "SELECT r.id AS response_id, r.round_id, r.status, r.municipality_code, "
        "m.name AS municipality_name, m.county_code FROM responses r "
        "JOIN municipalities m ON m.code = r.municipality_code WHERE r.id = ?",
        [response_id]), None)


def verified_examples(db: sqlite_utils.Database, codebook: str,
                      theme_ids: list[str] | None = None
                      ) -> list[tuple[str, dict[str, float]]]:
    """(text, {theme: 1.0 accepted/added, 0.0 rejected}) for answers a person reviewed.

    Themes nobody decided on are left out, so training treats them as missing, not as 0.
    With ``theme_ids``, an answer marked done in the primary review is complete: every theme
    a person did not accept or add counts as 0 there.
    """
    examples: dict[tuple[int, str], dict[str, float]] = {}
    if theme_ids:
        for row in db.query(
                "SELECT DISTINCT response_id, question FROM answer_reviews WHERE mode = ? "
                "AND codebook = ? AND undone_at IS NULL", [PRIMARY, codebook]):
            examples[(row["response_id"], row["question"])] = dict.fromkeys(theme_ids, 0.0)
    for row in db.query(
            "SELECT response_id, question, code, status FROM codes WHERE codebook = ? "
            "AND status IN (?, ?, ?)", [codebook, *HUMAN_STATUSES]):
        cats = examples.setdefault((row["response_id"], row["question"]), {})
        cats[row["code"]] = 0.0 if row["status"] == REJECTED else 1.0
    result = []
    for (response_id, question), cats in sorted(examples.items()):
        text = answer_text(db, response_id, question)
        if text is not None:
            result.append((text, cats))
    return result

def record_decision(db: sqlite_utils.Database, code_id: int, action: str, after_status: str,
                    user: str | None, model_version: str | None = None) -> None:
    """Set a code's status and append the decision to its history, atomically.

    Kept for callers outside the workspace (scripts, the coder's CLI); the workspace uses
    ``decide`` so that decisions carry a batch and can be undone.
    """
    stamp = now()
    with transaction(db):
        row = next(db.query("SELECT status FROM codes WHERE id = ?", [code_id]))
        db.execute("UPDATE codes SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                   [after_status, user, stamp, code_id])
        db.execute(
            "INSERT INTO code_decisions (code_id, action, before_status, after_status, user, "
            "at, model_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [code_id, action, row["status"], after_status, user, stamp, model_version])

def took_part(db: sqlite_utils.Database, response_id: int, question: str,
              user_id: int | None) -> bool:
    """Whether this person made a primary decision on the answer (then they cannot be its
    blind second coder: they would agree with themselves)."""
    sql = took_part_sql().replace("a.response_id", "?").replace("a.question", "?")
    params = [response_id, question, user_id, response_id, question, user_id]
    return bool(next(db.query(f"SELECT {sql} AS found", params))["found"])


def blind_labels(db: sqlite_utils.Database, response_id: int, question: str,
                 user_id: int | None) -> dict[str, dict]:
    """This coder's current blind judgment per theme (latest row not undone)."""
    labels: dict[str, dict] = {}
    for row in db.query(
            "SELECT * FROM blind_decisions WHERE response_id = ? AND question = ? "
            "AND user_id IS ? AND undone_at IS NULL ORDER BY id", [response_id, question,
                                                                  user_id]):
        labels[row["code"]] = row
    return labels


def is_done(db: sqlite_utils.Database, response_id: int, question: str,
            mode: str = PRIMARY, user_id: int | None = None) -> dict | None:
    sql = ("SELECT * FROM answer_reviews WHERE response_id = ? AND question = ? AND mode = ? "
           "AND undone_at IS NULL")
    params: list[Any] = [response_id, question, mode]
    if user_id is not None:
        sql += " AND user_id = ?"
        params.append(user_id)
    return next(db.query(sql + " ORDER BY id DESC LIMIT 1", params), None)


def answer_model_version(db: sqlite_utils.Database, response_id: int, question: str
                          ) -> str | None:
    """The model that coded this answer: a person's addition was made looking at its codes."""
    row = next(db.query(
        "SELECT MAX(model_version) AS v FROM codes WHERE response_id = ? AND question = ? "
        "AND source != ?", [response_id, question, HUMAN_SOURCE]))
    return row["v"]


# ---------------------------------------------------------------- the review queue


@dataclass
class QueueFilter:
    """What the coordinator narrowed the queue to; empty fields do not filter.

    ``status``: unreviewed / reviewed (answer marked done or not), or accepted / rejected /
    added (an answer with a code in that status). ``band``: the auto band a code fell in.
    """

    theme: str | None = None
    municipality: str | None = None
    question: str | None = None
    status: str | None = None
    band: str | None = None


QUEUE_STATUSES = ("unreviewed", "reviewed", ACCEPTED, REJECTED, ADDED)


def queue_conditions(round_id: str, questions: dict[str, str], county_code: str | None,
                 flt: QueueFilter, mode: str, user_id: int | None) -> tuple[str, list]:
    """SQL conditions on answers a / responses r / municipalities m for the queue."""
    names = [q for q in questions if not flt.question or q == flt.question]
    where = [f"r.round_id = ? AND a.question IN ({','.join('?' * len(names)) or 'NULL'})",
             f"r.status IN ({','.join('?' * len(REVIEWABLE_RESPONSES))})",
             "json_type(a.value) = 'text' AND trim(json_extract(a.value, '$')) != ''"]
    params: list[Any] = [round_id, *names, *REVIEWABLE_RESPONSES]
    if county_code:
        where.append("m.county_code = ?")
        params.append(county_code)
    if flt.municipality:
        where.append("r.municipality_code = ?")
        params.append(flt.municipality)
    done = ("EXISTS (SELECT 1 FROM answer_reviews v WHERE v.response_id = a.response_id AND "
            "v.question = a.question AND v.mode = ? AND v.undone_at IS NULL{user})")
    if mode == BLIND:
        done = done.format(user=" AND v.user_id IS ?")
        done_params = [BLIND, user_id]
        where.append("NOT " + took_part_sql())
        params += [user_id, user_id]
    else:
        done = done.format(user="")
        done_params = [PRIMARY]
    if flt.status == "unreviewed":
        where.append("NOT " + done)
        params += done_params
    elif flt.status == "reviewed":
        where.append(done)
        params += done_params
    code_conditions, code_params = [], []
    if flt.theme:
        code_conditions.append("c.code = ?")
        code_params.append(flt.theme)
    if flt.band:
        code_conditions.append("c.auto_status = ?")
        code_params.append(flt.band)
    if flt.status in (ACCEPTED, REJECTED, ADDED) and mode == PRIMARY:
        code_conditions.append("c.status = ?")
        code_params.append(flt.status)
    if mode == BLIND:
        code_conditions.append("c.source != ?")
        code_params.append(HUMAN_SOURCE)
    if flt.theme or flt.band or (flt.status in (ACCEPTED, REJECTED, ADDED)):
        where.append("EXISTS (SELECT 1 FROM codes c WHERE c.response_id = a.response_id AND "
                     "c.question = a.question AND " + " AND ".join(code_conditions) + ")")
        params += code_params
    return " AND ".join(where), params


def took_part_sql() -> str:
    """The user made a primary decision on the answer (so cannot be its blind second coder)."""
    return ("(EXISTS (SELECT 1 FROM code_decisions d JOIN codes c ON c.id = d.code_id "
            "WHERE c.response_id = a.response_id AND c.question = a.question "
            "AND d.user_id IS ? AND d.undone_at IS NULL AND d.action != 'undo') "
            "OR EXISTS (SELECT 1 FROM answer_reviews v WHERE v.response_id = a.response_id "
            "AND v.question = a.question AND v.mode = 'primary' AND v.user_id IS ? "
            "AND v.undone_at IS NULL))")


def queue(db: sqlite_utils.Database, round_id: str, questions: dict[str, str],
          county_code: str | None, flt: QueueFilter | None = None, mode: str = PRIMARY,
          user_id: int | None = None, limit: int | None = 50, offset: int = 0
          ) -> tuple[list[dict], int]:
    """Free-text answers to review, in municipality and questionnaire order, and how many.

    ``questions`` maps each coded question to its codebook, in questionnaire order.
    """
    flt = flt or QueueFilter()
    where, params = queue_conditions(round_id, questions, county_code, flt, mode, user_id)
    base = ("FROM answers a JOIN responses r ON r.id = a.response_id "
            f"JOIN municipalities m ON m.code = r.municipality_code WHERE {where}")
    total = next(db.query(f"SELECT COUNT(*) AS n {base}", params))["n"]
    order = " ".join(f"WHEN ? THEN {i}" for i in range(len(questions)))
    sql = (f"SELECT a.response_id, a.question, a.value, r.municipality_code, "
           f"m.name AS municipality_name, m.county_code {base} "
           f"ORDER BY r.municipality_code, CASE a.question {order} ELSE 9999 END")
    page_params = [*params, *questions]
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        page_params += [limit, offset]
    rows = []
    for row in db.query(sql, page_params):
        row["text"] = decode(row.pop("value"))
        row["codebook"] = questions[row["question"]]
        rows.append(row)
    return rows, total


def review_summary(db: sqlite_utils.Database, round_id: str, questions: dict[str, str],
                   county_code: str | None) -> dict[str, Any]:
    """Counts for the workspace dashboard: answers (and how many are done) and codes per
    status, in total and per theme, within the county."""
    where, params = queue_conditions(round_id, questions, county_code, QueueFilter(), PRIMARY, None)
    base = ("FROM answers a JOIN responses r ON r.id = a.response_id "
            f"JOIN municipalities m ON m.code = r.municipality_code WHERE {where}")
    answers = next(db.query(f"SELECT COUNT(*) AS n {base}", params))["n"]
    done = next(db.query(
        f"SELECT COUNT(*) AS n {base} AND EXISTS (SELECT 1 FROM answer_reviews v WHERE "
        "v.response_id = a.response_id AND v.question = a.question AND v.mode = 'primary' "
        "AND v.undone_at IS NULL)", params))["n"]
    statuses = (*MACHINE_STATUSES, *HUMAN_STATUSES)
    totals = dict.fromkeys(statuses, 0)
    themes: dict[str, dict[str, int]] = {}
    for row in db.query(
            "SELECT c.code, c.status, COUNT(*) AS n FROM codes c JOIN answers a "
            "ON a.response_id = c.response_id AND a.question = c.question "
            "JOIN responses r ON r.id = a.response_id "
            f"JOIN municipalities m ON m.code = r.municipality_code WHERE {where} "
            "GROUP BY c.code, c.status", params):
        if row["status"] not in totals:
            continue  # withdrawn additions
        totals[row["status"]] += row["n"]
        themes.setdefault(row["code"], dict.fromkeys(statuses, 0))[row["status"]] += row["n"]
    decisions = next(db.query(
        "SELECT COUNT(*) AS n FROM code_decisions d JOIN codes c ON c.id = d.code_id "
        "JOIN responses r ON r.id = c.response_id JOIN municipalities m "
        "ON m.code = r.municipality_code WHERE r.round_id = ? AND d.undone_at IS NULL "
        "AND d.action != 'undo' AND (? IS NULL OR m.county_code = ?)",
        [round_id, county_code, county_code]))["n"]
    return {"answers": answers, "done": done, "codes": totals,
            "verified": totals[ACCEPTED] + totals[ADDED], "themes": themes,
            "decisions": decisions}


def decisions_for_round(db: sqlite_utils.Database, round_id: str,
                        county_code: str | None = None) -> list[dict]:
    """Every primary decision (not undone) with its code, newest last: the review history."""
    return list(db.query(
        "SELECT d.*, c.response_id, c.question, c.code, r.municipality_code FROM code_decisions d "
        "JOIN codes c ON c.id = d.code_id JOIN responses r ON r.id = c.response_id "
        "JOIN municipalities m ON m.code = r.municipality_code WHERE r.round_id = ? "
        "AND (? IS NULL OR m.county_code = ?) ORDER BY d.id", [round_id, county_code,
                                                              county_code]))


# ---------------------------------------------------------------- data for agreement


@dataclass
class AnswerLabels:
    """One reviewed answer: what the auto-coder said and what people decided, per theme."""

    response_id: int
    question: str
    auto: set[str]  # themes the coder reported as present (not negated)
    human: dict[str, int]  # primary review: theme -> 1/0 where known
    blind: dict[str, dict[str, int]] = field(default_factory=dict)  # coder -> theme -> 1/0


def review_labels(db: sqlite_utils.Database, round_id: str, codebook: str,
                  theme_ids: list[str], county_code: str | None = None
                  ) -> list[AnswerLabels]:
    """Labels of every answer with at least one human judgment, for agreement statistics.

    In the primary review an answer marked done is complete (themes nobody accepted or
    added are 0); elsewhere only explicit decisions count. A blind coder's labels count
    once they marked the answer done.
    """
    scope = ("JOIN responses r ON r.id = {t}.response_id JOIN municipalities m "
             "ON m.code = r.municipality_code WHERE r.round_id = ? AND {t}.codebook = ? "
             "AND (? IS NULL OR m.county_code = ?)")
    params = [round_id, codebook, county_code, county_code]
    answers: dict[tuple[int, str], AnswerLabels] = {}

    def unit(response_id: int, question: str) -> AnswerLabels:
        return answers.setdefault((response_id, question),
                                  AnswerLabels(response_id, question, set(), {}))
    done_primary = {(row["response_id"], row["question"]) for row in db.query(
        "SELECT v.response_id, v.question FROM answer_reviews v " + scope.format(t="v")
        + " AND v.mode = 'primary' AND v.undone_at IS NULL", params)}
    for key in done_primary:
        unit(*key).human.update(dict.fromkeys(theme_ids, 0))
    codes = list(db.query("SELECT c.* FROM codes c " + scope.format(t="c"), params))
    for code in codes:
        key = (code["response_id"], code["question"])
        if code["status"] in HUMAN_STATUSES:
            unit(*key).human[code["code"]] = int(code["status"] in PRESENT_STATUSES)
    for code in codes:
        key = (code["response_id"], code["question"])
        if key in answers and code["source"] != HUMAN_SOURCE and not code["negated"]:
            answers[key].auto.add(code["code"])
    blind_done = {(row["response_id"], row["question"], row["user_id"]): row["user"]
                  for row in db.query(
                      "SELECT v.response_id, v.question, v.user_id, v.user FROM answer_reviews v "
                      + scope.format(t="v") + " AND v.mode = 'blind' AND v.undone_at IS NULL",
                      params)}
    for (response_id, question, user_id), name in blind_done.items():
        labels = dict.fromkeys(theme_ids, 0)
        for theme, row in blind_labels(db, response_id, question, user_id).items():
            labels[theme] = row["present"]
        unit(response_id, question).blind[f"{user_id}:{name}"] = labels
    return sorted(answers.values(), key=lambda a: (a.response_id, a.question))
