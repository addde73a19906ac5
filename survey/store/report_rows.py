"""Queries for reports: a round's submitted answers and present codes, lean and in bulk.

A national report reads two rounds of 290 municipalities (about 50 000 rows); these return
plain tuples and small dicts instead of whole rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

from survey.store.connection import SUBMITTED, decode, in_county

CODE_COLUMNS = ("code", "codebook", "question", "status", "score", "negated", "start", "end")


def _filters(county_code: str | None, column: str, values: Iterable[str] | None,
             params: list[Any]) -> str:
    sql = in_county(county_code, params)
    if values is not None:
        values = sorted(values)
        sql += f" AND {column} IN ({','.join('?' for _ in values) or 'NULL'})"
        params += values
    return sql


def submitted_answers(db: sqlite_utils.Database, round_id: str, county_code: str | None = None,
                      questions: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """{municipality code: {question: value}} for submitted responses only."""
    params: list[Any] = [round_id, SUBMITTED]
    sql = ("SELECT r.municipality_code, a.question, a.value FROM answers a "
           "JOIN responses r ON r.id = a.response_id "
           "JOIN municipalities m ON m.code = r.municipality_code "
           "WHERE r.round_id = ? AND r.status = ?"
           + _filters(county_code, "a.question", questions, params))
    result: dict[str, dict[str, Any]] = {}
    for municipality, question, value in db.execute(sql, params):
        result.setdefault(municipality, {})[question] = decode(value)
    return result


def submitted_codes(db: sqlite_utils.Database, round_id: str, county_code: str | None = None,
                    codebooks: Iterable[str] | None = None) -> list[dict]:
    """The codes of submitted responses (any review status), with the municipality code.

    Only codes whose answer still exists: a cleared answer's codes may linger until the
    text is re-coded, and must not count as a theme in the meantime."""
    params: list[Any] = [round_id, SUBMITTED]
    columns = ", ".join(f"c.{name}" for name in CODE_COLUMNS)
    sql = (f"SELECT r.municipality_code, {columns} FROM codes c "
           "JOIN responses r ON r.id = c.response_id "
           "JOIN answers a ON a.response_id = c.response_id AND a.question = c.question "
           "JOIN municipalities m ON m.code = r.municipality_code "
           "WHERE r.round_id = ? AND r.status = ?"
           + _filters(county_code, "c.codebook", codebooks, params)
           + " ORDER BY r.municipality_code, c.question, c.start")
    keys = ("municipality_code", *CODE_COLUMNS)
    return [dict(zip(keys, row, strict=True)) for row in db.execute(sql, params)]
