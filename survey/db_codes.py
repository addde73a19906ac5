"""Tables and queries for the themes coded in free-text answers.

An auto-code is a suggestion until a person decides on it; each code row keeps its source,
the model version that proposed it and its review status, and every decision is appended to
``code_decisions`` so the history of who changed what is never rewritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from survey.db import decode, now, transaction

migrations = Migrations("lagesbild-codes")

# Review status of a code. Auto statuses come from per-theme score bands; the others are
# human decisions and are never overwritten by re-coding.
AUTO_ACCEPTED, TO_REVIEW, AUTO_REJECTED = "auto_accepted", "to_review", "auto_rejected"
ACCEPTED, REJECTED, ADDED = "accepted", "rejected", "added"
HUMAN_STATUSES = (ACCEPTED, REJECTED, ADDED)


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
                status_for: Any = None) -> int:
    """Replace the automatic codes of one answer; codes a person decided on stay.

    ``status_for(code_dict) -> status`` assigns the review band; default: to review.
    """
    stamp = now()
    with transaction(db):
        decided = {row["code"] for row in db.query(
            "SELECT code FROM codes WHERE response_id = ? AND question = ? AND status IN "
            "(?, ?, ?)", [response_id, question, *HUMAN_STATUSES])}
        db.execute(
            "DELETE FROM codes WHERE response_id = ? AND question = ? AND status NOT IN "
            "(?, ?, ?) AND id NOT IN (SELECT code_id FROM code_decisions)",
            [response_id, question, *HUMAN_STATUSES])
        stored = 0
        for code in codes:
            if code["code"] in decided:
                continue
            status = status_for(code) if status_for else TO_REVIEW
            db.execute(
                "INSERT INTO codes (response_id, question, codebook, code, score, negated, "
                "source, start, end, evidence, model_version, status, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [response_id, question, codebook, code["code"], code.get("score"),
                 int(bool(code.get("negated"))), code.get("source", "rule"), code.get("start"),
                 code.get("end"), code.get("evidence"), model_version, status, stamp])
            stored += 1
    return stored


def codes_for_answer(db: sqlite_utils.Database, response_id: int, question: str) -> list[dict]:
    return list(db.query(
        "SELECT * FROM codes WHERE response_id = ? AND question = ? ORDER BY start, code",
        [response_id, question]))


def codes_for_round(db: sqlite_utils.Database, round_id: str,
                    county_code: str | None = None) -> list[dict]:
    """Every code of a round with its municipality, for reports and exports."""
    sql = ("SELECT c.*, r.municipality_code, m.name AS municipality_name, m.county_code "
           "FROM codes c JOIN responses r ON r.id = c.response_id "
           "JOIN municipalities m ON m.code = r.municipality_code WHERE r.round_id = ?")
    params: list[Any] = [round_id]
    if county_code:
        sql += " AND m.county_code = ?"
        params.append(county_code)
    return list(db.query(sql + " ORDER BY r.municipality_code, c.question, c.start", params))


def verified_examples(db: sqlite_utils.Database, codebook: str
                      ) -> list[tuple[str, dict[str, float]]]:
    """(text, {theme: 1.0 accepted/added, 0.0 rejected}) for answers a person reviewed.

    Themes nobody decided on are left out, so training treats them as missing, not as 0.
    """
    examples: dict[tuple[int, str], dict[str, float]] = {}
    for row in db.query(
            "SELECT response_id, question, code, status FROM codes WHERE codebook = ? "
            "AND status IN (?, ?, ?)", [codebook, *HUMAN_STATUSES]):
        cats = examples.setdefault((row["response_id"], row["question"]), {})
        cats[row["code"]] = 0.0 if row["status"] == REJECTED else 1.0
    result = []
    for (response_id, question), cats in examples.items():
        row = next(db.query("SELECT value FROM answers WHERE response_id = ? AND question = ?",
                            [response_id, question]), None)
        if row is not None:
            result.append((decode(row["value"]), cats))
    return result


def record_decision(db: sqlite_utils.Database, code_id: int, action: str, after_status: str,
                    user: str | None, model_version: str | None = None) -> None:
    """Set a code's status and append the decision to its history, atomically."""
    stamp = now()
    with transaction(db):
        row = next(db.query("SELECT status FROM codes WHERE id = ?", [code_id]))
        db.execute("UPDATE codes SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                   [after_status, user, stamp, code_id])
        db.execute(
            "INSERT INTO code_decisions (code_id, action, before_status, after_status, user, "
            "at, model_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [code_id, action, row["status"], after_status, user, stamp, model_version])
