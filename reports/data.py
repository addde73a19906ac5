"""Everything a report reads from the database for one round, fetched once.

A national report covers 290 municipalities; it loads the round's answers and codes in two
queries (through survey.db and survey.db_codes) and the county sections are cut from that,
instead of asking the database once per county.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from coding import get_coder
from survey import store
from survey.questionnaire.model import Question, Questionnaire

#: Review statuses that count as a theme being present.
VERIFIED_STATUSES = frozenset({store.ACCEPTED, store.ADDED})
AUTOMATIC_STATUSES = frozenset({store.AUTO_ACCEPTED, store.TO_REVIEW, "automatic"})


class ReportError(ValueError):
    """The report cannot be made (unknown round or county); the message is for the user."""


@dataclass
class RoundData:
    """One round's answers and codes, keyed by municipality code."""

    round: dict
    questionnaire: Questionnaire
    counties: dict[str, dict]
    municipalities: list[dict]
    statuses: dict[str, dict]  # municipality code -> response row
    answers: dict[str, dict[str, Any]]  # submitted responses only
    codes: dict[str, list[dict]] = field(default_factory=dict)  # present codes only
    stored_codes: int = 0
    autocoded: bool = False
    #: Municipalities invited to the round (or with a response): the response rate's base,
    #: the same set the coordinator dashboard counts (``store.status_rows``).
    invited: set[str] = field(default_factory=set)
    include_unreviewed: bool = True
    #: What the coordinators wrote and chose (#11), per county code (None: national).
    assessments: dict[str | None, dict[str | None, dict]] = field(default_factory=dict)
    choices: dict[tuple, dict] = field(default_factory=dict)  # (municipality, question, s, e)
    _chosen: dict[str, bool] = field(default_factory=dict, repr=False)
    sources: dict[str, list[dict]] = field(default_factory=dict)
    deliveries: dict[str, dict] = field(default_factory=dict)
    #: Passages already quoted in the report being built: each quote is used once.
    quoted: set[tuple] = field(default_factory=set)

    def scope(self, county_code: str | None) -> list[dict]:
        """The invited municipalities of a county (or all), in code order."""
        return [m for m in self.municipalities
                if (county_code is None or m["county_code"] == county_code)
                and m["code"] in self.invited]

    def excluded(self, municipality: str, question: str, start: int | None,
                 end: int | None) -> bool:
        choice = self.choices.get((municipality, question, start, end))
        return choice is not None and not choice["included"]

    def has_choices(self, municipality: str) -> bool:
        """Whether the coordinator included or excluded any passage of this municipality:
        most have none, and their quotes need no look-up per code."""
        if len(self._chosen) != len(self.choices):
            self._chosen.clear()
            self._chosen.update({key[0]: True for key in self.choices})
        return municipality in self._chosen

    def included(self, municipality: str, question: str, start: int | None,
                 end: int | None) -> bool:
        choice = self.choices.get((municipality, question, start, end))
        return choice is not None and bool(choice["included"])

    def left_out(self, municipality: str) -> dict[str, list[tuple[int | None, int | None]]]:
        """Per question, the passages the county coordinator excluded from this
        municipality's answers ((None, None): the whole answer)."""
        result: dict[str, list[tuple[int | None, int | None]]] = {}
        for (code, question, start, end), choice in self.choices.items():
            if code == municipality and not choice["included"]:
                result.setdefault(question, []).append((start, end))
        return result

    def respondents(self, county_code: str | None = None) -> list[dict]:
        return [m for m in self.scope(county_code) if m["code"] in self.answers]

    def coded_questions(self) -> dict[str, str]:
        return self.questionnaire.coded_questions


def load_round(db: sqlite_utils.Database, round_id: str, county_code: str | None = None,
               autocode: bool = False, questions: set[str] | None = None,
               codebooks: set[str] | None = None, include_unreviewed: bool = True,
               compilation: bool = False) -> RoundData:
    """The round's submitted answers and codes; ``questions`` and ``codebooks`` narrow what
    is read (a previous round only needs what the comparison uses). Without
    ``include_unreviewed`` only codes a person accepted or added count. ``compilation``
    also reads what the coordinators wrote and chose."""
    round_row = store.get_round(db, round_id)
    if round_row is None:
        raise ReportError(f"Omgången ”{round_id}” finns inte.")
    counties = {c["code"]: c for c in store.counties(db)}
    if county_code is not None and county_code not in counties:
        raise ReportError(f"Länet ”{county_code}” finns inte.")
    questionnaire = store.round_questionnaire(db, round_row)
    statuses = {r["municipality_code"]: r
                for r in store.responses_for_round(db, round_id, county_code)}
    answers = store.submitted_answers(db, round_id, county_code, questions)
    for code, response in statuses.items():
        if response["status"] == store.SUBMITTED:
            answers.setdefault(code, {})  # submitted with every answer empty still counts
    data = RoundData(round_row, questionnaire, counties,
                     store.municipalities(db, county_code), statuses, answers,
                     invited={r["code"] for r in store.status_rows(db, round_id, county_code)},
                     include_unreviewed=include_unreviewed)
    _attach_stored_codes(db, data, county_code, codebooks)
    if autocode and not data.stored_codes:
        data.autocoded = autocode_answers(data)
    if compilation:
        _attach_compilation(db, data, county_code)
    return data


def _attach_compilation(db: sqlite_utils.Database, data: RoundData,
                        county_code: str | None) -> None:
    """Assessments, quote choices, other sources and deliveries of the round's counties."""
    round_id = data.round["id"]
    codes = [county_code] if county_code else sorted(data.counties)
    if county_code:
        data.assessments = {county_code: store.assessments(db, round_id, county_code)}
    else:
        data.assessments = dict(store.all_county_assessments(db, round_id))
        data.assessments[None] = store.assessments(db, round_id, None)
    for code in codes:
        for choice in store.quote_choices(db, round_id, code):
            data.choices[(choice["municipality_code"], choice["question"], choice["start"],
                          choice["end"])] = choice
        data.sources[code] = store.sources(db, round_id, code)
        delivery = store.delivery(db, round_id, code)
        if delivery:
            data.deliveries[code] = delivery


def _attach_stored_codes(db: sqlite_utils.Database, data: RoundData,
                         county_code: str | None, codebooks: set[str] | None) -> None:
    codes: dict[str, list[dict]] = defaultdict(list)
    stored = 0
    for row in store.submitted_codes(db, data.round["id"], county_code, codebooks):
        stored += 1
        if is_present(row) and (data.include_unreviewed or is_verified(row)):
            codes[row["municipality_code"]].append(row)
    data.codes, data.stored_codes = dict(codes), stored


def is_present(code: dict) -> bool:
    """A theme counts when a person accepted or added it, or an automatic code stands and
    the mention is not negated ("vi ser inget ökat våld")."""
    if code["status"] in VERIFIED_STATUSES:
        return True
    return code["status"] in AUTOMATIC_STATUSES and not code.get("negated")


def is_verified(code: dict) -> bool:
    return code["status"] in VERIFIED_STATUSES


def autocode_answers(data: RoundData) -> bool:
    """Code the free texts on the fly with the auto-coder, when it is installed.

    The codes are not stored (that is the review's job) and all count as automatic.
    """
    by_codebook: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for municipality, values in data.answers.items():
        for question, codebook in data.coded_questions().items():
            text = values.get(question)
            if isinstance(text, str) and text.strip():
                by_codebook[codebook].append((municipality, question, text))
    codes: dict[str, list[dict]] = defaultdict(list)
    for codebook, items in by_codebook.items():
        results = get_coder(codebook).code_many([text for _, _, text in items])
        for (municipality, question, _), found in zip(items, results, strict=True):
            for code in found:
                row = {"code": code.code, "codebook": codebook, "question": question,
                       "status": "automatic", "score": code.score,
                       "negated": bool(code.negated), "start": code.start, "end": code.end,
                       "evidence": code.evidence, "municipality_code": municipality}
                if is_present(row) and data.include_unreviewed:
                    codes[municipality].append(row)
    data.codes = dict(codes)
    return True


def area_of_question(questionnaire: Questionnaire) -> dict[str, str]:
    """Question name -> area id, for the questions on an ``area_<id>`` page."""
    result = {}
    for page in questionnaire.pages:
        if page.name.startswith("area_"):
            for question in page.questions:
                result[question.name] = page.name.removeprefix("area_")
    return result


def areas(questionnaire: Questionnaire) -> list[tuple[str, str]]:
    """(area id, Swedish label) in questionnaire order, from the risk_level matrix rows;
    none for a questionnaire without that matrix (the report then has no area sections)."""
    level = question_or_none(questionnaire, "risk_level")
    return [(row.name, row.label.get("sv")) for row in level.rows] if level else []


def question_or_none(questionnaire: Questionnaire, name: str) -> Question | None:
    return questionnaire.question(name) if questionnaire.has(name) else None
