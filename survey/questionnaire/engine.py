"""Questionnaire rules applied to answers: relevance, required, constraints, bounds.

The server is the authority: the browser only mirrors relevance for comfort. A question that
is not relevant counts as unanswered for every other rule, is never required, and is not stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from survey.questionnaire import expr
from survey.questionnaire.model import Question, Questionnaire, Text

MESSAGES = {
    "required": Text("Frågan måste besvaras.", "This question must be answered."),
    "required_row": Text("Välj ett svar för varje rad ({rows}).",
                         "Choose an answer for every row ({rows})."),
    "constraint": Text("Svaret uppfyller inte villkoret för frågan.",
                       "The answer does not meet the question's condition."),
    "too_long": Text("Texten är {length} tecken; högst {limit} tecken får plats. Korta den "
                     "lite – inget har sparats från den här sidan ännu.",
                     "The text is {length} characters; at most {limit} fit. Shorten it – "
                     "nothing from this page has been saved yet."),
    "pattern": Text("Svaret har inte rätt format.", "The answer is not in the right format."),
    "min": Text("Värdet måste vara minst {limit}.", "The value must be at least {limit}."),
    "max": Text("Värdet får vara högst {limit}.", "The value must be at most {limit}."),
    "not_number": Text("Skriv ett tal, till exempel 12 eller 3,5.",
                       "Enter a number, for example 12 or 3.5."),
    "not_date": Text("Skriv ett datum som ÅÅÅÅ-MM-DD.", "Enter a date as YYYY-MM-DD."),
    "bad_choice": Text("Välj ett av alternativen.", "Choose one of the options."),
    "control_chars": Text("Texten innehåller otillåtna kontrolltecken.",
                          "The text contains control characters that are not allowed."),
}


def message(key: str, lang: str, **values: Any) -> str:
    return MESSAGES[key].get(lang).format(**values)


def relevant_questions(questionnaire: Questionnaire, answers: dict[str, Any]) -> set[str]:
    """Names of the questions shown for these answers.

    A hidden question's value does not count for other rules, so iterate until stable; the
    loader has already refused cycles, so this settles within as many passes as the longest
    chain of relevance rules.
    """
    questions = questionnaire.questions
    shown = {q.name for q in questions}
    for _ in range(len(questions) + 1):
        visible_answers = {k: v for k, v in answers.items() if k in shown}
        now_shown = {
            q.name for q in questions
            if q.relevant is None or expr.truthy(expr.evaluate(q.relevant, visible_answers))
        }
        if now_shown == shown:
            break
        shown = now_shown
    return shown


def hidden_answers(questionnaire: Questionnaire, answers: dict[str, Any]) -> list[str]:
    """Stored answers whose questions are no longer shown: they are cleared (history keeps
    them), as LimeSurvey does, so exports and reports never count an irrelevant answer."""
    shown = relevant_questions(questionnaire, answers)
    return [name for name, value in answers.items() if name not in shown and value is not None]


def without_hidden(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    shown = relevant_questions(questionnaire, answers)
    return {k: v for k, v in answers.items() if k in shown}


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def check_value(question: Question, value: Any, answers: dict[str, Any], lang: str
                ) -> str | None:
    """The first problem with one (non-empty) answer, or None when it is valid."""
    if is_empty(value):
        return None
    if isinstance(value, str):
        limit = question.text_limit
        if limit and len(value) > limit:
            return message("too_long", lang, length=len(value), limit=limit)
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", value):
            return message("control_chars", lang)
        if question.pattern and not re.search(question.pattern, value):
            return _constraint_text(question, lang) if question.constraint_message \
                else message("pattern", lang)
    if question.type in ("single", "scale"):
        if str(value) not in {o.value for o in question.options}:
            return message("bad_choice", lang)
    if question.type == "multiple":
        allowed = {o.value for o in question.options}
        if not isinstance(value, list) or any(v not in allowed for v in value):
            return message("bad_choice", lang)
    if question.type == "matrix":
        allowed = {o.value for o in question.options}
        rows = {r.name for r in question.rows}
        if not isinstance(value, dict) or any(
                k not in rows or v not in allowed for k, v in value.items()):
            return message("bad_choice", lang)
    if question.type == "number":
        if question.min is not None and value < question.min:
            return message("min", lang, limit=_number_text(question.min, lang))
        if question.max is not None and value > question.max:
            return message("max", lang, limit=_number_text(question.max, lang))
    if question.type == "date":
        # only YYYY-MM-DD: Python also takes 20200101 and 2020-W01-1, which sort wrongly
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return message("not_date", lang)
        try:
            date.fromisoformat(value)
        except ValueError:
            return message("not_date", lang)
        if question.min is not None and value < str(question.min):
            return message("min", lang, limit=question.min)
        if question.max is not None and value > str(question.max):
            return message("max", lang, limit=question.max)
    if question.constraint is not None:
        ok = expr.evaluate(question.constraint, answers, self_value=value)
        if not expr.truthy(ok):
            return _constraint_text(question, lang)
    return None


def _constraint_text(question: Question, lang: str) -> str:
    if question.constraint_message:
        return question.constraint_message.get(lang)
    return message("constraint", lang)


def _number_text(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "sv" else text


def missing_required(question: Question, value: Any, lang: str) -> str | None:
    if not question.required:
        return None
    if question.type == "matrix":
        missing = [r.label.get(lang) for r in question.rows if not (value or {}).get(r.name)]
        if missing:
            return message("required_row", lang, rows=", ".join(missing))
        return None
    if is_empty(value):
        return message("required", lang)
    return None


@dataclass(frozen=True)
class Issue:
    page: str
    question: str
    message: str


def submission_issues(questionnaire: Questionnaire, answers: dict[str, Any], lang: str
                      ) -> list[Issue]:
    """Everything that stops a response from being submitted, in page order."""
    shown = relevant_questions(questionnaire, answers)
    visible = {k: v for k, v in answers.items() if k in shown}
    issues = []
    for page in questionnaire.pages:
        for question in page.questions:
            if question.name not in shown or not question.stores_answer:
                continue
            value = visible.get(question.name)
            problem = missing_required(question, value, lang) or check_value(
                question, value, visible, lang)
            if problem:
                issues.append(Issue(page.name, question.name, problem))
    return issues


def count_answered(questionnaire: Questionnaire, answers: dict[str, Any]) -> tuple[int, int]:
    """(answered, shown) over the questions that store answers, for the progress bar."""
    shown = relevant_questions(questionnaire, answers)
    storing = [q for q in questionnaire.questions if q.stores_answer and q.name in shown]
    answered = sum(1 for q in storing if not is_empty(answers.get(q.name)))
    return answered, len(storing)
