"""The labels the database hands the agreement statistics: auto-coder against the primary
review, people against each other in blind double coding. The statistics themselves are
tested by hand in tests/test_metrics.py."""

from __future__ import annotations

import math

import pytest

from survey import store
from survey.services import agreement
from survey.store import Reviewer
from tests.conftest import HALMSTAD, KARLSKRONA, LAHOLM

# ---------------------------------------------------------------- from the database

ROUND = "2020-06"
TEXT = "Fler kvinnor söker sig till kvinnojouren. Ungdomar saknar sommarjobb i år."


def _submitted_answer(db, code: str, question: str = "violence_risks") -> int:
    response = store.ensure_response(db, ROUND, code, "test")
    store.save_answers(db, response["id"], {question: TEXT}, None, "test")
    store.set_status(db, response["id"], store.SUBMITTED, "test")
    return response["id"]


def _code(theme: str, score: float = 0.7, negated: bool = False) -> dict:
    return {"code": theme, "score": score, "negated": negated, "source": "rule",
            "start": 0, "end": 41}


@pytest.fixture
def three_answers(db):
    """Three answers, coded by hand: the coder says DV + youth on all three, and on the
    third also a negated substance mention."""
    ids = [_submitted_answer(db, code) for code in (HALMSTAD, LAHOLM, KARLSKRONA)]
    for index, response_id in enumerate(ids):
        codes = [_code("domestic_violence"), _code("youth_idleness")]
        if index == 2:
            codes.append(_code("substance_abuse", negated=True))
        store.store_codes(db, response_id, "violence_risks", "risks", codes, "m1")
    return ids


def _decide(db, response_id: int, theme: str, action: str, who: Reviewer) -> None:
    code = next(c for c in store.codes_for_answer(db, response_id, "violence_risks")
                if c["code"] == theme)
    store.decide(db, code["id"], action, who)


def test_kappa_and_alpha_from_review_decisions(db, three_answers):
    first, second, third = three_answers
    anna, bo = Reviewer(1, "Anna"), Reviewer(2, "Bo")
    # primary review by Anna
    _decide(db, first, "domestic_violence", "accept", anna)
    _decide(db, first, "youth_idleness", "accept", anna)
    store.mark_done(db, first, "violence_risks", "risks", anna)
    _decide(db, second, "domestic_violence", "accept", anna)
    _decide(db, second, "youth_idleness", "reject", anna)
    store.mark_done(db, second, "violence_risks", "risks", anna)
    _decide(db, third, "domestic_violence", "reject", anna)
    _decide(db, third, "youth_idleness", "accept", anna)
    store.add_code(db, third, "violence_risks", "risks", "substance_abuse", anna)
    store.mark_done(db, third, "violence_risks", "risks", anna)
    # Bo double-codes the first two answers blind
    for theme, present in (("domestic_violence", True), ("youth_idleness", True)):
        store.blind_decide(db, first, "violence_risks", "risks", theme, present, bo)
    store.blind_done(db, first, "violence_risks", "risks", bo)
    for theme, present in (("domestic_violence", False), ("youth_idleness", False)):
        store.blind_decide(db, second, "violence_risks", "risks", theme, present, bo)
    store.blind_done(db, second, "violence_risks", "risks", bo)

    report = agreement.codebook_agreement(db, ROUND, "risks")
    themes = {t.theme: t for t in report.themes}
    assert report.judged_answers == 3 and report.double_coded_answers == 2
    assert report.coders == 2

    # domestic_violence: auto 1,1,1; Anna 1,1,0 -> p_o = 2/3, p_e = 1 * 2/3 -> kappa 0
    dv = themes["domestic_violence"]
    assert (dv.scores.tp, dv.scores.fp, dv.scores.fn, dv.scores.tn) == (2, 1, 0, 0)
    assert dv.kappa == pytest.approx(0.0)
    assert dv.scores.f1 == pytest.approx(0.8)
    # alpha DV on the double-coded: (Anna 1, Bo 1), (Anna 1, Bo 0)
    # o_11 = 2, o_10 = o_01 = 1: n_1 = 3, n_0 = 1, n = 4
    # alpha = 1 - 3 * 2 / (3*1 + 1*3) = 0
    assert dv.alpha == pytest.approx(0.0)
    # youth_idleness: Anna 1,0,1 ; Bo 1,0 on the first two: perfect agreement between people
    assert themes["youth_idleness"].alpha == pytest.approx(1.0)
    # substance_abuse: the coder reported it only as negated (not present) -> auto 0,0,0;
    # Anna added it on the third: p_o = 2/3, p_e = 1 * 1/3 -> kappa = (2/3-1/3)/(2/3) = 0
    sa = themes["substance_abuse"]
    assert (sa.scores.tp, sa.scores.fn, sa.scores.tn) == (0, 1, 2)
    assert sa.kappa == pytest.approx(0.0)
    # a theme nobody and nothing mentioned: everyone says 0 -> undefined, not 1
    assert themes["honour_violence"].kappa is None and themes["honour_violence"].alpha is None
    assert "domestic_violence" in agreement.format_table(report)


def test_explicit_decisions_count_without_marking_done(db, three_answers):
    first = three_answers[0]
    _decide(db, first, "domestic_violence", "reject", Reviewer(1, "Anna"))
    report = agreement.codebook_agreement(db, ROUND, "risks")
    themes = {t.theme: t for t in report.themes}
    # only the one decided theme of the one answer is a unit
    assert themes["domestic_violence"].scores.n == 1
    assert themes["domestic_violence"].scores.fp == 1
    assert themes["youth_idleness"].scores.n == 0
    assert math.isclose(report.micro.precision or 0.0, 0.0)


def test_undone_decisions_do_not_count(db, three_answers):
    first = three_answers[0]
    anna = Reviewer(1, "Anna")
    _decide(db, first, "domestic_violence", "reject", anna)
    store.undo_last(db, ROUND, anna)
    report = agreement.codebook_agreement(db, ROUND, "risks")
    assert {t.theme: t.scores.n for t in report.themes}["domestic_violence"] == 0
    assert report.judged_answers == 0


def test_agreement_is_limited_to_a_county(db, three_answers):
    anna = Reviewer(1, "Anna")
    for response_id in three_answers:
        _decide(db, response_id, "domestic_violence", "accept", anna)
    halland = agreement.codebook_agreement(db, ROUND, "risks", county_code="13")
    blekinge = agreement.codebook_agreement(db, ROUND, "risks", county_code="10")
    dv = {t.theme: t for t in halland.themes}["domestic_violence"]
    assert dv.scores.n == 2  # Halmstad and Laholm
    assert {t.theme: t for t in blekinge.themes}["domestic_violence"].scores.n == 1
