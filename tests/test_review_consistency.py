"""Direction of change and consistency with the structured answers in the review workspace
(#10 items 3 and 4): the questionnaire's area themes, the store's counts and conflicts, and
what the overview, the cards and the queue filter show.

World: tests/accounts_fixtures.py (round 2020-06; Halmstad A, Varberg B and Hylte E in
county 13, Karlshamn C in county 10). Codes and change answers are written here by hand, so
nothing depends on how the auto-coder reads the demo's texts.
"""

from __future__ import annotations

import pytest

from survey.questionnaire import loader
from survey.questionnaire.yamlfile import QuestionnaireError

AREA_PAGE = """
id: t
version: "1"
title: {sv: "T"}
pages:
  - name: area_violence
    title: {sv: "Våld"}
    themes: [domestic_violence, honur_violence]
    questions:
      - name: violence_risks
        type: textarea
        label: {sv: "Beskriv riskerna."}
        code_with: risks
"""


def test_the_2020_questionnaire_names_each_area_s_themes():
    questionnaire = loader.load("questionnaires/lagesbild-2020.yaml")
    themes = {page.name: page.themes for page in questionnaire.pages if page.themes}
    assert themes["area_violence"] == ("domestic_violence", "honour_violence")
    assert themes["area_unrest"] == ("public_safety",)
    assert set(themes) == {f"area_{a}" for a in (
        "violence", "children", "substance", "mental_health", "unemployment", "unrest")}


def test_an_unknown_theme_is_refused_at_its_file_and_line():
    with pytest.raises(QuestionnaireError) as refused:
        loader.loads(AREA_PAGE, "areas.yaml")
    messages = [str(p) for p in refused.value.problems]
    assert len(messages) == 1
    assert messages[0].startswith("areas.yaml:8: unknown theme 'honur_violence'")
    assert "did you mean 'honour_violence'" in messages[0]


def test_themes_must_be_a_list():
    with pytest.raises(QuestionnaireError) as refused:
        loader.loads(AREA_PAGE.replace("[domestic_violence, honur_violence]", "violence"),
                     "areas.yaml")
    assert str(refused.value.problems[0]).startswith(
        "areas.yaml:8: themes of page 'area_violence' must be a list")
