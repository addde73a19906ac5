"""A follow-up round that starts from the previous round's answers, page by page.

Carried-over answers stay marked until the respondent confirms their page or changes them;
questions about now (``carry_over: false``) are never copied, and the response cannot be
submitted while a page still has unconfirmed carried-over answers.
"""

from __future__ import annotations

from typing import Any

from survey import store
from survey.questionnaire import engine
from survey.questionnaire.model import Page, Questionnaire


def prefill(db, questionnaire: Questionnaire, response: dict, previous: dict | None,
            answers: dict[str, Any], actor: str) -> list[str]:
    """Copy the previous round's answers where nothing is answered yet, except questions
    about now; the names copied."""
    if previous is None:
        return []
    values = {name: value for name, value in store.answers(db, previous["id"]).items()
              if questionnaire.has(name) and questionnaire.question(name).carry_over
              and questionnaire.question(name).stores_answer and name not in answers}
    if not values:
        return []
    return store.carry_over_answers(db, response["id"], values, previous["id"], actor)


def pending(db, response: dict | None) -> set[str]:
    """The response's carried-over answers not yet confirmed or edited."""
    return store.unconfirmed(db, response["id"]) if response else set()


def page_pending(page: Page, unconfirmed: set[str], shown: set[str]) -> list[str]:
    """The shown questions of the page still waiting for confirmation."""
    return [q.name for q in page.questions if q.name in unconfirmed and q.name in shown]


def pending_pages(questionnaire: Questionnaire, answers: dict[str, Any],
                  unconfirmed: set[str]) -> list[Page]:
    """The pages (sections) with carried-over answers to confirm, in questionnaire order."""
    shown = engine.relevant_questions(questionnaire, answers)
    return [page for page in questionnaire.pages if page_pending(page, unconfirmed, shown)]


def confirm_page(db, response_id: int, page: Page, actor: str) -> list[str]:
    return store.confirm_carried(db, response_id, [q.name for q in page.questions], actor)


def confirmed(db, questionnaire: Questionnaire, response: dict | None) -> list[str]:
    """The answers confirmed unchanged, in questionnaire order."""
    if response is None:
        return []
    names = set(store.confirmed_unchanged(db, response["id"]))
    return [q.name for q in questionnaire.questions if q.name in names]
