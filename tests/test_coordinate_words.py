"""Coordinators' pages read as Swedish: counties by name, one number format, and a history
that names questions and values instead of field ids and JSON."""

from __future__ import annotations

import re

from survey import store
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import NEW_ROUND, OLD_ROUND, USERS, A, user_client


def _text(html: str) -> str:
    """The page as read: tags dropped, entities of quotes undone, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", html).replace("&#34;", '"').replace("&#39;", "'")
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_a_county_coordinator_is_named_with_the_county_not_its_code(coord_app):
    halland = _text(user_client(coord_app, "coord13").get("/samordna/").get_data(as_text=True))
    assert "Länssamordnare, Hallands län" in halland
    assert "(13)" not in halland and "Län 13" not in halland
    accounts = _text(user_client(coord_app, "admin").get("/samordna/konton").get_data(
        as_text=True))
    assert "Länssamordnare, Blekinge län" in accounts
    assert not re.search(r"\b1[03] (Hallands|Blekinge) län", accounts)  # no code before name
    english = _text(user_client(coord_app, "coord13").get("/samordna/?lang=en").get_data(
        as_text=True))
    assert "County coordinator, Hallands län" in english


def test_rates_are_written_one_swedish_way(coord_app):
    national = user_client(coord_app, "national")
    page = national.get(f"/samordna/omgang/{NEW_ROUND}/").get_data(as_text=True)
    percents = re.findall(r"\d+(?:[,.]\d+)?[\u00a0 ]?%", page)
    assert percents, "the dashboard shows rates"
    assert all(re.fullmatch(r"\d+(,\d)?\u00a0%", p) for p in percents), percents
    assert "1 av 5 har skickat in (20\u00a0%)" in page
    assert "33,3\u00a0%" in page  # Halland's rate in the per-county table
    english = national.get(f"/samordna/omgang/{NEW_ROUND}/?lang=en").get_data(as_text=True)
    assert "(20%)" in english and "33.3%" in english


def test_the_history_names_questions_and_reads_values(coord_app, accounts_db):
    halland = user_client(coord_app, "coord13")
    halland.post(f"/samordna/omgang/{OLD_ROUND}/kommun/{A}/oppna-igen",
                 data={"reason": "Fel siffra"})
    response = store.get_response(accounts_db, NEW_ROUND, A)
    store.save_answers(accounts_db, response["id"], {"report_date": "2020-09-25"}, None,
                       "Anna Andersson", page="contact")
    html = halland.get(f"/samordna/logg?kommun={A}").get_data(as_text=True)
    text = _text(html)
    assert '{"status"' not in text and "report_date" not in text
    assert not re.search(r"Svar ändrat: [a-z_]+\b", text)
    assert "Svar ändrat: Datum för lägesbilden" in text
    assert "25 september 2020" in text and "2020-09-25" not in text
    assert "Halmstads kommun" in text and f"· {A}" not in text
    reopened = _text(halland.get(f"/samordna/logg?omgang={OLD_ROUND}&kommun={A}").get_data(
        as_text=True))
    assert "Status: Inskickad" in reopened
    assert "Status: Öppnad igen; Skäl: Fel siffra" in reopened
    # an answer shared by several areas names its area; choices read by their labels
    area = re.search(r"Svar ändrat: ([^:<]+): Vilka åtgärder har kommunen vidtagit", text)
    assert area and area.group(1).strip() != ""
    assert not re.search(r"\[&#34;|\[\"", html)  # no JSON lists of option values
    municipality = _text(halland.get(f"/samordna/omgang/{NEW_ROUND}/kommun/{A}").get_data(
        as_text=True))
    assert "Svar ändrat: Datum för lägesbilden" in municipality
    english = _text(halland.get(f"/samordna/logg?omgang={OLD_ROUND}&kommun={A}&lang=en")
                    .get_data(as_text=True))
    assert "Status: Reopened; Reason: Fel siffra" in english
    assert USERS["coord13"][1] in text
