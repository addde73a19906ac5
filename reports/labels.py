"""Swedish labels and formats for reports: themes, statuses, dates, numbers and percentages.

Theme ids and labels come from the coder's codebook API, so a renamed label shows up in the
report without a code change and the list of themes is declared once.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from coding.codebook import load_codebook
from survey.questionnaire.display import format_number

CODEBOOKS = ("risks", "measures")


@cache
def codebook_themes(codebook: str) -> tuple[str, ...]:
    """The theme ids of a codebook in its declared order."""
    return tuple(load_codebook(codebook).theme_ids)


def risk_themes() -> tuple[str, ...]:
    return codebook_themes("risks")


def measure_themes() -> tuple[str, ...]:
    return codebook_themes("measures")


#: Short area names for chart axes and table headers (the questionnaire's labels are long).
AREA_SHORT_LABELS = {
    "violence": "Våld i nära relationer",
    "children": "Barn och familjer",
    "substance": "Alkohol, narkotika, spel",
    "mental_health": "Psykisk ohälsa",
    "unemployment": "Arbetslöshet",
    "unrest": "Social oro",
}

STATUS_LABELS = {
    "submitted": "Inskickad",
    "draft": "Påbörjad, inte inskickad",
    "reopened": "Öppnad igen, inte inskickad",
    "not_started": "Inte påbörjad",
}

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december")

NBSP = "\u00a0"

@cache
def theme_labels() -> dict[str, str]:
    """Theme id -> Swedish label, from the codebooks."""
    return {theme.id: theme.label_for("sv") for name in CODEBOOKS
            for theme in load_codebook(name).themes}


_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})


def swedish_sort_key(name: str) -> str:
    """Alphabetical order as Swedish readers expect it: ... x y z å ä ö."""
    return name.lower().translate(_SWEDISH_ORDER)


def theme_label(theme_id: str) -> str:
    return theme_labels().get(theme_id, theme_id)


def area_short(area: str, fallback: str = "") -> str:
    return AREA_SHORT_LABELS.get(area, fallback or area)


def swedish_date(value: str | date | None) -> str:
    """'2020-07-03' -> '3 juli 2020'."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def number(value: float | int | None) -> str:
    return "" if value is None else format_number(value)


def percent(part: int, whole: int) -> str:
    """Rounded whole percent with a non-breaking space: '77 %'; '–' without a denominator."""
    if not whole:
        return "–"
    return f"{round(100 * part / whole)}{NBSP}%"


def points(value: int | None) -> str:
    """A change in percentage points: '+12', '−3' (minus sign), '0'; '–' when unknown."""
    if value is None:
        return "–"
    return f"+{value}" if value > 0 else f"\u2212{-value}" if value < 0 else "0"


def response_rate(part: int, whole: int) -> str:
    """The response rate as the coordinators' dashboard writes it, so the two agree to the
    character: a decimal only when the share needs one ('58,3 %', '100 %')."""
    if not whole:
        return "–"
    share = round(100 * part / whole, 1)
    text = f"{share:.0f}" if share.is_integer() else f"{share:.1f}".replace(".", ",")
    return f"{text}{NBSP}%"


def count_of(part: int, whole: int) -> str:
    """'10 av 13' – every share in a report shows its denominator."""
    return f"{number(part)} av {number(whole)}"


def municipalities_word(count: int) -> str:
    return "kommun" if count == 1 else "kommuner"
