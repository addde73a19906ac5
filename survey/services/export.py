"""Answers of a round as a table: one row per municipality, one column per answer part.

Columns come from the questionnaire version the round pinned, so a round exported years later
still gets the labels its municipalities saw, whatever the YAML says today. Choice answers
carry both the code and the Swedish label; each matrix row and each multiple-choice option is
a column of its own. Answers that no longer match the pinned questionnaire are kept in extra
columns rather than dropped. Which columns a question has, and what goes in them, is its
question type's own (survey.questionnaire.types).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from coding.personal_data import mask, scan
from survey import store
from survey.questionnaire import types
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.types import LABEL_SUFFIX

FORMATS = ("csv", "xlsx", "json")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
STATUS_SV = {store.NOT_STARTED: "Ej påbörjad", store.DRAFT: "Utkast",
             store.SUBMITTED: "Inskickad", store.REOPENED: "Öppnad igen"}
# Spreadsheet programs run cells that start with these as formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Stored times are UTC; people read them, and Excel shows them, in Swedish local time.
LOCAL_TIME = ZoneInfo("Europe/Stockholm")
TIMESTAMP_KEYS = frozenset({"submitted_at", "updated_at", "exported_at"})
EXCEL_TIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # Swedish
    question: str | None = None
    part: str = "meta"  # meta, value, label, option, row, unknown


META_COLUMNS = (
    Column("round_id", "Omgång"), Column("county_code", "Länskod"),
    Column("county_name", "Län"), Column("municipality_code", "Kommunkod"),
    Column("municipality_name", "Kommun"), Column("status", "Status (kod)"),
    Column("status" + LABEL_SUFFIX, "Status"), Column("submitted_at", "Inskickad"),
    Column("submitted_by", "Inskickad av"), Column("updated_at", "Senast ändrad"),
)


#: Last column: the answers the municipality confirmed unchanged from the previous round
#: (question ids, "; " between them). Last so that the columns before it keep their order.
CONFIRMED_COLUMN = Column("confirmed_unchanged",
                          "Bekräftade oförändrade från förra omgången (fråge-id)")
CONFIRMED_SEPARATOR = "; "


def question_columns(question: Question) -> list[Column]:
    return [Column(key, label, question.name, part)
            for key, label, part in types.of(question).export_columns(question)]


def columns_for(questionnaire: Questionnaire) -> list[Column]:
    columns = list(META_COLUMNS)
    for question in questionnaire.questions:
        if question.stores_answer:
            columns += question_columns(question)
    keys = [c.key for c in columns]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise ValueError(f"export columns collide: {sorted(duplicates)}")
    return columns


def answer_cells(question: Question, value: Any) -> dict[str, Any]:
    """The cells of one answer, keyed like ``question_columns``."""
    if value is None:
        return {}
    return types.of(question).export_cells(question, value)


@dataclass
class ExportTable:
    round: dict
    questionnaire: Questionnaire
    county_code: str | None
    columns: list[Column]
    rows: list[dict[str, Any]]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


def build(db: sqlite_utils.Database, round_id: str, county_code: str | None = None
          ) -> ExportTable:
    round_row = store.get_round(db, round_id)
    if round_row is None:
        raise KeyError(round_id)
    questionnaire = store.round_questionnaire(db, round_row)
    columns = columns_for(questionnaire)
    status_rows, all_answers = store.export_rows(db, round_id, county_code)
    confirmed = store.confirmed_unchanged_for_round(db, round_id)
    unknown: set[str] = set()
    rows = []
    for status in status_rows:
        answers = all_answers.get(status["code"], {})
        row: dict[str, Any] = {
            "round_id": round_id, "county_code": status["county_code"],
            "county_name": status["county_name"], "municipality_code": status["code"],
            "municipality_name": status["name"], "status": status["status"],
            "status" + LABEL_SUFFIX: STATUS_SV[status["status"]],
            "submitted_at": status["submitted_at"], "submitted_by": status["submitted_by"],
            "updated_at": status["updated_at"],
        }
        for name, value in answers.items():
            if questionnaire.has(name) and questionnaire.question(name).stores_answer:
                row.update(answer_cells(questionnaire.question(name), value))
            else:  # answered under another version: keep it, as JSON, in its own column
                unknown.add(name)
                row[name] = json.dumps(value, ensure_ascii=False)
        row[CONFIRMED_COLUMN.key] = CONFIRMED_SEPARATOR.join(
            confirmed.get(status["code"], [])) or None
        rows.append(row)
    columns += [Column(name, f"{name} (finns inte i omgångens formulär)", name, "unknown")
                for name in sorted(unknown)]
    columns.append(CONFIRMED_COLUMN)
    return ExportTable(round_row, questionnaire, county_code, columns, rows)


# ---------------------------------------------------------------- writers


def _safe_text(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (CSV injection).

    Also when invisible characters or spaces (zero-width space, BOM, no-break space, a
    newline) come first, or the sign is a full-width or other compatibility form (＝ ＋ － ＠
    become = + - @ under NFKC, as some spreadsheet programs read them).
    """
    import unicodedata

    if not isinstance(value, str):
        return value
    start = 0
    while start < len(value) and (value[start].isspace() or unicodedata.category(
            value[start]) in ("Cf", "Cc", "Zs", "Zl", "Zp")):
        start += 1
    head = unicodedata.normalize("NFKC", value[start:start + 1])
    if value.startswith(FORMULA_STARTS + ("\n",)) or head.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(table: ExportTable) -> bytes:
    """UTF-8 with BOM (so Excel reads å, ä, ö), comma separated, header of column keys."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(table.keys)
    for row in table.rows:
        writer.writerow(["" if row.get(k) is None else _safe_text(row.get(k))
                         for k in table.keys])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_excel_csv(table: ExportTable) -> bytes:
    """For Excel with Swedish settings: semicolon separated, UTF-8 with BOM, a header of the
    Swedish column labels, decimal commas and times in Swedish local time (YYYY-MM-DD hh:mm:ss).
    The plain CSV (``to_csv``) is the contract format and stays as it is."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_safe_text(c.label) for c in table.columns])
    for row in table.rows:
        writer.writerow([_excel_text(key, row.get(key)) for key in table.keys])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _excel_text(key: str, value: Any) -> Any:
    if value is None:
        return ""
    if key in TIMESTAMP_KEYS and isinstance(value, str):
        moment = local_time(value)
        return moment.isoformat(sep=" ") if moment else value
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return _safe_text(value)


def local_time(value: str) -> datetime | None:
    """A stored UTC timestamp as a naive date-time in Europe/Stockholm (what Excel can hold)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_TIME).replace(tzinfo=None)
    return moment


def to_xlsx(table: ExportTable) -> bytes:
    """Sheet 'Svar': row 1 column keys, row 2 Swedish labels (frozen, with an autofilter), then
    one row per municipality, times as date-time cells in Swedish local time; sheet 'Kolumner'
    describes every column; sheet 'Om exporten' says what was exported."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Svar")
    sheet.freeze_panes = "F3"
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(table, column)
    if table.columns:
        sheet.auto_filter.ref = (
            f"A2:{get_column_letter(len(table.columns))}{len(table.rows) + 2}")
    bold = Font(bold=True)
    sheet.append([_header_cell(sheet, k, bold) for k in table.keys])
    sheet.append([_header_cell(sheet, c.label, bold) for c in table.columns])
    for row in table.rows:
        sheet.append([_value_cell(sheet, k, row.get(k)) for k in table.keys])
    described = workbook.create_sheet("Kolumner")
    for letter, width in zip("ABCD", (30, 60, 24, 10), strict=True):
        described.column_dimensions[letter].width = width
    described.append(["Kolumn", "Etikett", "Fråga", "Del"])
    for column in table.columns:
        described.append([column.key, column.label, column.question, column.part])
    about = workbook.create_sheet("Om exporten")
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 50
    for key, value in _about(table).items():
        about.append([key, _value_cell(about, key, value)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _header_cell(sheet, value: str, font: Font) -> WriteOnlyCell:
    cell = _text_cell(sheet, value)
    cell.font = font
    return cell


def _width(table: ExportTable, column: Column) -> float:
    """Wide enough for the label or the longest value, within 10 to 50 characters."""
    if column.key in TIMESTAMP_KEYS:
        return 17
    longest = max([len(column.label)] + [len(str(row.get(column.key) or ""))
                                         for row in table.rows[:200]])
    return float(min(max(longest + 2, 10), 50))


def _value_cell(sheet, key: str, value: Any) -> WriteOnlyCell:
    if key in TIMESTAMP_KEYS and isinstance(value, str):
        moment = local_time(value)
        if moment is not None:
            cell = WriteOnlyCell(sheet, value=moment)
            cell.number_format = EXCEL_TIME_FORMAT
            return cell
    return _text_cell(sheet, value)


def _text_cell(sheet, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def to_json(table: ExportTable) -> bytes:
    document = {
        "export": _about(table),
        "columns": [asdict(c) for c in table.columns],
        "rows": table.rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _about(table: ExportTable) -> dict[str, Any]:
    q = table.questionnaire
    return {
        "round_id": table.round["id"], "round_title": table.round["title"],
        "opens_on": table.round["opens_on"], "closes_on": table.round["closes_on"],
        "follows": table.round["follows"], "questionnaire_id": q.id,
        "questionnaire_version": q.version, "questionnaire_hash": q.hash,
        "questionnaire_title": q.title.sv, "county_code": table.county_code,
        "exported_at": store.now(), "municipalities": len(table.rows),
    }


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}


def render(db: sqlite_utils.Database, round_id: str, fmt: str,
           county_code: str | None = None, personal_data: bool = False,
           excel: bool = False) -> bytes:
    """The export file; passages with personal data are masked unless ``personal_data``
    (the caller audits that choice: exports leave the system). ``excel`` (csv only): the
    semicolon CSV with Swedish column labels that Swedish Excel opens as columns."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown format '{fmt}'")
    if excel and fmt != "csv":
        raise ValueError("excel applies to csv only")
    table = build(db, round_id, county_code)
    if not personal_data:
        free_text = _free_text_keys(db, round_id, table)
        table.rows = [{key: _masked(value) if key in free_text else value
                       for key, value in row.items()} for row in table.rows]
    return to_excel_csv(table) if excel else WRITERS[fmt](table)


def _free_text_keys(db: sqlite_utils.Database, round_id: str, table: ExportTable) -> set[str]:
    """Columns of the free-text answers (not the respondent's own contact fields, which
    the questionnaire asks for on purpose)."""
    questionnaire = store.round_questionnaire(db, store.get_round(db, round_id))
    free = {q.name for q in questionnaire.questions if q.type == "textarea" or q.code_with}
    return {column.key for column in table.columns if column.question in free}


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        findings = scan(value)
        if findings:
            return mask(value, findings)
    return value


def filename(round_id: str, fmt: str, county_code: str | None = None,
             excel: bool = False) -> str:
    scope = f"-lan-{county_code}" if county_code else ""
    return f"lagesbild-{round_id}{scope}{'-excel' if excel else ''}.{fmt}"


AUDIT_HEADER = ("at", "actor", "action", "entity", "entity_id", "round_id",
                "municipality_code", "county_code", "before", "after")


def audit_csv(entries: list[dict]) -> bytes:
    """The audit log as CSV; before and after stay JSON so nothing is flattened away."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(AUDIT_HEADER)
    for entry in entries:
        writer.writerow([
            json.dumps(entry[k], ensure_ascii=False, sort_keys=True)
            if k in ("before", "after") and entry[k] is not None
            else ("" if entry[k] is None else _safe_text(entry[k]))
            for k in AUDIT_HEADER])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def invitation_csv(issued: list[tuple[dict, str]], base_url: str) -> str:
    """The contract format: municipality_code,municipality_name,url."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["municipality_code", "municipality_name", "url"])
    for municipality, token in issued:
        writer.writerow([municipality["code"], municipality["name"],
                         f"{base_url.rstrip('/')}/s/{token}"])
    return out.getvalue()
