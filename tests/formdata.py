"""Turn answer values into what a browser posts for one page (used by web tests)."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from survey.questionnaire.model import Page


def page_post(page: Page, answers: dict[str, Any], action: str = "next",
              revision: int | None = None) -> MultiDict:
    data: list[tuple[str, str]] = [("action", action)]
    if revision is not None:
        data.append(("_revision", str(revision)))
    for question in page.questions:
        if not question.stores_answer:
            continue
        data.append(("_present", question.name))
        value = answers.get(question.name)
        if value is None:
            continue
        if question.type == "boolean":
            data.append((question.name, "y" if value else "n"))
        elif question.type == "multiple":
            data += [(question.name, v) for v in value]
        elif question.type == "matrix":
            data += [(f"{question.name}-{row}", v) for row, v in value.items()]
        else:
            data.append((question.name, str(value)))
    return MultiDict(data)
