"""Direction and contradictory answers in the review workspace, in real headless Chromium
against a real waitress server: the overview's count leads to the filtered queue, the
markers are on the cards, axe-core finds no WCAG 2.1 A/AA violation, a rejected theme's
buttons are not struck through, and the filter works with JavaScript off.
"""

from __future__ import annotations

import pytest

from survey import store
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import USERS, A, B
from tests.live import axe_violations, serve
from tests.test_browser_review import log_in
from tests.test_review_consistency import ROUND, cdb  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def site(coord_app, cdb):  # noqa: F811
    with serve(coord_app) as url:
        yield url


def card_ids(page) -> set[str]:
    return {card.get_attribute("id") for card in page.locator(".cards > .answer").all()}


def test_from_the_overview_to_the_contradictory_answers(browser, site, cdb):  # noqa: F811
    context, page, errors = log_in(browser, site, USERS["coord13"][0])
    a = store.get_response(cdb, ROUND, A)["id"]
    b = store.get_response(cdb, ROUND, B)["id"]
    page.goto(f"{site}/granskning/{ROUND}/")
    violations = {"overview": axe_violations(page)}
    assert "2 svar från 2 kommuner" in page.locator("#conflict-count").inner_text()
    assert "1 kommun beskriver en ökning av våld i nära relationer" in \
        page.locator(".directions").inner_text()
    page.click("text=Visa de motstridiga svaren")
    page.wait_for_load_state()
    assert card_ids(page) == {f"a-{a}-violence_risks", f"a-{b}-violence_risks"}
    assert page.locator("#f-motstridiga").is_checked()
    flag = page.locator(f"#a-{a}-violence_risks .conflict-flag")
    assert "”Oförändrat”" in flag.inner_text() and "en ökning av" in flag.inner_text()
    violations["queue, contradictory answers"] = axe_violations(page)

    # a rejected theme: its name is struck through, its "Godta" button is not
    page.goto(f"{site}/granskning/{ROUND}/svar/{b}/children_risks")
    row = page.locator(".suggestion[data-status=rejected]").first
    assert "line-through" in row.locator(".s-label").evaluate(
        "e => getComputedStyle(e).textDecorationLine")
    button = row.locator("button[value=accept]")
    assert button.is_visible()
    assert "line-through" not in button.evaluate(
        "e => getComputedStyle(e).textDecorationLine")
    # nothing struck reaches the button from its ancestors either
    assert button.evaluate("""e => { for (let n = e; n; n = n.parentElement) {
        if (getComputedStyle(n).textDecorationLine.includes('line-through')) return false; }
        return true; }""")
    violations["answer with a rejected theme"] = axe_violations(page)
    context.close()
    assert errors == []
    assert {name: v for name, v in violations.items() if v} == {}


def test_the_filter_works_without_javascript(browser, site, cdb):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.goto(f"{site}/samordna/logga-in")
    page.fill("#f-email", USERS["coord13"][0])
    page.fill("#f-password", "korrekt häst batteri")
    page.click("main button.primary")
    page.goto(f"{site}/granskning/{ROUND}/svar?status=")
    everything = card_ids(page)
    page.check("#f-motstridiga")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    a = store.get_response(cdb, ROUND, A)["id"]
    b = store.get_response(cdb, ROUND, B)["id"]
    assert "motstridiga=1" in page.url
    assert card_ids(page) == {f"a-{a}-violence_risks", f"a-{b}-violence_risks"}
    assert len(everything) > 2
    # a decision within the filter comes back to it
    page.locator(f"#a-{a}-violence_risks button[value=accept]").first.click()
    page.wait_for_load_state()
    assert "motstridiga=1" in page.url
    assert page.locator(f"#a-{a}-violence_risks .conflict-flag").count() == 1
    context.close()
