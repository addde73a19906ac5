"""Load and validate questionnaire YAML in one place, with one error type.

Every problem is reported as ``FILE:LINE: message`` and the loader collects all of them
before giving up, so an author fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from coding.codebook import list_codebooks
from survey.questionnaire import expr
from survey.questionnaire.model import (
    CHOICE_TYPES,
    FREE_TEXT_TYPES,
    QUESTION_TYPES,
    VALUE_KIND,
    Option,
    Page,
    Question,
    Questionnaire,
    Row,
    Text,
)

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TOP_KEYS = {"id", "version", "title", "description", "option_lists", "pages"}
PAGE_KEYS = {"name", "title", "intro", "questions"}
QUESTION_KEYS = {
    "name", "type", "label", "hint", "required", "relevant", "constraint",
    "constraint_message", "min", "max", "max_length", "pattern", "options", "rows",
    "appearance", "code_with",
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class QuestionnaireError(ValueError):
    """A questionnaire that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key."""

    line = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings carry line numbers and reject duplicate keys."""

    duplicate_keys: list[tuple[int, str]]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            loader.duplicate_keys.append((line, f"duplicate key '{key}'"))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, filename: str) -> tuple[Any, list[Problem]]:
    """Parse YAML safely; syntax errors become problems with the line they are on."""
    loader = _LineLoader(text)
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Problem(filename, line, f"YAML syntax error: {error.problem}")]
    except yaml.YAMLError as error:
        return None, [Problem(filename, 1, f"YAML error: {error}")]
    finally:
        loader.dispose()
    problems = [Problem(filename, line, message) for line, message in loader.duplicate_keys]
    return data, problems


def known_codebooks() -> set[str]:
    return set(list_codebooks())


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
                questions=tuple(questions),
            ))
        return pages

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
        options: tuple[Option, ...] = ()
        if qtype in CHOICE_TYPES:
            options = self.question_options(raw, qtype, where, option_lists)
        elif "options" in raw:
            self.problem(raw.line_of("options"), f"{qtype} question {where} takes no options")
        rows: tuple[Row, ...] = ()
        if qtype == "matrix":
            rows = self.rows(raw, where)
        elif "rows" in raw:
            self.problem(raw.line_of("rows"), f"only matrix questions have rows ({where})")
        self.bounds(raw, qtype, where)
        pattern = raw.get("pattern")
        if pattern is not None:
            if qtype != "text":
                self.problem(raw.line_of("pattern"), f"pattern only applies to text ({where})")
            try:
                re.compile(str(pattern))
            except re.error as error:
                self.problem(raw.line_of("pattern"), f"invalid pattern for {where}: {error}")
        max_length = raw.get("max_length")
        if max_length is not None and (
            qtype not in FREE_TEXT_TYPES or not isinstance(max_length, int) or max_length < 1
        ):
            self.problem(raw.line_of("max_length"),
                         f"max_length must be a positive integer on a text question ({where})")
            max_length = None
        code_with = raw.get("code_with")
        if code_with is not None:
            if qtype not in FREE_TEXT_TYPES:
                self.problem(raw.line_of("code_with"),
                             f"code_with only applies to text and textarea ({where})")
            elif code_with not in self.codebooks:
                self.problem(raw.line_of("code_with"), f"unknown codebook '{code_with}' for "
                             f"{where}; known: {', '.join(sorted(self.codebooks))}")
        appearance = raw.get("appearance")
        if appearance is not None and (qtype != "single" or appearance not in ("radio", "select")):
            self.problem(raw.line_of("appearance"),
                         f"appearance must be radio or select on a single question ({where})")
        required = raw.get("required", False)
        if not isinstance(required, bool):
            self.problem(raw.line_of("required"), f"required must be true or false ({where})")
            required = False
        return Question(
            name=name, type=qtype, label=label or Text(name), line=raw.line,
            hint=self.text(raw.get("hint"), raw.line_of("hint"), "hint", required=False),
            required=required,
            relevant_src=_optional_str(raw.get("relevant")),
            constraint_src=_optional_str(raw.get("constraint")),
            constraint_message=self.text(raw.get("constraint_message"),
                                         raw.line_of("constraint_message"),
                                         "constraint_message", required=False),
            min=raw.get("min"), max=raw.get("max"), max_length=max_length,
            pattern=str(pattern) if pattern is not None else None,
            options=options, rows=rows, appearance=appearance, code_with=code_with,
        )

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
        low, high = raw.get("min"), raw.get("max")
        for key, value in (("min", low), ("max", high)):
            if value is None:
                continue
            if qtype in ("number", "scale"):
                if isinstance(value, bool) or not isinstance(value, int | float):
                    self.problem(raw.line_of(key), f"{key} of {where} must be a number")
                    return
            elif qtype == "date":
                if not re.match(r"^\d{4}-\d{2}-\d{2}$", str(value)):
                    self.problem(raw.line_of(key), f"{key} of {where} must be a date YYYY-MM-DD")
                    return
            else:
                self.problem(raw.line_of(key), f"{key} does not apply to {qtype} ({where})")
                return
        if low is not None and high is not None:
            too_high = str(low) > str(high) if qtype == "date" else low > high
            if too_high:
                self.problem(raw.line_of("min"), f"min is greater than max for {where}")


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _closest(word: str, candidates: Iterable[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.7)
    return matches[0] if matches else None


def _compile_expressions(questionnaire: Questionnaire, filename: str,
                         lines: dict[str, dict[str, int]]) -> tuple[Questionnaire, list[Problem]]:
    """Parse and type-check every expression; find relevance cycles."""
    problems: list[Problem] = []
    kinds = {q.name: VALUE_KIND[q.type] for q in questionnaire.questions}
    rows = {q.name: {r.name for r in q.rows} for q in questionnaire.questions if q.rows}
    compiled: dict[str, dict[str, Any]] = {}
    depends: dict[str, set[str]] = {}
    for question in questionnaire.questions:
        compiled[question.name] = {}
        for key, self_kind in (("relevant", None), ("constraint", question.kind)):
            source = getattr(question, f"{key}_src")
            if source is None:
                continue
            line = lines.get(question.name, {}).get(key, question.line)
            try:
                tree = expr.parse(source)
            except expr.ExprError as error:
                problems.append(Problem(filename, line, f"{key} of '{question.name}': "
                                        f"{error.message}"))
                continue
            errors = expr.check(tree, kinds, rows, self_kind, source=source)
            for error in errors:
                problems.append(Problem(filename, line, f"{key} of '{question.name}': "
                                        f"{error.message}"))
            if not errors:
                compiled[question.name][key] = tree
                if key == "relevant":
                    depends[question.name] = expr.references(tree)
    for cycle in _cycles(depends):
        first = cycle[0]
        line = lines.get(first, {}).get("relevant", questionnaire.question(first).line)
        problems.append(Problem(filename, line, "relevance cycle: " + " -> ".join(cycle)))
    if problems:
        return questionnaire, problems
    pages = tuple(
        Page(name=p.name, title=p.title, intro=p.intro, line=p.line, questions=tuple(
            _replace(q, relevant=compiled[q.name].get("relevant"),
                     constraint=compiled[q.name].get("constraint"))
            for q in p.questions))
        for p in questionnaire.pages
    )
    return _replace(questionnaire, pages=pages, _index={}), []


def _replace(obj, **changes):
    import dataclasses

    return dataclasses.replace(obj, **changes)


def _cycles(depends: dict[str, set[str]]) -> list[list[str]]:
    """Each relevance cycle once, as the path that closes it."""
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "active"
        for target in sorted(depends.get(node, ())):
            if state.get(target) == "active":
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[node] = "done"

    for node in sorted(depends):
        if node not in state:
            visit(node, [node])
    return cycles


def _expression_lines(data: Any) -> dict[str, dict[str, int]]:
    lines: dict[str, dict[str, int]] = {}
    if not isinstance(data, dict):
        return lines
    for page in data.get("pages") or []:
        for raw in (page.get("questions") or []) if isinstance(page, dict) else []:
            if isinstance(raw, LineDict) and isinstance(raw.get("name"), str):
                lines[raw["name"]] = {k: raw.line_of(k) for k in ("relevant", "constraint")}
    return lines


def loads(text: str, filename: str = "<string>", codebooks: Iterable[str] | None = None
          ) -> Questionnaire:
    """Build a questionnaire from YAML text; raise QuestionnaireError with every problem."""
    data, problems = parse_yaml(text, filename)
    if data is None and problems:
        raise QuestionnaireError(problems)
    builder = _Builder(filename, codebooks)
    questionnaire = builder.build(data)
    problems += builder.problems
    if questionnaire is not None and not problems:
        questionnaire, expression_problems = _compile_expressions(
            questionnaire, filename, _expression_lines(data))
        problems += expression_problems
    if problems or questionnaire is None:
        raise QuestionnaireError(sorted(problems, key=lambda p: p.line))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _replace(questionnaire, source=text, hash=digest, path=filename, _index={})


def load(path: str | Path, codebooks: Iterable[str] | None = None) -> Questionnaire:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QuestionnaireError([Problem(str(path), 1, "file is not valid UTF-8")]) from None
    except OSError as error:
        raise QuestionnaireError([Problem(str(path), 0, f"cannot read: {error.strerror}")]) \
            from None
    return loads(text, str(path), codebooks)


def check(path: str | Path) -> list[Problem]:
    """Every problem of one questionnaire file (empty when it is valid)."""
    try:
        load(path)
    except QuestionnaireError as error:
        return error.problems
    return []


if __name__ == "__main__":  # pragma: no cover - convenience for authors
    import sys

    found = [problem for name in sys.argv[1:] for problem in check(name)]
    for problem in found:
        print(problem)
    sys.exit(1 if found else 0)
