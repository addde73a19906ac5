"""Coordinator pages in real headless Chromium against a real waitress server: the dashboard
follows a municipality from draft to submitted, and axe-core finds no WCAG 2.1 A/AA violation
on any coordinator page."""

from __future__ import annotations

import pytest

from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import NEW_ROUND, PASSWORD, USERS, A
from tests.live import axe_violations, serve

pytestmark = pytest.mark.browser


@pytest.fixture
def site(coord_app):
    with serve(coord_app) as url:
        yield url


def log_in(browser, site: str, who: str):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(f"{site}/samordna/")
    assert "/samordna/logga-in" in page.url  # not logged in yet: sent to the login page
    page.fill("#f-email", USERS[who][0])
    page.fill("#f-password", PASSWORD)
    page.click("main button.primary")
    page.wait_for_load_state()
    return context, page


def row_status(page, code: str) -> str:
    return page.locator(f"#m-{code}").get_attribute("data-status")


def test_dashboard_follows_a_municipality_from_draft_to_submitted(browser, site, world):
    context, page = log_in(browser, site, "coord13")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.click("text=Lägesbild september 2020")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Svarsläge: Lägesbild september 2020"
    assert row_status(page, A) == "draft"
    assert page.locator(f"#m-{A} .status-tag").inner_text() == "Utkast"
    assert "1 av 3 har skickat in" in page.locator("#rate").inner_text()

    municipality = browser.new_context(locale="sv-SE")
    answering = municipality.new_page()
    answering.goto(f"{site}/s/{world.token(A)}")
    answering.goto(f"{site}/svar/{NEW_ROUND}/{A}/granska")
    answering.click("main form button.primary")
    answering.wait_for_load_state()
    assert "/kvitto" in answering.url
    municipality.close()

    page.reload()
    assert row_status(page, A) == "submitted"
    assert page.locator(f"#m-{A} .status-tag").inner_text() == "Inskickad"
    assert "2 av 3 har skickat in" in page.locator("#rate").inner_text()
    assert errors == []
    context.close()


def test_login_pages_have_no_wcag_violations(browser, site):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(f"{site}/samordna/logga-in")
    found = {"login": axe_violations(page)}
    page.fill("#f-email", USERS["admin"][0])
    page.fill("#f-password", "fel lösenord")
    page.click("main button.primary")
    page.wait_for_load_state()
    assert "Fel e-postadress eller lösenord" in page.content()
    found["login failed"] = axe_violations(page)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}


READING_PAGES = {
    "rounds": "/samordna/",
    "dashboard (all counties)": f"/samordna/omgang/{NEW_ROUND}/",
    "dashboard (English)": f"/samordna/omgang/{NEW_ROUND}/?lan=13&lang=en",
    "municipality": f"/samordna/omgang/{NEW_ROUND}/kommun/{A}?lang=sv",
    "audit log": "/samordna/logg",
}
FORM_PAGES = {
    "reminders": f"/samordna/omgang/{NEW_ROUND}/paminnelser",
    "accounts": "/samordna/konton",
    "new round": "/samordna/omgangar/ny",
    "password": "/samordna/losenord",
}


def visit_and_check(page, site: str, pages: dict[str, str]) -> dict[str, list]:
    found = {}
    for name, path in pages.items():
        page.goto(site + path)
        assert page.locator("h1").count() == 1, name
        found[name] = axe_violations(page)
    return found


def test_reading_pages_have_no_wcag_violations(browser, site):
    context, page = log_in(browser, site, "admin")
    found = visit_and_check(page, site, READING_PAGES)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
    assert len(found) == len(READING_PAGES)


def test_form_pages_and_their_results_have_no_wcag_violations(browser, site):
    context, page = log_in(browser, site, "admin")
    found = visit_and_check(page, site, FORM_PAGES)
    page.goto(site + "/samordna/omgangar/ny")
    page.click("main button.primary")  # nothing filled in: the error summary
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    found["new round with errors"] = axe_violations(page)
    page.goto(site + f"/samordna/omgang/{NEW_ROUND}/paminnelser")
    page.click("button[value='dry_run']")
    page.wait_for_load_state()
    assert page.locator("#report").count() == 1
    found["reminders dry run"] = axe_violations(page)
    page.goto(site + f"/samordna/omgang/{NEW_ROUND}/kommun/{A}")
    page.click("text=Skapa ny länk")
    page.wait_for_load_state()
    assert "/s/" in page.locator("#new-link").input_value()
    found["new link"] = axe_violations(page)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
