"""The accessibility statement (DOS-lagen, SFS 2018:1937): reachable from the footer of every
page, in Swedish and English, and itself free of WCAG 2.1 A/AA violations."""

from __future__ import annotations

import pytest

from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import PASSWORD, USERS, A
from tests.live import axe_violations, serve

pytestmark = pytest.mark.browser


@pytest.fixture
def site(coord_app):
    coord_app.config["ACCESSIBILITY_CONTACT"] = "tillganglighet@lansstyrelsen.example"
    with serve(coord_app) as url:
        yield url


def test_statement_in_both_languages_passes_axe(browser, site):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(f"{site}/")
    page.click("footer >> text=Tillgänglighetsredogörelse")
    page.wait_for_load_state()
    assert page.url.endswith("/tillganglighet")
    text = page.locator("main").inner_text()
    for fact in ("EN 301 549", "WCAG 2.1", "Myndigheten för digital förvaltning", "Box 14",
                 "851 02 Sundsvall", "tillganglighet@lansstyrelsen.example", "artefakter",
                 "axe-core", "JavaScript"):
        assert fact in text.replace("\u00a0", " "), fact
    assert axe_violations(page) == []
    page.goto(f"{site}/tillganglighet?lang=en")
    assert page.locator("h1").inner_text() == "Accessibility statement for Lägesbild"
    assert page.locator("html").get_attribute("lang") == "en"
    assert axe_violations(page) == []
    context.close()


def test_every_page_links_to_the_statement(browser, site, world):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    pages = ["/", f"/s/{world.token(A)}", "/samordna/logga-in"]
    page.goto(f"{site}/samordna/logga-in")
    page.fill("#f-email", USERS["coord13"][0])
    page.fill("#f-password", PASSWORD)
    page.click("main button.primary")
    page.wait_for_load_state()
    pages += ["/samordna/", "/granskning/"]
    for path in pages:
        page.goto(f"{site}{path}")
        link = page.locator("footer a[href='/tillganglighet']")
        assert link.count() == 1, path
    context.close()
