"""Parsed YAML -> the questionnaire model, collecting every problem on the way.

What each question key may hold depends on the question's type; the builder asks the type
(survey.questionnaire.types) rather than listing type names, so a new type needs no change
here unless it brings a key of its own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from coding.codebook import list_codebooks, load_codebook
from survey.questionnaire import types
from survey.questionnaire.model import (
    QUESTION_TYPES,
    Option,
    Page,
    Question,
    Questionnaire,
    Row,
    Text,
)
from survey.questionnaire.yamlfile import LineDict, Problem

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TOP_KEYS = {"id", "version", "title", "description", "option_lists", "pages"}
PAGE_KEYS = {"name", "title", "intro", "questions", "themes"}
QUESTION_KEYS = {
    "name", "type", "label", "hint", "required", "relevant", "constraint",
    "constraint_message", "min", "max", "max_length", "pattern", "options", "rows",
    "appearance", "code_with", "carry_over",
}


def known_codebooks() -> set[str]:
    return set(list_codebooks())


def known_themes(codebooks: Iterable[str]) -> set[str]:
    """The theme ids of the shipped codebooks among ``codebooks``."""
    shipped = set(list_codebooks())
    return {theme for name in codebooks if name in shipped
            for theme in load_codebook(name).theme_ids}


class _Builder:
    """Turns parsed YAML into the model, collecting problems on the way."""

    def __init__(self, filename: str, codebooks: Iterable[str] | None):
        self.filename = filename
        self.problems: list[Problem] = []
        self.codebooks = set(codebooks) if codebooks is not None else known_codebooks()

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.filename, line, message))

    def text(self, value: Any, line: int, what: str, required: bool = True) -> Text | None:
        if value is None:
            if required:
                self.problem(line, f"{what} is missing")
            return None
        if isinstance(value, str | int | float):
            return Text(sv=str(value))
        if isinstance(value, dict):
            unknown = set(value) - {"sv", "en"}
            if unknown:
                self.problem(line, f"{what} has unknown language(s): {', '.join(sorted(unknown))}")
            if not value.get("sv"):
                self.problem(line, f"{what} needs a Swedish text (sv)")
                return None
            en = value.get("en")
            return Text(sv=str(value["sv"]), en=str(en) if en is not None else None)
        self.problem(line, f"{what} must be a text or a mapping with sv and en")
        return None

    def unknown_keys(self, data: LineDict, allowed: set[str], what: str) -> None:
        for key in data:
            if key not in allowed:
                hint = _closest(str(key), allowed)
                suffix = f" (did you mean '{hint}'?)" if hint else ""
                self.problem(data.line_of(key), f"unknown key '{key}' in {what}{suffix}")

    def build(self, data: Any) -> Questionnaire | None:
        if not isinstance(data, dict):
            self.problem(1, "a questionnaire must be a mapping with id, version, title and pages")
            return None
        self.unknown_keys(data, TOP_KEYS, "questionnaire")
        for key in ("id", "version", "title", "pages"):
            if key not in data:
                self.problem(data.line, f"'{key}' is missing")
        qid = str(data.get("id", ""))
        if qid and not ID_RE.match(qid):
            self.problem(data.line_of("id"), f"invalid id '{qid}': use a-z, 0-9 and -")
        title = self.text(data.get("title"), data.line_of("title"), "title",
                          required="title" in data)
        description = self.text(data.get("description"), data.line_of("description"),
                                "description", required=False)
        option_lists = self.option_lists(data.get("option_lists"), data)
        pages = self.pages(data.get("pages"), data, option_lists)
        return Questionnaire(
            id=qid, version=str(data.get("version", "")), title=title or Text(""),
            pages=tuple(pages), description=description,
        )

    def option_lists(self, value: Any, parent: LineDict) -> dict[str, tuple[Option, ...]]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(parent.line_of("option_lists"), "option_lists must be a mapping")
            return {}
        return {
            name: self.options(items, value.line_of(name), f"option list '{name}'")
            for name, items in value.items()
        }

    def options(self, items: Any, line: int, what: str) -> tuple[Option, ...]:
        if not isinstance(items, list) or not items:
            self.problem(line, f"{what} must be a non-empty list of {{value, label}}")
            return ()
        options, seen = [], set()
        for item in items:
            item_line = getattr(item, "line", line)
            if not isinstance(item, dict) or "value" not in item:
                self.problem(item_line, f"each option in {what} needs a value and a label")
                continue
            self.unknown_keys(item, {"value", "label"}, "option")
            value = _scalar_text(item["value"])
            if value in seen:
                self.problem(item.line_of("value"), f"duplicate option value '{value}' in {what}")
            seen.add(value)
            label = self.text(item.get("label"), item.line_of("label"),
                              f"label of option '{value}'")
            options.append(Option(value=value, label=label or Text(value)))
        return tuple(options)

    def pages(self, value: Any, parent: LineDict, option_lists: dict) -> list[Page]:
        if "pages" in parent and (not isinstance(value, list) or not value):
            self.problem(parent.line_of("pages"), "pages must be a non-empty list")
            return []
        pages, page_names, question_lines = [], set(), {}
        for item in value or []:
            if not isinstance(item, dict):
                self.problem(parent.line_of("pages"), "each page must be a mapping")
                continue
            self.unknown_keys(item, PAGE_KEYS, "page")
            name = self.name(item, "page")
            if name in page_names:
                self.problem(item.line_of("name"), f"duplicate page name '{name}'")
            page_names.add(name)
            questions = []
            raw_questions = item.get("questions")
            if not isinstance(raw_questions, list) or not raw_questions:
                self.problem(item.line_of("questions"), f"page '{name}' needs a list of questions")
                raw_questions = []
            for raw in raw_questions:
                question = self.question(raw, item, option_lists)
                if question is None:
                    continue
                if question.name in question_lines:
                    self.problem(question.line, f"duplicate question name '{question.name}' "
                                 f"(first on line {question_lines[question.name]})")
                    continue
                question_lines[question.name] = question.line
                questions.append(question)
            pages.append(Page(
                name=name, line=item.line,
                title=self.text(item.get("title"), item.line_of("title"), f"title of page '{name}'")
                or Text(name),
                intro=self.text(item.get("intro"), item.line_of("intro"), "intro", required=False),
                questions=tuple(questions), themes=self.page_themes(item, name),
            ))
        return pages

    def page_themes(self, item: LineDict, page: str) -> tuple[str, ...]:
        """``themes``: a list of theme ids, each in one of the known codebooks."""
        value = item.get("themes")
        if value is None:
            return ()
        line = item.line_of("themes")
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            self.problem(line, f"themes of page '{page}' must be a list of theme ids")
            return ()
        known = known_themes(self.codebooks)
        for theme in value:
            if theme not in known:
                hint = _closest(theme, known)
                self.problem(line, f"unknown theme '{theme}' in page '{page}'"
                             + (f" (did you mean '{hint}'?)" if hint else "")
                             + f"; known: {', '.join(sorted(known))}")
        return tuple(t for t in value if t in known)

    def name(self, item: LineDict, what: str) -> str:
        name = item.get("name")
        if name is None:
            self.problem(item.line, f"{what} without a name")
            return ""
        name = str(name)
        if not NAME_RE.match(name):
            self.problem(item.line_of("name"), f"invalid {what} name '{name}': "
                         "start with a-z, then a-z, 0-9 or _")
        return name

    def question(self, raw: Any, page: LineDict, option_lists: dict) -> Question | None:
        """One question; what each key may hold depends on the type (types.TYPES)."""
        if not isinstance(raw, dict):
            self.problem(page.line_of("questions"), "each question must be a mapping")
            return None
        self.unknown_keys(raw, QUESTION_KEYS, "question")
        name = self.name(raw, "question")
        qtype = raw.get("type")
        if qtype not in QUESTION_TYPES:
            self.problem(raw.line_of("type"), f"unknown question type '{qtype}' for '{name}'; "
                         f"expected one of {', '.join(QUESTION_TYPES)}")
            return None
        where = f"'{name}'"
        label = self.text(raw.get("label"), raw.line_of("label"), f"label of {where}")
        # in the order the problems are reported when several share a line
        options, rows = self.choices(raw, qtype, where, option_lists)
        self.bounds(raw, qtype, where)
        pattern = self.pattern(raw, qtype, where)
        max_length = self.max_length(raw, qtype, where)
        code_with = self.code_with(raw, qtype, where)
        appearance = self.appearance(raw, qtype, where)
        required = self.required(raw, where)
        carry_over = self.carry_over(raw, qtype, where)
        return Question(
            name=name, type=qtype, label=label or Text(name), line=raw.line,
            hint=self.text(raw.get("hint"), raw.line_of("hint"), "hint", required=False),
            required=required,
            relevant_src=_optional_str(raw.get("relevant")),
            constraint_src=_optional_str(raw.get("constraint")),
            constraint_message=self.text(raw.get("constraint_message"),
                                         raw.line_of("constraint_message"),
                                         "constraint_message", required=False),
            min=raw.get("min"), max=raw.get("max"), max_length=max_length, pattern=pattern,
            options=options, rows=rows, appearance=appearance, code_with=code_with,
            carry_over=carry_over,
        )

    def choices(self, raw: LineDict, qtype: str, where: str, option_lists: dict
                ) -> tuple[tuple[Option, ...], tuple[Row, ...]]:
        """The options and the matrix rows, where the type has them."""
        options: tuple[Option, ...] = ()
        if types.get(qtype).takes_options:
            options = self.question_options(raw, qtype, where, option_lists)
        elif "options" in raw:
            self.problem(raw.line_of("options"), f"{qtype} question {where} takes no options")
        rows: tuple[Row, ...] = ()
        if types.get(qtype).takes_rows:
            rows = self.rows(raw, where)
        elif "rows" in raw:
            self.problem(raw.line_of("rows"), f"only matrix questions have rows ({where})")
        return options, rows

    def pattern(self, raw: LineDict, qtype: str, where: str) -> str | None:
        pattern = raw.get("pattern")
        if pattern is None:
            return None
        if not types.get(qtype).takes_pattern:
            self.problem(raw.line_of("pattern"), f"pattern only applies to text ({where})")
        try:
            re.compile(str(pattern))
        except re.error as error:
            self.problem(raw.line_of("pattern"), f"invalid pattern for {where}: {error}")
        return str(pattern)

    def max_length(self, raw: LineDict, qtype: str, where: str) -> int | None:
        max_length = raw.get("max_length")
        if max_length is not None and (
            not types.get(qtype).free_text or not isinstance(max_length, int) or max_length < 1
        ):
            self.problem(raw.line_of("max_length"),
                         f"max_length must be a positive integer on a text question ({where})")
            return None
        return max_length

    def code_with(self, raw: LineDict, qtype: str, where: str) -> str | None:
        code_with = raw.get("code_with")
        if code_with is None:
            return None
        if not types.get(qtype).free_text:
            self.problem(raw.line_of("code_with"),
                         f"code_with only applies to text and textarea ({where})")
        elif code_with not in self.codebooks:
            self.problem(raw.line_of("code_with"), f"unknown codebook '{code_with}' for "
                         f"{where}; known: {', '.join(sorted(self.codebooks))}")
        return code_with

    def appearance(self, raw: LineDict, qtype: str, where: str) -> str | None:
        appearance = raw.get("appearance")
        if appearance is not None and appearance not in types.get(qtype).appearances:
            self.problem(raw.line_of("appearance"),
                         f"appearance must be radio or select on a single question ({where})")
        return appearance

    def required(self, raw: LineDict, where: str) -> bool:
        required = raw.get("required", False)
        if not isinstance(required, bool):
            self.problem(raw.line_of("required"), f"required must be true or false ({where})")
            return False
        return required

    def carry_over(self, raw: LineDict, qtype: str, where: str) -> bool:
        """Common to every type that stores an answer; default true."""
        if "carry_over" not in raw:
            return True
        value = raw.get("carry_over")
        if not types.get(qtype).stores_answer:
            self.problem(raw.line_of("carry_over"),
                         f"carry_over does not apply to {qtype}, which stores no answer ({where})")
            return True
        if not isinstance(value, bool):
            self.problem(raw.line_of("carry_over"), f"carry_over must be true or false ({where})")
            return True
        return value

    def question_options(self, raw: LineDict, qtype: str, where: str, option_lists: dict):
        value = raw.get("options")
        if value is None:
            self.problem(raw.line, f"{qtype} question {where} needs options")
            return ()
        if isinstance(value, str):
            if value not in option_lists:
                self.problem(raw.line_of("options"), f"unknown option list '{value}' for {where}")
                return ()
            return option_lists[value]
        return self.options(value, raw.line_of("options"), f"options of {where}")

    def rows(self, raw: LineDict, where: str) -> tuple[Row, ...]:
        items = raw.get("rows")
        if not isinstance(items, list) or not items:
            self.problem(raw.line_of("rows"), f"matrix question {where} needs rows")
            return ()
        rows, seen = [], set()
        for item in items:
            if not isinstance(item, dict):
                self.problem(raw.line_of("rows"), f"each row of {where} needs a name and a label")
                continue
            self.unknown_keys(item, {"name", "label"}, "row")
            name = self.name(item, "row")
            if name in seen:
                self.problem(item.line_of("name"), f"duplicate row '{name}' in {where}")
            seen.add(name)
            label = self.text(item.get("label"), item.line_of("label"), f"label of row '{name}'")
            rows.append(Row(name=name, label=label or Text(name)))
        return tuple(rows)

    def bounds(self, raw: LineDict, qtype: str, where: str) -> None:
        """``min``/``max`` are numbers or dates, as the type says, and min <= max."""
        low, high = raw.get("min"), raw.get("max")
        kind = types.get(qtype).bounds
        for key, value in (("min", low), ("max", high)):
            if value is not None and (problem := _bound_problem(kind, key, value, qtype, where)):
                self.problem(raw.line_of(key), problem)
                return
        if low is not None and high is not None:
            too_high = str(low) > str(high) if kind == "date" else low > high
            if too_high:
                self.problem(raw.line_of("min"), f"min is greater than max for {where}")


def _bound_problem(kind: str | None, key: str, value: Any, qtype: str, where: str
                   ) -> str | None:
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{key} of {where} must be a number"
    elif kind == "date":
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", str(value)):
            return f"{key} of {where} must be a date YYYY-MM-DD"
    else:
        return f"{key} does not apply to {qtype} ({where})"
    return None


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _closest(word: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.7)
    return matches[0] if matches else None

