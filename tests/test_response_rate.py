"""One response rate everywhere (#11): on the whole-country demo the national dashboard, the
national report's HTML and its PDF say the same "N av M" and the same percentage.

The figures are read from each output, not computed here, so a second definition anywhere
(respondents instead of invited, another rounding) makes the test fail.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest

from reports import html_to_pdf, national_report, render_html
from survey import create_app, store
from survey.services import passwords
from tests.conftest import copy_db

ROUND = "2020-09"
EMAIL, PASSWORD = "rate@lansstyrelsen.test", "korrekt häst batteri"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, whole_demo) -> Path:
    path = copy_db(whole_demo, tmp_path_factory.mktemp("rate") / "demo.db")
    db = store.connect(path)
    store.create_user(db, EMAIL, "Nina Nationell", store.NATIONAL_COORDINATOR, None,
                      passwords.hash_password(PASSWORD, {"ARGON2_PROFILE": "CHEAPEST"}),
                      "test setup")
    db.conn.close()
    return path


def _plain(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


def _dashboard_rate(path: Path) -> tuple[str, str, str]:
    app = create_app({"DB": str(path), "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "test", "ARGON2_PROFILE": "CHEAPEST",
                      "AUTOCODE_ON_SUBMIT": False},
                     instance_path=str(path.parent / "instance"))
    client = app.test_client()
    login = client.post("/samordna/logga-in", data={"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 302
    page = client.get(f"/samordna/omgang/{ROUND}/?lang=sv")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    line = re.search(r'<p class="rate" id="rate">(.*?)</p>', html, re.S)
    assert line, "the dashboard has no response-rate line"
    found = re.search(r"(\d[\d ]*) av (\d[\d ]*) har skickat in \(([\d,]+ %)\)",
                      _plain(line.group(1)))
    assert found, line.group(1)
    return found.group(1), found.group(2), found.group(3)


def _report_rate(text: str) -> tuple[str, str, str]:
    found = re.search(r"(\d[\d ]*) av (\d[\d ]*) kommuner \(([\d,]+ %)\) har skickat in "
                      r"lägesbilden", _plain(text))
    assert found, "the report has no response-rate sentence"
    return found.group(1), found.group(2), found.group(3)


def test_dashboard_html_and_pdf_give_the_same_response_rate(demo_db):
    db = store.connect(demo_db)
    html = render_html(national_report(db, ROUND))
    db.conn.close()
    pdf = html_to_pdf(html)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pdf_text = "\n".join(page.extract_text() or "" for page in document.pages[:6])

    dashboard = _dashboard_rate(demo_db)
    in_html = _report_rate(re.sub(r"<[^>]+>", " ", html))
    in_pdf = _report_rate(pdf_text)
    assert dashboard == in_html == in_pdf
    submitted, whole, share = dashboard
    # the demo invites all 290 municipalities; the September round is part-way answered
    assert whole == "290" and 0 < int(submitted) < 290
    expected = round(100 * int(submitted) / 290, 1)
    assert share.replace(",", ".").removesuffix(" %") in (f"{expected:.1f}", f"{expected:.0f}")
