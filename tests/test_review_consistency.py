"""Direction of change and consistency with the structured answers in the review workspace
(#10 items 3 and 4): the questionnaire's area themes, the store's counts and conflicts, and
what the overview, the cards and the queue filter show.

World: tests/accounts_fixtures.py (round 2020-06; Halmstad A, Varberg B and Hylte E in
county 13, Karlshamn C in county 10). Codes and change answers are written here by hand, so
nothing depends on how the auto-coder reads the demo's texts.
"""

from __future__ import annotations

import re

import pytest

from survey import store
from survey.questionnaire import loader
from survey.questionnaire.yamlfile import QuestionnaireError
from survey.store import Reviewer
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import A, B, C, E, user_client

AREA_PAGE = """
id: t
version: "1"
title: {sv: "T"}
pages:
  - name: area_violence
    title: {sv: "Våld"}
    themes: [domestic_violence, honur_violence]
    questions:
      - name: violence_risks
        type: textarea
        label: {sv: "Beskriv riskerna."}
        code_with: risks
"""


def test_the_2020_questionnaire_names_each_area_s_themes():
    questionnaire = loader.load("questionnaires/lagesbild-2020.yaml")
    themes = {page.name: page.themes for page in questionnaire.pages if page.themes}
    assert themes["area_violence"] == ("domestic_violence", "honour_violence")
    assert themes["area_unrest"] == ("public_safety",)
    assert set(themes) == {f"area_{a}" for a in (
        "violence", "children", "substance", "mental_health", "unemployment", "unrest")}


def test_xlsform_carries_the_area_themes():
    from survey.questionnaire import xlsform_out

    questionnaire = loader.load("questionnaires/lagesbild-2020.yaml")
    survey = xlsform_out.build_workbook(questionnaire)["survey"]
    rows = list(survey.iter_rows(values_only=True))
    column = rows[0].index("lagesbild::themes")
    groups = {row[1]: row[column] for row in rows[1:] if row[0] == "begin_group"}
    assert groups["area_violence"] == "domestic_violence honour_violence"
    assert groups["assessment"] is None


def test_an_unknown_theme_is_refused_at_its_file_and_line():
    with pytest.raises(QuestionnaireError) as refused:
        loader.loads(AREA_PAGE, "areas.yaml")
    messages = [str(p) for p in refused.value.problems]
    assert len(messages) == 1
    assert messages[0].startswith("areas.yaml:8: unknown theme 'honur_violence'")
    assert "did you mean 'honour_violence'" in messages[0]


def test_themes_must_be_a_list():
    with pytest.raises(QuestionnaireError) as refused:
        loader.loads(AREA_PAGE.replace("[domestic_violence, honur_violence]", "violence"),
                     "areas.yaml")
    assert str(refused.value.problems[0]).startswith(
        "areas.yaml:8: themes of page 'area_violence' must be a list")


# ---------------------------------------------------------------- the store

ROUND = "2020-06"
HANS = Reviewer(1, "Hans Halland (halland@lansstyrelsen.test)")


def _questionnaire(db):
    return store.round_questionnaire(db, store.get_round(db, ROUND))


def rate(db, municipality: str, area: str, change: str) -> int:
    """Set one row of the municipality's risk_change answer (test setup, after submission)."""
    response_id = store.get_response(db, ROUND, municipality)["id"]
    row = next(db.query("SELECT value FROM answers WHERE response_id = ? AND question = ?",
                        [response_id, "risk_change"]))
    value = {**store.decode(row["value"]), area: change}
    db.execute("UPDATE answers SET value = ? WHERE response_id = ? AND question = ?",
               [store.encode(value), response_id, "risk_change"])
    return response_id


def code(db, municipality: str, question: str, theme: str, direction: str,
         score: float = 0.7) -> int:
    response_id = store.get_response(db, ROUND, municipality)["id"]
    text = store.answer_text(db, response_id, question)
    codebook = _questionnaire(db).coded_questions[question]
    store.store_codes(db, response_id, question, codebook, [
        {"code": theme, "score": score, "negated": direction in ("decrease", "unchanged",
                                                                   "denied"),
         "source": "rule", "start": 0, "end": min(len(text), 20), "evidence": text[:20],
         "direction": direction}], "test-model-1")
    return next(c for c in store.codes_for_answer(db, response_id, question)
                if c["code"] == theme)["id"]


@pytest.fixture
def cdb(accounts_db):
    """A: violence rated unchanged, text coded with an increase in domestic violence (a
    conflict). B: rated increased, text says honour violence decreased (a conflict) and
    children rated unchanged with an increase the coordinator rejected (none). E: rated
    decreased and the text agrees. C (county 10): unchanged beside an increase."""
    db = accounts_db
    rate(db, A, "violence", "unchanged")
    code(db, A, "violence_risks", "domestic_violence", "increase")
    rate(db, B, "violence", "increased")
    code(db, B, "violence_risks", "honour_violence", "decrease")
    rate(db, B, "children", "unchanged")
    rejected = code(db, B, "children_risks", "vulnerable_children", "increase")
    store.decide(db, rejected, "reject", HANS)
    rate(db, E, "violence", "decreased")
    code(db, E, "violence_risks", "domestic_violence", "decrease")
    rate(db, C, "violence", "unchanged")
    code(db, C, "violence_risks", "domestic_violence", "increase")
    return db


def test_areas_come_from_the_questionnaire(accounts_db):
    areas = {a.name: a for a in store.round_areas(_questionnaire(accounts_db))}
    assert areas["violence"].themes == ("domestic_violence", "honour_violence")
    assert "violence_risks" in areas["violence"].questions
    assert "violence_measures_taken" in areas["violence"].questions
    assert len(areas) == 6


def test_conflicts_of_an_answer_name_the_rating_and_the_direction(cdb):
    areas = store.round_areas(_questionnaire(cdb))
    a = store.get_response(cdb, ROUND, A)["id"]
    b = store.get_response(cdb, ROUND, B)["id"]
    e = store.get_response(cdb, ROUND, E)["id"]
    [conflict] = store.answer_conflicts(cdb, a, "violence_risks", areas)
    assert (conflict.theme, conflict.direction, conflict.area, conflict.rated) == (
        "domestic_violence", "increase", "violence", "unchanged")
    [conflict] = store.answer_conflicts(cdb, b, "violence_risks", areas)
    assert (conflict.theme, conflict.rated, conflict.direction) == (
        "honour_violence", "increased", "decrease")
    assert store.answer_conflicts(cdb, b, "children_risks", areas) == []  # rejected
    assert store.answer_conflicts(cdb, e, "violence_risks", areas) == []  # agrees
    assert store.answer_conflicts(cdb, a, "children_risks", areas) == []


def test_a_theme_of_another_area_is_no_conflict(cdb):
    """An increase in substance abuse written under violence says nothing about violence."""
    areas = store.round_areas(_questionnaire(cdb))
    e = store.get_response(cdb, ROUND, E)["id"]
    rate(cdb, E, "substance", "decreased")
    code(cdb, E, "violence_risks", "substance_abuse", "increase")
    assert store.answer_conflicts(cdb, e, "violence_risks", areas) == []


def test_conflict_summary_and_queue_filter_keep_to_the_county(cdb):
    questionnaire = _questionnaire(cdb)
    areas, questions = store.round_areas(questionnaire), questionnaire.coded_questions
    assert store.conflict_summary(cdb, ROUND, questions, areas, "13") == {
        "answers": 2, "municipalities": 2}
    assert store.conflict_summary(cdb, ROUND, questions, areas, None) == {
        "answers": 3, "municipalities": 3}
    rows, total = store.queue(cdb, ROUND, questions, "13",
                              store.QueueFilter(conflicts=areas), limit=None)
    assert total == 2
    assert {(r["municipality_code"], r["question"]) for r in rows} == {
        (A, "violence_risks"), (B, "violence_risks")}


def test_directions_are_counted_over_municipalities(cdb):
    questions = _questionnaire(cdb).coded_questions
    # a second answer of A with an increase in domestic violence: still one municipality
    code(cdb, A, "children_risks", "domestic_violence", "increase")
    code(cdb, A, "violence_measures_taken", "victim_support", "present")
    counts = store.direction_counts(cdb, ROUND, questions, "13")
    assert counts["domestic_violence"]["increase"] == 1  # A (C is in county 10)
    assert counts["domestic_violence"]["decrease"] == 1  # E
    assert counts["honour_violence"]["decrease"] == 1  # B
    assert "vulnerable_children" not in counts  # rejected
    assert counts["victim_support"]["present"] == 1
    assert store.direction_counts(cdb, ROUND, questions, None)["domestic_violence"][
        "increase"] == 2


# ---------------------------------------------------------------- the workspace's pages


def page_text(response, status: int = 200) -> str:
    """The page as a reader sees it: tags gone, whitespace and entities as text."""
    import html

    assert response.status_code == status, response.status_code
    body = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def card_html(response, dom_id: str) -> str:
    body = response.get_data(as_text=True)
    start = body.index(f'id="{dom_id}"')
    return body[start:body.index("</article>", start)]


def test_overview_counts_directions_over_municipalities_and_the_conflicts(coord_app, cdb):
    code(cdb, A, "violence_measures_taken", "victim_support", "increase")
    text = page_text(user_client(coord_app, "coord13").get(f"/granskning/{ROUND}/"))
    assert "1 kommun beskriver en ökning av våld i nära relationer" in text  # A, not C
    assert "1 kommun beskriver en minskning av våld i nära relationer" in text  # E
    assert "1 kommun beskriver en minskning av hedersrelaterat våld och förtryck" in text
    directions = text.split("Riktning i fritexterna")[1].split("Teman per status")[0]
    assert "barn i utsatta situationer" not in directions  # the rejected increase
    assert "våldsutsatta" not in directions  # a measure: no trend sentence
    assert "2 svar från 2 kommuner motsäger" in text
    assert "Län: Hallands län" in text and "Län 13" not in text
    assert "(Risker)" in text and "(Åtgärder)" in text and "(risks)" not in text
    national = page_text(user_client(coord_app, "national").get(f"/granskning/{ROUND}/"))
    assert "2 kommuner beskriver en ökning av våld i nära relationer" in national  # A and C
    assert "3 svar från 3 kommuner motsäger" in national


def test_a_card_shows_both_values_in_words_and_each_code_s_direction(coord_app, cdb):
    client = user_client(coord_app, "coord13")
    a = store.get_response(cdb, ROUND, A)["id"]
    response = client.get(f"/granskning/{ROUND}/svar/{a}/violence_risks")
    card = page_text(response)
    assert "Motstridiga svar" in card
    assert ("Kommunen har svarat ”Oförändrat” på hur risken har förändrats inom området "
            "”Våld i nära relationer samt hedersrelaterat våld och förtryck”, men texten "
            "beskriver en ökning av våld i nära relationer.") in card
    assert "Riktning: ökning" in card
    assert "[Våld i nära relationer – ökning]" in card
    # the section names the area; the question id is not shown
    assert ("Våld i nära relationer samt hedersrelaterat våld och förtryck: Beskriv de risker "
            "ni ser inom området just nu.") in card
    assert "violence_risks" not in card
    b = store.get_response(cdb, ROUND, B)["id"]
    card = page_text(client.get(f"/granskning/{ROUND}/svar/{b}/violence_risks"))
    assert "”Ökat”" in card and "men texten beskriver en minskning av hedersrelaterat våld" \
        in card
    assert "Riktning: minskning" in card
    e = store.get_response(cdb, ROUND, E)["id"]
    card = page_text(client.get(f"/granskning/{ROUND}/svar/{e}/violence_risks"))
    assert "Motstridiga svar" not in card and "Riktning: minskning" in card


def test_the_filter_shows_only_the_contradictory_answers(coord_app, cdb):
    client = user_client(coord_app, "coord13")
    response = client.get(f"/granskning/{ROUND}/svar?status=&motstridiga=1")
    body = response.get_data(as_text=True)
    a = store.get_response(cdb, ROUND, A)["id"]
    b = store.get_response(cdb, ROUND, B)["id"]
    cards = set(re.findall(r'<article class="answer[^"]*" id="(a-[^"]+)"', body))
    assert cards == {f"a-{a}-violence_risks", f"a-{b}-violence_risks"}
    assert 'id="f-motstridiga" name="motstridiga" value="1" checked' in body
    # the pager keeps the filter, and without it every answer is back
    assert "motstridiga=1" in body.split('class="pager"')[1]
    everything = client.get(f"/granskning/{ROUND}/svar?status=").get_data(as_text=True)
    assert len(re.findall(r'<article class="answer', everything)) > 2


def test_bulk_acceptance_keeps_to_the_contradictory_answers(coord_app, cdb):
    client = user_client(coord_app, "coord13")
    response = client.post(f"/granskning/{ROUND}/godta-alla", data={
        "min_score": "0,5", "motstridiga": "1", "status": ""})
    assert response.status_code == 303
    accepted = {(c["response_id"], c["question"]) for c in cdb.query(
        "SELECT response_id, question FROM codes WHERE status = 'accepted'")}
    a = store.get_response(cdb, ROUND, A)["id"]
    assert accepted == {(a, "violence_risks")}  # B's conflicting code is auto-rejected


def test_question_filter_and_theme_groups_show_labels(coord_app, cdb):
    body = user_client(coord_app, "coord13").get(f"/granskning/{ROUND}/svar").get_data(
        as_text=True)
    select = body[body.index('id="f-fraga"'):body.index("</select>", body.index('id="f-fraga"'))]
    assert '<optgroup label="Våld i nära relationer samt hedersrelaterat våld och förtryck">' \
        in select
    assert '<option value="violence_risks">Beskriv de risker ni ser inom området just nu.' \
        in select
    assert ">violence_risks<" not in select
    assert '<optgroup label="Risker">' in body and '<optgroup label="Åtgärder">' in body


def test_agreement_uses_the_codebook_label_and_a_decimal_comma(coord_app, cdb):
    client = user_client(coord_app, "coord13")
    a = store.get_response(cdb, ROUND, A)["id"]
    for code_row in store.codes_for_answer(cdb, a, "violence_risks"):
        store.decide(cdb, code_row["id"], "accept", HANS)
    store.mark_done(cdb, a, "violence_risks", "risks", HANS)
    text = page_text(client.get(f"/granskning/{ROUND}/overensstammelse"))
    assert "Kodbok: Risker" in text and "Kodbok: risks" not in text
    assert re.search(r"\b[01],\d\d\b", text), "a score with a decimal comma"
    assert not re.search(r"\b[01]\.\d\d\b", text), "no score with a decimal point"


def test_a_rejected_theme_strikes_only_its_name(coord_app, cdb):
    """The style sheet strikes the theme's name, never the row with its buttons."""
    from pathlib import Path

    css = (Path(__file__).parent.parent / "survey/web/static/review.css").read_text("utf-8")
    struck = [rule.split("{")[0] for rule in css.split("}") if "line-through" in rule]
    assert struck and all(".s-label" in selector for selector in struck)
    client = user_client(coord_app, "coord13")
    b = store.get_response(cdb, ROUND, B)["id"]
    html_card = card_html(client.get(f"/granskning/{ROUND}/svar/{b}/children_risks"),
                          f"a-{b}-children_risks")
    row = html_card[html_card.index('data-status="rejected"'):]
    assert row.index('class="s-label"') < row.index('value="accept"')


def test_a_threshold_error_names_the_theme_not_its_id(coord_app, cdb):
    client = user_client(coord_app, "national")
    response = client.post(f"/granskning/{ROUND}/troskelvarden",
                           data={"accept_at-risks-domestic_violence": "2"})
    summary = page_text(response, 422).split("Tema")[0]
    assert "Våld i nära relationer (Risker): " in summary
    assert "risks-domestic_violence" not in summary
