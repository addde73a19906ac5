"""The report model: plain data that templates read and tests check against the database.

Nothing here touches the database or knows about HTML; every number a report prints is a
field here, so tests can compare it with what they put in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Category:
    value: str
    label: str
    count: int


@dataclass
class Distribution:
    """How many municipalities chose each option; ``base`` is the denominator (respondents)."""

    title: str
    categories: list[Category]
    answered: int
    base: int

    @property
    def missing(self) -> int:
        return self.base - self.answered

    def count(self, value: str) -> int:
        return next((c.count for c in self.categories if c.value == value), 0)

    @property
    def max_count(self) -> int:
        return max((c.count for c in self.categories), default=0)


@dataclass
class NumberSummary:
    """A number question summed over the municipalities that answered it."""

    title: str
    total: float
    answered: int
    base: int
    median: float | None


@dataclass(frozen=True)
class Quote:
    municipality: str
    text: str
    verified: bool = False
    note: str = ""  # e.g. "vidtagen" / "planerad"
    chosen: bool = False  # the county coordinator explicitly included it


@dataclass
class ThemeRow:
    """One theme in one area (or overall): municipalities that mention it and its codes."""

    theme: str
    label: str
    municipalities: int
    verified: int
    automatic: int
    quotes: list[Quote] = field(default_factory=list)
    #: Municipalities per direction the coding found ("increase", "decrease", "unchanged",
    #: "present", "denied"); empty when the codes carry no direction.
    directions: dict[str, int] = field(default_factory=dict)

    @property
    def increase(self) -> int:
        return self.directions.get("increase", 0)

    @property
    def decrease(self) -> int:
        return self.directions.get("decrease", 0)


@dataclass
class MeasureRow:
    """One measure type: municipalities with taken and with planned measures of that type.

    ``municipalities`` counts those with either (the union): a municipality with both a taken
    and a planned measure of a type counts once, one with only a planned one counts too."""

    theme: str
    label: str
    taken: int
    planned: int
    municipalities: int
    verified: int
    automatic: int
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class AreaSection:
    id: str
    label: str
    short_label: str
    level: Distribution
    change: Distribution
    high_reasons: list[Quote]
    risk_themes: list[ThemeRow]
    measures: list[MeasureRow]
    details: list[Distribution | NumberSummary]
    texts_without_codes: int = 0


@dataclass
class CodingStatus:
    """Where the themes came from; a report without codes says so instead of printing zeros."""

    has_codes: bool
    verified: int = 0
    automatic: int = 0
    autocoded: bool = False
    free_texts: int = 0


@dataclass
class ChangeRow:
    """High risk in one area, before and now, each of the municipalities that answered it.

    The rounds have different denominators, so the change is in percentage points of those
    who answered, never a difference of counts."""

    area: str
    label: str
    high_before: int
    answered_before: int
    high_now: int
    answered_now: int
    increased_now: int
    unchanged_now: int
    decreased_now: int

    @property
    def high_change_points(self) -> int | None:
        """Change of the high share in whole percentage points; None without a denominator."""
        if not self.answered_before or not self.answered_now:
            return None
        return round(100 * self.high_now / self.answered_now
                     - 100 * self.high_before / self.answered_before)

    @property
    def high_share_rose(self) -> bool:
        return bool(self.answered_before and self.answered_now) and (
            self.high_now * self.answered_before > self.high_before * self.answered_now)


@dataclass
class ThemeChange:
    theme: str
    label: str
    before: int
    now: int


@dataclass
class ChangeSection:
    previous_id: str
    previous_title: str
    respondents_before: int
    respondents_now: int
    respondents_both: int
    areas: list[ChangeRow]
    themes: list[ThemeChange]


@dataclass
class MunicipalityStatus:
    code: str
    name: str
    status: str
    status_label: str
    submitted_at: str | None = None


@dataclass
class AnswerLine:
    label: str
    text: str = ""
    items: list[str] = field(default_factory=list)  # matrix rows and multiple choices
    long: bool = False  # free text printed as paragraphs


@dataclass
class AnswerPage:
    title: str
    lines: list[AnswerLine]


@dataclass
class MunicipalityAnswers:
    code: str
    name: str
    submitted_at: str | None
    pages: list[AnswerPage]


@dataclass
class RoundInfo:
    id: str
    title: str
    opens_on: str
    closes_on: str
    follows: str | None
    #: The deliverable's settings (the round's report settings; None when not set).
    reference_number: str | None = None
    addressee: str | None = None
    partners: str | None = None
    county_deadline: str | None = None
    report_due: str | None = None


@dataclass
class Source:
    """Another source the county cites besides the answers (a network meeting, the police)."""

    date: str
    actor: str
    kind: str
    kind_label: str
    summary: list  # reports.written.Block


@dataclass
class Written:
    """What the coordinators wrote (reports.written.Block lists): overall and per area."""

    overall: list = field(default_factory=list)
    areas: dict[str, list] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    delivered_at: str | None = None

    def area(self, area_id: str) -> list:
        return self.areas.get(area_id, [])

    @property
    def any(self) -> bool:
        return bool(self.overall or any(self.areas.values()) or self.sources)


@dataclass
class CountyReport:
    kind = "county"
    county_code: str
    county_name: str
    county_short: str
    round: RoundInfo
    questionnaire_title: str
    generated: date
    municipalities: list[MunicipalityStatus]
    respondents: int
    total: int
    findings: list[str]
    overview: list[AreaSection]  # same objects as ``areas``, for the overview chart
    areas: list[AreaSection]
    coding: CodingStatus
    themes: list[ThemeRow]  # risk themes over all areas
    measure_themes: list[MeasureRow]
    good_examples: list[Quote]
    good_examples_private: int
    collaboration: Distribution
    collaboration_texts: list[Quote]
    support_areas: Distribution
    support_texts: list[Quote]
    concern: Distribution
    concern_mean: float | None
    change: ChangeSection | None
    appendix: list[MunicipalityAnswers] | None
    contact_fields_hidden: bool = True
    written: Written = field(default_factory=Written)
    include_unreviewed: bool = True

    @property
    def good_examples_chosen(self) -> list[Quote]:
        """Good examples for the national report: those the county kept (excluded ones are
        never in ``good_examples``), the explicitly included first."""
        return self._for_national(self.good_examples)

    @property
    def collaboration_chosen(self) -> list[Quote]:
        """Descriptions of collaboration for the national report, chosen the same way."""
        return self._for_national(self.collaboration_texts)

    def _for_national(self, quotes: list[Quote]) -> list[Quote]:
        ordered = sorted(quotes, key=lambda q: not q.chosen)  # stable: county order kept
        return [Quote(f"{q.municipality}, {self.county_name}", q.text, q.verified, q.note,
                      q.chosen) for q in ordered]

    @property
    def responding(self) -> list[MunicipalityStatus]:
        return [m for m in self.municipalities if m.status == "submitted"]

    @property
    def not_responding(self) -> list[MunicipalityStatus]:
        return [m for m in self.municipalities if m.status != "submitted"]

    @property
    def title(self) -> str:
        return f"Lägesbild för {self.county_name}: {self.round.title}"


@dataclass
class CountyAreaRow:
    county_code: str
    county_name: str
    respondents: int
    total: int
    level: list[Distribution]  # one per area, in area order


@dataclass
class NationalReport:
    kind = "national"
    round: RoundInfo
    questionnaire_title: str
    generated: date
    counties: list[CountyReport]
    respondents: int
    total: int
    findings: list[str]
    areas: list[AreaSection]  # national totals (no quotes)
    coding: CodingStatus
    themes: list[ThemeRow]
    measure_themes: list[MeasureRow]
    support_areas: Distribution
    concern: Distribution
    concern_mean: float | None
    change: ChangeSection | None
    county_changes: list[tuple[CountyReport, ChangeSection]]
    not_invited: list[str] = field(default_factory=list)  # counties nobody was invited in
    written: Written = field(default_factory=Written)  # the national synthesis
    include_unreviewed: bool = True
    good_examples: list[Quote] = field(default_factory=list)  # chosen by the counties
    collaboration: Distribution | None = None  # the actors named, over the whole country
    collaboration_examples: list[Quote] = field(default_factory=list)  # chosen by the counties
    county_map: str = ""  # inline SVG of the response rate per county

    @property
    def title(self) -> str:
        return f"Nationell lägesbild: {self.round.title}"
