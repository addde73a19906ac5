"""Build the county and national report models from the database.

The only entry points: ``county_report`` and ``national_report``. They read through
survey.db and survey.db_codes (via reports.data), and return plain model objects.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import sqlite_utils

from reports import labels
from reports.appendix import municipality_answers
from reports.change import change_section
from reports.countymap import county_map_svg
from reports.data import ReportError, RoundData, load_round
from reports.findings import key_findings
from reports.model import (
    CountyReport,
    MunicipalityStatus,
    NationalReport,
    RoundInfo,
    Source,
    Written,
)
from reports.sections import (
    answers_of,
    area_sections,
    coding_status,
    collect_themes,
    distribution_of,
    mean_of,
    measure_rows,
    texts_of,
    theme_rows,
)
from reports.written import blocks
from survey import store

Progress = Callable[[str], None]

__all__ = ["ReportError", "county_report", "national_report"]


SOURCE_KINDS = {"network_meeting": "Nätverksmöte", "police": "Polisen", "region": "Regionen",
                "civil_society": "Civilsamhället", "other": "Annan källa"}


def county_report(db: sqlite_utils.Database, round_id: str, county_code: str, *,
                  autocode: bool = False, appendix: bool = True,
                  generated: date | None = None,
                  include_unreviewed: bool = True) -> CountyReport:
    """The county report of one round; compares with the round it follows, if any.
    ``include_unreviewed``: whether automatic codes nobody has reviewed count in the theme
    tables (the methodology section says which)."""
    data = load_round(db, round_id, county_code, autocode,
                      include_unreviewed=include_unreviewed, compilation=True)
    previous = _previous(db, data, county_code, autocode)
    return _county(data, previous, county_code, appendix=appendix, quotes=3,
                   generated=generated or date.today())


def national_report(db: sqlite_utils.Database, round_id: str, *, autocode: bool = False,
                    generated: date | None = None,
                    progress: Progress | None = None,
                    include_unreviewed: bool = True) -> NationalReport:
    """All counties of one round: national totals, a section per county, change since the
    previous round. ``progress(step)`` is called once per step (for a progress bar)."""
    tick = progress or (lambda _step: None)
    data = load_round(db, round_id, None, autocode, include_unreviewed=include_unreviewed,
                      compilation=True)
    previous = _previous(db, data, None, autocode)
    tick("data")
    generated = generated or date.today()
    counties = []
    county_changes = []
    not_invited = []
    for code in sorted(data.counties):
        if not data.scope(code):
            not_invited.append(data.counties[code]["name"])  # listed once, not as zeros
            tick(code)
            continue
        report = _county(data, previous, code, appendix=False, quotes=1, generated=generated)
        counties.append(report)
        if report.change:
            county_changes.append((report, report.change))
        tick(code)
    data.quoted = set()
    everyone = data.scope(None)
    respondents = data.respondents()
    names = {m["code"]: m["name"] for m in respondents}
    areas = area_sections(data, everyone, quotes=0, with_texts=False)
    themes = theme_rows(data, collect_themes(data, respondents, "risks"), names, 0)
    measure_themes = _measure_themes(data, respondents, names, 0)
    support = distribution_of(data, respondents, "state_support_areas",
                              "Områden där kommunerna behöver stöd")
    concern = distribution_of(data, respondents, "overall_concern", "Samlad oro")
    change = change_section(data, previous, everyone) if previous else None
    coding = coding_status(data, everyone)
    findings = key_findings(len(respondents), len(everyone), "i landet", areas, themes,
                            measure_themes, support, change, coding.has_codes)
    return NationalReport(
        round=_round_info(data.round), questionnaire_title=data.questionnaire.title.get("sv"),
        generated=generated, counties=counties, respondents=len(respondents),
        total=len(everyone), findings=findings, areas=areas, coding=coding, themes=themes,
        measure_themes=measure_themes, support_areas=support, concern=concern,
        concern_mean=mean_of(a.get("overall_concern") for a in answers_of(data, respondents)),
        change=change, county_changes=county_changes, not_invited=not_invited,
        written=_written(data, None), include_unreviewed=include_unreviewed,
        good_examples=_from_counties(counties, "good_examples_chosen"),
        collaboration=distribution_of(data, respondents, "collaboration_actors",
                                      "Aktörer som kommunerna samverkar med"),
        collaboration_examples=_from_counties(counties, "collaboration_chosen"),
        county_map=_county_map(data, counties))


#: How many of each county's chosen examples the national report carries when the county
#: made no choice (its explicit inclusions are all carried).
PER_COUNTY = 2


def _from_counties(counties: list[CountyReport], attribute: str) -> list:
    """Each county's explicitly included texts, or its first ``PER_COUNTY`` kept ones."""
    result = []
    for county in counties:
        quotes = getattr(county, attribute)
        chosen = [q for q in quotes if q.chosen]
        result.extend(chosen or quotes[:PER_COUNTY])
    return result


def _county_map(data: RoundData, counties: list[CountyReport]) -> str:
    rates = {c.county_code: 100 * c.respondents / c.total for c in counties if c.total}
    return county_map_svg(
        rates, title="Karta: andel inbjudna kommuner som lämnat lägesbilden, per län",
        legend_title="Andel som svarat (%)",
        labels={code: county["name"] for code, county in data.counties.items()},
        fmt=lambda value: f"{value:.0f}\u00a0%".replace(".", ","))


def _written(data: RoundData, county_code: str | None) -> Written:
    """The coordinators' texts as blocks, the county's other sources and its delivery."""
    texts = data.assessments.get(county_code, {})
    delivery = data.deliveries.get(county_code) if county_code else None
    return Written(
        overall=blocks((texts.get(None) or {}).get("text")),
        areas={area: blocks(row["text"]) for area, row in texts.items() if area},
        sources=[Source(s["date"], s["actor"], s["kind"], SOURCE_KINDS.get(s["kind"], s["kind"]),
                        blocks(s["summary"]))
                 for s in data.sources.get(county_code, [])] if county_code else [],
        delivered_at=delivery["delivered_at"] if delivery and delivery["status"] == "delivered"
        else None)


#: What the comparison with the previous round reads of it.
PREVIOUS_QUESTIONS = {"risk_level", "risk_change"}
PREVIOUS_CODEBOOKS = {"risks"}


def _previous(db: sqlite_utils.Database, data: RoundData, county_code: str | None,
              autocode: bool) -> RoundData | None:
    follows = data.round.get("follows")
    if not follows:
        return None
    # Coding on the fly needs the free texts, so it reads the whole previous round.
    return load_round(db, follows, county_code, autocode,
                      None if autocode else PREVIOUS_QUESTIONS, PREVIOUS_CODEBOOKS)


def _round_info(row: dict) -> RoundInfo:
    return RoundInfo(row["id"], row["title"], row["opens_on"], row["closes_on"],
                     row.get("follows"), row.get("reference_number"), row.get("addressee"),
                     row.get("partners"), row.get("county_deadline"), row.get("report_due"))


def _measure_themes(data: RoundData, respondents: list[dict], names: dict[str, str],
                    quotes: int):
    questions = [q.name for q in data.questionnaire.questions]
    taken = {q for q in questions if q.endswith("_measures_taken")}
    planned = {q for q in questions if q.endswith("_measures_planned")}
    return measure_rows(data, respondents, taken, planned, names, quotes)


def _county(data: RoundData, previous: RoundData | None, county_code: str, *,
            appendix: bool, quotes: int, generated: date) -> CountyReport:
    county = data.counties[county_code]
    data.quoted = set()  # each quote once in this county's report
    by_name = lambda m: labels.swedish_sort_key(m["name"])  # noqa: E731
    municipalities = sorted(data.scope(county_code), key=by_name)
    respondents = sorted(data.respondents(county_code), key=by_name)
    names = {m["code"]: m["name"] for m in respondents}
    statuses = [_status(m, data.statuses.get(m["code"])) for m in municipalities]
    areas = area_sections(data, municipalities, quotes=quotes, with_texts=appendix)
    themes = theme_rows(data, collect_themes(data, respondents, "risks"), names, quotes)
    measure_themes = _measure_themes(data, respondents, names, quotes)
    support = distribution_of(data, respondents, "state_support_areas",
                              "Områden där kommunerna behöver stöd")
    change = change_section(data, previous, municipalities) if previous else None
    coding = coding_status(data, respondents)
    examples = texts_of(data, respondents, "good_examples", only_if="good_examples_share")
    all_examples = texts_of(data, respondents, "good_examples")
    answers = answers_of(data, respondents)
    return CountyReport(
        county_code=county_code, county_name=county["name"],
        county_short=county["name_short"], round=_round_info(data.round),
        questionnaire_title=data.questionnaire.title.get("sv"), generated=generated,
        municipalities=statuses, respondents=len(respondents), total=len(municipalities),
        findings=key_findings(len(respondents), len(municipalities), f"i {county['name']}",
                              areas, themes, measure_themes, support, change,
                              coding.has_codes),
        overview=areas, areas=areas, coding=coding, themes=themes,
        measure_themes=measure_themes, good_examples=examples,
        good_examples_private=len(all_examples) - len(examples),
        collaboration=distribution_of(data, respondents, "collaboration_actors",
                                      "Aktörer som kommunerna samverkar med"),
        collaboration_texts=texts_of(data, respondents, "collaboration_description"),
        support_areas=support, support_texts=texts_of(data, respondents, "state_support_needed"),
        concern=distribution_of(data, respondents, "overall_concern", "Samlad oro"),
        concern_mean=mean_of(a.get("overall_concern") for a in answers),
        change=change, written=_written(data, county_code),
        include_unreviewed=data.include_unreviewed,
        appendix=[municipality_answers(data.questionnaire, m, data.answers[m["code"]],
                                       data.statuses[m["code"]].get("submitted_at"),
                                       data.left_out(m["code"]))
                  for m in respondents] if appendix else None)


def _status(municipality: dict, response: dict | None) -> MunicipalityStatus:
    status = response["status"] if response else store.NOT_STARTED
    return MunicipalityStatus(municipality["code"], municipality["name"], status,
                              labels.STATUS_LABELS.get(status, status),
                              response.get("submitted_at") if response else None)
