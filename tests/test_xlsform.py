"""XLSForm in and out: a form written with openpyxl imports, checks and serves; our
questionnaires go out as XLSForm (valid for pyxform) and come back the same."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pyxform.xls2xform import convert

from survey import create_app, store
from survey.cli import cli
from survey.questionnaire import loader
from survey.questionnaire.xlsform import from_xpath
from tests.conftest import FIXTURES, HALMSTAD, ROOT, make_rounds

SV, EN = "label::Svenska (sv)", "label::English (en)"
HEADER = ["type", "name", SV, EN, "hint::Svenska (sv)", "hint::English (en)", "required",
          "relevant", "constraint", "constraint_message::Svenska (sv)",
          "constraint_message::English (en)", "appearance"]
SURVEY = [
    ["start", "start"],
    ["begin_group", "contact", "Kontakt", "Contact"],
    ["text", "contact_name", "Ditt namn", "Your name", "För- och efternamn", "First and last",
     "yes"],
    ["integer", "staff", "Antal anställda", "Number of staff", None, None, "no", None,
     ". >= 0 and . <= 5000"],
    ["end_group"],
    ["begin_group", "work", "Arbetet", "The work", None, None, None, "${staff} > 0"],
    ["select_multiple actors", "actors", "Vilka har ni samverkat med?",
     "Who have you worked with?", None, None, None, None, "count-selected(.) <= 2",
     "Välj högst två.", "Choose at most two."],
    ["text", "actors_other", "Vem?", "Who?", None, None, "yes", "selected(${actors}, 'other')"],
    ["select_one level", "risk", "Hur stor är risken?", "How high is the risk?", None, None,
     "yes", None, None, None, None, "minimal"],
    ["text", "risk_reason", "Varför?", "Why?", None, None, None,
     "${risk} = 'high' and ${contact_name} != ''", None, None, None, "multiline"],
    ["end_group"],
    ["date", "report_date", "Datum", "Date", None, None, None, None, ". <= today()",
     "Inte i framtiden.", "Not in the future."],
    ["note", "thanks", "Tack!", "Thank you!"],
]
CHOICES = [["list_name", "name", SV, EN],
           ["actors", "police", "Polisen", "The police"],
           ["actors", "region", "Regionen", "The region"],
           ["actors", "other", "Någon annan", "Someone else"],
           ["level", "high", "Hög", "High"], ["level", "low", "Låg", "Low"]]
SETTINGS = [["form_title", "form_id", "version", "default_language"],
            ["Samverkan", "samverkan_2024", "2024.1", "Svenska (sv)"]]


def write_form(path: Path, survey=SURVEY, choices=CHOICES, settings=SETTINGS) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows, header in (("survey", survey, HEADER), ("choices", choices, None),
                                ("settings", settings, None)):
        sheet = workbook.create_sheet(title)
        for row in ([header] if header else []) + rows:
            sheet.append(row)
    workbook.save(path)
    return path


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def imported(tmp_path) -> Path:
    form = write_form(tmp_path / "samverkan.xlsx")
    out = tmp_path / "samverkan.yaml"
    result = invoke("import-xlsform", str(form), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_imported_form_is_readable_and_passes_check(imported):
    text = imported.read_text(encoding="utf-8")
    assert text.startswith("# Imported from the XLSForm samverkan.xlsx")
    assert "Left out (metadata the survey engine records itself): start" in text
    result = invoke("check", str(imported))
    assert result.exit_code == 0, result.output
    questionnaire = loader.load(imported)
    assert questionnaire.id == "samverkan-2024" and questionnaire.version == "2024.1"
    assert [p.name for p in questionnaire.pages] == ["contact", "work", "page_3"]
    assert questionnaire.page("contact").title.en == "Contact"
    by_name = {q.name: q for q in questionnaire.questions}
    assert by_name["staff"].type == "number" and (by_name["staff"].min, by_name["staff"].max) \
        == (0, 5000)
    assert by_name["actors"].type == "multiple" and by_name["actors"].constraint_src \
        == "count(.) <= 2"
    assert by_name["actors"].constraint_message.en == "Choose at most two."
    assert by_name["actors_other"].relevant_src == "staff > 0 and selected(actors, 'other')"
    assert by_name["risk"].appearance == "select" and by_name["risk"].required
    assert by_name["risk_reason"].type == "textarea"
    assert by_name["risk_reason"].relevant_src == \
        "staff > 0 and (risk = 'high' and not empty(contact_name))"
    assert by_name["contact_name"].hint.sv == "För- och efternamn"
    assert by_name["report_date"].constraint_src == ". <= today()"
    assert by_name["thanks"].type == "note"


def test_imported_form_serves(imported, tmp_path):
    db_path = tmp_path / "lagesbild.db"
    app = create_app({
        "TESTING": True, "DB": str(db_path), "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret", "BASE_URL": "http://localhost",
    }, instance_path=str(tmp_path / "instance"))
    database = store.connect(db_path)
    store.init(database)
    links = make_rounds(database, imported)
    database.conn.close()
    client = app.test_client()
    assert client.get(links.url("2020-09", HALMSTAD)).status_code == 302
    html = client.get(f"/svar/2020-09/{HALMSTAD}/sida/work").get_data(as_text=True)
    assert "Vilka har ni samverkat med?" in html and "Polisen" in html
    english = client.get(f"/svar/2020-09/{HALMSTAD}/sida/contact?lang=en").get_data(as_text=True)
    assert "Your name" in english


def _without_source(questionnaire):
    """The model without what only says where it came from: source, hash, path, lines."""
    pages = tuple(dataclasses.replace(page, line=0, questions=tuple(
        dataclasses.replace(q, line=0) for q in page.questions)) for page in questionnaire.pages)
    return dataclasses.replace(questionnaire, pages=pages, source="", hash="", path="",
                               _index={})


def _pyxform(path: Path) -> str:
    warnings: list[str] = []
    result = convert(xlsform=path.read_bytes(), warnings=warnings, file_type=".xlsx",
                     form_name="data")
    return result.xform


def test_2020_questionnaire_goes_out_and_comes_back_the_same(tmp_path):
    source = ROOT / "questionnaires" / "lagesbild-2020.yaml"
    xlsx, back = tmp_path / "lagesbild-2020.xlsx", tmp_path / "back.yaml"
    assert invoke("export-xlsform", str(source), "-o", str(xlsx)).exit_code == 0
    xform = _pyxform(xlsx)
    assert f"<h:title>{loader.load(source).title.sv}</h:title>" in xform
    assert ('<bind nodeset="/data/area_violence/violence_high_reason" type="string" '
            'required="true()" relevant=" /data/assessment/risk_level/risk_level_violence  = '
            "'high'\"") in xform
    survey = openpyxl.load_workbook(xlsx)["survey"]
    cells = [[c for c in row if c is not None] for row in survey.iter_rows(values_only=True)]
    assert ["begin_group", "risk_level"] == cells[next(
        i for i, r in enumerate(cells) if "risk_level" in r)][:2]
    assert any("${risk_level_violence} = 'high'" in row for row in cells)
    result = invoke("import-xlsform", str(xlsx), "-o", str(back))
    assert result.exit_code == 0, result.output
    assert invoke("check", str(back)).exit_code == 0
    assert _without_source(loader.load(back)) == _without_source(loader.load(source))


def test_every_type_survives_a_second_round_trip(tmp_path):
    """all-types uses `in` lists and `x != null`, which come back as `=` chains and empty():
    the same meaning, so a second export is identical to the first."""
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    back = tmp_path / "back.yaml"
    assert invoke("export-xlsform", str(FIXTURES / "all-types.yaml"), "-o", str(first)) \
        .exit_code == 0
    _pyxform(first)
    assert invoke("import-xlsform", str(first), "-o", str(back)).exit_code == 0
    assert invoke("export-xlsform", str(back), "-o", str(second)).exit_code == 0

    def sheets(path):
        book = openpyxl.load_workbook(path)
        return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}

    assert sheets(first) == sheets(second)
    original, again = loader.load(FIXTURES / "all-types.yaml"), loader.load(back)
    for one, other in zip(original.questions, again.questions, strict=True):
        assert (one.name, one.type, one.options, one.rows, one.min, one.max, one.pattern,
                one.max_length, one.appearance, one.code_with, one.required) == \
               (other.name, other.type, other.options, other.rows, other.min, other.max,
                other.pattern, other.max_length, other.appearance, other.code_with,
                other.required)


def test_bad_rows_are_reported_by_sheet_and_row(tmp_path):
    survey = [
        ["begin_group", "p", "Sida"],
        ["geopoint", "where", "Var?"],
        ["frobnicate", "odd", "Konstig"],
        ["select_one nolist", "pick", "Välj"],
        ["text", "cond", "Villkor", None, None, None, None, "${pick} == 'x' or jr:choice-name(1)"],
        ["text", "cond", "Igen"],
        ["text", "lost", "Saknas", None, None, None, None, "${nope} = 'x'"],
        ["end_group"],
    ]
    form = write_form(tmp_path / "bad.xlsx", survey=survey)
    out = tmp_path / "bad.yaml"
    result = invoke("import-xlsform", str(form), "-o", str(out))
    assert result.exit_code == 1
    assert not out.exists()
    lines = result.output.splitlines()
    expected = {
        3: "XLSForm type 'geopoint' cannot be carried over",
        4: "unknown type 'frobnicate'",
        5: "choice list 'nolist' is not in the choices sheet",
        6: "relevant \"${pick} == 'x' or jr:choice-name(1)\" cannot be translated",
        7: "duplicate name 'cond' (first on row 6)",
        8: "relevant \"${nope} = 'x'\" cannot be translated: unknown question ${nope}",
    }
    for row, message in expected.items():
        assert any(line.startswith(f"{form}:survey:{row}: ") and message in line
                   for line in lines), (row, result.output)


def test_other_languages_and_columns_are_not_silently_dropped(tmp_path):
    survey = [["begin_group", "p", "Sida"], ["text", "a", "Fråga", None, None, None, None, None,
                                              None, None, None, None, "5"], ["end_group"]]
    form = write_form(tmp_path / "lang.xlsx", survey=survey)
    book = openpyxl.load_workbook(form)
    book["survey"]["M1"] = "default"
    book["survey"]["N1"] = "label::Arabic (ar)"
    book["survey"]["N3"] = "سؤال"
    book.save(form)
    result = invoke("import-xlsform", str(form), "-o", str(tmp_path / "lang.yaml"))
    assert result.exit_code == 1
    assert f"{form}:survey:3: column 'default' cannot be carried over" in result.output
    assert f"{form}:survey:1: column 'label::Arabic (ar)' cannot be carried over" in result.output


@pytest.mark.parametrize(("xpath", "ours"), [
    ("${a} = 'x'", "a = 'x'"),
    ("not(${a} = '')", "not empty(a)"),
    ("${a} != '' and ${b} = 'yes'", "not empty(a) and b = true"),
    ("selected(${m}, 'v') or count-selected(${m}) >= 2", "selected(m, 'v') or count(m) >= 2"),
    ("string-length(.) div 2 > 3", "length(.) / 2 > 3"),
    ("${grid_kitchen} = 'red'", "grid.kitchen = 'red'"),
    (". <= today() and . >= date('2020-01-01')", ". <= today() and . >= '2020-01-01'"),
    ("not(${a} = 'x') = true()", "(not a = 'x') = true"),
])
def test_expressions_translate(xpath, ours):
    refs = {"a": "a", "b": "b", "m": "m", "grid_kitchen": "grid.kitchen"}
    assert from_xpath(xpath, refs, {"b"}) == ours


@pytest.mark.parametrize("xpath", ["${a} mod 2 = 0", "if(${a} = 'x', 1, 0)", "/data/a = 1",
                                   "${a} = 'x' | ${a} = 'y'", "(${a} = 'x'"])
def test_untranslatable_expressions_say_why(xpath):
    with pytest.raises(ValueError):
        from_xpath(xpath, {"a": "a"})


def test_export_reports_what_xlsform_cannot_say(tmp_path):
    source = tmp_path / "q.yaml"
    source.write_text("""id: q
version: "1"
title: "T"
pages:
  - name: p
    title: "P"
    questions:
      - name: grid
        type: matrix
        label: "G"
        options: [{value: a, label: "A"}]
        rows: [{name: r, label: "R"}]
        constraint: "count(.) > 0"
""", encoding="utf-8")
    result = invoke("export-xlsform", str(source), "-o", str(tmp_path / "q.xlsx"))
    assert result.exit_code == 1
    assert f"{source}:8: constraint of matrix 'grid' has no XLSForm counterpart" in result.output
    assert not (tmp_path / "q.xlsx").exists()
