"""The follow-up round in real headless Chromium (#13, must show): the previous round's answers
are marked as carried over, the questions about now are empty (the report date required),
submit waits until every carried-over section is confirmed, and the receipt lists what was
confirmed unchanged. axe-core on every changed page; page images (docs/ with `make screenshots`)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from survey import store
from survey.services import demo
from tests.conftest import HALMSTAD
from tests.live import axe_violations, screenshot_dir
from tests.test_browser_respond import current_page_name

pytestmark = pytest.mark.browser
ROUND, PREVIOUS = "2020-09", "2020-06"
NOW = ("report_date", "risk_change", "children_reports_change")
SHOTS = screenshot_dir()


def june(db):
    questionnaire = store.round_questionnaire(db, store.get_round(db, PREVIOUS))
    rng = random.Random(5)
    municipality = store.municipality(db, HALMSTAD)
    answers = demo.generate_answers(questionnaire, rng, demo.TextPool(rng), municipality,
                                    PREVIOUS)
    response = store.ensure_response(db, PREVIOUS, HALMSTAD, "Juni Jansson")
    store.save_answers(db, response["id"], answers, None, "Juni Jansson")
    store.set_status(db, response["id"], store.SUBMITTED, "Juni Jansson")
    return questionnaire, answers


def shot(page, name: str, full: bool = True) -> Path:
    path = SHOTS / f"screenshot-followup-{name}.png"
    if full:
        page.screenshot(path=str(path), full_page=True)
    else:
        page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": 1280, "height": 1600},
                        full_page=True)
    return path


def answer_now(page, name: str) -> None:
    """The questions about now, answered for September."""
    if name == "assessment":
        for row in page.locator("#q-risk_change .matrix-row").all():
            row.locator("input[value='unchanged']").check()
    elif name == "area_children":
        page.check("input[name='children_reports_change'][value='increased']")
    elif name == "other":
        page.fill("[name='report_date']", "2020-06-26")  # June's date: refused
        page.click("button[name='action'][value='save']")
        page.wait_for_load_state()
        assert "Datumet kan inte vara tidigare än 2020-09-01, då omgången öppnade." in \
            page.inner_text("#error-summary")
        page.fill("[name='report_date']", "2020-09-25")


def test_follow_up_round_in_the_browser(browser, live_server, links, db):
    questionnaire, previous = june(db)
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    violations: dict[str, list] = {}

    page.goto(live_server + links.url(ROUND, HALMSTAD))
    assert "Utgå från våra svar i förra omgången" in page.content()
    violations["start"] = axe_violations(page)
    shot(page, "start")
    page.fill("#actor_name", "Sara Svensson")
    page.check("#prefill-yes")
    page.click("button.primary")
    page.wait_for_load_state()

    # every page marks the carried-over answers; the questions about now are empty
    assert current_page_name(page) == "respondent"
    assert page.locator(".carried-mark").count() >= 2
    assert page.locator("#carried-notice").is_visible()
    base = page.url.split("/sida/")[0]
    page.goto(f"{base}/sida/assessment")
    assert page.locator("#q-risk_level .carried-mark").count() == 1
    assert page.locator("#q-risk_change .carried-mark").count() == 0
    assert page.locator("#q-risk_change input:checked").count() == 0
    violations["assessment"] = axe_violations(page)
    shot(page, "page")
    page.goto(f"{base}/sida/area_children")
    assert page.locator("input[name='children_reports_change']:checked").count() == 0
    page.goto(f"{base}/sida/other")
    report_date = page.locator("[name='report_date']")
    assert report_date.input_value() == "" and report_date.get_attribute("aria-required") == "true"
    assert previous["report_date"] == "2020-06-26"

    # the review page refuses submit and links to every section still to confirm
    page.goto(f"{base}/granska")
    box = page.locator("#to-confirm")
    assert box.is_visible() and "Bekräfta förra omgångens svar innan ni skickar in" in \
        box.inner_text()
    expected = [p.title.sv for p in questionnaire.pages
                if any(q.name in previous and q.name not in NOW for q in p.questions)]
    assert [a.inner_text() for a in box.locator("a").all()] == expected
    assert page.locator("button", has_text="Skicka in lägesbilden").count() == 0
    assert page.locator(".answers .carried-mark").count() > 10
    violations["review-unconfirmed"] = axe_violations(page)
    shot(page, "review-unconfirmed", full=False)

    # confirm page by page from the review's links; one answer is edited instead
    box.locator("a").first.click()
    page.wait_for_load_state()
    for _ in range(len(questionnaire.pages) + 2):
        if "/sida/" not in page.url:
            break
        name = current_page_name(page)
        answer_now(page, name)
        if name == "other":
            page.fill("[name='other_comments']", "Läget i september: oförändrat i stort.")
        confirm = page.locator("button[name='action'][value='confirm']")
        if confirm.count():
            confirm.click()
        else:
            page.click("button[name='action'][value='next']")
        page.wait_for_load_state()
    assert page.url.endswith("/granska")
    assert page.locator("#to-confirm").count() == 0
    assert page.locator(".carried-mark").count() == 0
    violations["review"] = axe_violations(page)
    shot(page, "review", full=False)
    page.click("button.primary")
    page.wait_for_load_state()

    assert page.url.endswith("/kvitto")
    listed = page.locator(".confirmed-unchanged li[data-question]")
    names = {item.get_attribute("data-question") for item in listed.all()}
    carried = {k for k in previous if k not in NOW and k != "other_comments"}
    assert names == carried
    assert "Bekräftade utan ändring från förra omgången" in page.inner_text("main")
    violations["receipt"] = axe_violations(page)
    shot(page, "receipt", full=False)
    context.close()

    assert errors == []
    assert {name: v for name, v in violations.items() if v} == {}
    response = store.get_response(db, ROUND, HALMSTAD)
    assert response["status"] == store.SUBMITTED
    stored = store.answers(db, response["id"])
    assert stored["report_date"] == "2020-09-25"
    assert stored["other_comments"] == "Läget i september: oförändrat i stort."
    assert set(store.confirmed_unchanged(db, response["id"])) == carried
