"""The whole chain in real headless Chromium (#11), ending in the deliverables: a municipality
submits (and is auto-coded) → the county coordinator writes the overall and one area
assessment, leaves a quote out, adds a network meeting and delivers → the national
coordinator writes the synthesis → the county and national reports are downloaded as PDF and
DOCX by the logged-in browsers and read back with pdfplumber and python-docx: every written
text is in both formats, the excluded quote in neither.
"""

from __future__ import annotations

import io
import re

import docx
import pdfplumber
import pytest

from reports import county_report, national_report, render_html
from survey import store
from survey.services import compilation
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import NEW_ROUND, PASSWORD, USERS, A, make_app
from tests.live import serve

pytestmark = pytest.mark.browser

HALLAND = "13"
COUNTY = f"/samordna/sammanstall/{NEW_ROUND}/lan/{HALLAND}"
NATIONAL = f"/samordna/sammanstall/{NEW_ROUND}/nationell"
OVERALL = "Länsstyrelsen bedömer att oron för barn i ekonomiskt utsatta familjer har ökat."
AREA = "Tre kommuner i länet beskriver fler anmälningar om våld i nära relationer."
SOURCE = "Socialcheferna rapporterade fler ansökningar om ekonomiskt bistånd."
SYNTHESIS = "Flera län beskriver att trycket på socialtjänsten har ökat under sommaren."


@pytest.fixture
def chain_app(world):
    return make_app(world, AUTOCODE_ON_SUBMIT=True)  # the submission is coded as in use


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u00ad", "").split())


def pdf_text(body: bytes) -> str:
    assert body[:5] == b"%PDF-"
    with pdfplumber.open(io.BytesIO(body)) as document:
        return flat(" ".join(page.extract_text() or "" for page in document.pages))


def docx_text(body: bytes) -> str:
    document = docx.Document(io.BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return flat(" ".join(parts))


def log_in(browser, site: str, who: str):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(f"{site}/samordna/logga-in")
    page.fill("#f-email", USERS[who][0])
    page.fill("#f-password", PASSWORD)
    with page.expect_navigation():
        page.click("main button.primary")
    return context, page


def post_text(page, box: str, text: str, button: str) -> None:
    page.fill(box, text)
    with page.expect_navigation():  # a form post: wait for its page
        page.locator(button).click()
    assert "Texten är sparad." in page.locator("main").inner_text()


def download(page, site: str, path: str) -> bytes:
    """The report as the logged-in browser downloads it (its cookies, real HTTP)."""
    response = page.request.get(f"{site}{path}", timeout=120_000)
    assert response.status == 200, (path, response.status)
    return response.body()


def snippet(quote: str) -> str:
    """A piece of a quote that survives line breaks and the ellipsis of a shortened quote."""
    words = quote.removeprefix("… ").removesuffix(" …").split()
    return " ".join(words[:8])


def test_from_submission_to_delivered_reports_in_pdf_and_docx(browser, chain_app, world):
    db = store.connect(chain_app.config["DB"])
    with serve(chain_app) as site:
        # 1. the municipality submits; the submission is coded
        municipality = browser.new_context(locale="sv-SE")
        answering = municipality.new_page()
        answering.set_default_timeout(180_000)  # coding on submit may build the model first
        answering.goto(f"{site}/s/{world.token(A)}")
        answering.goto(f"{site}/svar/{NEW_ROUND}/{A}/granska")
        with answering.expect_navigation():
            answering.locator("main form button.primary").last.click()
        assert "/kvitto" in answering.url
        municipality.close()

        # the quote to leave out: one the reports would otherwise print
        found = compilation.candidates(db, store.get_round(db, NEW_ROUND), HALLAND)
        county_before = flat(render_html(county_report(db, NEW_ROUND, HALLAND)))
        national_before = flat(render_html(national_report(db, NEW_ROUND)))
        quotes = [c for c in found if c.kind == compilation.QUOTE
                  and c.municipality_code == A and snippet(c.text) in county_before]
        assert quotes, "the submission was not coded into quotable passages"
        left_out = next((c for c in quotes if snippet(c.text) in national_before), quotes[0])
        in_national_before = snippet(left_out.text) in national_before

        # 2. the county coordinator writes, excludes, adds a source and delivers
        context, page = log_in(browser, site, "coord13")
        page.goto(f"{site}{COUNTY}/")
        post_text(page, "#text-overall", OVERALL, "#a-overall button.primary")
        post_text(page, "#text-violence", AREA, "#a-violence button.primary")
        page.goto(f"{site}{COUNTY}/citat")
        item = page.locator(f"li[id='c-{left_out.key}']")
        item.locator("input[name=reason]").fill("Beskriver ett enskilt barn.")
        with page.expect_navigation():
            item.locator("button[value=exclude]").click()
        chosen = page.locator(f"li[id='c-{left_out.key}']").inner_text()
        assert "Beskriver ett enskilt barn." in chosen
        page.goto(f"{site}{COUNTY}/kallor")
        page.fill("#f-date", "2020-09-10")
        page.select_option("#f-kind", "network_meeting")
        page.fill("#f-actor", "Socialchefsnätverket i Halland")
        page.fill("#f-summary", SOURCE)
        with page.expect_navigation():
            page.click("main form.narrow button.primary")
        assert "Nätverksmöte" in page.locator("table.sources").inner_text()
        page.goto(f"{site}{COUNTY}/leverera")
        with page.expect_navigation():
            page.click("main form button.primary")
        assert "Skickad till den nationella samordnaren" in page.locator(
            "#delivery-status").inner_text()
        county_pdf = download(page, site, f"/samordna/rapporter/{NEW_ROUND}/lan/{HALLAND}.pdf")
        county_docx = download(page, site,
                               f"/samordna/rapporter/{NEW_ROUND}/lan/{HALLAND}.docx")
        context.close()

        # 3. the national coordinator writes the synthesis and downloads the national report
        context, page = log_in(browser, site, "national")
        page.goto(f"{site}{NATIONAL}/")
        post_text(page, "#text-overall", SYNTHESIS, "#a-overall button.primary")
        national_pdf = download(page, site, f"/samordna/rapporter/{NEW_ROUND}/nationell.pdf")
        national_docx = download(page, site, f"/samordna/rapporter/{NEW_ROUND}/nationell.docx")
        context.close()
    db.conn.close()

    county = {"PDF": pdf_text(county_pdf), "DOCX": docx_text(county_docx)}
    national = {"PDF": pdf_text(national_pdf), "DOCX": docx_text(national_docx)}
    excluded = snippet(left_out.text)
    for fmt, text in county.items():
        for written in (OVERALL, AREA, SOURCE, "Socialchefsnätverket i Halland"):
            assert written in text, (fmt, written)
        assert excluded not in text, fmt
    for fmt, text in national.items():
        for written in (SYNTHESIS, OVERALL):  # the county's assessment travels up
            assert written in text, (fmt, written)
        assert excluded not in text, fmt
    assert re.search(r"levererad", county["PDF"] + national["PDF"], re.I)
    # the test is only worth something if the quote was printed before it was left out
    assert excluded in county_before
    assert in_national_before or excluded in county_before
