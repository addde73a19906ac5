"""County and national compilation (#11): the store keeps every text and choice with its
history, a delivered county is locked until sent back, and the pages work as plain forms."""

from __future__ import annotations

import pytest

from survey import store
from survey.services import compilation
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import NEW_ROUND, OLD_ROUND, make_app, user_client
from tests.conftest import csrf_token

HALLAND = "13"
COUNTY_URL = f"/samordna/sammanstall/{OLD_ROUND}/lan/{HALLAND}"
NATIONAL_URL = f"/samordna/sammanstall/{OLD_ROUND}/nationell"


# ---------------------------------------------------------------- store


def test_assessment_keeps_its_history(accounts_db):
    first = store.save_assessment(accounts_db, OLD_ROUND, HALLAND, None, "Ett.\r\n", 0, "anna")
    second = store.save_assessment(accounts_db, OLD_ROUND, HALLAND, None, "Två.", 1, "anna")
    assert (first.revision, second.revision) == (1, 2) and second.changed
    row = store.assessment(accounts_db, OLD_ROUND, HALLAND, None)
    assert row["text"] == "Två." and row["updated_by"] == "anna"
    history = store.assessment_history(accounts_db, row["id"])
    assert [(h["old_value"], h["new_value"]) for h in history] == [(None, "Ett."),
                                                                    ("Ett.", "Två.")]
    # national (county None) and one area are separate texts
    store.save_assessment(accounts_db, OLD_ROUND, None, "violence", "Landet.", 0, "nina")
    assert set(store.assessments(accounts_db, OLD_ROUND, HALLAND)) == {None}
    assert store.assessments(accounts_db, OLD_ROUND, None)["violence"]["text"] == "Landet."
    assert set(store.all_county_assessments(accounts_db, OLD_ROUND)) == {HALLAND}


def test_a_lost_race_is_a_conflict_and_nothing_is_lost(accounts_db):
    store.save_assessment(accounts_db, OLD_ROUND, HALLAND, "violence", "Annas text.", 0,
                          "anna")
    result = store.save_assessment(accounts_db, OLD_ROUND, HALLAND, "violence", "Bos text.",
                                   0, "bo")
    assert not result.changed and result.conflict.theirs == "Annas text."
    assert result.conflict.yours == "Bos text." and result.conflict.their_author == "anna"
    row = store.assessment(accounts_db, OLD_ROUND, HALLAND, "violence")
    assert row["text"] == "Annas text."
    kinds = [(h["kind"], h["new_value"]) for h in store.assessment_history(accounts_db,
                                                                           row["id"])]
    assert kinds == [("change", "Annas text."), ("conflict", "Bos text.")]
    # saving again from the revision now shown replaces it deliberately
    again = store.save_assessment(accounts_db, OLD_ROUND, HALLAND, "violence", "Bos text.",
                                  row["revision"], "bo")
    assert again.changed and again.conflict is None


def test_delivery_locks_until_sent_back_and_is_audited(accounts_db):
    db = accounts_db
    store.save_assessment(db, OLD_ROUND, HALLAND, None, "Samlat.", 0, "anna")
    source = store.add_source(db, OLD_ROUND, HALLAND, "2020-06-20", "Polisen", "police",
                              "Ökade larm.", "anna")
    delivered = store.deliver(db, OLD_ROUND, HALLAND, "anna")
    assert delivered["status"] == store.DELIVERED and delivered["delivered_by"] == "anna"
    refusals = [
        lambda: store.save_assessment(db, OLD_ROUND, HALLAND, None, "Nytt.", 1, "anna"),
        lambda: store.add_source(db, OLD_ROUND, HALLAND, "2020-06-21", "Regionen", "region",
                                 "x", "anna"),
        lambda: store.remove_source(db, source, HALLAND, "anna"),
        lambda: store.choose_quote(db, OLD_ROUND, HALLAND, 1, "good_examples", None, None,
                                   True, "anna"),
        lambda: store.deliver(db, OLD_ROUND, HALLAND, "anna"),
    ]
    for refused in refusals:
        with pytest.raises(store.StoreError) as error:
            refused()
        assert error.value.code == "delivered"
    # the national texts are never locked by a county's delivery
    store.save_assessment(db, OLD_ROUND, None, None, "Landet.", 0, "nina")
    with pytest.raises(store.StoreError, match="reason"):
        store.send_back(db, OLD_ROUND, HALLAND, "  ", "nina")
    back = store.send_back(db, OLD_ROUND, HALLAND, "Källorna saknas.", "nina")
    assert back["status"] == store.SENT_BACK and back["reason"] == "Källorna saknas."
    store.save_assessment(db, OLD_ROUND, HALLAND, None, "Nytt.", 1, "anna")
    actions = [e["action"] for e in store.audit_entries(db, county_code=HALLAND,
                                                        round_id=OLD_ROUND)]
    for action in ("assessment_saved", "source_added", "compilation_delivered",
                   "compilation_sent_back"):
        assert action in actions


def test_deliveries_against_the_deadline(accounts_db):
    db = accounts_db
    store.set_round_report_settings(db, OLD_ROUND, reference_number="S2020/05273/SOF",
                                    addressee="Regeringskansliet (Socialdepartementet)",
                                    county_deadline="2000-01-01", actor="nina")
    assert store.get_round(db, OLD_ROUND)["reference_number"] == "S2020/05273/SOF"
    store.deliver(db, OLD_ROUND, HALLAND, "anna")
    rows = {r["county_code"]: r for r in store.deliveries(db, OLD_ROUND)}
    assert len(rows) == 21
    assert rows[HALLAND]["timing"] == store.LATE and rows["10"]["timing"] == store.NOT_DELIVERED
    assert store.delivery_timing({"status": "delivered", "delivered_at": "2020-06-30T10:00"},
                                 "2020-06-30") == store.ON_TIME


def test_a_quote_is_chosen_once_and_an_exclusion_keeps_its_reason(accounts_db):
    db = accounts_db
    found = compilation.candidates(db, store.get_round(db, OLD_ROUND), HALLAND)
    assert found and len({c.key for c in found}) == len(found)
    first = found[0]
    with pytest.raises(store.StoreError) as error:
        store.choose_quote(db, OLD_ROUND, HALLAND, first.response_id, first.question,
                           first.start, first.end, False, "anna")
    assert error.value.code == "reason_required"
    store.choose_quote(db, OLD_ROUND, HALLAND, first.response_id, first.question, first.start,
                       first.end, False, "anna", reason="Beskriver ett enskilt fall.")
    store.choose_quote(db, OLD_ROUND, HALLAND, first.response_id, first.question, first.start,
                       first.end, False, "anna", area="children")
    choices = store.quote_choices(db, OLD_ROUND, HALLAND)
    assert len(choices) == 1  # one passage, one row: used in one place only
    assert not choices[0]["included"] and choices[0]["reason"] == "Beskriver ett enskilt fall."


def test_national_report_draws_examples_and_collaboration_from_the_counties_choices(
        accounts_db):
    from reports import national_report, render_html

    db = accounts_db
    found = compilation.candidates(db, store.get_round(db, OLD_ROUND), HALLAND)
    collaboration = {c.municipality_name: c for c in found
                     if c.kind == compilation.COLLABORATION}
    assert set(collaboration) == {"Halmstads kommun", "Hylte kommun", "Varbergs kommun"}
    kept, left_out = collaboration["Varbergs kommun"], collaboration["Halmstads kommun"]
    for candidate, included in ((kept, True), (left_out, False)):
        store.choose_quote(db, OLD_ROUND, HALLAND, candidate.response_id, candidate.question,
                           None, None, included, "anna", reason="Enskilt fall.")
    report = national_report(db, OLD_ROUND)
    halland = [q for q in report.collaboration_examples if q.municipality.endswith("Hallands län")]
    # the county's explicit inclusion is what the nation gets from it, and only that
    assert [q.municipality for q in halland] == ["Varbergs kommun, Hallands län"]
    assert report.collaboration is not None and report.collaboration.answered > 0
    html = render_html(report)
    section = html.split('id="samverkan"', 1)[1].split('<section class="chapter"', 1)[0]
    assert kept.text[:60] in section and "Varbergs kommun, Hallands län" in section
    assert "Halmstads kommun, Hallands län" not in section
    # good examples: the county made no choice, so its first kept ones are carried
    assert [q for q in report.good_examples if q.municipality.endswith("Hallands län")]


def test_an_excluded_passage_is_left_out_of_the_appendix_too(accounts_db):
    from reports import county_report, render_html
    from reports.appendix import LEFT_OUT, omit

    text = "Första meningen. En 13-årig flicka har berättat om våld. Sista meningen."
    start = text.index("13-årig")
    assert omit(text, [(start, start + 7)]) == f"Första meningen. {LEFT_OUT} Sista meningen."
    assert omit(text, [(None, None)]) == LEFT_OUT

    db = accounts_db
    found = compilation.candidates(db, store.get_round(db, OLD_ROUND), HALLAND)
    quote = next(c for c in found if c.kind == compilation.REASON)  # a whole answer
    sentence = quote.text.removesuffix(" …")[:80]
    before = render_html(county_report(db, OLD_ROUND, HALLAND))
    assert sentence in before  # quoted, and in the appendix's full answers
    store.choose_quote(db, OLD_ROUND, HALLAND, quote.response_id, quote.question, quote.start,
                       quote.end, False, "anna", reason="Beskriver ett enskilt fall.")
    after = render_html(county_report(db, OLD_ROUND, HALLAND))
    assert sentence not in after and LEFT_OUT in after


# ---------------------------------------------------------------- web


def test_county_coordinator_writes_without_javascript(coord_app, accounts_db):
    client = user_client(coord_app, "coord13")
    page = client.get(f"{COUNTY_URL}/").get_data(as_text=True)
    assert "Länets samlade bedömning" in page and "<script" not in page
    response = client.post(f"{COUNTY_URL}/bedomning", data={
        "area": "violence", "revision": "0",
        "text": "Flera kommuner beskriver fler orosanmälningar.\n\n- Halmstad\n- Varberg"})
    assert response.status_code == 302 and "klart=saved" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "Texten är sparad." in page
    assert "Flera kommuner beskriver fler orosanmälningar." in page
    # a second person saving from the old revision sees both texts, nothing lost
    conflict = client.post(f"{COUNTY_URL}/bedomning", data={
        "area": "violence", "revision": "0", "text": "Min version."})
    text = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert "Någon annan har ändrat texten" in text and "Min version." in text
    assert "Flera kommuner beskriver fler orosanmälningar." in text


def test_another_county_is_refused(coord_app, accounts_db):
    blekinge = user_client(coord_app, "coord10")
    for path in ("/", "/citat", "/kallor", "/leverera"):
        assert blekinge.get(COUNTY_URL + path).status_code == 403
    for path, data in (("/bedomning", {"area": "", "revision": "0", "text": "x"}),
                       ("/kallor", {"date": "2020-06-01", "kind": "police", "actor": "P",
                                    "summary": "s"}),
                       ("/leverera", {})):
        assert blekinge.post(COUNTY_URL + path, data=data).status_code == 403
    assert blekinge.get(f"{NATIONAL_URL}/").status_code == 403
    assert store.assessments(accounts_db, OLD_ROUND, HALLAND) == {}
    assert store.delivery(accounts_db, OLD_ROUND, HALLAND) is None


def test_exclude_source_deliver_and_send_back(coord_app, accounts_db):
    halland = user_client(coord_app, "coord13")
    first = compilation.candidates(accounts_db, store.get_round(accounts_db, OLD_ROUND),
                                   HALLAND)[0]
    missing = halland.post(f"{COUNTY_URL}/citat", data={"key": first.key, "choice": "exclude"})
    assert missing.status_code == 422 and "Skriv ett skäl." in missing.get_data(as_text=True)
    excluded = halland.post(f"{COUNTY_URL}/citat", data={
        "key": first.key, "choice": "exclude", "reason": "Enskilt fall"})
    assert excluded.status_code == 302
    assert "uteslutet – Enskilt fall" in halland.get(f"{COUNTY_URL}/citat").get_data(
        as_text=True)
    added = halland.post(f"{COUNTY_URL}/kallor", data={
        "date": "2020-06-25", "kind": "network_meeting", "actor": "Socialchefsnätverket",
        "summary": "Fler barn i ekonomiskt utsatta familjer."})
    assert added.status_code == 302
    assert "Nätverksmöte" in halland.get(f"{COUNTY_URL}/kallor").get_data(as_text=True)
    assert halland.post(f"{COUNTY_URL}/leverera").status_code == 302
    page = halland.get(f"{COUNTY_URL}/").get_data(as_text=True)
    assert "Skickad till den nationella samordnaren" in page and "<textarea" not in page
    locked = halland.post(f"{COUNTY_URL}/bedomning", data={"area": "", "revision": "0",
                                                           "text": "Sent."})
    assert locked.status_code == 409 and "låst" in locked.get_data(as_text=True)

    national = user_client(coord_app, "national")
    overview = national.get(f"{NATIONAL_URL}/").get_data(as_text=True)
    assert 'id="d-13" data-timing="on_time"' in overview
    back = national.post(f"{COUNTY_URL}/skicka-tillbaka", data={"reason": "Komplettera."})
    assert back.status_code == 302
    assert store.delivery(accounts_db, OLD_ROUND, HALLAND)["status"] == store.SENT_BACK
    log = national.get("/samordna/logg").get_data(as_text=True)
    assert "Länets lägesbild skickad tillbaka" in log and "Citat uteslutet" in log


def test_national_synthesis_and_settings(coord_app, accounts_db):
    national = user_client(coord_app, "national")
    saved = national.post(f"{NATIONAL_URL}/bedomning", data={
        "area": "violence", "revision": "0", "text": "Flera län beskriver en ökning."})
    assert saved.status_code == 302
    page = national.get(f"{NATIONAL_URL}/omrade/violence").get_data(as_text=True)
    assert "Flera län beskriver en ökning." in page
    assert national.get(f"{NATIONAL_URL}/omrade/okand").status_code == 404
    settings = national.post(f"{NATIONAL_URL}/installningar", data={
        "reference_number": "S2020/05273/SOF",
        "addressee": "Regeringskansliet (Socialdepartementet)",
        "partners": "Socialstyrelsen", "county_deadline": "2020-06-30", "report_due": ""})
    assert settings.status_code == 302
    round_row = store.get_round(accounts_db, OLD_ROUND)
    assert round_row["reference_number"] == "S2020/05273/SOF"
    assert round_row["county_deadline"] == "2020-06-30" and round_row["report_due"] is None
    english = national.get(f"{NATIONAL_URL}/?lang=en").get_data(as_text=True)
    assert "National compilation" in english and "Deadline for the counties" in english


def test_the_log_names_the_area_not_its_id(coord_app, accounts_db):
    store.save_assessment(accounts_db, OLD_ROUND, HALLAND, "unemployment", "Text.", 0, "anna")
    page = user_client(coord_app, "coord13").get("/samordna/logg?lang=sv").get_data(
        as_text=True)
    assert "Bedömning sparad (Arbetslöshet och sysslolöshet" in page
    assert "(unemployment)" not in page


def test_csrf_is_enforced(world):
    app = make_app(world, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    login_page = client.get("/samordna/logga-in").get_data(as_text=True)
    client.post("/samordna/logga-in", data={
        "email": "halland@lansstyrelsen.test", "password": "korrekt häst batteri",
        "csrf_token": csrf_token(login_page)})
    form = {"area": "", "revision": "0", "text": "Utan token."}
    assert client.post(f"{COUNTY_URL}/bedomning", data=form).status_code == 400
    token = csrf_token(client.get(f"{COUNTY_URL}/").get_data(as_text=True))
    assert client.post(f"{COUNTY_URL}/bedomning",
                       data={**form, "csrf_token": token}).status_code == 302


def test_rounds_are_listed_for_each_role(coord_app):
    halland = user_client(coord_app, "coord13").get("/samordna/sammanstall/")
    assert f"/sammanstall/{NEW_ROUND}/lan/13/" in halland.get_data(as_text=True)
    national = user_client(coord_app, "national").get("/samordna/sammanstall/")
    assert f"/sammanstall/{NEW_ROUND}/nationell/" in national.get_data(as_text=True)


# ---------------------------------------------------------------- the compile catalogue


def test_the_compile_catalogue_is_complete_and_every_key_in_use_exists():
    """Like tests/test_i18n.py for the ``compile`` domain: both languages have every key
    with the same placeholders, and every xt('key') of the area's code and templates exists."""
    import re
    from pathlib import Path

    from survey.web import i18n

    def catalogue(lang):
        return {m.id: m for m in i18n.read_po_file(i18n.po_path(lang, "compile")) if m.id}

    swedish, english = catalogue("sv"), catalogue("en")
    assert set(swedish) == set(english)
    fields = re.compile(r"{(\w+)}")
    for key in swedish:
        assert swedish[key].string and english[key].string and not swedish[key].fuzzy, key
        assert sorted(fields.findall(swedish[key].string)) == sorted(
            fields.findall(english[key].string)), key
    web = Path(i18n.__file__).parent
    missing = []
    for path in [*(web / "compile").glob("*.py"), *(web / "templates" / "compile").glob("*")]:
        for key, after in re.findall(r"(?<![\w.])xt\(\s*f?['\"]([^'\"{]+)['\"{]\s*(\S)",
                                     path.read_text(encoding="utf-8")):
            known = key in swedish if after in ",)" else any(k.startswith(key) for k in swedish)
            if not known:
                missing.append(f"{path.name}: {key}")
    assert missing == []
