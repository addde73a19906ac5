"""Answers as people read them: option labels, Swedish numbers and dates, Ja/Nej."""

from __future__ import annotations

from typing import Any

from survey.questionnaire.model import Question

YES_NO = {"sv": ("Ja", "Nej"), "en": ("Yes", "No")}


def format_number(value: float | int, lang: str = "sv") -> str:
    """12 345,5 in Swedish (non-breaking space as thousands separator), 12,345.5 in English."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    if lang == "sv":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def format_answer(question: Question, value: Any, lang: str = "sv") -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if question.type == "boolean":
        yes, no = YES_NO[lang]
        return yes if value else no
    if question.type == "number":
        return format_number(value, lang)
    if question.type in ("single", "scale"):
        return question.option_label(value, lang)
    if question.type == "multiple":
        return ", ".join(question.option_label(v, lang) for v in value)
    if question.type == "matrix":
        return "; ".join(
            f"{row.label.get(lang)}: {question.option_label(value[row.name], lang)}"
            for row in question.rows if row.name in value)
    return str(value)


def matrix_cells(question: Question, value: Any, lang: str = "sv") -> list[tuple[str, str]]:
    return [(row.label.get(lang), question.option_label((value or {}).get(row.name), lang))
            for row in question.rows]
