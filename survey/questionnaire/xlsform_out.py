"""Write a loaded questionnaire as an XLSForm workbook (survey, choices and settings sheets).

Each page is a ``begin_group``/``end_group`` with appearance ``field-list``. What XLSForm
has no type for maps to its nearest construct, and a ``lagesbild::`` column says what it was
so that ``xlsform_in`` brings it back the same:

- matrix -> a group with appearance ``table-list`` of one ``select_one`` per row, named
  ``question_row`` (``lagesbild::type`` matrix);
- scale -> ``select_one`` with appearance ``likert``; boolean -> ``select_one yes_no``;
- textarea -> ``text`` with appearance ``multiline``; ``appearance: select`` -> ``minimal``;
- ``min``/``max``/``max_length``/``pattern`` -> parts of the constraint
  (``. >= 1``, ``string-length(.) <= 300``, ``regex(., '...')``); ``code_with`` -> its column.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import yaml
from openpyxl.styles import Font

from survey.questionnaire.model import Option, Question, Questionnaire, Text
from survey.questionnaire.xlsform import (
    LANGUAGE_NAMES,
    TOOL,
    YES_NO,
    YES_NO_CHOICES,
    XLSFormError,
    XPathWriter,
    xpath_string,
)

TEXT_COLUMNS = ("label", "hint", "constraint_message")
SURVEY_COLUMNS = (
    "type", "name",
    *(f"{column}::{LANGUAGE_NAMES[lang]}" for column in TEXT_COLUMNS for lang in ("sv", "en")),
    "required", "relevant", "constraint", "appearance",
    f"{TOOL}type", f"{TOOL}code_with", f"{TOOL}appearance", f"{TOOL}name",
    f"{TOOL}carry_over", f"{TOOL}themes",
)
CHOICE_COLUMNS = ("list_name", "name", *(f"label::{LANGUAGE_NAMES[lang]}" for lang in ("sv", "en")))
SETTINGS_COLUMNS = (
    "form_title", "form_id", "version", "default_language",
    f"{TOOL}title::{LANGUAGE_NAMES['en']}",
    *(f"{TOOL}description::{LANGUAGE_NAMES[lang]}" for lang in ("sv", "en")),
)
_TYPES = {"text": "text", "textarea": "text", "number": "decimal", "date": "date",
          "note": "note"}
_APPEARANCE = {"textarea": "multiline", "scale": "likert"}


def _texts(column: str, text: Text | None) -> dict[str, str | None]:
    return {f"{column}::{LANGUAGE_NAMES['sv']}": text.sv if text else None,
            f"{column}::{LANGUAGE_NAMES['en']}": text.en if text else None}


class _Export:
    """One questionnaire on its way to the three sheets; problems are (line, message)."""

    def __init__(self, questionnaire: Questionnaire):
        self.questionnaire = questionnaire
        self.writer = XPathWriter({q.name: q.type for q in questionnaire.questions})
        self.problems: list[tuple[int, str]] = []
        self.lists: dict[tuple[Option, ...], str] = {}
        self.known_lists = _source_lists(questionnaire.source)
        self.survey: list[dict[str, Any]] = []

    def run(self) -> None:
        taken = self._field_names()
        for page in self.questionnaire.pages:
            name = page.name
            while name in taken:
                name += "_page"
            taken.add(name)
            self.survey.append({
                "type": "begin_group", "name": name, "appearance": "field-list",
                **_texts("label", page.title), **_texts("hint", page.intro),
                f"{TOOL}name": page.name if name != page.name else None,
                f"{TOOL}themes": " ".join(page.themes) or None,
            })
            for question in page.questions:
                self.question(question)
            self.survey.append({"type": "end_group", "name": name})

    def _field_names(self) -> set[str]:
        names: set[str] = set()
        for question in self.questionnaire.questions:
            for name in [question.name, *(f"{question.name}_{r.name}" for r in question.rows)]:
                if name in names:
                    self.problems.append((question.line, f"'{name}' would be two fields in "
                                          "XLSForm (a matrix row is named question_row)"))
                names.add(name)
        return names

    def expression(self, question: Question, key: str, loose: bool = False) -> str | None:
        """The XPath of ``relevant`` or ``constraint``; with ``loose``, parenthesised when
        an ``and`` after it would bind tighter than its own top operator."""
        tree = getattr(question, key)
        if tree is None:
            return None
        try:
            text, precedence = self.writer.condition(tree)
        except ValueError as error:
            self.problems.append((question.line, f"{key} of '{question.name}': {error}"))
            return None
        return f"({text})" if loose and precedence < 2 else text

    def question(self, question: Question) -> None:
        row = {
            "name": question.name, **_texts("label", question.label),
            **_texts("hint", question.hint), "relevant": self.expression(question, "relevant"),
            "required": "yes" if question.required and question.type != "matrix" else None,
            f"{TOOL}code_with": question.code_with,
            f"{TOOL}carry_over": None if question.carry_over else "no",
        }
        if question.type == "matrix":
            self.matrix(question, row)
            return
        row.update(self.constraint(question))
        row.update(self.type_columns(question))
        self.survey.append(row)

    def type_columns(self, question: Question) -> dict[str, Any]:
        qtype = question.type
        columns: dict[str, Any] = {"appearance": _APPEARANCE.get(qtype)}
        if qtype in _TYPES:
            columns["type"] = _TYPES[qtype]
        elif qtype == "boolean":
            columns.update(type=f"select_one {YES_NO}", **{f"{TOOL}type": "boolean"})
        else:
            kind = "select_multiple" if qtype == "multiple" else "select_one"
            columns["type"] = f"{kind} {self.list_name(question)}"
        if qtype == "scale":
            columns[f"{TOOL}type"] = "scale"
        if question.appearance == "select":
            columns["appearance"] = "minimal"
        elif question.appearance:
            columns[f"{TOOL}appearance"] = question.appearance
        return columns

    def constraint(self, question: Question) -> dict[str, Any]:
        user = self.expression(question, "constraint", loose=True)
        parts = [user] if user is not None else []
        try:
            parts += _limit_parts(question)
        except ValueError as error:
            self.problems.append((question.line, f"pattern of '{question.name}': {error}"))
        return {"constraint": " and ".join(parts) or None,
                **_texts("constraint_message", question.constraint_message)}

    def matrix(self, question: Question, row: dict[str, Any]) -> None:
        if question.constraint is not None:
            self.problems.append((question.line, f"constraint of matrix '{question.name}' "
                                  "has no XLSForm counterpart"))
        list_name = self.list_name(question)
        self.survey.append({**row, "type": "begin_group", "appearance": "table-list",
                            f"{TOOL}type": "matrix"})
        for item in question.rows:
            self.survey.append({
                "type": f"select_one {list_name}", "name": f"{question.name}_{item.name}",
                **_texts("label", item.label), "required": "yes" if question.required else None,
            })
        self.survey.append({"type": "end_group", "name": question.name})

    def list_name(self, question: Question) -> str:
        options = question.options
        if options not in self.lists:
            name = self.known_lists.get(options) or question.name
            while name in self.lists.values() or name == YES_NO:
                name += "_options"
            self.lists[options] = name
        return self.lists[options]

    def choices(self) -> list[dict[str, Any]]:
        rows = [{"list_name": name, "name": option.value, **_texts("label", option.label)}
                for options, name in self.lists.items() for option in options]
        if any(q.type == "boolean" for q in self.questionnaire.questions):
            rows += [{"list_name": YES_NO, "name": value, **_texts("label", Text(sv, en))}
                     for value, sv, en in YES_NO_CHOICES]
        for row in rows:
            if " " in row["name"]:
                self.problems.append((0, f"option value {row['name']!r} has a space, which "
                                      "XLSForm does not allow"))
        return rows

    def settings(self) -> dict[str, Any]:
        questionnaire = self.questionnaire
        description = questionnaire.description
        return dict(zip(SETTINGS_COLUMNS, (
            questionnaire.title.sv, questionnaire.id, questionnaire.version,
            LANGUAGE_NAMES["sv"], questionnaire.title.en,
            description.sv if description else None, description.en if description else None,
        ), strict=True))


def _limit_parts(question: Question) -> list[str]:
    """min, max, max_length and pattern as XLSForm constraint parts, in this order."""
    parts = []
    for key, op in (("min", ">="), ("max", "<=")):
        value = getattr(question, key)
        if value is not None:
            bound = f"date('{value}')" if question.type == "date" else repr(value)
            parts.append(f". {op} {bound}")
    if question.max_length is not None:
        parts.append(f"string-length(.) <= {question.max_length}")
    if question.pattern is not None:
        parts.append(f"regex(., {xpath_string(question.pattern)})")
    return parts


def _source_lists(source: str) -> dict[tuple[Option, ...], str]:
    """The names of the option lists in the YAML, so that the choices keep them."""
    try:
        data = yaml.safe_load(source) if source else None
    except yaml.YAMLError:
        return {}
    lists = data.get("option_lists") if isinstance(data, dict) else None
    if not isinstance(lists, dict):
        return {}
    return {tuple(_option(item) for item in items): name
            for name, items in lists.items() if isinstance(items, list)}


def _option(item: dict) -> Option:
    label = item.get("label")
    if isinstance(label, dict):
        en = label.get("en")
        text = Text(str(label.get("sv")), None if en is None else str(en))
    else:
        text = Text(str(label))
    value = item.get("value")
    value = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return Option(value, text)


def _sheet(workbook: openpyxl.Workbook, title: str, columns: tuple[str, ...],
           rows: list[dict[str, Any]]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    sheet.freeze_panes = "A2"


def build_workbook(questionnaire: Questionnaire) -> openpyxl.Workbook:
    """The XLSForm workbook; XLSFormError lists ``FILE:LINE: message`` problems."""
    export = _Export(questionnaire)
    export.run()
    choices = export.choices()
    if export.problems:
        raise XLSFormError([f"{questionnaire.path or '<questionnaire>'}:{line}: {message}"
                            for line, message in export.problems])
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, "survey", SURVEY_COLUMNS, export.survey)
    _sheet(workbook, "choices", CHOICE_COLUMNS, choices)
    _sheet(workbook, "settings", SETTINGS_COLUMNS, [export.settings()])
    return workbook


def to_bytes(questionnaire: Questionnaire) -> bytes:
    buffer = io.BytesIO()
    build_workbook(questionnaire).save(buffer)
    return buffer.getvalue()
