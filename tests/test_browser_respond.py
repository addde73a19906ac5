"""The whole 2020 questionnaire in real headless Chromium, with and without JavaScript,
and axe-core on every page: Swedish public bodies must meet WCAG 2.1 AA."""

from __future__ import annotations

import random

import pytest

from survey import store
from survey.services import demo
from tests.conftest import HALMSTAD, LAHOLM
from tests.live import axe_violations

pytestmark = pytest.mark.browser
ROUND = "2020-09"


def answers_for(db, seed: int, code: str) -> tuple:
    questionnaire = store.round_questionnaire(db, store.get_round(db, ROUND))
    rng = random.Random(seed)
    municipality = store.municipality(db, code)
    answers = demo.generate_answers(questionnaire, rng, demo.TextPool(rng), municipality,
                                    ROUND)
    # exercise same-page relevance: the shelter comment appears only for 'insufficient'
    answers["violence_shelter_capacity"] = "insufficient"
    answers["violence_shelter_comment"] = "Skyddade boenden i länet är fullbelagda."
    return questionnaire, answers


def fill_visible(page, questionnaire, page_name: str, answers: dict) -> None:
    for question in questionnaire.page(page_name).questions:
        name, value = question.name, answers.get(question.name)
        if value is None or not question.stores_answer:
            continue
        if not page.locator(f"#q-{name}").is_visible():
            continue
        if question.type in ("text", "textarea", "number", "date"):
            page.fill(f"[name='{name}']", str(value))
        elif question.type == "boolean":
            page.check(f"#f-{name}-{'y' if value else 'n'}")
        elif question.type == "single" and question.appearance == "select":
            page.select_option(f"select[name='{name}']", value)
        elif question.type in ("single", "scale"):
            page.check(f"input[name='{name}'][value='{value}']")
        elif question.type == "multiple":
            for item in value:
                page.check(f"input[name='{name}'][value='{item}']")
        elif question.type == "matrix":
            for row, cell in value.items():
                page.check(f"input[name='{name}-{row}'][value='{cell}']")


def current_page_name(page) -> str:
    return page.url.split("/sida/")[1].split("?")[0].split("#")[0]


def walk(page, questionnaire, answers, pages, check_axe: bool, seen_violations: dict):
    """Fill the given pages in order; stay on a page while new questions appear."""
    for page_def in pages:
        assert current_page_name(page) == page_def.name
        for _attempt in range(3):
            fill_visible(page, questionnaire, page_def.name, answers)
            if check_axe:
                seen_violations[page_def.name] = axe_violations(page)
            page.click("button[name='action'][value='next']")
            page.wait_for_load_state()
            if "/sida/" not in page.url or current_page_name(page) != page_def.name:
                break


def test_whole_questionnaire_with_javascript(browser, live_server, links, db):
    questionnaire, answers = answers_for(db, 7, HALMSTAD)
    violations: dict[str, list] = {}
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server + links.url(ROUND, HALMSTAD))
    violations["start"] = axe_violations(page)
    page.fill("#actor_name", "Anna Andersson")
    page.click("button.primary")
    pages = questionnaire.pages
    half = len(pages) // 2
    # relevance in the browser: the comment appears when 'räcker inte' is chosen
    walk(page, questionnaire, answers, pages[:2], True, violations)
    assert current_page_name(page) == "area_violence"
    assert not page.locator("#q-violence_shelter_comment").is_visible()
    page.check("input[name='violence_shelter_capacity'][value='insufficient']")
    assert page.locator("#q-violence_shelter_comment").is_visible()
    walk(page, questionnaire, answers, pages[2:half], True, violations)
    context.close()  # leave

    context = browser.new_context(locale="sv-SE")  # come back later, in a new browser
    page = context.new_page()
    page.goto(live_server + links.url(ROUND, HALMSTAD))
    assert "Fortsätt där ni slutade" in page.content()
    page.fill("#actor_name", "Bo Berg")  # a colleague goes on with the same link
    page.click("button.primary")
    assert current_page_name(page) == pages[half - 1].name  # resumes on the last saved page
    page.goto(page.url.split("/sida/")[0] + f"/sida/{pages[half].name}")
    walk(page, questionnaire, answers, pages[half:], True, violations)
    assert page.url.endswith("/granska")
    violations["review"] = axe_violations(page)
    page.click("button.primary")
    page.wait_for_load_state()
    assert page.url.endswith("/kvitto")
    assert "Kvitto" in page.inner_text("h1")
    violations["receipt"] = axe_violations(page)
    context.close()

    assert errors == []
    assert {name: v for name, v in violations.items() if v} == {}
    assert len(violations) >= len(pages) + 3
    response = store.get_response(db, ROUND, HALMSTAD)
    assert response["status"] == store.SUBMITTED and response["submitted_by"] == "Bo Berg"
    stored = store.answers(db, response["id"])
    assert stored == answers
    authors = {h["question"]: h["changed_by"] for h in store.history(db, response["id"])}
    assert authors["respondent_name"] == "Anna Andersson"
    assert authors["other_comments" if "other_comments" in answers else "report_date"] == \
        "Bo Berg"


def test_whole_questionnaire_without_javascript(browser, live_server, links, db):
    questionnaire, answers = answers_for(db, 11, LAHOLM)
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.goto(live_server + links.url(ROUND, LAHOLM))
    page.click("button.primary")
    walk(page, questionnaire, answers, questionnaire.pages, False, {})
    assert page.url.endswith("/granska")
    page.click("button.primary")
    page.wait_for_load_state()
    assert page.url.endswith("/kvitto")
    context.close()
    response = store.get_response(db, ROUND, LAHOLM)
    assert response["status"] == store.SUBMITTED
    assert store.answers(db, response["id"]) == answers
