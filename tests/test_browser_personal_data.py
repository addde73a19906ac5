"""The personal-data guard end to end: a respondent who saves a text with a personal identity
number sees a warning with the passage marked (saving is not blocked), and the county report
built afterwards does not contain the number."""

from __future__ import annotations

import pytest

from reports import county_report, render_html
from survey import store
from tests.conftest import HALMSTAD
from tests.live import axe_violations
from tests.test_autocode import submit
from tests.test_respond import ROUND, complete_answers

pytestmark = pytest.mark.browser
NUMBER = "19121212-1212"  # Skatteverket's test number: valid date and checksum
TEXT = (f"Socialtjänsten har en pågående utredning om en familj (pnr {NUMBER}) där våld i "
        "hemmet förekommer, och fler kvinnor söker sig till kvinnojouren.")


def test_warning_marks_the_number_and_the_report_leaves_it_out(browser, live_server, links,
                                                               db, client):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(live_server + links.url(ROUND, HALMSTAD))
    page.goto(f"{live_server}/svar/{ROUND}/{HALMSTAD}/sida/area_violence")
    page.fill("[name='violence_risks']", TEXT)
    page.click("button[name='action'][value='next']")
    page.wait_for_load_state()
    assert page.url.endswith("/sida/area_violence?sparat=1#personuppgifter")  # not moved on
    warning = page.locator(".privacy-warning")
    assert "personuppgifter" in warning.locator("h2").inner_text()
    assert warning.locator("mark[data-kind='personnummer']").inner_text().startswith(NUMBER)
    assert axe_violations(page) == []
    response = store.get_response(db, ROUND, HALMSTAD)
    assert store.answers(db, response["id"])["violence_risks"] == TEXT  # saved as typed
    page.click("button[name='action'][value='next']")  # unchanged: the official may go on
    page.wait_for_load_state()
    assert "/sida/area_violence" not in page.url
    context.close()

    questionnaire = store.round_questionnaire(db, store.get_round(db, ROUND))
    answers = complete_answers(questionnaire)
    answers["violence_risks"] = TEXT
    client.get(links.url(ROUND, HALMSTAD))
    submit(client, questionnaire, answers)
    html = render_html(county_report(db, ROUND, "13"))
    assert NUMBER not in html and "121212-1212" not in html
    assert "[borttaget: personnummer]" in html
