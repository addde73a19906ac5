"""Swedish labels and formats for reports: themes, statuses, dates, numbers and percentages.

Theme labels come from the codebooks when they exist, so a renamed label shows up in the
report without a code change; the fallback map keeps reports readable without them.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import yaml

from survey.display import format_number

CODEBOOK_DIR = Path(__file__).resolve().parent.parent / "coding" / "codebooks"

RISK_THEMES = ("domestic_violence", "honour_violence", "substance_abuse", "youth_idleness",
               "vulnerable_children", "public_safety", "isolation", "economic_hardship")
MEASURE_THEMES = ("outreach", "adult_presence", "family_support", "youth_activities",
                  "information", "collaboration", "digital_services", "victim_support")
CODEBOOK_THEMES = {"risks": RISK_THEMES, "measures": MEASURE_THEMES}

FALLBACK_THEME_LABELS = {
    "domestic_violence": "Våld i nära relationer",
    "honour_violence": "Hedersrelaterat våld och förtryck",
    "substance_abuse": "Missbruk och beroende",
    "youth_idleness": "Brist på meningsfull fritid för unga",
    "vulnerable_children": "Barn i utsatta situationer",
    "public_safety": "Otrygghet och oro i offentlig miljö",
    "isolation": "Isolering, ensamhet och psykisk ohälsa",
    "economic_hardship": "Ekonomisk utsatthet",
    "outreach": "Uppsökande arbete",
    "adult_presence": "Vuxennärvaro",
    "family_support": "Stöd till familjer",
    "youth_activities": "Aktiviteter för unga",
    "information": "Information",
    "collaboration": "Samverkan",
    "digital_services": "Digitala tjänster",
    "victim_support": "Stöd till våldsutsatta",
}

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

# libyaml when available: the codebooks are long (patterns) and only their labels are needed.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def theme_labels() -> dict[str, str]:
    """Theme id -> Swedish label, codebook first, fallback second."""
    labels = dict(FALLBACK_THEME_LABELS)
    for name in CODEBOOK_THEMES:
        path = CODEBOOK_DIR / f"{name}.yaml"
        if not path.exists():
            continue
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        except (yaml.YAMLError, OSError):
            continue
        for theme in data.get("themes") or []:
            label = theme.get("label") if isinstance(theme, dict) else None
            if isinstance(label, dict) and isinstance(label.get("sv"), str):
                labels[theme.get("id")] = label["sv"]
    return labels


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


def count_of(part: int, whole: int) -> str:
    """'10 av 13' – every share in a report shows its denominator."""
    return f"{number(part)} av {number(whole)}"


def municipalities_word(count: int) -> str:
    return "kommun" if count == 1 else "kommuner"
