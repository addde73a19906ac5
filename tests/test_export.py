"""Exports read back: CSV with the csv module, XLSX with openpyxl, JSON with json; every stored
answer can be rebuilt from its cells, and each round keeps its own questionnaire's columns."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from survey import store
from survey.cli import cli
from survey.services import export as exporter
from survey.services import versions
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import (
    FORMULA_TEXT,
    NEW_ROUND,
    A,
    B,
    C,
    cli_env,
    questionnaire_v2,
    user_client,
)


def read_csv(body: bytes) -> list[dict[str, str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")  # so Excel reads å, ä and ö
    return list(csv.DictReader(io.StringIO(text[1:])))


def rebuild(question, row: dict[str, str]):
    """The answer as stored, from the export cells (the inverse of export.answer_cells)."""
    name = question.name
    if question.type == "matrix":
        cells = {r.name: row[f"{name}.{r.name}"] for r in question.rows if row[f"{name}.{r.name}"]}
        return cells or None
    if question.type == "multiple":
        if not row[name + "__label"]:
            return None
        return [o.value for o in question.options if row[f"{name}.{o.value}"] == "1"]
    value = row[name]
    if value == "":
        return None
    if question.type == "boolean":
        return value == "1"
    if question.type in ("number", "scale"):
        return float(value) if "." in value else int(value)
    return value[1:] if value.startswith("'=") else value


def test_csv_rebuilds_every_stored_answer(accounts_db):
    rows = read_csv(exporter.render(accounts_db, NEW_ROUND, "csv"))
    assert [r["municipality_code"] for r in rows] == ["1081", "1082", "1315", "1380", "1383"]
    questionnaire = store.round_questionnaire(accounts_db, store.get_round(accounts_db, NEW_ROUND))
    checked = 0
    for row in rows:
        stored = store.answers_for_round(accounts_db, NEW_ROUND).get(row["municipality_code"], {})
        for question in questionnaire.questions:
            if question.stores_answer:
                assert rebuild(question, row) == stored.get(question.name), (
                    row["municipality_code"], question.name)
                checked += question.name in stored
    assert checked > 60
    varberg = next(r for r in rows if r["municipality_code"] == B)
    assert varberg["status"] == "submitted" and varberg["status__label"] == "Inskickad"
    assert varberg["risk_level.violence__label"] in ("Hög", "Medel", "Låg", "Vet ej")
    assert varberg["other_comments"] == "'" + FORMULA_TEXT  # never run as a formula
    ronneby = next(r for r in rows if r["municipality_code"] == "1081")
    assert ronneby["status__label"] == "Ej påbörjad" and ronneby["respondent_name"] == ""


def test_xlsx_has_codes_labels_and_column_descriptions(accounts_db):
    body = exporter.render(accounts_db, NEW_ROUND, "xlsx", county_code="13")
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["Svar", "Kolumner", "Om exporten"]
    sheet = workbook["Svar"]
    values = list(sheet.iter_rows(values_only=True))
    keys, labels, data = values[0], values[1], values[2:]
    assert keys[:5] == ("round_id", "county_code", "county_name", "municipality_code",
                        "municipality_name")
    assert [row[3] for row in data] == ["1315", "1380", "1383"]
    column = keys.index("risk_level.violence__label")
    assert labels[column].endswith("Våld i nära relationer och hedersrelaterat våld och "
                                   "förtryck") or "Våld" in labels[column]
    varberg = dict(zip(keys, next(r for r in data if r[3] == B), strict=True))
    assert varberg["other_comments"] == FORMULA_TEXT
    cell = sheet.cell(row=2 + [r[3] for r in data].index(B) + 1,
                      column=keys.index("other_comments") + 1)
    assert cell.data_type == "s"  # text, not a formula
    stored = store.answers_for_round(accounts_db, NEW_ROUND)[B]
    if "summer_jobs_offered" in stored:
        assert varberg["summer_jobs_offered"] == stored["summer_jobs_offered"]  # a number
    described = {row[0]: row for row in workbook["Kolumner"].iter_rows(values_only=True)}
    assert described["risk_level.violence"][3] == "row"
    about = dict(workbook["Om exporten"].iter_rows(values_only=True))
    assert about["questionnaire_id"] == "lagesbild-2020" and about["county_code"] == "13"


def test_json_carries_columns_rows_and_the_pinned_version(accounts_db):
    document = json.loads(exporter.render(accounts_db, NEW_ROUND, "json", county_code="10"))
    assert [r["municipality_code"] for r in document["rows"]] == ["1081", "1082"]
    keys = [c["key"] for c in document["columns"]]
    assert all(set(row) <= set(keys) for row in document["rows"])
    round_row = store.get_round(accounts_db, NEW_ROUND)
    assert document["export"]["questionnaire_hash"] == round_row["questionnaire_hash"]
    assert document["export"]["municipalities"] == 2


def test_each_round_is_exported_with_its_own_questionnaire(accounts_db, tmp_path):
    first = read_csv(exporter.render(accounts_db, "t-1", "csv"))
    second = read_csv(exporter.render(accounts_db, "t-2", "csv"))
    assert "shelter_full" in first[0] and "shelter_full" not in second[0]
    assert "risk_now.unrest" not in first[0] and "risk_now.unrest" in second[0]
    assert "collaboration.skr" in second[0] and "support_needed" in second[0]
    halmstad_1 = next(r for r in first if r["municipality_code"] == A)
    halmstad_2 = next(r for r in second if r["municipality_code"] == A)
    assert halmstad_1["overall"] == halmstad_2["overall"] == "better"
    assert halmstad_1["overall__label"] == "Bättre"  # the label the municipality saw then
    assert halmstad_2["overall__label"] == "Förbättrat"
    assert halmstad_1["shelter_full"] == "1" and halmstad_1["shelter_full__label"] == "Ja"

    # a later edit of the YAML changes neither round's export
    v3 = questionnaire_v2().replace('version: "2"', 'version: "3"').replace(
        "Förbättrat", "Bättre än förut")
    (tmp_path / "v3.yaml").write_text(v3, encoding="utf-8")
    versions.import_file(accounts_db, tmp_path / "v3.yaml")
    again = read_csv(exporter.render(accounts_db, "t-2", "csv"))
    assert next(r for r in again if r["municipality_code"] == A)["overall__label"] == \
        "Förbättrat"


def test_answers_the_pinned_questionnaire_does_not_know_are_kept(accounts_db):
    response = store.get_response(accounts_db, "t-2", C)
    store.save_answers(accounts_db, response["id"], {"shelter_full": False}, None, "import")
    rows = read_csv(exporter.render(accounts_db, "t-2", "csv"))
    karlshamn = next(r for r in rows if r["municipality_code"] == C)
    assert karlshamn["shelter_full"] == "false"  # kept as JSON in a column of its own
    columns = exporter.build(accounts_db, "t-2").columns
    assert next(c for c in columns if c.key == "shelter_full").part == "unknown"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_cli_export_writes_each_format(world, tmp_path: Path, fmt: str):
    output = tmp_path / f"export.{fmt}"
    result = CliRunner().invoke(cli, ["export", "--round", NEW_ROUND, "--format", fmt,
                                      "--county", "13", "-o", str(output)], env=cli_env(world))
    assert result.exit_code == 0, result.output
    body = output.read_bytes()
    if fmt == "csv":
        codes = [r["municipality_code"] for r in read_csv(body)]
    elif fmt == "json":
        codes = [r["municipality_code"] for r in json.loads(body)["rows"]]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(body))["Svar"]
        codes = [row[3] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert codes == ["1315", "1380", "1383"]


def test_cli_export_errors(world):
    runner = CliRunner()
    to_stdout = runner.invoke(cli, ["export", "--round", NEW_ROUND, "--format", "csv", "-o",
                                    "-"], env=cli_env(world))
    assert to_stdout.exit_code == 0 and to_stdout.stdout.startswith("\ufeffround_id,")
    xlsx_stdout = runner.invoke(cli, ["export", "--round", NEW_ROUND, "--format", "xlsx", "-o",
                                      "-"], env=cli_env(world))
    assert xlsx_stdout.exit_code == 1
    unknown = runner.invoke(cli, ["export", "--round", "nope", "--format", "csv", "-o", "-"],
                            env=cli_env(world))
    assert unknown.exit_code == 1 and "unknown round" in unknown.output
    bad_format = runner.invoke(cli, ["export", "--round", NEW_ROUND, "--format", "pdf", "-o",
                                     "-"], env=cli_env(world))
    assert bad_format.exit_code == 2


def test_web_downloads_are_limited_to_the_coordinators_county(coord_app):
    halland = user_client(coord_app, "coord13")
    for fmt in ("csv", "xlsx", "json"):
        response = halland.get(f"/samordna/omgang/{NEW_ROUND}/export.{fmt}")
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith(exporter.MEDIA_TYPES[fmt])
        assert f"lagesbild-{NEW_ROUND}-lan-13.{fmt}" in response.headers["Content-Disposition"]
        assert response.headers["Cache-Control"] == "no-store"
    rows = read_csv(halland.get(f"/samordna/omgang/{NEW_ROUND}/export.csv").data)
    assert {r["county_code"] for r in rows} == {"13"}
    assert halland.get(f"/samordna/omgang/{NEW_ROUND}/export.pdf").status_code == 404
    national = user_client(coord_app, "national")
    everyone = read_csv(national.get(f"/samordna/omgang/{NEW_ROUND}/export.csv").data)
    assert {r["county_code"] for r in everyone} == {"10", "13"}


def test_excel_csv_has_semicolons_a_bom_and_swedish_labels(accounts_db):
    body = exporter.render(accounts_db, NEW_ROUND, "csv", county_code="13", excel=True)
    assert body.startswith("\ufeff".encode())  # the BOM: Excel reads UTF-8, so å, ä, ö
    text = body.decode("utf-8")[1:]
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[:5] == ["Omgång", "Länskod", "Län", "Kommunkod", "Kommun"]
    assert header == [c.label for c in exporter.build(accounts_db, NEW_ROUND, "13").columns]
    assert [row[3] for row in data] == ["1315", "1380", "1383"]
    assert all(len(row) == len(header) for row in data)
    plain = exporter.render(accounts_db, NEW_ROUND, "csv", county_code="13")
    assert plain.decode("utf-8").startswith("\ufeffround_id,county_code,")  # the contract
    submitted = header.index("Inskickad")
    times = [row[submitted] for row in data if row[submitted]]
    assert times and all("T" not in t and "+" not in t for t in times)


def test_xlsx_times_are_local_date_times_with_filter_widths_and_frozen_header(accounts_db):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    body = exporter.render(accounts_db, NEW_ROUND, "xlsx", county_code="13")
    sheet = openpyxl.load_workbook(io.BytesIO(body))["Svar"]
    keys = [c.value for c in sheet[1]]
    column = keys.index("updated_at") + 1
    stored = {r["municipality_code"]: r["updated_at"]
              for r in exporter.build(accounts_db, NEW_ROUND, "13").rows}
    checked = 0
    for row in sheet.iter_rows(min_row=3):
        code, cell = row[3].value, row[column - 1]
        if stored[code] is None:
            continue
        assert isinstance(cell.value, datetime) and cell.is_date
        local = datetime.fromisoformat(stored[code]).astimezone(ZoneInfo("Europe/Stockholm"))
        assert cell.value == local.replace(tzinfo=None)
        checked += 1
    assert checked
    assert sheet.freeze_panes == "F3"
    assert sheet.auto_filter.ref == f"A2:{openpyxl.utils.get_column_letter(len(keys))}5"
    assert 10 <= sheet.column_dimensions["E"].width <= 50


def test_excel_csv_from_the_cli_and_the_web(world, coord_app, tmp_path: Path):
    output = tmp_path / "excel.csv"
    result = CliRunner().invoke(cli, ["export", "--round", NEW_ROUND, "--format", "csv",
                                      "--excel", "-o", str(output)], env=cli_env(world))
    assert result.exit_code == 0, result.output
    assert output.read_bytes().decode("utf-8").startswith("\ufeffOmgång;Länskod;")
    wrong = CliRunner().invoke(cli, ["export", "--round", NEW_ROUND, "--format", "xlsx",
                                     "--excel", "-o", str(tmp_path / "x.xlsx")],
                               env=cli_env(world))
    assert wrong.exit_code == 1
    halland = user_client(coord_app, "coord13")
    response = halland.get(f"/samordna/omgang/{NEW_ROUND}/export.csv?excel=1")
    assert response.status_code == 200
    assert response.data.decode("utf-8").startswith("\ufeffOmgång;Länskod;")
    assert f"lagesbild-{NEW_ROUND}-lan-13-excel.csv" in response.headers["Content-Disposition"]
    dashboard = halland.get(f"/samordna/omgang/{NEW_ROUND}/").get_data(as_text=True)
    assert "export.csv?excel=1" in dashboard or "excel=1" in dashboard


def test_answers_confirmed_unchanged_are_the_last_column_of_csv_and_xlsx(accounts_db):
    from tests.accounts_fixtures import OLD_ROUND, E

    round_row = store.get_round(accounts_db, NEW_ROUND)
    before = [c.key for c in exporter.columns_for(store.round_questionnaire(accounts_db,
                                                                            round_row))]
    old = store.get_response(accounts_db, OLD_ROUND, E)
    response = store.ensure_response(accounts_db, NEW_ROUND, E, "Eva Ek")
    carried = store.carry_over_answers(accounts_db, response["id"],
                                       store.answers(accounts_db, old["id"]), old["id"],
                                       "Eva Ek")
    wanted = sorted(q for q in carried if q in ("other_comments", "respondent_role",
                                                "state_support_needed"))
    assert len(wanted) >= 2
    assert store.confirm_carried(accounts_db, response["id"], wanted, "Eva Ek") == wanted

    rows = read_csv(exporter.render(accounts_db, NEW_ROUND, "csv", "13"))
    header = list(rows[0])
    assert header[-1] == "confirmed_unchanged"
    assert header[:-1] == before  # every earlier column, in its order
    by_code = {r["municipality_code"]: r for r in rows}
    assert by_code[E]["confirmed_unchanged"].split("; ") == wanted
    assert by_code[A]["confirmed_unchanged"] == ""  # answered afresh, nothing confirmed
    excel = exporter.render(accounts_db, NEW_ROUND, "csv", "13", excel=True).decode("utf-8")
    labels = next(csv.reader(io.StringIO(excel[1:]), delimiter=";"))
    assert labels[-1].startswith("Bekräftade oförändrade")

    sheet = openpyxl.load_workbook(io.BytesIO(exporter.render(
        accounts_db, NEW_ROUND, "xlsx", "13")))["Svar"]
    keys = [c.value for c in sheet[1]]
    assert keys[-1] == "confirmed_unchanged" and keys[:-1] == header[:-1]
    last = {row[keys.index("municipality_code")]: row[-1]
            for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert last[E].split("; ") == wanted and last[A] is None
