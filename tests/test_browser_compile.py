"""The compilation in real headless Chromium (#11): a county coordinator writes the overall and
one area assessment (by keyboard alone, and with JavaScript off), leaves a quote out with a
reason, adds a network meeting and delivers; the national coordinator sees the delivery and
writes the synthesis. axe-core finds no WCAG 2.1 A/AA violation on any of the pages."""

from __future__ import annotations

import pytest

from survey import store
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import OLD_ROUND, PASSWORD, USERS
from tests.live import axe_violations, serve

pytestmark = pytest.mark.browser

COUNTY = f"/samordna/sammanstall/{OLD_ROUND}/lan/13"
NATIONAL = f"/samordna/sammanstall/{OLD_ROUND}/nationell"


@pytest.fixture
def site(coord_app):
    with serve(coord_app) as url:
        yield url


def log_in(browser, site: str, who: str, javascript: bool = True):
    context = browser.new_context(locale="sv-SE", java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{site}/samordna/logga-in")
    page.fill("#f-email", USERS[who][0])
    page.fill("#f-password", PASSWORD)
    page.click("main button.primary")
    page.wait_for_load_state()
    return context, page


def tab_to(page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} is not reachable by Tab")


def check(page, found: dict, name: str) -> None:
    assert page.locator("h1").count() == 1, name
    found[name] = axe_violations(page)


def test_county_writes_excludes_adds_a_source_and_delivers_then_national_synthesis(
        browser, site, accounts_db):
    found: dict[str, list] = {}
    context, page = log_in(browser, site, "coord13")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.click("header nav >> text=Sammanställning")
    page.wait_for_load_state()
    check(page, found, "index")
    page.click(f"a[href='{COUNTY}/']")
    page.wait_for_load_state()
    check(page, found, "county")

    # the overall assessment by keyboard alone: Tab to the box, type, Tab to Save, Enter
    tab_to(page, "text-overall")
    page.keyboard.type("Flera kommuner beskriver en ökad oro.")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("- Fler orosanmälningar\n- Fler sökande av ekonomiskt bistånd")
    page.keyboard.press("Tab")
    with page.expect_navigation():  # a form post: wait for its page
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Texten är sparad." in page.locator("main").inner_text()
    assert "Flera kommuner beskriver en ökad oro." in page.input_value("#text-overall")
    check(page, found, "county, saved")

    # a quote left out, with its reason
    page.click(f"a[href='{COUNTY}/citat']")
    page.wait_for_load_state()
    check(page, found, "quotes")
    first = page.locator("li.candidate").first
    with page.expect_navigation():  # a form post: wait for its page
        first.locator("button[value=exclude]").click()  # no reason yet: asked for one
    page.wait_for_load_state()
    assert page.locator(".field-error").count() == 1
    check(page, found, "quotes, reason missing")
    candidate = page.locator("li.candidate .field.has-error input")
    candidate.fill("Beskriver ett enskilt fall.")
    with page.expect_navigation():  # a form post: wait for its page
        page.locator("li.candidate:has(.has-error) button[value=exclude]").click()
    page.wait_for_load_state()
    assert "uteslutet – Beskriver ett enskilt fall." in page.locator("main").inner_text()

    # a network meeting
    page.click(f"a[href='{COUNTY}/kallor']")
    page.wait_for_load_state()
    check(page, found, "sources")
    page.fill("#f-date", "2020-06-25")
    page.select_option("#f-kind", "network_meeting")
    page.fill("#f-actor", "Socialchefsnätverket i Halland")
    page.fill("#f-summary", "Fler barn i familjer med ekonomisk utsatthet.")
    with page.expect_navigation():  # a form post: wait for its page
        page.click("main form.narrow button.primary")
    page.wait_for_load_state()
    assert "Nätverksmöte" in page.locator("table.sources").inner_text()
    check(page, found, "sources, added")

    # one area with JavaScript off: a plain form still saves
    no_js, plain = log_in(browser, site, "coord13", javascript=False)
    plain.goto(f"{site}{COUNTY}/")
    plain.fill("#text-violence", "Våldet i nära relationer har ökat enligt tre kommuner.")
    with plain.expect_navigation():  # a form post: wait for its page
        plain.locator("#a-violence button.primary").click()
    plain.wait_for_load_state()
    assert "Texten är sparad." in plain.locator("main").inner_text()
    no_js.close()

    page.click(f"a[href='{COUNTY}/leverera']")
    page.wait_for_load_state()
    check(page, found, "deliver")
    with page.expect_navigation():  # a form post: wait for its page
        page.click("main form button.primary")
    page.wait_for_load_state()
    status = page.locator("#delivery-status").inner_text()
    assert "Skickad till den nationella samordnaren" in status
    check(page, found, "county, delivered")
    assert errors == []
    context.close()

    context, page = log_in(browser, site, "national")
    page.goto(f"{site}{NATIONAL}/")
    assert page.locator("#d-13").get_attribute("data-timing") == "on_time"
    check(page, found, "national")
    page.click(f"a[href='{NATIONAL}/omrade/violence']")
    page.wait_for_load_state()
    assert "Våldet i nära relationer har ökat" in page.locator(".side-by-side").inner_text()
    check(page, found, "national area")
    page.fill("#text-violence", "Flera län beskriver att våldet i nära relationer ökar.")
    with page.expect_navigation():  # a form post: wait for its page
        page.locator("#a-violence button.primary").click()
    page.wait_for_load_state()
    assert "Texten är sparad." in page.locator("main").inner_text()
    page.goto(f"{site}{NATIONAL}/installningar")
    check(page, found, "settings")
    page.goto(f"{site}{COUNTY}/")
    check(page, found, "county as national (send back)")
    context.close()

    assert {name: v for name, v in found.items() if v} == {}
    texts = store.assessments(accounts_db, OLD_ROUND, "13")
    assert set(texts) == {None, "violence"}
    assert "- Fler orosanmälningar" in texts[None]["text"]
    assert store.assessments(accounts_db, OLD_ROUND, None)["violence"]["text"].startswith(
        "Flera län")
    assert store.delivery(accounts_db, OLD_ROUND, "13")["status"] == store.DELIVERED
