"""Report sections computed from a round's data for a set of municipalities.

Functions here take the municipalities in scope (a county, or the whole country) and return
model objects; they never query the database, so a national report reuses one load.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from reports import labels
from reports.data import RoundData, area_of_question, areas, is_verified, question_or_none
from reports.model import (
    AreaSection,
    Category,
    CodingStatus,
    Distribution,
    MeasureRow,
    NumberSummary,
    Quote,
    ThemeRow,
)
from reports.quotes import quote_for, shorten
from survey.questionnaire.model import Question

FREE_TEXT = ("text", "textarea")
MEASURE_QUESTIONS = ("_measures_taken", "_measures_planned")


def choice_distribution(question: Question, values: list[Any], title: str | None = None,
                        skip: Iterable[str] = ()) -> Distribution:
    """Counts per option of a single, multiple, scale or boolean question.

    ``values`` has one entry per respondent (None when not answered), so the base is always
    the number of respondents and unanswered ones show as missing.
    """
    skipped = set(skip)
    counts: dict[str, int] = defaultdict(int)
    answered = 0
    for value in values:
        if value is None or value == [] or value == "":
            continue
        answered += 1
        for item in value if isinstance(value, list) else [value]:
            key = ("true" if item else "false") if isinstance(item, bool) else str(item)
            counts[key] += 1
    if question.type == "boolean":
        options = [("true", "Ja"), ("false", "Nej")]
    else:
        options = [(o.value, o.label.get("sv")) for o in question.options]
    categories = [Category(value, label, counts.get(value, 0))
                  for value, label in options if value not in skipped]
    return Distribution(title or question.label.get("sv"), categories, answered, len(values))


def matrix_distribution(question: Question | None, row: str, answers: list[dict[str, Any]],
                        title: str) -> Distribution:
    if question is None:
        return Distribution(title, [], 0, len(answers))
    values = [(a.get(question.name) or {}).get(row) for a in answers]
    return choice_distribution(question, values, title)


def number_summary(question: Question, values: list[Any]) -> NumberSummary:
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return NumberSummary(question.label.get("sv"), sum(numbers), len(numbers), len(values),
                         statistics.median(numbers) if numbers else None)


def answers_of(data: RoundData, municipalities: list[dict]) -> list[dict[str, Any]]:
    return [data.answers[m["code"]] for m in municipalities if m["code"] in data.answers]


class ThemeCounter:
    """Codes of one theme grouped by municipality, with verified and automatic counts."""

    def __init__(self) -> None:
        self.by_municipality: dict[str, list[dict]] = defaultdict(list)
        self.verified = 0
        self.automatic = 0

    def add(self, code: dict) -> None:
        self.by_municipality[code["municipality_code"]].append(code)
        if is_verified(code):
            self.verified += 1
        else:
            self.automatic += 1

    @property
    def municipalities(self) -> int:
        return len(self.by_municipality)

    def quotes(self, data: RoundData, names: dict[str, str], limit: int,
               note: dict[str, str] | None = None) -> list[Quote]:
        """Up to ``limit`` quotes from different municipalities, verified codes first."""
        if limit <= 0:
            return []
        best = []
        for municipality, codes in self.by_municipality.items():
            if not data.has_choices(municipality):
                code = min(codes, key=_quote_rank)
                best.append(((True, *_quote_rank(code)[:2]), municipality, code))
                continue
            allowed = [c for c in codes if not data.excluded(
                municipality, c["question"], c.get("start"), c.get("end"))]
            if not allowed:
                continue  # the coordinator left this municipality's passages out
            code = min(allowed, key=lambda c: (not data.included(
                municipality, c["question"], c.get("start"), c.get("end")), _quote_rank(c)))
            chosen = data.included(municipality, code["question"], code.get("start"),
                                   code.get("end"))
            best.append(((not chosen, *_quote_rank(code)[:2]), municipality, code))
        best.sort(key=lambda item: item[:2])
        quotes = []
        for _, municipality, code in best:
            if len(quotes) >= limit:
                break
            text = data.answers[municipality].get(code["question"])
            if not isinstance(text, str):
                continue
            sentence = quote_for(text, code.get("start"), code.get("end"))
            key = (municipality, code["question"], sentence)
            if key in data.quoted:
                continue  # already quoted under another theme: each quote is used once
            data.quoted.add(key)
            quotes.append(Quote(names[municipality], sentence, is_verified(code),
                                (note or {}).get(code["question"], "")))
        return quotes

    def directions(self) -> dict[str, int]:
        """Municipalities per direction of change the coding found (increase, decrease …)."""
        found: dict[str, set[str]] = defaultdict(set)
        for municipality, codes in self.by_municipality.items():
            for code in codes:
                if code.get("direction"):
                    found[code["direction"]].add(municipality)
        return {direction: len(ms) for direction, ms in found.items()}


def _quote_rank(code: dict) -> tuple:
    return (not is_verified(code), -(code.get("score") or 0), code["question"],
            code.get("start") or 0)


def _codes_by_codebook(data: RoundData) -> dict[tuple[str, str], list[dict]]:
    """Each municipality's codes grouped by codebook, built once per ``data.codes`` (a
    national report calls collect_themes 352 times, each time over every code)."""
    cached = getattr(data, "_codebook_index", None)
    if cached is not None and cached[0] is data.codes:
        return cached[1]
    index: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for municipality, codes in data.codes.items():
        for code in codes:
            index[municipality, code["codebook"]].append(code)
    data._codebook_index = (data.codes, dict(index))
    return data._codebook_index[1]


def collect_themes(data: RoundData, municipalities: list[dict], codebook: str,
                   questions: set[str] | None = None) -> dict[str, ThemeCounter]:
    counters: dict[str, ThemeCounter] = defaultdict(ThemeCounter)
    index = _codes_by_codebook(data)
    for municipality in municipalities:
        for code in index.get((municipality["code"], codebook), ()):
            if questions is None or code["question"] in questions:
                counters[code["code"]].add(code)
    return counters


def theme_rows(data: RoundData, counters: dict[str, ThemeCounter], names: dict[str, str],
               quotes: int) -> list[ThemeRow]:
    """Themes mentioned by at least one municipality, most mentioned first."""
    rows = [ThemeRow(theme, labels.theme_label(theme), c.municipalities, c.verified,
                     c.automatic, c.quotes(data, names, quotes), c.directions())
            for theme, c in counters.items()]
    order = {theme: i for i, theme in enumerate(labels.risk_themes() + labels.measure_themes())}
    return sorted(rows, key=lambda r: (-r.municipalities, order.get(r.theme, 99)))


def measure_rows(data: RoundData, municipalities: list[dict], taken: set[str],
                 planned: set[str], names: dict[str, str], quotes: int) -> list[MeasureRow]:
    """Measure types with how many municipalities have taken and planned such measures."""
    counters = collect_themes(data, municipalities, "measures", taken | planned)
    note = {q: "vidtagen" for q in taken} | {q: "planerad" for q in planned}
    rows = []
    for theme, counter in counters.items():
        codes = counter.by_municipality.values()
        rows.append(MeasureRow(
            theme, labels.theme_label(theme),
            sum(any(c["question"] in taken for c in cs) for cs in codes),
            sum(any(c["question"] in planned for c in cs) for cs in codes),
            counter.municipalities, counter.verified, counter.automatic,
            counter.quotes(data, names, quotes, note)))
    order = {theme: i for i, theme in enumerate(labels.measure_themes())}
    return sorted(rows, key=lambda r: (-r.municipalities, order.get(r.theme, 99)))


def area_sections(data: RoundData, municipalities: list[dict], quotes: int = 3,
                  with_texts: bool = True) -> list[AreaSection]:
    questionnaire = data.questionnaire
    respondents = [m for m in municipalities if m["code"] in data.answers]
    answers = answers_of(data, respondents)
    names = {m["code"]: m["name"] for m in respondents}
    question_area = area_of_question(questionnaire)
    level_q = question_or_none(questionnaire, "risk_level")
    change_q = question_or_none(questionnaire, "risk_change")
    sections = []
    for area, label in areas(questionnaire):
        area_questions = [questionnaire.question(name) for name, a in question_area.items()
                          if a == area]
        risk_questions = {q.name for q in area_questions if q.code_with == "risks"}
        taken = {q.name for q in area_questions if q.name.endswith("_measures_taken")}
        planned = {q.name for q in area_questions if q.name.endswith("_measures_planned")}
        sections.append(AreaSection(
            id=area, label=label, short_label=labels.area_short(area, label),
            level=matrix_distribution(level_q, area, answers, "Risknivå"),
            change=matrix_distribution(change_q, area, answers, "Förändring av risken"),
            high_reasons=_high_reasons(data, respondents, area) if with_texts else [],
            risk_themes=theme_rows(data, collect_themes(data, respondents, "risks",
                                                        risk_questions), names, quotes),
            measures=measure_rows(data, respondents, taken, planned, names, quotes),
            details=_details(area_questions, answers),
            texts_without_codes=_texts_without_codes(data, respondents,
                                                     risk_questions | taken | planned),
        ))
    return sections


def _high_reasons(data: RoundData, respondents: list[dict], area: str) -> list[Quote]:
    question = f"{area}_high_reason"
    quotes = []
    for m in respondents:
        text = data.answers[m["code"]].get(question)
        if (isinstance(text, str) and text.strip()
                and not data.excluded(m["code"], question, None, None)):
            quotes.append(Quote(m["name"], shorten(" ".join(text.split()), 400)))
    return quotes


def _details(questions: list[Question], answers: list[dict[str, Any]]
             ) -> list[Distribution | NumberSummary]:
    details: list[Distribution | NumberSummary] = []
    for question in questions:
        if question.type in FREE_TEXT or not question.stores_answer:
            continue
        values = [a.get(question.name) for a in answers]
        if question.type == "number":
            details.append(number_summary(question, values))
        elif question.type in ("single", "multiple", "boolean", "scale"):
            details.append(choice_distribution(question, values))
    return details


def _texts_without_codes(data: RoundData, respondents: list[dict], questions: set[str]) -> int:
    count = 0
    for m in respondents:
        coded = {c["question"] for c in data.codes.get(m["code"], ())}
        for name in questions - coded:
            text = data.answers[m["code"]].get(name)
            count += isinstance(text, str) and bool(text.strip())
    return count


def counted_in_tables(code: dict) -> bool:
    """Whether a code counts in the report's theme tables: every risk code, and measure codes
    on the taken and planned measures (not those on good examples, which have no table)."""
    if code["codebook"] == "risks":
        return True
    return code["codebook"] == "measures" and code["question"].endswith(MEASURE_QUESTIONS)


def coding_status(data: RoundData, municipalities: list[dict]) -> CodingStatus:
    """Verified and automatic codes, counting only those the report's tables count."""
    codes = [c for m in municipalities for c in data.codes.get(m["code"], ())
             if counted_in_tables(c)]
    free_texts = 0
    coded_questions = data.coded_questions()
    for m in municipalities:
        for name in coded_questions:
            text = data.answers.get(m["code"], {}).get(name)
            free_texts += isinstance(text, str) and bool(text.strip())
    verified = sum(is_verified(c) for c in codes)
    return CodingStatus(has_codes=bool(data.stored_codes) or data.autocoded,
                        verified=verified, automatic=len(codes) - verified,
                        autocoded=data.autocoded, free_texts=free_texts)


def texts_of(data: RoundData, respondents: list[dict], question: str, limit: int = 600,
             only_if: str | None = None) -> list[Quote]:
    """Every respondent's answer to a free-text question, shortened, municipality named."""
    quotes = []
    for m in respondents:
        values = data.answers[m["code"]]
        text = values.get(question)
        if not isinstance(text, str) or not text.strip():
            continue
        if only_if is not None and values.get(only_if) is not True:
            continue
        if data.excluded(m["code"], question, None, None):
            continue  # left out by the county coordinator
        quotes.append(Quote(m["name"], shorten(" ".join(text.split()), limit),
                            chosen=data.included(m["code"], question, None, None)))
    return quotes


def distribution_of(data: RoundData, respondents: list[dict], name: str,
                    title: str | None = None, skip: Iterable[str] = ()) -> Distribution | None:
    question = question_or_none(data.questionnaire, name)
    if question is None:
        return None
    values = [a.get(name) for a in answers_of(data, respondents)]
    return choice_distribution(question, values, title, skip)


def mean_of(values: Iterable[Any]) -> float | None:
    numbers = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return round(statistics.fmean(numbers), 1) if numbers else None
