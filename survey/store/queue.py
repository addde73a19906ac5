"""The review queue: which coded answers a coordinator sees, filtered and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from survey.store.code_statuses import (
    ACCEPTED,
    ADDED,
    BLIND,
    HUMAN_SOURCE,
    HUMAN_STATUSES,
    MACHINE_STATUSES,
    PRESENT_STATUSES,
    PRIMARY,
    REJECTED,
    REVIEWABLE_RESPONSES,
)
from survey.store.codes import blind_labels, took_part_sql
from survey.store.connection import decode
from survey.store.consistency import Area, conflict_condition


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
    #: only answers whose text contradicts the area's rated change, over these areas
    conflicts: tuple[Area, ...] = ()


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
    if flt.conflicts:
        condition, condition_params = conflict_condition(flt.conflicts)
        where.append(condition)
        params += condition_params
    if flt.theme or flt.band or (flt.status in (ACCEPTED, REJECTED, ADDED)):
        where.append("EXISTS (SELECT 1 FROM codes c WHERE c.response_id = a.response_id AND "
                     "c.question = a.question AND " + " AND ".join(code_conditions) + ")")
        params += code_params
    return " AND ".join(where), params


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
