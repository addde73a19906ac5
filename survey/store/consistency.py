"""Direction of change in the coded free text, and where it contradicts the structured answer.

A municipality rates each area's change in ``risk_change`` (increased / unchanged /
decreased) and describes the area in free text that the auto-coder codes with a direction
(#10). When the two disagree, for instance "Oförändrat" beside a text coded with an increase
in one of the area's themes, the coordinator should look at the answer before it is
compiled. Which themes belong to an area is data: the ``themes`` key of the questionnaire's
``area_<row>`` page, whose row of ``risk_change`` holds the rating.

Only codes that still stand count: a theme the coordinator rejected, a withdrawn addition
or a score below the theme's band says nothing about the text. A mention the band set aside
because it is negated does count: "våldet har minskat" is exactly a decrease.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from survey.questionnaire.model import Questionnaire
from survey.store.code_statuses import AUTO_REJECTED, REJECTED, REMOVED, REVIEWABLE_RESPONSES

__all__ = ["CHANGE_QUESTION", "CONTRADICTIONS", "DIRECTIONS", "Area", "DirectionConflict",
           "answer_conflicts", "conflict_condition", "conflict_summary", "direction_counts",
           "round_areas"]

CHANGE_QUESTION = "risk_change"
INCREASE, DECREASE, UNCHANGED, PRESENT, DENIED = (
    "increase", "decrease", "unchanged", "present", "denied")
DIRECTIONS = (INCREASE, DECREASE, UNCHANGED, PRESENT, DENIED)
#: rated change -> the text directions that contradict it
CONTRADICTIONS = {
    "increased": (DECREASE, DENIED),
    "unchanged": (INCREASE,),
    "decreased": (INCREASE,),
}
# codes c that still say something about the text (see the module's docstring)
_STANDING = "c.status NOT IN (?, ?) AND (c.status != ? OR c.negated = 1)"
_STANDING_PARAMS = (REJECTED, REMOVED, AUTO_REJECTED)


@dataclass(frozen=True)
class Area:
    """One area of the questionnaire: its row of the change question, its themes, and its
    coded free-text questions."""

    name: str
    themes: tuple[str, ...]
    questions: tuple[str, ...]


def round_areas(questionnaire: Questionnaire) -> tuple[Area, ...]:
    """The areas whose page names themes and whose row the change question asks."""
    if not questionnaire.has(CHANGE_QUESTION):
        return ()
    rows = {row.name for row in questionnaire.question(CHANGE_QUESTION).rows}
    areas = []
    for page in questionnaire.pages:
        name = page.name.removeprefix("area_")
        coded = tuple(q.name for q in page.questions if q.code_with)
        if page.themes and page.name.startswith("area_") and name in rows and coded:
            areas.append(Area(name, page.themes, coded))
    return tuple(areas)


def _mapping(areas: tuple[Area, ...] | list[Area]) -> str:
    """{"question theme": area} as JSON: which row of the change question a code is about."""
    return json.dumps({f"{q} {t}": a.name for a in areas for q in a.questions for t in a.themes})


_RULES = json.dumps({f"{rated} {d}": 1 for rated, ds in CONTRADICTIONS.items() for d in ds})
_CONTRADICTING = sorted({d for ds in CONTRADICTIONS.values() for d in ds})

# Looked up in JSON objects rather than joined, so that each of an answer's few codes costs
# two lookups (ids and option values are [a-z0-9_], safe inside a quoted JSON path key).
_AREA = "json_extract(?, '$.\"' || c.question || ' ' || c.code || '\"')"  # param: mapping
_RATED = f"json_extract(s.value, '$.' || {_AREA})"
# The codes of answer `a` that contradict the answer's change rating.
_CONFLICTING_CODES = (
    "codes c JOIN answers s ON s.response_id = c.response_id AND s.question = ? "
    "WHERE c.response_id = a.response_id AND c.question = a.question "
    f"AND c.direction IN ({', '.join('?' * len(_CONTRADICTING))}) AND {_STANDING} "
    f"AND json_extract(?, '$.\"' || {_RATED} || ' ' || c.direction || '\"') = 1")


def _conflict_params(areas: tuple[Area, ...] | list[Area]) -> list[Any]:
    return [CHANGE_QUESTION, *_CONTRADICTING, *_STANDING_PARAMS, _RULES, _mapping(areas)]


def conflict_condition(areas: tuple[Area, ...] | list[Area]) -> tuple[str, list[Any]]:
    """An SQL condition on answers ``a``: its text contradicts the structured change answer."""
    return f"EXISTS (SELECT 1 FROM {_CONFLICTING_CODES})", _conflict_params(areas)


@dataclass(frozen=True)
class DirectionConflict:
    """One code whose direction contradicts the area's rated change."""

    code_id: int
    theme: str
    direction: str
    area: str
    rated: str  # the option value of the change question: increased, unchanged, decreased


def answer_conflicts(db: sqlite_utils.Database, response_id: int, question: str,
                     areas: tuple[Area, ...] | list[Area]) -> list[DirectionConflict]:
    """The contradicting codes of one free-text answer (none: the answer is consistent)."""
    if not areas:
        return []
    mapping = _mapping(areas)
    sql = (f"SELECT c.id, c.code, c.direction, {_AREA} AS area, {_RATED} AS rated "
           f"FROM (SELECT ? AS response_id, ? AS question) AS a, {_CONFLICTING_CODES} "
           "ORDER BY c.start, c.code")
    params = [mapping, mapping, response_id, question, *_conflict_params(areas)]
    return [DirectionConflict(row["id"], row["code"], row["direction"], row["area"], row["rated"])
            for row in db.query(sql, params)]


def _scope(round_id: str, questions: dict[str, str] | list[str], county_code: str | None
           ) -> tuple[str, list[Any]]:
    names = list(questions)
    where = (f"r.round_id = ? AND a.question IN ({', '.join('?' * len(names)) or 'NULL'}) "
             f"AND r.status IN ({', '.join('?' * len(REVIEWABLE_RESPONSES))}) "
             "AND (? IS NULL OR m.county_code = ?)")
    return where, [round_id, *names, *REVIEWABLE_RESPONSES, county_code, county_code]


def conflict_summary(db: sqlite_utils.Database, round_id: str, questions: dict[str, str],
                     areas: tuple[Area, ...] | list[Area], county_code: str | None
                     ) -> dict[str, int]:
    """How many free-text answers, and in how many municipalities, contradict the rating."""
    if not areas:
        return {"answers": 0, "municipalities": 0}
    where, params = _scope(round_id, questions, county_code)
    condition, condition_params = conflict_condition(areas)
    row = next(db.query(
        "SELECT COUNT(*) AS answers, COUNT(DISTINCT r.municipality_code) AS municipalities "
        "FROM answers a JOIN responses r ON r.id = a.response_id "
        f"JOIN municipalities m ON m.code = r.municipality_code WHERE {where} AND {condition}",
        [*params, *condition_params]))
    return {"answers": row["answers"], "municipalities": row["municipalities"]}


def direction_counts(db: sqlite_utils.Database, round_id: str, questions: dict[str, str],
                     county_code: str | None) -> dict[str, dict[str, int]]:
    """theme -> direction -> number of municipalities whose free text describes it so.

    Counted over municipalities, not codes: a municipality that writes about an increase in
    two answers is one municipality describing an increase. Codes stored before the coder
    reported a direction have none and are not counted.
    """
    where, params = _scope(round_id, questions, county_code)
    counts: dict[str, dict[str, int]] = {}
    for row in db.query(
            "SELECT c.code, c.direction, COUNT(DISTINCT r.municipality_code) AS n "
            "FROM codes c JOIN answers a ON a.response_id = c.response_id "
            "AND a.question = c.question JOIN responses r ON r.id = a.response_id "
            f"JOIN municipalities m ON m.code = r.municipality_code WHERE {where} "
            f"AND c.direction IS NOT NULL AND {_STANDING} "
            "GROUP BY c.code, c.direction", [*params, *_STANDING_PARAMS]):
        counts.setdefault(row["code"], dict.fromkeys(DIRECTIONS, 0))
        if row["direction"] in DIRECTIONS:
            counts[row["code"]][row["direction"]] = row["n"]
    return counts
