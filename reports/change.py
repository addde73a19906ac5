"""Change since the previous round, for the same municipalities' scope.

Both rounds keep their own denominators (the municipalities that answered the question): a
county where fewer municipalities answered in September must not look as if risks fell. An
area the previous round did not ask is left out rather than compared with nothing.
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
    answers_now = answers_of(now, respondents_now)
    answers_before = answers_of(before, respondents_before)
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
    themes_now = collect_themes(now, respondents_now, "risks")
    themes_before = collect_themes(before, respondents_before, "risks")
    comparable = all(d.stored_codes or d.autocoded for d in (now, before))
    themes = [] if not comparable else [ThemeChange(theme, labels.theme_label(theme),
                          themes_before[theme].municipalities if theme in themes_before else 0,
                          themes_now[theme].municipalities if theme in themes_now else 0)
              for theme in labels.risk_themes() if theme in themes_now or theme in themes_before]
    both = {m["code"] for m in respondents_now} & {m["code"] for m in respondents_before}
    return ChangeSection(before.round["id"], before.round["title"], len(respondents_before),
                         len(respondents_now), len(both), rows, themes)
