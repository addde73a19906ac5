"""Themes coded in free-text answers: the auto-codes, their bands and the read queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import sqlite_utils

from survey.store.code_statuses import HUMAN_SOURCE, HUMAN_STATUSES, PRIMARY, REJECTED
from survey.store.connection import decode, in_county, now, transaction
from survey.store.thresholds import status_for_codebook


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
                "source, start, end, evidence, model_version, status, auto_status, created_at, "
                "direction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [response_id, question, codebook, code["code"], code.get("score"),
                 int(bool(code.get("negated"))), code.get("source", "rule"), code.get("start"),
                 code.get("end"), code.get("evidence"), model_version, status, status, stamp,
                 code.get("direction")])
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


def took_part_sql() -> str:
    """The user made a primary decision on the answer (so cannot be its blind second coder)."""
    return ("(EXISTS (SELECT 1 FROM code_decisions d JOIN codes c ON c.id = d.code_id "
            "WHERE c.response_id = a.response_id AND c.question = a.question "
            "AND d.user_id IS ? AND d.undone_at IS NULL AND d.action != 'undo') "
            "OR EXISTS (SELECT 1 FROM answer_reviews v WHERE v.response_id = a.response_id "
            "AND v.question = a.question AND v.mode = 'primary' AND v.user_id IS ? "
            "AND v.undone_at IS NULL))")
