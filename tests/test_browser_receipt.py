"""The respondent's way through in real headless Chromium after #13: the start page's name in
"Ditt namn", scale steps that say their number once, the error summary as sentences linking
to the fields, the review page's submit button at the top, and the receipt with its reference
number, lists and e-mail copy (to the demo's outbox). axe-core on every page; screenshots of
the start page, a questionnaire page, the review page and the receipt (into docs/ with
`make screenshots`)."""

from __future__ import annotations

import email
import email.policy
import re

import pytest

from survey import store
from tests.conftest import HALMSTAD
from tests.live import axe_violations, screenshot_dir
from tests.test_browser_respond import answers_for, current_page_name, walk

pytestmark = pytest.mark.browser
ROUND = "2020-09"
SHOTS = screenshot_dir()
NAME = "Anna Andersson"
ACTORS = ["region", "civil_society"]  # labels with commas


def shot(page, name: str, height: int | None = None) -> None:
    path = SHOTS / f"screenshot-{name}.png"
    if height:
        page.screenshot(path=str(path), full_page=True,
                        clip={"x": 0, "y": 0, "width": 1280, "height": height})
    else:
        page.screenshot(path=str(path), full_page=True)


def test_respondent_pages_in_the_browser(app, browser, live_server, links, db, tmp_path):
    outbox = tmp_path / "outbox"
    app.config["MAIL_OUTBOX"] = str(outbox)
    questionnaire, answers = answers_for(db, 7, HALMSTAD)
    answers.update(respondent_name=NAME, collaboration_actors=ACTORS)
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(120_000)  # submitting codes the texts: slow on a busy machine
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    violations: dict[str, list] = {}

    page.goto(live_server + links.url(ROUND, HALMSTAD))
    page.fill("#actor_name", NAME)
    violations["start"] = axe_violations(page)
    shot(page, "start")
    page.click("button.primary")
    page.wait_for_load_state()
    assert current_page_name(page) == "respondent"
    assert page.input_value("#f-respondent_name") == NAME  # carried from the start page
    pages = questionnaire.pages
    walk(page, questionnaire, answers, pages[:1], False, {})

    assert current_page_name(page) == "assessment"
    labels = page.locator("#q-overall_concern label").all_inner_texts()
    assert labels[0] == "1 Mycket liten oro" and not any(
        re.match(r"(\d) – \1", label) for label in labels)
    walk(page, questionnaire, answers, pages[1:2], True, violations)
    # one questionnaire page, filled in, as the respondent sees it
    page.goto(page.url.split("/sida/")[0] + "/sida/assessment")
    violations["page"] = axe_violations(page)
    shot(page, "page")
    page.goto(page.url.split("/sida/")[0] + f"/sida/{pages[2].name}")

    collaboration = [p.name for p in pages].index("collaboration")
    walk(page, questionnaire, answers, pages[2:collaboration], False, {})
    # too long a text: the summary names the question as a sentence and links to the field
    too_long = ("Vi har samverkat med regionen. " * 140).strip()
    page.fill("[name='collaboration_description']", too_long)
    page.click("button[name='action'][value='save']")
    page.wait_for_load_state()
    summary = page.locator("#error-summary a")
    assert summary.count() == 1
    text = summary.inner_text()
    assert text.startswith("Beskriv samverkan: vad har ni gjort tillsammans och hur har det "
                           "fungerat? Texten är 4\u00a0339 tecken") and "?:" not in text
    violations["error-summary"] = axe_violations(page)
    summary.click()
    assert page.evaluate("location.hash") == "#f-collaboration_description"
    assert page.input_value("[name='collaboration_description']") == too_long
    walk(page, questionnaire, answers, pages[collaboration:], False, {})

    assert page.url.endswith("/granska")
    top = page.locator("form.submit-top button.primary")
    assert top.is_visible() and page.locator("form.submit-bottom button.primary").count() == 1
    assert top.bounding_box()["y"] < 900  # in the first screenful of a long page
    shown = page.locator("#q-collaboration_actors, .answers dd ul.answer-items").count()
    assert shown >= 3
    violations["review"] = axe_violations(page)
    shot(page, "respond-review", height=1400)
    top.click()
    page.wait_for_load_state()

    assert page.url.endswith("/kvitto")
    main = page.inner_text("main")
    reference = page.inner_text("#reference")
    assert re.fullmatch(rf"LB-{ROUND}-{HALMSTAD}-[0-9A-F]{{4}}", reference)
    assert f"Inskickad av\n{NAME}" in main or f"Inskickad av\t{NAME}" in main
    assert "((" not in main and "(länk)" not in main
    actors = questionnaire.question("collaboration_actors")
    items = page.locator("ul.answer-items li").all_inner_texts()
    assert all(actors.option_label(v) in items for v in ACTORS)
    page.fill("#receipt-email", "anna.andersson@halmstad.test")
    page.click(".receipt-mail button")
    page.wait_for_load_state()
    assert "Kvittot har skickats till anna.andersson@halmstad.test." in \
        page.inner_text("#mail-sent")
    violations["receipt"] = axe_violations(page)
    shot(page, "receipt", height=1600)
    context.close()

    assert errors == []
    assert {name: v for name, v in violations.items() if v} == {}
    [mailed] = outbox.glob("*.eml")
    message = email.message_from_bytes(mailed.read_bytes(), policy=email.policy.default)
    assert message["To"] == "anna.andersson@halmstad.test" and reference in message["Subject"]
    response = store.get_response(db, ROUND, HALMSTAD)
    assert response["status"] == store.SUBMITTED and response["submitted_by"] == NAME
    assert store.answers(db, response["id"])["respondent_name"] == NAME
