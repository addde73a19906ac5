"""The history and audit log as a coordinator reads them: question labels instead of field
ids, statuses in words, dates the Swedish way, choices by their labels.

The log itself keeps the raw values (the CSV export is for audits and keeps them too); only
the pages translate them, so a renamed label never rewrites history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from coding import load_codebook
from survey import store
from survey.questionnaire.display import format_answer
from survey.questionnaire.model import Question, Questionnaire
from survey.services.compilation import area_labels
from survey.web.coordinate.text import CATALOGUE, ct
from survey.web.i18n import language, number

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
#: Keys whose values are ids of other things, each with its own way of being read.
HIDDEN_KEYS = frozenset({"questionnaire_hash", "model_version", "batch"})


@dataclass
class EventWords:
    """Labels looked up once per page: questionnaires per round, names of places."""

    db: Any
    counties: dict[str, str] = field(default_factory=dict)
    municipalities: dict[str, str] = field(default_factory=dict)
    _questionnaires: dict[str, Questionnaire | None] = field(default_factory=dict)
    _areas: dict[str, dict[str, str]] = field(default_factory=dict)
    _books: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_page(cls, db) -> EventWords:
        return cls(db, {c["code"]: c["name"] for c in store.counties(db)},
                   {m["code"]: m["name"] for m in store.municipalities(db)})

    def questionnaire(self, round_id: str | None) -> Questionnaire | None:
        if not round_id:
            return None
        if round_id not in self._questionnaires:
            round_row = store.get_round(self.db, round_id)
            self._questionnaires[round_id] = (
                store.round_questionnaire(self.db, round_row) if round_row else None)
            self._areas[round_id] = dict(area_labels(self.db, round_row)) if round_row else {}
        return self._questionnaires[round_id]

    def question(self, round_id: str | None, name: Any) -> Question | None:
        questionnaire = self.questionnaire(round_id)
        if questionnaire is None or not isinstance(name, str) or not questionnaire.has(name):
            return None
        return questionnaire.question(name)

    def question_label(self, round_id: str | None, name: Any) -> str:
        """The question's label; a label that several areas share ("Vilka åtgärder har
        kommunen vidtagit inom området?") is preceded by its page's title."""
        question = self.question(round_id, name)
        if question is None:
            return str(name or "")
        lang = language()
        label = question.label.get(lang)
        questionnaire = self.questionnaire(round_id)
        shared = [q for q in questionnaire.questions if q.label.get(lang) == label]
        if len(shared) > 1:
            page = next(p for p in questionnaire.pages if question in p.questions)
            return f"{page.title.get(lang)}: {label}"
        return label

    def area_label(self, round_id: str | None, area: Any) -> str:
        self.questionnaire(round_id)
        return self._areas.get(round_id or "", {}).get(area, str(area))

    def theme_label(self, round_id: str | None, question: Any, theme: Any) -> str:
        questionnaire = self.questionnaire(round_id)
        book_name = questionnaire.coded_questions.get(question) if questionnaire else None
        if not book_name:
            return str(theme)
        if book_name not in self._books:
            self._books[book_name] = load_codebook(book_name)
        book = self._books[book_name]
        return next((t.label_for(language()) for t in book.themes if t.id == theme), str(theme))

    def where(self, entry: dict) -> str:
        """The municipality (or county) by name, never by its SCB code."""
        code = entry.get("municipality_code")
        if code:
            return self.municipalities.get(code, code)
        county = entry.get("county_code")
        return self.counties.get(county, county) if county else ""

    def action_question(self, entry: dict) -> str:
        """What an answer change names: the question's label."""
        return self.question_label(entry.get("round_id"), entry.get("entity_id"))

    def value(self, entry: dict, side: str) -> str:
        """The before or after value of one log row as words."""
        value = entry.get(side)
        if value is None:
            return "–"
        if entry.get("source") == "answer":  # a row of the answer history: one answer
            return self._answer(entry, value)
        if isinstance(value, dict):
            keys = sorted(value, key=lambda k: k != "status")  # the status first, if any
            parts = [f"{_key_label(key)}: {self._field(entry, key, value[key], value)}"
                     for key in keys if key not in HIDDEN_KEYS]
            return "; ".join(parts) or "–"
        return plain(value)

    def _answer(self, entry: dict, value: Any) -> str:
        question = self.question(entry.get("round_id"), entry.get("entity_id"))
        if question is None or (isinstance(value, str) and DATE.match(value)):
            return plain(value)
        return format_answer(question, value, language()) or "–"

    def _field(self, entry: dict, key: str, value: Any, row: dict) -> str:
        """One key of a logged dict; the keys that name something are looked up."""
        round_id = entry.get("round_id")
        if key == "area" and value is None:  # a written assessment of no single area
            return ct("value_area_overall")
        if value is None:
            return "–"
        if key in ("theme", "themes"):
            question = row.get("question") or str(entry.get("entity_id") or "").rpartition(
                "/")[2]
            themes = value if isinstance(value, list) else [value]
            return ", ".join(self.theme_label(round_id, question, t) for t in themes) or "–"
        readers = {
            "status": status_text,
            "question": lambda v: self.question_label(round_id, v),
            "area": lambda v: self.area_label(round_id, v),
            "county_code": lambda v: self.counties.get(v, v),
            "answers": lambda v: number(len(v)) if isinstance(v, list) else plain(v),
            "role": lambda v: _word(f"role_{v}", v),
            "kind": lambda v: _word(f"kind_{v}", v),
        }
        return readers.get(key, plain)(value)


def _key_label(key: str) -> str:
    return _word(f"field_{key}", key)


def _word(msgid: str, fallback: Any) -> str:
    return ct(msgid) if msgid in CATALOGUE else str(fallback)


def status_text(value: Any) -> str:
    """Every status the log records (answers, codes, deliveries) in words."""
    return _word(f"value_status_{value}", value)


def plain(value: Any) -> str:
    """A value with no label of its own: yes/no, Swedish numbers and dates, lists."""
    if isinstance(value, bool):
        return ct("yes") if value else ct("no")
    if isinstance(value, int | float):
        return number(value, 0 if float(value).is_integer() else 2)
    if isinstance(value, list):
        return "; ".join(plain(item) for item in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{_key_label(k)}: {plain(v)}" for k, v in value.items()) or "–"
    text = str(value)
    if DATETIME.match(text):  # the app's own filters, shared by every area's pages
        return current_app.jinja_env.filters["swedish_datetime"](text)
    if DATE.match(text):
        return current_app.jinja_env.filters["swedish_date"](text)
    return text
