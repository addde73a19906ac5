"""Questionnaire rules applied to answers: relevance, required, constraints, bounds.

The server is the authority: the browser only mirrors relevance for comfort. A question that
is not relevant counts as unanswered for every other rule, is never required, and is not stored.
"""

from __future__ import annotations

import graphlib
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from survey.questionnaire import display, expr, types
from survey.questionnaire.messages import MESSAGES, message
from survey.questionnaire.model import Question, Questionnaire

__all__ = ["MESSAGES", "Issue", "check_value", "count_answered", "hidden_answers",
           "is_empty", "message", "missing_required", "relevance_inputs", "relevant_questions",
           "submission_issues", "without_hidden"]


_RELEVANCE_CACHE: OrderedDict[tuple[int, str], tuple[Questionnaire, frozenset[str]]] = \
    OrderedDict()
_RELEVANCE_CACHE_SIZE = 512
_RELEVANCE_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Plan:
    """How to work out a questionnaire's shown questions, found once per questionnaire."""

    names: frozenset[str]
    #: The questions with a relevance rule, each after every question its rule reads, so one
    #: pass settles them; None when the rules read each other in a circle (the loader refuses
    #: that, but a stored version is not re-checked), then passes repeat until stable.
    order: tuple[Question, ...] | None
    #: The answers the rules read: nothing else can change what is shown.
    read: tuple[str, ...]


_PLANS: dict[int, tuple[Questionnaire, _Plan]] = {}


def _plan(questionnaire: Questionnaire) -> _Plan:
    hit = _PLANS.get(id(questionnaire))
    if hit is not None and hit[0] is questionnaire:
        return hit[1]
    questions = questionnaire.questions
    ruled = {q.name: q for q in questions if q.relevant is not None}
    reads = {name: expr.references(q.relevant) for name, q in ruled.items()}
    try:
        order = tuple(ruled[name] for name in graphlib.TopologicalSorter(
            {name: names & ruled.keys() for name, names in reads.items()}).static_order())
    except graphlib.CycleError:
        order = None
    plan = _Plan(names=frozenset(q.name for q in questions), order=order,
                 read=tuple(sorted(set().union(*reads.values()))))
    with _RELEVANCE_LOCK:  # the entry keeps the questionnaire alive, so its id is not reused
        if len(_PLANS) >= _RELEVANCE_CACHE_SIZE:
            _PLANS.clear()
        _PLANS[id(questionnaire)] = (questionnaire, plan)
    return plan


def relevance_inputs(questionnaire: Questionnaire) -> tuple[str, ...]:
    """The questions whose answers some relevance rule reads: no other answer can change
    what is shown."""
    return _plan(questionnaire).read


def relevant_questions(questionnaire: Questionnaire, answers: dict[str, Any]) -> set[str]:
    """Names of the questions shown for these answers (a new set the caller may change).

    One save asks this several times about the same answers (checking the page, clearing
    hidden answers, choosing the next page), so results are remembered per questionnaire
    object and the answers the relevance rules read; answers that are not plain JSON are
    never cached. An answer that is None counts as no answer in every expression, so it is
    left out of the key: the page just posted (with its cleared fields as None) and the
    stored answers after the save (without them) are the same entry.
    """
    plan = _plan(questionnaire)
    try:
        key = (id(questionnaire), json.dumps(
            {name: answers[name] for name in plan.read if answers.get(name) is not None},
            sort_keys=True, ensure_ascii=False))
    except (TypeError, ValueError):
        return _relevant_questions(questionnaire, plan, answers)
    with _RELEVANCE_LOCK:
        hit = _RELEVANCE_CACHE.get(key)
        if hit is not None and hit[0] is questionnaire:  # the entry keeps the object alive,
            _RELEVANCE_CACHE.move_to_end(key)           # so its id cannot be reused
            return set(hit[1])
    shown = _relevant_questions(questionnaire, plan, answers)
    with _RELEVANCE_LOCK:
        _RELEVANCE_CACHE[key] = (questionnaire, frozenset(shown))
        while len(_RELEVANCE_CACHE) > _RELEVANCE_CACHE_SIZE:
            _RELEVANCE_CACHE.popitem(last=False)
    return set(shown)


def _relevant_questions(questionnaire: Questionnaire, plan: _Plan, answers: dict[str, Any]
                        ) -> set[str]:
    """Names of the questions shown for these answers.

    A hidden question's value does not count for other rules. In the plan's order each rule
    reads only questions already settled, so one pass gives what repeating passes until
    nothing changes would give.
    """
    if plan.order is None:
        return _relevant_by_passes(questionnaire, answers)
    shown = set(plan.names)
    visible = {k: v for k, v in answers.items() if k in shown}
    for question in plan.order:
        if not expr.truthy(expr.evaluate(question.relevant, visible)):
            shown.discard(question.name)
            visible.pop(question.name, None)
    return shown


def _relevant_by_passes(questionnaire: Questionnaire, answers: dict[str, Any]) -> set[str]:
    """Iterate until stable, as many passes as the longest chain of relevance rules."""
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


def check_value(question: Question, value: Any, answers: dict[str, Any], lang: str,
                round_opens: str | None = None) -> str | None:
    """The first problem with one (non-empty) answer, or None when it is valid.

    The order is the same for every type: the text checks (any text, since a tampered
    choice is text too), then the type's own check, then the round's dates, then the
    question's constraint.
    """
    if is_empty(value):
        return None
    problem = _text_problem(question, value, lang) if isinstance(value, str) else None
    problem = problem or types.of(question).check(question, value, lang)
    problem = problem or _round_problem(question, value, lang, round_opens)
    if problem:
        return problem
    if question.constraint is not None:
        ok = expr.evaluate(question.constraint, answers, self_value=value)
        if not expr.truthy(ok):
            return _constraint_text(question, lang)
    return None


def _round_problem(question: Question, value: Any, lang: str, round_opens: str | None
                   ) -> str | None:
    """A date about now (``carry_over: false``) cannot be before the round opened (ISO dates
    compare as text)."""
    if round_opens and question.kind == "date" and not question.carry_over \
            and str(value) < round_opens:
        return message("before_round", lang, date=round_opens)
    return None


def _text_problem(question: Question, value: str, lang: str) -> str | None:
    limit = question.text_limit
    if limit and len(value) > limit:
        return message("too_long", lang, length=display.limit_number(len(value), lang),
                       limit=display.limit_number(limit, lang))
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", value):
        return message("control_chars", lang)
    if question.pattern and not re.search(question.pattern, value):
        return _constraint_text(question, lang) if question.constraint_message \
            else message("pattern", lang)
    return None


def _constraint_text(question: Question, lang: str) -> str:
    if question.constraint_message:
        return question.constraint_message.get(lang)
    return message("constraint", lang)


def missing_required(question: Question, value: Any, lang: str) -> str | None:
    if not question.required:
        return None
    return types.of(question).missing(question, value, lang)


@dataclass(frozen=True)
class Issue:
    page: str
    question: str
    message: str


def submission_issues(questionnaire: Questionnaire, answers: dict[str, Any], lang: str,
                      round_opens: str | None = None) -> list[Issue]:
    """Everything that stops a response from being submitted, in page order; with
    ``round_opens`` a date about now before that day is one."""
    shown = relevant_questions(questionnaire, answers)
    visible = {k: v for k, v in answers.items() if k in shown}
    issues = []
    for page in questionnaire.pages:
        for question in page.questions:
            if question.name not in shown or not question.stores_answer:
                continue
            value = visible.get(question.name)
            problem = missing_required(question, value, lang) or check_value(
                question, value, visible, lang, round_opens)
            if problem:
                issues.append(Issue(page.name, question.name, problem))
    return issues


def count_answered(questionnaire: Questionnaire, answers: dict[str, Any]) -> tuple[int, int]:
    """(answered, shown) over the questions that store answers, for the progress bar."""
    shown = relevant_questions(questionnaire, answers)
    storing = [q for q in questionnaire.questions if q.stores_answer and q.name in shown]
    answered = sum(1 for q in storing if not is_empty(answers.get(q.name)))
    return answered, len(storing)
