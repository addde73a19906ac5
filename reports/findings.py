"""Key findings in plain Swedish, written from the numbers so they never disagree with them.

Each sentence names the denominator; a finding that would rest on no answers is left out.
"""

from __future__ import annotations

from reports.labels import count_of, municipalities_word, number, percent
from reports.model import AreaSection, ChangeSection, Distribution, MeasureRow, ThemeRow


def response_sentence(respondents: int, total: int, where: str) -> str:
    return (f"{count_of(respondents, total)} {municipalities_word(total)} {where} har lämnat "
            f"lägesbilden ({percent(respondents, total)}).")


def _listing(items: list[str]) -> str:
    """Swedish lists end with "och", not a comma: "a, b och c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} och {items[-1]}"


def key_findings(respondents: int, total: int, where: str, areas: list[AreaSection],
                 themes: list[ThemeRow], measures: list[MeasureRow],
                 support: Distribution | None, change: ChangeSection | None,
                 has_codes: bool) -> list[str]:
    found = [response_sentence(respondents, total, where)]
    if not respondents:
        return found
    found += _level_findings(respondents, areas)
    if themes:
        top = _listing([f"{t.label.lower()} ({count_of(t.municipalities, respondents)})"
                        for t in themes[:3]])
        found.append(f"De risker som oftast nämns i fritextsvaren är {top}.")
    elif not has_codes:
        found.append("Fritextsvaren är ännu inte kodade i teman; se bilagan för svaren.")
    if measures:
        top = _listing([f"{m.label.lower()} ({count_of(m.municipalities, respondents)})"
                        for m in measures[:3]])
        found.append(f"De vanligaste typerna av åtgärder är {top}.")
    if support and support.answered:
        best = max(support.categories, key=lambda c: c.count)
        if best.count:
            found.append(f"Flest kommuner behöver stöd från staten inom området "
                         f"{best.label.lower()} ({count_of(best.count, respondents)}).")
    if change:
        found += _change_findings(change)
    return found


def _level_findings(respondents: int, areas: list[AreaSection]) -> list[str]:
    found: list[str] = []
    if not areas:
        return found
    high = max(areas, key=lambda a: a.level.count("high"))
    if high.level.count("high"):
        share = count_of(high.level.count("high"), respondents)
        found.append(f"Flest kommuner bedömer risken som hög inom området "
                     f"{high.short_label.lower()}: {share}.")
    increased = max(areas, key=lambda a: a.change.count("increased"))
    if increased.change.count("increased"):
        found.append(f"Flest kommuner ser att risken har ökat inom området "
                     f"{increased.short_label.lower()}: "
                     f"{count_of(increased.change.count('increased'), respondents)}.")
    unchanged = sum(a.change.count("unchanged") for a in areas)
    answered = sum(a.change.answered for a in areas)
    if answered:
        scope = "ett område" if len(areas) == 1 else f"{number(len(areas))} områden"
        found.append(f"I {number(unchanged)} av {number(answered)} bedömningar av förändring "
                     f"({scope}) är risken oförändrad.")
    return found


def _change_findings(change: ChangeSection) -> list[str]:
    rising = [row for row in change.areas if row.high_share_rose]
    found = []
    if rising:
        parts = _listing([
            f"{row.label.lower()} (från {count_of(row.high_before, row.answered_before)} till "
            f"{count_of(row.high_now, row.answered_now)})" for row in rising])
        found.append(f"Jämfört med förra omgången ({change.previous_title}) bedömer en större "
                     f"andel av kommunerna risken som hög inom {parts}.")
    else:
        found.append(f"Jämfört med förra omgången ({change.previous_title}) bedömer inte "
                     f"en större andel av kommunerna risken som hög inom något område.")
    return found
