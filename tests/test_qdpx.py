"""The REFI-QDA export parses, holds every source, code and coding, follows the schema's
element order, keeps its GUIDs stable, and its offsets select the same text; the CSV of codes
has one row per code."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime

import pytest

from coding import load_codebook
from survey import store
from survey.services import code_exports, qdpx
from survey.store import Reviewer
from tests.conftest import HALMSTAD, KARLSKRONA, LAHOLM

NS = {"q": "urn:QDA-XML:project:1.0"}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ROUND = "2020-06"
# Windows line breaks (as browsers send textareas), Swedish letters, an emoji and a tag
HALMSTAD_TEXT = ("Fler kvinnor söker sig till kvinnojouren.\r\nUngdomar saknar sommarjobb i år 😟 "
                 "och <b>oron</b> ökar.\r\nVi ser inga tecken på ökat spelmissbruk.")
LAHOLM_TEXT = "Föräldrar hör av sig om barn som far illa. Fältassistenterna har fått mer tid."
KARLSKRONA_TEXT = "Otryggheten i centrum har ökat under sommaren."
ANNA = Reviewer(1, "Anna Andersson (anna@lst.test)")


def _answer(db, code: str, values: dict) -> int:
    response = store.ensure_response(db, ROUND, code, "test")
    store.save_answers(db, response["id"], values, None, "test")
    store.set_status(db, response["id"], store.SUBMITTED, "test")
    return response["id"]


def _span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def coded(db):
    """Three municipalities' answers with every kind of code, some decided by a person."""
    halmstad = _answer(db, HALMSTAD, {"violence_risks": HALMSTAD_TEXT,
                                      "violence_measures_taken": "Vi informerar på fler språk."})
    laholm = _answer(db, LAHOLM, {"children_risks": LAHOLM_TEXT})
    karlskrona = _answer(db, KARLSKRONA, {"unrest_risks": KARLSKRONA_TEXT})

    def code(theme, text, phrase, score=0.7, negated=False):
        start, end = _span(text, phrase)
        return {"code": theme, "score": score, "negated": negated, "source": "rule",
                "start": start, "end": end, "evidence": phrase}

    store.store_codes(db, halmstad, "violence_risks", "risks", [
        code("domestic_violence", HALMSTAD_TEXT, "Fler kvinnor söker sig till kvinnojouren."),
        code("youth_idleness", HALMSTAD_TEXT, "Ungdomar saknar sommarjobb i år 😟 och"),
        code("substance_abuse", HALMSTAD_TEXT, "Vi ser inga tecken på ökat spelmissbruk.",
             negated=True),
        code("economic_hardship", HALMSTAD_TEXT, "Ungdomar saknar sommarjobb", score=0.3),
    ], "model-1")
    store.store_codes(db, laholm, "children_risks", "risks", [
        code("vulnerable_children", LAHOLM_TEXT, "Föräldrar hör av sig om barn som far illa."),
    ], "model-1")
    store.store_codes(db, karlskrona, "unrest_risks", "risks", [
        code("public_safety", KARLSKRONA_TEXT, "Otryggheten i centrum har ökat"),
    ], "model-1")
    by_theme = {c["code"]: c for c in store.codes_for_answer(db, halmstad, "violence_risks")}
    store.decide(db, by_theme["domestic_violence"]["id"], "accept", ANNA)
    store.decide(db, by_theme["economic_hardship"]["id"], "reject", ANNA)
    # a theme added on a selected span that crosses a line break
    start, end = _span(HALMSTAD_TEXT, "kvinnojouren.\r\nUngdomar")
    store.add_code(db, halmstad, "violence_risks", "risks", "isolation", ANNA, start, end)
    return {"halmstad": halmstad, "laholm": laholm, "karlskrona": karlskrona}


def _read(path) -> tuple[ET.Element, dict[str, str]]:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        root = ET.fromstring(archive.read("project.qde"))
        files = {name: archive.read(name).decode("utf-8") for name in names
                 if name.startswith("sources/")}
    return root, files


def _sources(root: ET.Element, files: dict[str, str]) -> dict[str, tuple[ET.Element, str]]:
    result = {}
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        path = source.get("plainTextPath")
        assert path.startswith("internal://")
        result[source.get("name")] = (source, files["sources/" + path[len("internal://"):]])
    return result


def test_qdpx_holds_every_source_code_and_coding(db, coded, tmp_path):
    path = code_exports.export_qdpx(db, ROUND, None, tmp_path / "lagesbild.qdpx", "test")
    root, files = _read(path)
    assert root.tag == "{urn:QDA-XML:project:1.0}Project"
    sources = _sources(root, files)
    # every answered coded question is a source, with its text (line breaks as LF)
    assert set(sources) == {"Halmstads kommun – violence_risks",
                            "Halmstads kommun – violence_measures_taken",
                            "Laholms kommun – children_risks",
                            "Karlskrona kommun – unrest_risks"}
    assert len(files) == 4
    halmstad_source, halmstad_text = sources["Halmstads kommun – violence_risks"]
    assert halmstad_text == HALMSTAD_TEXT.replace("\r\n", "\n")
    # every theme of both codebooks is a code with a description, under its codebook
    codes = {c.get("guid"): c for c in root.iterfind(".//q:CodeBook//q:Code", NS)}
    for name, shown in (("risks", "Risker"), ("measures", "Åtgärder")):
        parent = next(c for c in root.iterfind("q:CodeBook/q:Codes/q:Code", NS)
                      if c.get("name") == shown)
        assert parent.get("isCodable") == "false"
        children = parent.findall("q:Code", NS)
        book = load_codebook(name)
        assert [c.get("name") for c in children] == [t.label_for("sv") for t in book.themes]
        for child, theme in zip(children, book.themes, strict=True):
            assert child.get("isCodable") == "true"
            assert theme.definition.strip()[:40] in child.find("q:Description", NS).text
    # codings: the present ones only (accepted, added, suggestions; never rejected/negated)
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    found = {}
    for name, (source, text) in sources.items():
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            coding = selection.find("q:Coding", NS)
            code = codes[coding.find("q:CodeRef", NS).get("targetGUID")]
            assert coding.get("creatingUser") in users
            assert selection.get("creatingUser") == coding.get("creatingUser")
            datetime.strptime(coding.get("creationDateTime"), "%Y-%m-%dT%H:%M:%SZ")
            found[(name, code.get("name"))] = (text[start:end], users[coding.get("creatingUser")])
    h = "Halmstads kommun – violence_risks"
    label = {t.id: t.label_for("sv") for t in load_codebook("risks").themes}
    auto = f"{qdpx.AUTO_CODER} model-1"
    assert found == {
        (h, label["domestic_violence"]): ("Fler kvinnor söker sig till kvinnojouren.",
                                          ANNA.name),
        (h, label["youth_idleness"]): ("Ungdomar saknar sommarjobb i år 😟 och", auto),
        (h, label["isolation"]): ("kvinnojouren.\nUngdomar", ANNA.name),
        ("Laholms kommun – children_risks", label["vulnerable_children"]): (
            "Föräldrar hör av sig om barn som far illa.", auto),
        ("Karlskrona kommun – unrest_risks", label["public_safety"]): (
            "Otryggheten i centrum har ökat", auto),
    }
    # cases: one per municipality, pointing at its sources
    cases = {c.get("name"): [r.get("targetGUID") for r in c.iterfind("q:SourceRef", NS)]
             for c in root.iterfind("q:Cases/q:Case", NS)}
    assert len(cases) == 3 and len(cases["Halmstads kommun"]) == 2
    assert halmstad_source.get("guid") in cases["Halmstads kommun"]


def test_qdpx_follows_the_schema(db, coded, tmp_path):
    """Element order, required attributes and GUID form as the REFI-QDA Project schema says
    (sequence order is what strict importers check)."""
    root, _files = _read(code_exports.export_qdpx(db, ROUND, None, tmp_path / "p.qdpx"))
    order = {
        "Project": ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links",
                    "Sets", "Graphs", "Description", "NoteRef"],
        "Code": ["Description", "NoteRef", "Code"],
        "Case": ["Description", "CodeRef", "VariableValue", "SourceRef", "SelectionRef"],
        "TextSource": ["Description", "PlainTextContent", "PlainTextSelection", "Coding",
                       "NoteRef", "VariableValue"],
        "PlainTextSelection": ["Description", "Coding", "NoteRef"],
        "Coding": ["CodeRef", "NoteRef"],
        "VariableValue": ["VariableRef", "TextValue"],
    }
    required = {"Project": ["name"], "User": ["guid"], "Code": ["guid", "name", "isCodable"],
                "Variable": ["guid", "name", "typeOfVariable"], "Case": ["guid"],
                "TextSource": ["guid", "plainTextPath"], "Coding": ["guid"],
                "PlainTextSelection": ["guid", "startPosition", "endPosition"],
                "CodeRef": ["targetGUID"], "SourceRef": ["targetGUID"],
                "VariableRef": ["targetGUID"]}
    guids = []
    for element in root.iter():
        tag = element.tag.split("}")[1]
        assert element.tag.startswith("{urn:QDA-XML:project:1.0}")
        if tag in order:
            positions = [order[tag].index(child.tag.split("}")[1]) for child in element]
            assert positions == sorted(positions), f"{tag}: children out of order"
        for attribute in required.get(tag, []):
            assert element.get(attribute), f"{tag} lacks {attribute}"
        for attribute, value in element.attrib.items():
            if attribute == "guid" or attribute.endswith(("GUID", "User")):
                assert GUID.match(value), f"{tag}.{attribute} = {value!r}"
        if element.get("guid"):
            guids.append(element.get("guid"))
    assert len(guids) == len(set(guids)), "a GUID is used twice"
    # every reference points at something that exists
    for ref in root.iter():
        target = ref.get("targetGUID")
        if target:
            assert target in guids


def test_guids_are_stable_between_exports(db, coded, tmp_path):
    def guids(path):
        root, _ = _read(path)
        return sorted(e.get("guid") for e in root.iter() if e.get("guid"))

    first = guids(code_exports.export_qdpx(db, ROUND, None, tmp_path / "1.qdpx"))
    second = guids(code_exports.export_qdpx(db, ROUND, None, tmp_path / "2.qdpx"))
    assert first == second
    assert qdpx.guid("code", "risks", "domestic_violence") in first


def test_qdpx_of_a_county_leaves_the_others_out(db, coded, tmp_path):
    root, files = _read(code_exports.export_qdpx(db, ROUND, "13", tmp_path / "13.qdpx"))
    names = set(_sources(root, files))
    assert "Karlskrona kommun – unrest_risks" not in names
    assert "Halmstads kommun – violence_risks" in names
    assert all("Otryggheten" not in text for text in files.values())


def test_a_county_projects_notes_are_in_words(db, coded, tmp_path):
    """The QDA tool's reader sees the county's name and each coding's status and origin in
    Swedish words, not database ids."""
    root, _files = _read(code_exports.export_qdpx(db, ROUND, "13", tmp_path / "13.qdpx"))
    assert root.get("name").endswith(", Hallands län") and "län 13" not in root.get("name")
    assert root.find("q:Description", NS).text == (
        "Projektet innehåller fritextsvaren från kommunerna i Hallands län i omgången "
        "Lägesbild juni 2020 (2020-06). Lägesbild har kodat svaren automatiskt, och samordnare "
        "har granskat en del av kodningarna. Kodningar av användaren "
        f"”{qdpx.AUTO_CODER}” är inte granskade ännu. Övriga kodningar har en samordnare "
        "godtagit eller lagt till.")
    parents = [c.get("name") for c in root.iterfind("q:CodeBook/q:Codes/q:Code", NS)]
    assert parents == ["Risker", "Åtgärder"]
    county_ref = qdpx.guid("variable", "Län")
    counties = {v.find("q:TextValue", NS).text
                for v in root.iterfind(".//q:Case/q:VariableValue", NS)
                if v.find("q:VariableRef", NS).get("targetGUID") == county_ref}
    assert counties == {"Hallands län"}
    notes = [s.find("q:Description", NS).text
             for s in root.iterfind(".//q:PlainTextSelection", NS)]
    assert notes
    ids = ("auto_accepted", "to_review", "accepted", "added", "rule+model", "(källa rule")
    assert not any(raw in note for note in notes for raw in ids)
    assert any(note.startswith("Våld i nära relationer: ") for note in notes)
    assert f"{_label('youth_idleness')}: förslag, ej granskat (källa: regel, poäng 0,70, " \
        "modellversion model-1)" in notes
    # a theme a coordinator added says so once, with no machine origin to repeat it
    added = [note for note in notes if ": tillagt av en samordnare" in note]
    assert added == [f"{_label('isolation')}: tillagt av en samordnare"]
    assert all(note.count("samordnare") <= 1 for note in notes)
    assert all("källa: " in note for note in notes if note not in added)


def _label(theme: str) -> str:
    return next(t.label_for("sv") for t in load_codebook("risks").themes if t.id == theme)


def test_a_codings_status_reads_as_in_the_review_workspace():
    """One state, one wording: the note's status begins with the workspace's status word,
    and the codebooks are named as the workspace names them."""
    from survey.web.review.text import CATALOGUE

    for status, words in qdpx.STATUS_WORDS.items():
        assert words.startswith(CATALOGUE.text_in("sv", f"status_{status}").lower()), status
    for book, name in qdpx.CODEBOOK_NAMES.items():
        assert CATALOGUE.text_in("sv", f"codebook_{book}") == name


def test_descriptions_say_how_far_the_codings_are_reviewed(db, coded):
    material = qdpx.coded_material(db, ROUND, None)
    present = [(s, c) for s in material.sources for c in s.codes
               if c["status"] in qdpx.EXPORTED_STATUSES and not c["negated"]]
    auto = [(s, c) for s, c in present if c["status"] in qdpx.PRESENT_AUTO]
    checked = [(s, c) for s, c in present if c["status"] not in qdpx.PRESENT_AUTO]
    added = [(s, c) for s, c in present if c["source"] == store.HUMAN_SOURCE]
    held = ("Projektet innehåller fritextsvaren från landets kommuner i omgången "
            "Lägesbild juni 2020 (2020-06).")
    assert qdpx.project_description(material, []) == f"{held} Inga svar är kodade ännu."
    assert qdpx.project_description(material, auto).endswith(
        "Ingen samordnare har granskat kodningarna ännu.")
    assert qdpx.project_description(material, checked).endswith(
        "samordnare har granskat alla kodningar.")
    assert qdpx.project_description(material, added) == \
        f"{held} All kodning är gjord av samordnare."


def test_an_unknown_county_is_named_as_unknown_and_logged(caplog):
    with caplog.at_level("WARNING", logger="survey.services.qdpx"):
        assert qdpx.county_name({"13": "Hallands län"}, "99") == "län 99 (okänt)"
    assert "'99'" in caplog.text
    assert qdpx.county_name({"13": "Hallands län"}, "13") == "Hallands län"


def test_line_break_normalisation_moves_offsets():
    text = "ab\r\ncd\re\nf"
    normalised, mapping = qdpx.normalise(text)
    assert normalised == "ab\ncd\ne\nf"
    for start, end in ((0, 2), (4, 6), (0, len(text)), (2, 6), (7, 8)):
        expected = text[start:end].replace("\r\n", "\n").replace("\r", "\n")
        assert normalised[mapping[start]:mapping[end]] == expected


def test_control_characters_do_not_break_the_xml(db, tmp_path):
    response_id = _answer(db, HALMSTAD, {"violence_risks": "Oro\x0bför våld\x01 i hemmet."})
    store.store_codes(db, response_id, "violence_risks", "risks", [
        {"code": "domestic_violence", "score": 0.9, "negated": False, "source": "rule",
         "start": 0, "end": 14}], "m")
    root, files = _read(code_exports.export_qdpx(db, ROUND, None, tmp_path / "c.qdpx"))
    selection = root.find(".//q:PlainTextSelection", NS)
    assert selection.get("name") == "Oro för våld  "  # the name is made XML-safe
    assert list(files.values()) == ["Oro\x0bför våld\x01 i hemmet."]  # the text is not


def test_csv_has_one_row_per_code(db, coded, tmp_path):
    text = code_exports.export_codes_csv(db, ROUND, None, tmp_path / "codes.csv", "test")
    assert (tmp_path / "codes.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == qdpx.CSV_COLUMNS
    stored = [c for c in store.codes_for_round(db, ROUND) if c["status"] != "removed"]
    assert len(rows) == len(stored) == 7
    by_theme = {r["theme"]: r for r in rows}
    assert by_theme["domestic_violence"]["status"] == "accepted"
    assert by_theme["domestic_violence"]["verified"] == "ja"
    assert by_theme["domestic_violence"]["decided_by"] == ANNA.name
    assert by_theme["economic_hardship"]["status"] == "rejected"
    assert by_theme["substance_abuse"]["negated"] == "ja"
    assert by_theme["youth_idleness"]["verified"] == "nej"
    assert by_theme["isolation"]["span"] == "kvinnojouren.\nUngdomar"
    for row in rows:
        assert row["answer"][int(row["start"]):int(row["end"])] == row["span"]
        assert row["municipality_name"].endswith("kommun")
    county = list(csv.DictReader(io.StringIO(
        code_exports.export_codes_csv(db, ROUND, "10"))))
    assert {r["municipality_code"] for r in county} == {KARLSKRONA}
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log")]
    assert "codes_exported_csv" in actions


def test_csv_cells_cannot_become_formulas(db, tmp_path):
    response_id = _answer(db, HALMSTAD, {"violence_risks": "=SUM(A1) våld i hemmet"})
    store.store_codes(db, response_id, "violence_risks", "risks", [
        {"code": "domestic_violence", "score": 0.9, "negated": False, "source": "rule",
         "start": 0, "end": 8}], "m")
    rows = list(csv.DictReader(io.StringIO(code_exports.export_codes_csv(db, ROUND, None))))
    assert rows[0]["answer"].startswith("'=SUM")
    assert rows[0]["span"] == "'=SUM(A1)"


def test_export_command_writes_qdpx_and_codes_csv(coded, db_path, tmp_path, monkeypatch):
    """`lagesbild export --format qdpx|codes-csv` and `lagesbild coding agreement`."""
    from click.testing import CliRunner

    from survey.cli import cli

    monkeypatch.setenv("LAGESBILD_DB", str(db_path))
    target = tmp_path / "halland.qdpx"
    result = CliRunner().invoke(cli, ["export", "--round", ROUND, "--format", "qdpx",
                                      "--county", "13", "-o", str(target)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as archive:
        project = ET.fromstring(archive.read("project.qde"))
        texts = [name for name in archive.namelist() if name.endswith(".txt")]
    sources = project.findall(".//q:TextSource", NS)
    assert len(sources) == len(texts) == 3  # Halmstad's and Laholm's answers, not Karlskrona's
    listing = CliRunner().invoke(cli, ["export", "--round", ROUND, "--format", "codes-csv",
                                       "--county", "13", "-o", "-"])
    rows = list(csv.DictReader(io.StringIO(listing.output.lstrip("\ufeff"))))
    assert rows and all(row for row in rows)
    assert "Karlskrona" not in listing.output
    agreement = CliRunner().invoke(cli, ["coding", "agreement", "--round", ROUND])
    assert agreement.exit_code == 0, agreement.output
    assert "domestic_violence" in agreement.output
