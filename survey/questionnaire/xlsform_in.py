"""Read an XLSForm workbook into questionnaire YAML text.

The survey, choices and settings sheets are read with openpyxl. Top-level groups become
pages (questions outside any group make a page of their own), nested groups are flattened
into their page (their ``relevant`` joins each question's), and a nested ``table-list``
group of ``select_one`` rows, or any group marked ``lagesbild::type`` matrix, becomes a
matrix. Every problem is collected as ``FILE:SHEET:ROW: message``; nothing is returned
unless the whole form carries over and the YAML passes the loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from survey.questionnaire import loader
from survey.questionnaire.xlsform import TOOL, XLSFormError, from_xpath, language_code, split_and

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
TEXT_COLUMNS = {"label", "hint", "constraint_message", f"{TOOL}title", f"{TOOL}description",
                "guidance_hint", "required_message", "media::image", "media::audio",
                "media::video", "image", "audio", "video"}
SURVEY_COLUMNS = {"type", "name", "label", "hint", "required", "relevant", "constraint",
                  "constraint_message", "appearance", f"{TOOL}type", f"{TOOL}code_with",
                  f"{TOOL}appearance", f"{TOOL}name", f"{TOOL}carry_over",
                  f"{TOOL}themes"}
CHOICE_COLUMNS = {"list_name", "name", "label"}
SETTINGS_COLUMNS = {"form_title", "form_id", "version", "default_language",
                    f"{TOOL}title", f"{TOOL}description"}
#: Fields the engine records itself (times, devices): left out, and said so in the YAML.
METADATA_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial",
                  "phonenumber", "username", "email", "audit", "start-geopoint"}
FIELD_TYPES = {"text", "integer", "decimal", "date", "note", "select_one", "select_multiple"}
XLSFORM_TYPES = {"geopoint", "geotrace", "geoshape", "time", "datetime", "image", "audio",
                 "video", "file", "barcode", "calculate", "acknowledge", "range", "rank",
                 "hidden", "xml-external", "csv-external", "background-audio", "trigger",
                 "select_one_from_file", "select_multiple_from_file"}
#: (XLSForm type, appearance) -> our type; "minimal" makes a single a drop-down.
TYPES = {("text", None): "text", ("text", "multiline"): "textarea", ("integer", None): "number",
         ("decimal", None): "number", ("date", None): "date", ("note", None): "note",
         ("select_one", None): "single", ("select_one", "minimal"): "single",
         ("select_one", "likert"): "scale", ("select_multiple", None): "multiple"}
QUESTION_ORDER = ("name", "type", "appearance", "label", "hint", "required", "relevant",
                  "min", "max", "max_length", "pattern", "constraint", "constraint_message",
                  "options", "rows", "code_with", "carry_over")


@dataclass
class Row:
    sheet: str
    number: int
    cells: dict[str, Any]
    texts: dict[str, dict[str, str]]

    def get(self, column: str) -> str | None:
        value = self.cells.get(column)
        return None if value is None else _cell_text(value)


@dataclass
class Node:
    """A survey row; a group also has children and the row that ends it."""

    row: Row
    base: str
    list_name: str | None = None
    children: list[Node] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.row.get("name") or ""

    @property
    def is_group(self) -> bool:
        return self.base in ("begin_group", "begin_repeat")


def _cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Reader:
    """One workbook being read; ``problems`` are complete report lines."""

    def __init__(self, filename: str):
        self.filename = filename
        self.problems: list[str] = []
        self.default_language = "sv"

    def problem(self, sheet: str, row: int, message: str) -> None:
        self.problems.append(f"{self.filename}:{sheet}:{row}: {message}")

    def column(self, sheet: str, header: str) -> tuple[str, str | None] | None:
        """A header as (column, language); None for a language we do not carry."""
        base, _, suffix = header.rpartition("::")
        if base.lower() in TEXT_COLUMNS:
            return base.lower(), language_code(suffix)
        if header.lower() in TEXT_COLUMNS:
            return header.lower(), self.default_language
        return header.lower(), None

    def rows(self, workbook: Any, sheet: str, allowed: set[str]) -> list[Row]:
        if sheet not in workbook.sheetnames:
            return []
        values = list(workbook[sheet].iter_rows(values_only=True))
        if not values:
            return []
        headers = [str(h).strip() if h is not None else "" for h in values[0]]
        columns = [self.column(sheet, h) for h in headers]
        rows, lossy = [], {}
        for number, cells in enumerate(values[1:], start=2):
            row = self.row(sheet, number, headers, columns, cells, lossy)
            if row is not None:
                rows.append(row)
        for header in lossy:
            self.problem(sheet, 1, f"column '{header}' cannot be carried over: "
                         "only Swedish (sv) and English (en) texts are")
        self.unknown_columns(rows, allowed)
        return rows

    def row(self, sheet, number, headers, columns, cells, lossy) -> Row | None:
        row = Row(sheet, number, {}, {})
        for header, (column, language), value in zip(headers, columns, cells, strict=False):
            if value is None or _cell_text(value) == "" or header.startswith("$") or not header:
                continue
            if column in TEXT_COLUMNS and language is None:
                lossy[header] = True
            elif column in TEXT_COLUMNS:
                row.texts.setdefault(column, {})[language] = _cell_text(value)
            else:
                row.cells[column] = value
        return row if row.cells or row.texts else None

    def unknown_columns(self, rows: list[Row], allowed: set[str]) -> None:
        if not rows or rows[0].sheet == "settings":
            return
        for row in rows:
            for column in sorted({*row.cells, *row.texts} - allowed):
                self.problem(row.sheet, row.number, f"column '{column}' cannot be carried over")


def _text(texts: dict[str, str] | None) -> Any:
    """Our text value: a plain string for Swedish only, else {sv, en}."""
    if not texts or "sv" not in texts:
        return None
    if texts.get("en"):
        return Flow(sv=Quoted(texts["sv"]), en=Quoted(texts["en"]))
    return Quoted(texts["sv"])


class Flow(dict):
    """A mapping written on one line: ``{sv: "...", en: "..."}``."""


class Quoted(str):
    """A text or an expression, written in double quotes as our questionnaires are."""


class Literal(str):
    """A regular expression, written in single quotes so that backslashes stay as they are."""


class _Form:
    """The parsed sheets turned into the questionnaire mapping."""

    def __init__(self, reader: _Reader, settings: Row | None, choices: list[Row]):
        self.reader = reader
        self.settings = settings or Row("settings", 2, {}, {})
        self.lists = self.option_lists(choices)
        self.used: dict[str, int] = {}
        self.refs: dict[str, str] = {}
        self.booleans: set[str] = set()
        self.skipped: list[str] = []
        self.first_row: dict[str, int] = {}
        self.rows_of: dict[str, int] = {}
        self.page_names: set[str] = set()

    def problem(self, row: Row, message: str) -> None:
        self.reader.problem(row.sheet, row.number, message)

    # -------------------------------------------------------------- choices

    def option_lists(self, choices: list[Row]) -> dict[str, list[Flow]]:
        lists: dict[str, list[Flow]] = {}
        for row in choices:
            list_name, value = row.get("list_name"), row.get("name")
            if not list_name or value is None:
                self.problem(row, "a choice needs a list_name and a name")
                continue
            options = lists.setdefault(list_name, [])
            if any(option["value"] == value for option in options):
                self.problem(row, f"duplicate choice '{value}' in list '{list_name}'")
            label = _text(row.texts.get("label"))
            if label is None:
                self.problem(row, f"choice '{value}' in list '{list_name}' has no Swedish label")
            options.append(Flow(value=value, label=label or value))
        return lists

    # -------------------------------------------------------------- structure

    def tree(self, rows: list[Row]) -> list[Node]:
        root = Node(Row("survey", 1, {}, {}), "begin_group")
        stack = [root]
        for row in rows:
            node = self.node(row)
            if node is None:
                continue
            if node.base in ("end_group", "end_repeat"):
                if len(stack) == 1:
                    self.problem(row, f"{node.base} without a matching begin")
                else:
                    stack.pop()
                continue
            stack[-1].children.append(node)
            if node.is_group:
                stack.append(node)
        for group in stack[1:]:
            self.problem(group.row, f"group '{group.name}' has no end_group")
        return root.children

    def node(self, row: Row) -> Node | None:
        words = (row.get("type") or "").replace("begin group", "begin_group") \
            .replace("end group", "end_group").replace("select one ", "select_one ") \
            .replace("select multiple ", "select_multiple ").split()
        if not words:
            self.problem(row, "a row without a type")
            return None
        base, rest = words[0].lower(), words[1:]
        if base == "begin_repeat":
            self.problem(row, "repeats (begin_repeat) cannot be carried over")
        if base in ("begin_group", "end_group", "begin_repeat", "end_repeat"):
            return Node(row, base)
        return self.field_node(row, base, rest)

    def field_node(self, row: Row, base: str, rest: list[str]) -> Node | None:
        if base in METADATA_TYPES:
            self.skipped.append(row.get("name") or base)
            return None
        if base in XLSFORM_TYPES:
            self.problem(row, f"XLSForm type '{base}' cannot be carried over "
                         "(Lägesbild has no such question type)")
            return None
        if base not in FIELD_TYPES:
            self.problem(row, f"unknown type '{row.get('type')}'")
            return None
        if base.startswith("select_") and len(rest) != 1:
            what = "or_other" if "or_other" in rest else "a choice list name"
            self.problem(row, f"'{row.get('type')}': {what} cannot be carried over"
                         if rest else f"'{base}' needs a choice list name")
            return None
        return Node(row, base, rest[0] if rest else None)

    def is_matrix(self, group: Node, top: bool) -> bool:
        marked = group.row.get(f"{TOOL}type") == "matrix"
        table = (not top and group.row.get("appearance") == "table-list" and bool(group.children)
                 and all(c.base == "select_one" for c in group.children))
        return marked or table

    def collect_names(self, nodes: list[Node], top: bool = True) -> None:
        """Every field name -> what refers to it here, and duplicate names."""
        for node in nodes:
            if node.is_group and self.is_matrix(node, top):
                self.claim(node)
                for child in self.matrix_rows(node):
                    self.refs[child.name] = f"{node.name}.{_row_name(node, child)}"
                    self.claim(child, register=False)
            elif node.is_group:
                self.collect_names(node.children, top=False)
            else:
                self.claim(node)
                if node.row.get(f"{TOOL}type") == "boolean":
                    self.booleans.add(node.name)

    def claim(self, node: Node, register: bool = True) -> None:
        name = node.name
        if not name:
            self.problem(node.row, "a question without a name")
            return
        if name in self.first_row:
            self.problem(node.row, f"duplicate name '{name}' (first on row "
                         f"{self.first_row[name]})")
            return
        self.first_row[name] = node.row.number
        if register:
            self.refs[name] = name
            self.rows_of[name] = node.row.number

    def matrix_rows(self, group: Node) -> list[Node]:
        return [c for c in group.children if c.row.get("appearance") != "label"]

    # -------------------------------------------------------------- pages

    def pages(self, nodes: list[Node]) -> list[dict]:
        pages: list[dict] = []
        loose: list[Node] = []
        for node in nodes + [None]:
            if node is not None and not (node.is_group and not self.is_matrix(node, True)):
                loose.append(node)
                continue
            if loose:
                pages.append(self.loose_page(loose, len(pages) + 1))
                loose = []
            if node is not None:
                pages.append(self.page(node))
        return pages

    def loose_page(self, nodes: list[Node], number: int) -> dict:
        return {"name": f"page_{number}", "title": self.title(),
                "questions": self.questions(nodes, None, top=True)}

    def page(self, group: Node) -> dict:
        name = group.row.get(f"{TOOL}name") or group.name
        if not NAME_RE.match(name):
            self.problem(group.row, f"invalid page name '{name}': start with a-z, then a-z, "
                         "0-9 or _")
        if name in self.page_names:
            self.problem(group.row, f"duplicate page name '{name}'")
        self.page_names.add(name)
        page = {"name": name, "title": _text(group.row.texts.get("label")) or name}
        intro = _text(group.row.texts.get("hint"))
        if intro is not None:
            page["intro"] = intro
        themes = str(group.row.get(f"{TOOL}themes") or "").split()
        if themes:
            page["themes"] = themes  # the codebook themes of the page's area
        page["questions"] = self.questions(group.children, group.row.get("relevant"))
        if not page["questions"]:
            self.problem(group.row, f"group '{group.name}' has no questions")
        return page

    def questions(self, nodes: list[Node], relevant: str | None, top: bool = False) -> list:
        questions: list[dict] = []
        for node in nodes:
            inherited = _both(relevant, node.row.get("relevant"))
            if node.is_group and self.is_matrix(node, top):
                questions.append(self.matrix(node, inherited))
            elif node.is_group:
                questions += self.questions(node.children, inherited)
            else:
                questions.append(self.question(node, inherited))
        return [q for q in questions if q is not None]

    # -------------------------------------------------------------- questions

    def question(self, node: Node, relevant: str | None) -> dict | None:
        row = node.row
        qtype, appearance = self.question_type(node)
        if qtype is None:
            return None
        question: dict[str, Any] = {"name": node.name, "type": qtype}
        if appearance:
            question["appearance"] = appearance
        self.common(node, question, relevant)
        if qtype != "note":
            self.constraint(node, question)
        if qtype in ("single", "multiple", "scale"):
            question["options"] = self.options(node, qtype)
        code_with = row.get(f"{TOOL}code_with")
        if code_with:
            question["code_with"] = code_with
        if str(row.get(f"{TOOL}carry_over") or "").strip().lower() in ("no", "false"):
            question["carry_over"] = False  # asked anew each round, not carried over
        return question

    def common(self, node: Node, question: dict, relevant: str | None) -> None:
        row = node.row
        if not NAME_RE.match(node.name):
            self.problem(row, f"invalid name '{node.name}': start with a-z, then a-z, 0-9 or _")
        question["label"] = _text(row.texts.get("label"))
        if question["label"] is None:
            self.problem(row, f"label of '{node.name}' has no Swedish text "
                         "(label::Svenska (sv) or label)")
        for key in ("hint", "constraint_message"):
            if (text := _text(row.texts.get(key))) is not None:
                question[key] = text
        if self.required(row):
            question["required"] = True
        if relevant:
            question["relevant"] = self.translate(row, "relevant", relevant)

    def question_type(self, node: Node) -> tuple[str | None, str | None]:
        row, marked = node.row, node.row.get(f"{TOOL}type")
        appearance = row.get("appearance")
        if node.base == "select_one" and marked in ("boolean", "scale"):
            return marked, None
        qtype = TYPES.get((node.base, appearance))
        if qtype is None:
            self.problem(row, f"appearance '{appearance}' on {node.base} cannot be carried over")
            return None, None
        if appearance == "minimal":
            return qtype, "select"
        return qtype, row.get(f"{TOOL}appearance")

    def required(self, row: Row) -> bool:
        value = (row.get("required") or "no").lower()
        if value in ("yes", "true", "true()", "1"):
            return True
        if value not in ("no", "false", "false()", "0"):
            self.problem(row, f"required '{row.get('required')}' cannot be carried over: "
                         "use yes or no (a conditional required has no counterpart)")
        return False

    def options(self, node: Node, qtype: str) -> str | None:
        name = node.list_name or ""
        if name not in self.lists:
            self.problem(node.row, f"choice list '{name}' is not in the choices sheet")
            return None
        if qtype == "scale" and not all(o["value"].isdigit() for o in self.lists[name]):
            self.problem(node.row, f"a likert scale needs the values 1, 2, ... (list '{name}')")
        self.used[name] = self.used.get(name, 0) + 1
        return name

    def translate(self, row: Row, key: str, source: str) -> str | None:
        try:
            return Quoted(from_xpath(source, self.refs, self.booleans))
        except ValueError as error:
            self.problem(row, f"{key} {source!r} cannot be translated: {error}")
            return None

    def constraint(self, node: Node, question: dict) -> None:
        source = node.row.get("constraint")
        if not source:
            return
        try:
            parts = split_and(source)
        except ValueError as error:
            self.problem(node.row, f"constraint {source!r} cannot be translated: {error}")
            return
        rest = [part for part in reversed(parts) if not _limit(part, question)]
        if rest:
            question["constraint"] = self.translate(
                node.row, "constraint", " and ".join(reversed(rest)))

    def matrix(self, group: Node, relevant: str | None) -> dict | None:
        rows = self.matrix_rows(group)
        lists = {c.list_name for c in rows}
        if not rows or len(lists) != 1 or any(c.base != "select_one" for c in rows):
            self.problem(group.row, f"matrix '{group.name}' needs select_one rows that all "
                         "use one choice list")
            return None
        for child in rows:
            for key in ("relevant", "constraint"):
                if child.row.get(key):
                    self.problem(child.row, f"{key} on a matrix row cannot be carried over")
        question: dict[str, Any] = {"name": group.name, "type": "matrix"}
        self.common(group, question, relevant)
        if rows and all(self.required(c.row) for c in rows):
            question["required"] = True
        question["options"] = self.options(rows[0], "matrix")
        question["rows"] = [Flow(name=_row_name(group, c), label=_text(c.row.texts.get("label"))
                                 or _row_name(group, c)) for c in rows]
        if str(group.row.get(f"{TOOL}carry_over") or "").strip().lower() in ("no", "false"):
            question["carry_over"] = False
        return question

    def title(self) -> Any:
        texts = {"sv": self.settings.get("form_title") or self.settings.get("form_id")
                 or "XLSForm"}
        if english := (self.settings.texts.get(f"{TOOL}title") or {}).get("en"):
            texts["en"] = english
        return _text(texts)


def _row_name(group: Node, child: Node) -> str:
    prefix = group.name + "_"
    return child.name[len(prefix):] if child.name.startswith(prefix) else child.name


def _both(first: str | None, second: str | None) -> str | None:
    if first and second:
        return f"({first}) and ({second})"
    return first or second


_LIMITS = (
    ("pattern", ("text",), re.compile(r"^regex\(\s*\.\s*,\s*(?:'([^']*)'|\"([^\"]*)\")\s*\)$")),
    ("max_length", ("text", "textarea"), re.compile(r"^string-length\(\s*\.\s*\)\s*<=\s*(\d+)$")),
    ("min", ("number",), re.compile(r"^\.\s*>=\s*(-?\d+(?:\.\d+)?)$")),
    ("max", ("number",), re.compile(r"^\.\s*<=\s*(-?\d+(?:\.\d+)?)$")),
    ("min", ("date",), re.compile(r"^\.\s*>=\s*date\(\s*'(\d{4}-\d\d-\d\d)'\s*\)$")),
    ("max", ("date",), re.compile(r"^\.\s*<=\s*date\(\s*'(\d{4}-\d\d-\d\d)'\s*\)$")),
)


def _limit(part: str, question: dict) -> bool:
    """Take a constraint part that is a min, max, max_length or pattern (the last one of each
    kind, as the export writes them last); True when it was taken."""
    for key, types, pattern in _LIMITS:
        match = pattern.match(part.strip())
        if match and question["type"] in types and key not in question:
            text = next(g for g in match.groups() if g is not None)
            question[key] = Literal(text) if key == "pattern" else \
                Quoted(text) if question["type"] == "date" else _number(text)
            return True
    return False


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


# ------------------------------------------------------------------ YAML


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


_Dumper.add_representer(Quoted, lambda dumper, data: dumper.represent_scalar(
    "tag:yaml.org,2002:str", str(data), style='"'))
_Dumper.add_representer(Literal, lambda dumper, data: dumper.represent_scalar(
    "tag:yaml.org,2002:str", str(data), style="'"))
_Dumper.add_representer(Flow, lambda dumper, data: dumper.represent_mapping(
    "tag:yaml.org,2002:map", dict(data), flow_style=True))


def _ordered(question: dict) -> dict:
    return {key: question[key] for key in QUESTION_ORDER if question.get(key) is not None}


def render(data: dict, source: str, notes: list[str]) -> str:
    head = [f"# Imported from the XLSForm {source} by `lagesbild import-xlsform`.",
            "# Edit this file from now on, and check it with `lagesbild check`."]
    head += [f"# {note}" for note in notes]
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
    body = re.sub(r"(?<!pages:)\n(  - name: )", r"\n\n\1", body)
    body = re.sub(r"\n(option_lists:|pages:)", r"\n\n\1", body)
    return "\n".join(head) + "\n" + body


# ------------------------------------------------------------------ the whole conversion


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "xlsform"


def _mapping(form: _Form, pages: list[dict], filename: str) -> dict:
    settings = form.settings
    data: dict[str, Any] = {
        "id": _slug(settings.get("form_id") or Path(filename).stem),
        "version": Quoted(settings.get("version") or "1"),
        "title": form.title(),
    }
    description = _text(settings.texts.get(f"{TOOL}description"))
    if description is not None:
        data["description"] = description
    shared = {name: form.lists[name] for name in form.lists if form.used.get(name, 0) > 1}
    if shared:
        data["option_lists"] = shared
    for page in pages:
        page["questions"] = [_ordered(_inline(q, form, shared)) for q in page["questions"]]
    data["pages"] = pages
    return data


def _inline(question: dict, form: _Form, shared: dict) -> dict:
    name = question.get("options")
    if name is not None and name not in shared:
        question["options"] = form.lists[name]
    return question


def _notes(form: _Form) -> list[str]:
    notes = []
    if form.skipped:
        notes.append("Left out (metadata the survey engine records itself): "
                     + ", ".join(form.skipped))
    return notes


def convert(path: str | Path, output_name: str = "<output>") -> str:
    """The questionnaire YAML of one XLSForm file; XLSFormError lists every problem."""
    filename = str(path)
    reader = _Reader(filename)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
        raise XLSFormError([f"{filename}:workbook:0: cannot read: {error}"]) from None
    try:
        settings = reader.rows(workbook, "settings", SETTINGS_COLUMNS)
        if settings and settings[0].get("default_language"):
            reader.default_language = language_code(settings[0].get("default_language")) or "sv"
            settings = reader.rows(workbook, "settings", SETTINGS_COLUMNS)
        choices = reader.rows(workbook, "choices", CHOICE_COLUMNS)
        survey = reader.rows(workbook, "survey", SURVEY_COLUMNS)
    finally:
        workbook.close()
    if "survey" not in workbook.sheetnames:
        reader.problem("survey", 0, "the workbook has no sheet named 'survey'")
    form = _Form(reader, settings[0] if settings else None, choices)
    nodes = form.tree(survey)
    form.collect_names(nodes)
    pages = form.pages(nodes)
    if not pages and not reader.problems:
        reader.problem("survey", 1, "the survey has no questions")
    if reader.problems:
        raise XLSFormError(reader.problems)
    text = render(_mapping(form, pages, filename), Path(filename).name, _notes(form))
    _validate(text, form, filename, output_name)
    return text


def _validate(text: str, form: _Form, filename: str, output_name: str) -> None:
    """The loader's own check; its problems are told by the row of the question named."""
    try:
        loader.loads(text, output_name)
    except loader.QuestionnaireError as error:
        lines = []
        for problem in error.problems:
            names = re.findall(r"'([a-z][a-z0-9_]*)'", problem.message)
            row = next((form.rows_of[n] for n in names if n in form.rows_of), 1)
            lines.append(f"{filename}:survey:{row}: {problem.message}")
        raise XLSFormError(lines) from None
