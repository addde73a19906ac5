"""County and national reports: numbers equal the database's, the PDF is tagged PDF/UA with
alt texts, and whatever a municipality typed prints as text."""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner

from reports import county_report, html_to_pdf, national_report, render_html
from reports.charts import ChartMaker, wrap
from reports.data import ReportError, is_present
from reports.html import ENVIRONMENT
from reports.labels import AREA_SHORT_LABELS, percent, response_rate, swedish_date, swedish_sort_key
from reports.model import Category, ChangeRow, ChangeSection, Distribution
from reports.quotes import quote_for, shorten
from reports.sample_codes import store_corpus_codes
from survey import store
from survey.services import demo, versions
from survey.web.reports.views import REPORT_CSP
from tests.accounts_fixtures import *  # noqa: F403 (the coordinator world's fixtures)
from tests.accounts_fixtures import NEW_ROUND, user_client

ROUND, PREVIOUS, HALLAND = "2020-09", "2020-06", "13"
HOSTILE_EXAMPLE = "<script>alert('x')</script> Vi öppnade & bemannade fritidsgården."
HOSTILE_SUPPORT = "</table></section><h1>Inte en rubrik</h1> Mer pengar till socialtjänsten."
GENERATED = date(2020, 10, 1)
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    """The demo database (three counties, two rounds) with corpus codes and hostile text."""
    path = tmp_path_factory.mktemp("reports") / "demo.db"
    demo.build(path, counties=("13", "10", "07"))
    db = store.connect(path)
    store_corpus_codes(db, PREVIOUS)
    store_corpus_codes(db, ROUND)
    first = submitted(db, ROUND, HALLAND)[0]
    store.save_answers(db, first["id"], {"good_examples": HOSTILE_EXAMPLE,
                                         "good_examples_share": True,
                                         "state_support_needed": HOSTILE_SUPPORT},
                       None, "test", allow_locked=True)
    db.conn.close()
    return path


@pytest.fixture
def db(demo_path):
    database = store.connect(demo_path)
    yield database
    database.conn.close()


def submitted(db, round_id: str, county: str | None = None) -> list[dict]:
    return [r for r in store.responses_for_round(db, round_id, county)
            if r["status"] == store.SUBMITTED]


@pytest.fixture(scope="module")
def halland(demo_path):
    """The Halland report of the follow-up round: model, HTML, PDF bytes and PDF text."""
    db = store.connect(demo_path)
    model = county_report(db, ROUND, HALLAND, generated=GENERATED)
    db.conn.close()
    html = render_html(model)
    pdf = html_to_pdf(html)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    return model, html, pdf, text


def level_counts(db, round_id: str, county: str, question: str,
                 only: set[str] | None = None) -> dict[str, Counter]:
    answers = store.answers_for_round(db, round_id, county)
    counts: dict[str, Counter] = {}
    for response in submitted(db, round_id, county):
        if only is not None and response["municipality_code"] not in only:
            continue
        for area, value in answers[response["municipality_code"]].get(question, {}).items():
            counts.setdefault(area, Counter())[value] += 1
    return counts


# ---------------------------------------------------------------- the county PDF


def test_pdf_names_every_responding_municipality(db, halland):
    _, _, _, text = halland
    responding = submitted(db, ROUND, HALLAND)
    assert len(responding) >= 2
    flat = " ".join(text.split())
    for response in responding:
        assert response["municipality_name"] in flat


def test_pdf_states_response_rate_with_denominator(db, halland):
    _, _, _, text = halland
    answered = len(submitted(db, ROUND, HALLAND))
    everyone = len(store.municipalities(db, HALLAND))
    assert answered < everyone  # the demo's follow-up round has drafts and silences
    flat = " ".join(text.split())
    share = response_rate(answered, everyone).replace(NBSP, " ")
    assert (f"{answered} av {everyone} kommuner i Hallands län ({share}) har skickat in "
            f"lägesbilden") in flat
    assert f"{answered} av {everyone} kommuner har lämnat lägesbilden" in flat


@pytest.mark.parametrize("question, values", [
    ("risk_level", ("high", "medium", "low", "unknown")),
    ("risk_change", ("increased", "unchanged", "decreased", "unknown")),
])
def test_pdf_area_counts_equal_the_database(db, halland, question, values):
    model, _, _, text = halland
    counts = level_counts(db, ROUND, HALLAND, question)
    answered = len(submitted(db, ROUND, HALLAND))
    lines = set(text.splitlines())
    for area, label in AREA_SHORT_LABELS.items():
        numbers = [counts.get(area, Counter())[v] for v in values]
        missing = answered - sum(numbers)
        row = " ".join([label, *map(str, numbers), str(missing), str(answered)])
        assert row in lines, row
        section = next(a for a in model.areas if a.id == area)
        distribution = section.level if question == "risk_level" else section.change
        assert [distribution.count(v) for v in values] == numbers


def test_pdf_is_tagged_swedish_with_structure_tree_and_alt_texts(halland):
    model, html, pdf, _ = halland
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        assert str(root.Lang) == "sv"
        assert bool(root.MarkInfo.Marked)
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert str(document.docinfo["/Title"]) == model.title
        tags = Counter()
        figures = []
        stack = [root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                tags[str(node.S)] += 1
                if node.S == "/Figure":
                    figures.append(node)
            kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
            if isinstance(kids, pikepdf.Array):
                stack += [k for k in kids if isinstance(k, pikepdf.Dictionary)]
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)
        assert tags["/H2"] >= 8 and tags["/Table"] >= 10 and tags["/TH"] > 0
        assert len(figures) == html.count("<svg ") > 10
        for figure in figures:
            assert str(figure.get("/Alt", "")).startswith("Diagram: ")
    assert '<html lang="sv">' in html and f"<title>{model.title}</title>" in html


def test_pdf_embeds_every_font(halland):
    _, _, pdf, _ = halland
    with pikepdf.open(io.BytesIO(pdf)) as document:
        fonts = set()
        for page in document.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts.add(str(descendant.BaseFont))
        assert any("DejaVu" in name for name in fonts)


def test_pdf_has_page_numbers_toc_and_no_leader_dots(halland):
    _, _, pdf, text = halland
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = len(document.pages)
    assert f"Sida 2 av {pages}" in text
    toc = text.split("Innehåll", 1)[1].split("Sammanfattning\n•", 1)[0]
    entry = re.search(r"^Metod och svarsfrekvens (\d+)$", toc, re.MULTILINE)
    assert entry and 2 < int(entry.group(1)) < pages
    assert "....." not in text


def test_typed_html_prints_as_text(halland):
    _, html, _, text = halland
    assert "<script>alert" not in html and "<h1>Inte en rubrik" not in html
    assert "&lt;script&gt;alert(" in html
    flat = " ".join(text.split())
    assert "<script>alert('x')</script> Vi öppnade & bemannade fritidsgården." in flat
    assert "</table></section><h1>Inte en rubrik</h1> Mer pengar till socialtjänsten." in flat


def test_themes_count_verified_and_automatic_codes(db, halland):
    model, html, _, _ = halland
    codes = store.codes_for_round(db, ROUND, HALLAND)
    responding = {r["municipality_code"] for r in submitted(db, ROUND, HALLAND)}
    present = [c for c in codes if c["municipality_code"] in responding
               and (c["status"] in ("accepted", "added")
                    or (c["status"] in ("auto_accepted", "to_review") and not c["negated"]))]
    counted = [c for c in present if c["codebook"] == "risks"
               or c["question"].endswith(("_measures_taken", "_measures_planned"))]
    assert len(counted) < len(present)  # good examples are coded but have no theme table
    assert model.coding.has_codes
    assert model.coding.verified == sum(c["status"] in ("accepted", "added") for c in counted)
    assert model.coding.automatic == len(counted) - model.coding.verified
    risk = [c for c in present if c["codebook"] == "risks"]
    for row in model.themes:
        assert row.municipalities == len({c["municipality_code"] for c in risk
                                          if c["code"] == row.theme})
    assert f"{model.coding.verified} koder är verifierade av en person" in html
    quoted = [q for area in model.areas for t in area.risk_themes for q in t.quotes]
    assert quoted and all(q.municipality.endswith("kommun") for q in quoted)


def test_change_is_computed_on_the_municipalities_that_answered_both_rounds(db, halland):
    model, html, _, _ = halland
    both = ({r["municipality_code"] for r in submitted(db, PREVIOUS, HALLAND)}
            & {r["municipality_code"] for r in submitted(db, ROUND, HALLAND)})
    before = level_counts(db, PREVIOUS, HALLAND, "risk_level", both)
    assert model.change is not None and model.change.previous_id == PREVIOUS
    assert model.change.respondents_both == len(both) < model.change.respondents_before
    assert f"bland de {len(both)} kommuner som svarade båda gångerna" in html
    now = level_counts(db, ROUND, HALLAND, "risk_level", both)
    assert model.change is not None and len(model.change.areas) == 6
    for row in model.change.areas:
        assert row.high_before == before.get(row.area, Counter())["high"]
        assert row.answered_before == sum(before.get(row.area, Counter()).values())
        assert row.answered_now == sum(now.get(row.area, Counter()).values())
        assert row.high_change_points == round(100 * row.high_now / row.answered_now
                                               - 100 * row.high_before / row.answered_before)


def change_row(high_before: int, answered_before: int, high_now: int, answered_now: int
               ) -> ChangeRow:
    return ChangeRow("violence", "Våld", high_before, answered_before, high_now, answered_now,
                     0, 0, 0)


def change_table_html(*rows: ChangeRow) -> str:
    section = ChangeSection("2020-06", "Juni", 6, 3, 3, list(rows), [])
    return str(ENVIRONMENT.get_template("_macros.html").module.change_tables(section))


def test_change_is_in_percentage_points_of_those_who_answered():
    fewer = change_row(0, 6, 2, 3)  # the demo's "0 av 6 → 2 av 3" is +67 points, not +2
    assert fewer.high_change_points == 67 and fewer.high_share_rose
    assert change_row(3, 6, 1, 3).high_change_points == -17
    empty = change_row(2, 3, 0, 0)  # a follow-up nobody has answered yet
    assert empty.high_change_points is None and not empty.high_share_rose
    cells = re.findall(r'<td class="num">([^<]*)</td>', change_table_html(fewer, empty))
    assert cells[:3] == ["0 av 6", "2 av 3", "+67"]
    assert cells[6:9] == ["2 av 3", "0 av 0", "–"]
    assert "\u2212" in change_table_html(change_row(3, 6, 1, 3))


def test_area_the_previous_round_did_not_ask_is_not_compared(demo_path, tmp_path):
    path = tmp_path / "fewer-areas.db"
    shutil.copy(demo_path, path)
    source = (versions.PACKAGED_DIR / "lagesbild-2020.yaml").read_text(encoding="utf-8")
    unrest_row = re.search(r"\n +- \{name: unrest, [^\n]*", source).group(0)
    unrest_page = re.search(r"\n  - name: area_unrest\n.*?(?=\n  - name: )", source,
                            re.DOTALL).group(0)
    older = tmp_path / "older.yaml"
    older.write_text(source.replace(unrest_row, "", 1).replace(unrest_page, "", 1)
                     .replace('version: "2020.1"', 'version: "2020.0"'), encoding="utf-8")
    db = store.connect(path)
    questionnaire = versions.import_file(db, older)
    db["rounds"].update(PREVIOUS, {"questionnaire_hash": questionnaire.hash})
    db.conn.commit()
    model = county_report(db, ROUND, HALLAND, appendix=False, generated=GENERATED)
    db.conn.close()
    assert model.change is not None
    assert [row.area for row in model.change.areas] == [
        "violence", "children", "substance", "mental_health", "unemployment"]
    assert not any("social oro" in finding.lower() for finding in model.findings
                   if "förra omgången" in finding)


def test_appendix_has_every_answer_but_no_contact_details(db, halland):
    model, html, _, _ = halland
    assert [m.name for m in model.appendix] == sorted(
        (r["municipality_name"] for r in submitted(db, ROUND, HALLAND)), key=swedish_sort_key)
    answers = store.answers_for_round(db, ROUND, HALLAND)
    for response in submitted(db, ROUND, HALLAND):
        values = answers[response["municipality_code"]]
        assert values["respondent_email"] not in html
        assert values["respondent_role"] in html


@pytest.mark.browser
def test_html_report_has_no_wcag_violations(browser, halland):
    from tests.live import axe_violations

    _, html, _, _ = halland
    page = browser.new_page()
    try:
        page.set_content(html)
        assert page.locator("svg[role=img] > title").count() == html.count("<svg ")
        assert axe_violations(page) == []
    finally:
        page.close()


# ---------------------------------------------------------------- other cases


def test_report_without_codes_says_so(tmp_path):
    path = tmp_path / "uncoded.db"
    demo.build(path)
    db = store.connect(path)
    html = render_html(county_report(db, PREVIOUS, "10", generated=GENERATED))
    db.conn.close()
    assert "inte kodade i teman" in html
    assert "Verifierade koder" not in html


def test_autocode_codes_an_uncoded_round_on_the_fly(tmp_path):
    path = tmp_path / "uncoded.db"
    demo.build(path)
    db = store.connect(path)
    model = county_report(db, ROUND, HALLAND, autocode=True, appendix=False)
    db.conn.close()
    assert model.coding.autocoded and model.coding.verified == 0
    assert model.coding.automatic > 0 and model.themes
    assert all(q.text for t in model.themes for q in t.quotes)
    assert model.change.themes  # both rounds coded the same way, so themes compare
    assert "kodades automatiskt när rapporten skapades" in render_html(model)


def test_unknown_round_or_county_is_a_report_error(db):
    with pytest.raises(ReportError, match="2031-01"):
        county_report(db, "2031-01", HALLAND)
    with pytest.raises(ReportError, match="99"):
        county_report(db, ROUND, "99")


def test_national_report_covers_every_county_with_its_denominator(db):
    model = national_report(db, ROUND, generated=GENERATED)
    html = render_html(model)
    counties = store.counties(db)
    invited = store.status_rows(db, ROUND)
    with_invitations = {r["county_code"] for r in invited}
    assert [c.county_code for c in model.counties] == sorted(with_invitations)
    assert model.respondents == len(submitted(db, ROUND)) == sum(
        c.respondents for c in model.counties)
    # one response rate: submitted of invited, as on the coordinator dashboard
    assert model.total == store.counts(invited)["invited"] == 19
    assert model.not_invited == [c["name"] for c in counties
                                 if c["code"] not in with_invitations]
    assert "0 av 0" not in html
    for area in model.areas:
        assert area.level.count("high") == sum(
            c.areas[[a.id for a in c.areas].index(area.id)].level.count("high")
            for c in model.counties)
    for county in counties:
        assert county["name"] in html
    assert f"{model.respondents} av 19 kommuner" in html
    assert model.change is not None and len(model.county_changes) == len(with_invitations)


def test_national_pdf_is_tagged(db):
    pdf = html_to_pdf(render_html(national_report(db, ROUND, generated=GENERATED)))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert str(document.Root.Lang) == "sv" and "/StructTreeRoot" in document.Root
        assert len(document.pages) > 10


# ---------------------------------------------------------------- CLI


def test_cli_writes_html_and_pdf(demo_path, tmp_path, monkeypatch):
    from survey.cli import cli

    copy = tmp_path / "copy.db"
    shutil.copyfile(demo_path, copy)
    monkeypatch.setenv("LAGESBILD_DB", str(copy))
    runner = CliRunner()
    html_file = tmp_path / "blekinge.html"
    result = runner.invoke(cli, ["report", "--round", ROUND, "--county", "Blekinge",
                                 "-o", str(html_file)])
    assert result.exit_code == 0, result.output
    assert "Blekinge" in html_file.read_text(encoding="utf-8")
    pdf_file = tmp_path / "out" / "halland.pdf"
    result = runner.invoke(cli, ["report", "--round", ROUND, "--county", "13",
                                 "--no-appendix", "-o", str(pdf_file)])
    assert result.exit_code == 0, result.output
    assert pdf_file.read_bytes().startswith(b"%PDF") and "pages" in result.output
    national_file = tmp_path / "national.html"
    result = runner.invoke(cli, ["report", "--round", ROUND, "--national", "--format", "html",
                                 "-o", str(national_file)])
    assert result.exit_code == 0, result.output
    assert "Länens sammanfattningar" in national_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("arguments, message", [
    (["--round", ROUND, "-o", "x.pdf"], "exactly one of"),
    (["--round", ROUND, "--county", "13", "--national", "-o", "x.pdf"], "exactly one of"),
    (["--round", "2031-01", "--county", "13", "-o", "x.pdf"], "2031-01"),
    (["--round", ROUND, "--county", "Atlantis", "-o", "x.pdf"], "no county"),
])
def test_cli_refuses_bad_arguments(demo_path, tmp_path, monkeypatch, arguments, message):
    from survey.cli import cli

    monkeypatch.setenv("LAGESBILD_DB", str(demo_path))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["report", *arguments])
    assert result.exit_code != 0
    assert message in result.output
    assert not (tmp_path / "x.pdf").exists()


# ---------------------------------------------------------------- web downloads


def test_county_coordinator_downloads_own_county_only(coord_app):
    halland = user_client(coord_app, "coord13")
    response = halland.get(f"/samordna/rapporter/{NEW_ROUND}/lan/13.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    assert halland.get(f"/samordna/rapporter/{NEW_ROUND}/lan/10.html").status_code == 403
    assert halland.get(f"/samordna/rapporter/{NEW_ROUND}/nationell.pdf").status_code == 403
    page = halland.get("/samordna/rapporter/").get_data(as_text=True)
    assert "/lan/13.pdf" in page and "/lan/10.pdf" not in page and "nationell" not in page


def test_national_coordinator_gets_national_report_as_html(coord_app):
    national = user_client(coord_app, "national")
    response = national.get(f"/samordna/rapporter/{NEW_ROUND}/nationell.html")
    assert response.status_code == 200
    assert "Länens sammanfattningar" in response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"] == REPORT_CSP
    assert national.get(f"/samordna/rapporter/{NEW_ROUND}/lan/10.html").status_code == 200
    word = national.get(f"/samordna/rapporter/{NEW_ROUND}/lan/10.docx")
    assert word.status_code == 200 and word.data[:2] == b"PK"
    assert word.mimetype == ("application/vnd.openxmlformats-officedocument."
                             "wordprocessingml.document")
    assert "attachment" in word.headers["Content-Disposition"]
    assert national.get(f"/samordna/rapporter/{NEW_ROUND}/lan/10.xlsx").status_code == 404
    assert national.get("/samordna/rapporter/2031-01/nationell.pdf").status_code == 404
    assert national.get(f"/samordna/rapporter/{NEW_ROUND}/lan/99.pdf").status_code == 404


def test_reports_need_a_login(coord_app):
    response = coord_app.test_client().get(f"/samordna/rapporter/{NEW_ROUND}/lan/13.pdf")
    assert response.status_code == 302 and "/samordna/logga-in" in response.location


# ---------------------------------------------------------------- small parts


def test_quote_is_the_sentence_around_the_evidence():
    text = "Första meningen. Andra meningen om våld i hemmet. Tredje."
    start = text.index("våld")
    assert quote_for(text, start, start + 4) == "Andra meningen om våld i hemmet."
    assert quote_for(text) == "Första meningen."
    long = " ".join(["ord"] * 200)
    short = shorten(long, 50)
    assert len(short) <= 52 and short.endswith("…")


def test_charts_have_unique_ids_titles_and_descriptions():
    maker = ChartMaker()
    distribution = Distribution("Risknivå", [Category("high", "Hög", 2),
                                             Category("low", "Låg", 1)], 3, 4)
    first = maker.distribution(distribution)
    second = maker.stacked("Per område", [("Våld", distribution)], ["high", "low"])
    assert first.id != second.id
    assert first.title == "Diagram: Risknivå"
    assert "Hög: 2" in first.desc and "av 4" in first.desc
    assert "våld" not in second.desc and "Våld: hög 2, låg 1 av 4" in second.desc
    assert wrap("Ett mycket långt namn på ett område som inte får plats", 80)[-1].endswith("…")


def test_swedish_formats():
    assert swedish_date("2020-07-03") == "3 juli 2020"
    assert percent(10, 13) == "77\u00a0%" and percent(1, 0) == "–"
    assert sorted(["Örebro", "Ånge", "Älmhult", "Zebra"], key=swedish_sort_key) == [
        "Zebra", "Ånge", "Älmhult", "Örebro"]


def test_codes_of_a_cleared_answer_do_not_count(demo_path, tmp_path):
    path = tmp_path / "cleared.db"
    shutil.copy(demo_path, path)
    db = store.connect(path)
    before = county_report(db, ROUND, HALLAND, appendix=False, generated=GENERATED)
    theme = before.themes[0]
    codes = [c for c in store.codes_for_round(db, ROUND, HALLAND)
             if c["codebook"] == "risks" and c["code"] == theme.theme and is_present(c)]
    municipality = codes[0]["municipality_code"]
    for code in codes:
        if code["municipality_code"] == municipality:
            db.execute("DELETE FROM answers WHERE response_id = ? AND question = ?",
                       [code["response_id"], code["question"]])
    db.conn.commit()
    after = county_report(db, ROUND, HALLAND, appendix=False, generated=GENERATED)
    db.conn.close()
    counts = {row.theme: row.municipalities for row in after.themes}
    assert counts.get(theme.theme, 0) == theme.municipalities - 1


def test_measures_count_municipalities_with_taken_or_planned_once(db, halland):
    model, html, _, _ = halland
    responding = {r["municipality_code"] for r in submitted(db, ROUND, HALLAND)}
    measures = [c for c in store.codes_for_round(db, ROUND, HALLAND)
                if c["codebook"] == "measures" and is_present(c)
                and c["municipality_code"] in responding
                and c["question"].endswith(("_measures_taken", "_measures_planned"))]
    assert model.measure_themes
    for row in model.measure_themes:
        either = {c["municipality_code"] for c in measures if c["code"] == row.theme}
        assert row.municipalities == len(either)
    assert any(r.municipalities > max(r.taken, r.planned) for r in model.measure_themes)
    counts = [r.municipalities for r in model.measure_themes]
    assert counts == sorted(counts, reverse=True)
    top = model.measure_themes[0]
    assert any(f"{top.label.lower()} ({top.municipalities} av" in f for f in model.findings)


def test_summary_names_the_number_of_areas(halland):
    model, _, _, _ = halland
    assert any(f"({len(model.areas)} områden) är risken oförändrad" in finding
               for finding in model.findings)
    assert not any("sex områden" in finding for finding in model.findings)


def test_county_without_respondents_says_nobody_has_answered(db):
    model = county_report(db, ROUND, "01", appendix=False, generated=GENERATED)
    html = render_html(model)
    assert model.respondents == 0 and model.total == 0  # not invited: no base to count
    assert "Ingen kommun har lämnat lägesbilden ännu" in html
    assert "inte kodade i teman" not in html and "bilagan" not in html
