"""Word output: read back with python-docx, the .docx has Word headings, real tables with the
HTML's numbers, charts as pictures with alt text, and Swedish text."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from reports import county_report, national_report, render_html
from reports.docx import html_to_docx, parse, render_docx
from reports.sample_codes import store_corpus_codes
from survey import store
from survey.services import demo

ROUND, PREVIOUS, HALLAND = "2020-09", "2020-06", "13"
GENERATED = date(2020, 10, 1)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "demo.db"
    demo.build(path, counties=("13", "10"))
    db = store.connect(path)
    store_corpus_codes(db, PREVIOUS)
    store_corpus_codes(db, ROUND)
    db.conn.close()
    return path


@pytest.fixture(scope="module")
def halland(demo_path):
    db = store.connect(demo_path)
    model = county_report(db, ROUND, HALLAND, generated=GENERATED)
    db.conn.close()
    html = render_html(model)
    document = docx.Document(io.BytesIO(html_to_docx(html)))
    return model, html, document


def html_tables(html: str) -> list[list[list[str]]]:
    """Every table of the HTML as rows of cell texts."""
    root = parse(html)
    tables = []

    def walk(node):
        for child in node.elements():
            if child.tag == "table":
                rows = []
                for part in child.elements():
                    for tr in part.elements("tr"):
                        rows.append([c.text() for c in tr.elements() if c.tag in ("th", "td")])
                tables.append(rows)
            else:
                walk(child)

    walk(root)
    return tables


def test_headings_use_word_heading_styles(halland):
    model, _, document = halland
    styles: dict[str, str] = {}
    for p in document.paragraphs:
        if p.text:
            styles.setdefault(p.text, p.style.name)  # the first use (appendix pages repeat)
    assert styles["Sammanfattning"] == "Heading 1"
    assert styles["Metod och svarsfrekvens"] == "Heading 1"
    assert styles[model.areas[0].label] == "Heading 2"
    assert styles["Risknivå"] == "Heading 3"
    assert styles[model.questionnaire_title] == "Title"
    assert {"Heading 1", "Heading 2", "Heading 3"} <= set(styles.values())


def test_tables_have_the_same_numbers_as_the_html(halland):
    _, html, document = halland
    expected = html_tables(html)
    got = [[[cell.text for cell in row.cells] for row in table.rows]
           for table in document.tables]
    assert len(got) == len(expected) > 10
    assert got == expected
    header = document.tables[0].rows[0]._tr
    assert header.xpath("./w:trPr/w:tblHeader")  # repeated on every page


def test_charts_are_pictures_with_alt_text(halland):
    _, html, document = halland
    shapes = document.inline_shapes
    assert len(shapes) == html.count("<svg ")
    for shape in shapes:
        description = shape._inline.docPr.get("descr")
        assert description.startswith("Diagram: ")
        assert re.search(r"\d", description)  # the numbers in words, not only a title
    blob = document.part.related_parts[shapes[0]._inline.graphic.graphicData.pic.blipFill
                                       .blip.embed].blob
    assert blob.startswith(b"\x89PNG")


def test_swedish_text_and_metadata(halland):
    model, _, document = halland
    text = "\n".join(p.text for p in document.paragraphs)
    for name in (m.name for m in model.responding):
        assert name in text
    assert "kommuner i Hallands län" in text and "Förändring av risken" in text
    assert document.core_properties.title == model.title
    assert document.core_properties.language == "sv-SE"
    lang = document.styles.element.xpath("//w:docDefaults//w:lang")[0]
    assert lang.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == \
        "sv-SE"
    assert "<" not in text.replace("<script>", "")  # no markup leaked as text


def test_national_report_as_docx(demo_path, tmp_path):
    db = store.connect(demo_path)
    model = national_report(db, ROUND, generated=GENERATED)
    db.conn.close()
    target = tmp_path / "sverige.docx"
    render_docx(model, target)
    document = docx.Document(target)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Sammanfattning" in headings and "Metod och svarsfrekvens" in headings
    assert document.inline_shapes and document.tables


def test_cli_takes_docx_from_the_file_name(demo_path, tmp_path, monkeypatch):
    from survey.cli import cli

    monkeypatch.setenv("LAGESBILD_DB", str(demo_path))
    target = tmp_path / "halland.docx"
    result = CliRunner().invoke(cli, ["report", "--round", ROUND, "--county", "13",
                                      "--no-appendix", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "(docx," in result.output
    assert docx.Document(target).tables
    forced = tmp_path / "halland.bin"
    result = CliRunner().invoke(cli, ["report", "--round", ROUND, "--county", "13",
                                      "--no-appendix", "--format", "docx", "-o", str(forced)])
    assert result.exit_code == 0, result.output
    assert forced.read_bytes()[:2] == b"PK"
