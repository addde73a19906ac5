"""Change since the previous round, on the same municipalities: those that answered both.

A county where fewer municipalities answered in September must not look as if risks fell,
so both rounds are counted over the municipalities that submitted in both (and, within them,
those that answered the question). An area the previous round did not ask is left out rather
than compared with nothing.
"""

from __future__ import annotations

from reports import labels
from reports.data import RoundData, areas, question_or_none
from reports.model import ChangeRow, ChangeSection, ThemeChange
from reports.sections import answers_of, collect_themes, matrix_distribution


def change_section(now: RoundData, before: RoundData, municipalities: list[dict]
                   ) -> ChangeSection:
    scope = {m["code"] for m in municipalities}
    in_scope_before = [m for m in before.municipalities if m["code"] in scope]
    respondents_now = [m for m in municipalities if m["code"] in now.answers]
    respondents_before = [m for m in in_scope_before if m["code"] in before.answers]
    both = {m["code"] for m in respondents_now} & {m["code"] for m in respondents_before}
    # Compared only on the municipalities that answered both rounds: a change is then
    # never a change of who answered.
    same_now = [m for m in respondents_now if m["code"] in both]
    same_before = [m for m in respondents_before if m["code"] in both]
    rows = _area_rows(now, before, answers_of(now, same_now), answers_of(before, same_before))
    themes = _theme_changes(now, before, same_now, same_before)
    return ChangeSection(before.round["id"], before.round["title"], len(respondents_before),
                         len(respondents_now), len(both), rows, themes)


def _area_rows(now: RoundData, before: RoundData, answers_now: list[dict],
               answers_before: list[dict]) -> list[ChangeRow]:
    """High risk before and now, and the reported change, for every area both rounds ask."""
    level_now = question_or_none(now.questionnaire, "risk_level")
    change_now = question_or_none(now.questionnaire, "risk_change")
    level_before = question_or_none(before.questionnaire, "risk_level")
    rows = []
    asked_before = {row for row, _ in areas(before.questionnaire)} if level_before else set()
    for area, label in areas(now.questionnaire):
        if area not in asked_before:
            continue
        current = matrix_distribution(level_now, area, answers_now, "")
        previous = matrix_distribution(level_before, area, answers_before, "")
        change = matrix_distribution(change_now, area, answers_now, "")
        rows.append(ChangeRow(area, labels.area_short(area, label),
                              previous.count("high"), previous.answered,
                              current.count("high"), current.answered,
                              change.count("increased"), change.count("unchanged"),
                              change.count("decreased")))
    return rows


def _theme_changes(now: RoundData, before: RoundData, respondents_now: list[dict],
                   respondents_before: list[dict]) -> list[ThemeChange]:
    """Municipalities naming each risk theme before and now; none when either round has
    no codes to count (no stored codes and no auto-coding), rather than a false change."""
    themes_now = collect_themes(now, respondents_now, "risks")
    themes_before = collect_themes(before, respondents_before, "risks")
    if not all(d.stored_codes or d.autocoded for d in (now, before)):
        return []
    return [ThemeChange(theme, labels.theme_label(theme),
                        _municipalities(themes_before, theme), _municipalities(themes_now, theme))
            for theme in labels.risk_themes() if theme in themes_now or theme in themes_before]


def _municipalities(themes: dict, theme: str) -> int:
    return themes[theme].municipalities if theme in themes else 0
