"""Validation of each question type, relevance and constraints, on the all-types fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from survey.questionnaire import engine, loader
from survey.web import forms

FIXTURE = Path(__file__).parent / "fixtures" / "all-types.yaml"


@pytest.fixture(scope="module")
def q():
    return loader.load(FIXTURE)


def check(q, name, value, answers=None):
    return engine.check_value(q.question(name), value, answers or {}, "sv")


def parse(q, page, pairs):
    values, errors = forms.submitted_values(q.page(page), MultiDict(pairs))
    return values, errors


def test_text_length_pattern_and_constraint(q):
    assert check(q, "nickname", "Anna") is None
    assert "40" in check(q, "nickname", "A" * 41)  # max_length said in the message
    # a failed pattern shows the question's own constraint_message when it has one
    assert check(q, "nickname", "R2D2") == "Minst två tecken."
    assert check(q, "nickname", "A") == "Minst två tecken."
    assert check(q, "nickname", "A\x00b") is not None


def test_textarea_limit_and_newlines(q):
    values, errors = parse(q, "basics", [("_present", "story"), ("story", "rad 1\r\nrad 2  ")])
    assert values["story"] == "rad 1\nrad 2" and not errors
    assert "Texten är 2\u00a0001 tecken; högst 2\u00a0000" in check(q, "story", "x" * 2001)


def test_number_parsing_and_bounds(q):
    values, errors = parse(q, "basics", [("_present", "adults"), ("adults", "2"),
                                         ("_present", "children"), ("children", "1,5")])
    assert values == {"adults": 2, "children": 1.5} and not errors
    _, errors = parse(q, "basics", [("_present", "adults"), ("adults", "två")])
    assert errors == {"adults": "not_number"}
    assert check(q, "adults", 0) == "Värdet måste vara minst 1."
    assert check(q, "adults", 21) == "Värdet får vara högst 20."
    assert check(q, "children", 15, {"adults": 16}) == "Högst 30 personer totalt."
    assert check(q, "children", 5, {"adults": 10}) is None


def test_date_format_bounds_and_today_constraint(q):
    assert check(q, "visited", "2021-03-04") is None
    assert check(q, "visited", "4/3/2021") == "Skriv ett datum som ÅÅÅÅ-MM-DD."
    assert check(q, "visited", "2019-12-31") is not None
    assert check(q, "visited", "2030-01-01") == "Inte i framtiden."


def test_boolean_single_select_and_tampered_values(q):
    values, errors = parse(q, "dates", [("_present", "show_note"), ("show_note", "n")])
    assert values == {"show_note": False}
    _, errors = parse(q, "dates", [("_present", "show_note"), ("show_note", "maybe")])
    assert errors == {"show_note": "bad_choice"}
    assert check(q, "colour", "red") is None
    assert check(q, "colour", "purple") == "Välj ett av alternativen."
    assert check(q, "shade", "dark") is None


def test_multiple_choice_and_count_constraint(q):
    values, _ = parse(q, "choices", [("_present", "colours_liked"), ("colours_liked", "blue"),
                                     ("colours_liked", "red")])
    assert values["colours_liked"] == ["red", "blue"]  # option order, not click order
    assert check(q, "colours_liked", ["red", "green", "blue"]) == "Välj en eller två."
    _, errors = parse(q, "choices", [("_present", "colours_liked"), ("colours_liked", "pink")])
    assert errors == {"colours_liked": "bad_choice"}


def test_scale_stores_numbers(q):
    values, _ = parse(q, "choices", [("_present", "mood"), ("mood", "2")])
    assert values["mood"] == 2
    assert check(q, "mood", 2) is None and check(q, "mood", 9) is not None


def test_matrix_rows_and_required_rows(q):
    values, _ = parse(q, "choices", [("_present", "grid"), ("grid-kitchen", "red")])
    assert values["grid"] == {"kitchen": "red"}
    problem = engine.missing_required(q.question("grid"), values["grid"], "sv")
    assert "Sovrum" in problem
    _, errors = parse(q, "choices", [("_present", "grid"), ("grid-garage", "red")])
    assert errors == {"grid": "bad_choice"}


def test_relevance_chains_and_hidden_questions_are_not_required(q):
    answers = {"nickname": "Bo", "adults": 2, "colour": "green", "grid": {"kitchen": "red",
               "bedroom": "blue"}, "colours_liked": ["green"]}
    shown = engine.relevant_questions(q, answers)
    assert "green_reason" not in shown  # colour is green itself
    assert "shade" not in shown
    issues = engine.submission_issues(q, answers, "sv")
    assert issues == []
    answers["colour"] = "red"
    issues = engine.submission_issues(q, answers, "sv")
    assert [i.question for i in issues] == ["green_reason"]


def test_hidden_answers_do_not_count_for_other_rules(q):
    # low_mood_reason depends on mood; a mood answer hidden by nothing stays; but a value for
    # a hidden question is dropped before others are evaluated.
    answers = {"colour": "green", "shade": "dark", "mood": 1, "low_mood_reason": "x"}
    cleaned = engine.without_hidden(q, answers)
    assert "shade" not in cleaned and cleaned["low_mood_reason"] == "x"
    assert "intro_note" not in engine.relevant_questions(q, {"show_note": False})
    assert "intro_note" in engine.relevant_questions(q, {"show_note": True})


def test_missing_marker_means_keep_the_stored_value(q):
    values, _ = parse(q, "basics", [("nickname", "Evil")])  # no _present marker
    assert values == {}


# ------------------------------------------------------------------ the type registry


def test_registry_has_one_class_per_yaml_type_in_the_documented_order():
    from survey.questionnaire import model, types

    assert tuple(types.TYPES) == ("text", "textarea", "number", "date", "boolean", "single",
                                  "multiple", "scale", "matrix", "note")
    assert model.CHOICE_TYPES == ("single", "multiple", "scale", "matrix")
    assert model.FREE_TEXT_TYPES == ("text", "textarea")
    assert model.DEFAULT_MAX_LENGTH == {"text": 300, "textarea": 5000}
    for name, qtype in types.TYPES.items():
        assert qtype.name == name and types.get(name) is qtype
        assert type(qtype).__module__ == f"survey.questionnaire.types.{name}"


def test_every_answering_type_builds_a_field_and_round_trips_the_form(q):
    """What the form shows for a stored value parses back to that value."""
    from survey.questionnaire import types

    stored = {"nickname": "Bo", "story": "rad 1\nrad 2", "adults": 2, "children": 1.5,
              "visited": "2021-03-04", "show_note": False, "colour": "red", "shade": "dark",
              "colours_liked": ["red", "blue"], "mood": 2, "grid": {"kitchen": "red"}}
    for name, value in stored.items():
        question = q.question(name)
        qtype = types.of(question)
        assert qtype.field(question, "sv") is not None
        shown = qtype.form_data(question, value)
        if isinstance(shown, dict):
            pairs = [(f"{name}-{row}", cell) for row, cell in shown.items()]
        elif isinstance(shown, list):
            pairs = [(name, item) for item in shown]
        else:
            pairs = [(name, shown.replace(".", ","))]
        assert qtype.parse(question, MultiDict(pairs)) == value, name
    note = q.question("intro_note")
    assert types.of(note).field(note, "sv") is None and not note.stores_answer


def test_export_cells_fill_exactly_the_export_columns(q):
    from survey.questionnaire import types

    answers = {"show_note": True, "colour": "red", "colours_liked": ["blue"], "mood": 2,
               "grid": {"kitchen": "red", "bedroom": "blue"}, "adults": 3}
    for name, value in answers.items():
        question = q.question(name)
        qtype = types.of(question)
        keys = {column.key for column in qtype.export_columns(question)}
        assert set(qtype.export_cells(question, value)) == keys, name
