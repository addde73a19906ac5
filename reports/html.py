"""Report model -> one self-contained, accessible HTML document (Jinja, autoescaped).

Free text is user input: autoescape is on for every template, nothing from an answer is
ever marked safe, and paragraphs are split in Python and printed one <p> at a time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup

from coding.personal_data import mask, scan
from reports import labels
from reports.charts import ChartMaker
from reports.model import CountyReport, NationalReport

TEMPLATES = Path(__file__).resolve().parent / "templates"

LEVEL_VALUES = ["high", "medium", "low", "unknown"]
CHANGE_VALUES = ["increased", "unchanged", "decreased", "unknown"]


def without_personal_data(value):
    """Every printed value of a report passes here: a report is a public document, so personal
    identity numbers, phone numbers, e-mail and street addresses and descriptions of
    individuals are masked wherever they would appear (quotes, appendix, assessments). The
    coordinator still sees the original answers in the review workspace."""
    if not isinstance(value, str) or not value:
        return value
    masked = _masked(str(value))
    if masked is None:
        return value
    return Markup(masked) if isinstance(value, Markup) else masked


@lru_cache(maxsize=65536)
def _masked(text: str) -> str | None:
    """The masked text, or None when there is nothing to mask. Cached: a national report
    prints the same numbers and labels thousands of times, and scanning each print cost
    about a third of the HTML step."""
    findings = scan(text)
    return mask(text, findings) if findings else None


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a free-text answer (blank lines or line breaks separate them)."""
    return [" ".join(part.split()) for part in str(text).splitlines() if part.strip()]


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        finalize=without_personal_data,
        # Compiled templates kept in the user's temporary directory (checked against the
        # source on every load): compiling them took ~0.3 s of every fresh process.
        bytecode_cache=FileSystemBytecodeCache())
    env.filters.update(
        number=labels.number, date_sv=labels.swedish_date, paragraphs=paragraphs,
        lower_first=lambda text: text[:1].lower() + text[1:])
    env.globals.update(
        percent=labels.percent, response_rate=labels.response_rate, points=labels.points,
        count_of=labels.count_of,
        word=labels.municipalities_word,
        LEVEL_VALUES=LEVEL_VALUES, CHANGE_VALUES=CHANGE_VALUES,
        theme_counts=lambda rows: {row.theme: row.municipalities for row in rows},
        change_rows_by_area=lambda change: {row.area: row for row in change.areas},
        measure_counts=lambda rows: {row.theme: row.municipalities for row in rows})
    return env


ENVIRONMENT = _environment()


TocEntry = tuple[str, str, list[tuple[str, str]]]


def county_toc(report: CountyReport) -> list[TocEntry]:
    toc: list[TocEntry] = [
        ("sammanfattning", "Sammanfattning", []),
        ("metod", "Metod och svarsfrekvens", []),
        ("teman", "Teman i fritextsvaren", []),
        ("omraden", "Områdena", [(f"omrade-{a.id}", a.label) for a in report.areas]),
        ("goda-exempel", "Goda exempel", []),
    ]
    if report.change:
        toc.append(("forandring", "Förändring sedan förra omgången", []))
    toc += [("samverkan", "Samverkan", []), ("stod", "Stöd från staten", [])]
    if report.appendix is not None:
        toc.append(("bilaga", "Bilaga: kommunernas svar",
                    [(f"kommun-{m.code}", m.name) for m in report.appendix]))
    return toc


def national_toc(report: NationalReport) -> list[TocEntry]:
    toc: list[TocEntry] = [
        ("sammanfattning", "Sammanfattning", []),
        ("metod", "Metod och svarsfrekvens", []),
        ("omraden", "Risknivå per län och område",
         [(f"omrade-{a.id}", a.label) for a in report.areas]),
        ("teman", "Teman per län", []),
    ]
    if report.change:
        toc.append(("forandring", "Förändring mellan omgångarna", []))
    if report.good_examples:
        toc.append(("goda-exempel", "Goda exempel", []))
    if report.collaboration or report.collaboration_examples:
        toc.append(("samverkan", "Samverkan", []))
    toc += [("stod", "Stöd från staten", []),
            ("lanen", "Länens sammanfattningar",
             [(f"lan-{c.county_code}", c.county_name) for c in report.counties])]
    return toc


def render_html(report: CountyReport | NationalReport) -> str:
    """The whole report as one HTML file: styles inline, charts as inline SVG."""
    template = ENVIRONMENT.get_template(f"{report.kind}.html")
    if isinstance(report, CountyReport):
        author = f"Länsstyrelsen i {report.county_name}"
        subtitle = f"{report.county_name}: {report.round.title}"
        toc = county_toc(report)
    else:
        author = "Länsstyrelserna, nationell sammanställning"
        subtitle = f"Hela landet: {report.round.title}"
        toc = national_toc(report)
    return template.render(report=report, charts=ChartMaker(), author=author,
                           cover_subtitle=subtitle, toc=toc)
