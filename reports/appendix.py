"""The appendix: each responding municipality's full answers, page by page.

Laid out as blocks (a definition list per questionnaire page), not one table per
municipality: tables that span pages are several times slower in WeasyPrint and harder to
read on a phone.
"""

from __future__ import annotations

from reports.model import AnswerLine, AnswerPage, MunicipalityAnswers
from reports.quotes import sentences
from survey.questionnaire import engine
from survey.questionnaire.display import format_answer
from survey.questionnaire.model import Questionnaire

#: Personal contact details stay out of reports that are spread further.
HIDDEN_QUESTIONS = frozenset({"respondent_email", "respondent_phone"})
NOT_ANSWERED = "Ej besvarad"
#: What stands where the county coordinator left a passage out (an individual case, say):
#: the appendix must not print what the coordinator excluded from the report.
LEFT_OUT = "[Utelämnat av länsstyrelsen]"

Passages = dict[str, list[tuple[int | None, int | None]]]


def municipality_answers(questionnaire: Questionnaire, municipality: dict,
                         answers: dict, submitted_at: str | None,
                         left_out: Passages | None = None) -> MunicipalityAnswers:
    shown = engine.relevant_questions(questionnaire, answers)
    answers = _without(answers, left_out or {})
    pages = []
    for page in questionnaire.pages:
        lines = []
        for question in page.questions:
            if (not question.stores_answer or question.name in HIDDEN_QUESTIONS
                    or question.name not in shown):
                continue
            lines.append(_line(question, answers.get(question.name)))
        if lines:
            pages.append(AnswerPage(page.title.get("sv"), lines))
    return MunicipalityAnswers(municipality["code"], municipality["name"], submitted_at, pages)


def _line(question, value) -> AnswerLine:
    label = question.label.get("sv")
    if value is None or value == "" or value == [] or value == {}:
        return AnswerLine(label, NOT_ANSWERED)
    if question.type == "matrix":
        items = [f"{row.label.get('sv')}: {question.option_label(value.get(row.name))}"
                 for row in question.rows if row.name in value]
        return AnswerLine(label, items=items)
    if question.type == "multiple":
        return AnswerLine(label, items=[question.option_label(v) for v in value])
    if question.type in ("text", "textarea"):
        return AnswerLine(label, str(value), long=question.type == "textarea")
    return AnswerLine(label, format_answer(question, value))


def _without(answers: dict, left_out: Passages) -> dict:
    """The answers with each excluded passage's sentences (or whole answer) replaced."""
    result = dict(answers)
    for question, passages in left_out.items():
        text = result.get(question)
        if isinstance(text, str) and text.strip():
            result[question] = omit(text, passages)
    return result


def omit(text: str, passages: list[tuple[int | None, int | None]]) -> str:
    if any(start is None for start, _ in passages):
        return LEFT_OUT
    spans = sentences(text)
    dropped = [(s, e) for s, e in spans
               if any(s < (end or start) + 1 and start < e for start, end in passages)]
    pieces, position = [], 0
    for start, end in dropped:
        gap = text[position:start]
        if not (pieces and pieces[-1] == LEFT_OUT and not gap.strip()):  # one mark for a run
            pieces += [gap, LEFT_OUT]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
