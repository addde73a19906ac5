"""The coded material for analysts: REFI-QDA Project Exchange (.qdpx) and a CSV of codes.

A .qdpx file is a zip with ``project.qde`` (XML in the ``urn:QDA-XML:project:1.0``
namespace) and the sources as UTF-8 text under ``sources/``. NVivo, ATLAS.ti, MAXQDA and
QualCoder import it. Here:

- every free-text answer of the round (in the county) is a TextSource, named after its
  municipality and question, with the question and round as variables and each municipality
  a Case;
- the codebooks are parent codes (not codable) with one child code per theme, described by
  its definition and what to include and exclude;
- every theme present on an answer (accepted, added, or an auto-code not rejected) is a
  PlainTextSelection with one Coding. Codings a person verified carry that person as
  creatingUser; unverified auto-codes carry the auto-coder, so an analyst can filter them.

GUIDs are uuid5 of stable names (codebook and theme id, round, municipality and question),
so exporting twice gives the same GUIDs and a re-import updates instead of duplicating.
Offsets are character positions (Python slice semantics) in the source text as written to
the zip: line breaks are normalised to LF and the offsets moved with them.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import sqlite_utils

from coding import load_codebook
from survey import store

log = logging.getLogger(__name__)

NS = "urn:QDA-XML:project:1.0"
GUID_NAMESPACE = uuid.UUID("0b7c6a52-3f7e-5c1e-9a43-6c61676573b1")  # "Lägesbild" exports
AUTO_CODER = "Lägesbild autokodare (ej granskad)"
PRESENT_AUTO = (store.AUTO_ACCEPTED, store.TO_REVIEW)
#: A coding's note says in words what its status and origin are, for the QDA tool's reader.
#: Each begins with the review workspace's word for the status (review.po ``status_*``), so
#: a coordinator meets one wording for one state; tests/test_qdpx.py holds them together.
STATUS_WORDS = {store.ACCEPTED: "godtaget av en samordnare",
                store.ADDED: "tillagt av en samordnare",
                store.AUTO_ACCEPTED: "automatiskt godtaget, ej granskat",
                store.TO_REVIEW: "förslag, ej granskat"}
SOURCE_WORDS = {"rule": "regel", "model": "modell", "rule+model": "regel och modell"}
#: The codebooks' Swedish names, as the review workspace shows them (review.po
#: ``codebook_*``); the codebook files carry only an id.
CODEBOOK_NAMES = {"risks": "Risker", "measures": "Åtgärder"}
UNKNOWN_COUNTY = "län {code} (okänt)"
EXPORTED_STATUSES = (*store.PRESENT_STATUSES, *PRESENT_AUTO)
CSV_COLUMNS = ("round_id", "county_code", "municipality_code", "municipality_name",
               "response_id", "question", "question_label", "codebook", "theme", "theme_label",
               "status", "verified", "negated", "score", "source", "model_version", "start",
               "end", "span", "answer", "decided_by", "decided_at", "created_at")


def guid(*parts: object) -> str:
    """A stable GUID for a named thing (the same name gives the same GUID every export)."""
    return str(uuid.uuid5(GUID_NAMESPACE, "/".join(str(p) for p in parts)))


def normalise(text: str) -> tuple[str, list[int]]:
    """Text with CRLF and CR line breaks as LF, and a map from old offsets to new ones."""
    mapping, out, i = [], [], 0
    while i < len(text):
        mapping.append(len(out))
        if text[i] == "\r":
            out.append("\n")
            if i + 1 < len(text) and text[i + 1] == "\n":
                mapping.append(len(out))  # the LF of a CRLF maps past the single LF
                i += 1
        else:
            out.append(text[i])
        i += 1
    mapping.append(len(out))
    return "".join(out), mapping


# ---------------------------------------------------------------- what is exported


@dataclass
class Source:
    response_id: int
    question: str
    question_label: str
    codebook: str
    municipality_code: str
    municipality_name: str
    county_code: str
    county_name: str
    text: str  # normalised
    created: str
    codes: list[dict] = field(default_factory=list)  # offsets already normalised

    @property
    def guid(self) -> str:
        return guid("source", self.municipality_code, self.question, self.response_id)


@dataclass
class Material:
    round: dict
    county_code: str | None
    sources: list[Source]
    codebooks: list[Any]  # coding.codebook.Codebook
    county_name: str | None = None


def coded_material(db: sqlite_utils.Database, round_id: str, county_code: str | None
                   ) -> Material:
    """Every reviewable free-text answer of the round in the county, with its codes."""

    round_row = store.get_round(db, round_id)
    if round_row is None:
        raise ValueError(f"unknown round '{round_id}'")
    questionnaire = store.round_questionnaire(db, round_row)
    questions = questionnaire.coded_questions
    answers, _total = store.queue(db, round_id, questions, county_code, limit=None)
    updated = store.answer_update_times(db, round_id)
    counties = {row["code"]: row["name"] for row in store.counties(db)}
    codes: dict[tuple[int, str], list[dict]] = {}
    for code in store.codes_for_round(db, round_id, county_code):
        codes.setdefault((code["response_id"], code["question"]), []).append(code)
    sources = []
    for answer in answers:
        key = (answer["response_id"], answer["question"])
        text, mapping = normalise(answer["text"])
        moved = []
        for code in codes.get(key, []):
            start, end = code["start"], code["end"]
            if start is None or end is None or not 0 <= start <= end <= len(answer["text"]):
                start, end = 0, len(answer["text"])
            moved.append({**code, "start": mapping[start], "end": mapping[end]})
        sources.append(Source(
            answer["response_id"], answer["question"],
            questionnaire.question(answer["question"]).label.get("sv"), answer["codebook"],
            answer["municipality_code"], answer["municipality_name"], answer["county_code"],
            county_name(counties, answer["county_code"]), text,
            updated.get(key) or round_row["created_at"], moved))
    books = [load_codebook(name) for name in dict.fromkeys(questions.values())]
    return Material(round_row, county_code, sources, books,
                    county_name(counties, county_code) if county_code else None)


def county_name(counties: dict[str, str], code: str) -> str:
    """The county's name; a code missing from the counties table is named as unknown (and
    logged) rather than shown as a bare number the reader cannot place."""
    name = counties.get(code)
    if name is None:
        log.warning("county code %r is not in the counties table", code)
        return UNKNOWN_COUNTY.format(code=code)
    return name


def codebook_name(book: Any) -> str:
    return CODEBOOK_NAMES.get(book.name, book.name)


# ---------------------------------------------------------------- REFI-QDA


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(value: object) -> str:
    """Characters XML 1.0 cannot hold (control codes pasted from elsewhere) become spaces."""
    return _NOT_XML.sub(" ", str(value))


def _el(parent: ET.Element | None, tag: str, **attributes: Any) -> ET.Element:
    attrs = {k: _xml_safe(v) for k, v in attributes.items() if v is not None}
    if parent is None:
        return ET.Element(f"{{{NS}}}{tag}", attrs)
    return ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = _el(parent, tag)
    element.text = _xml_safe(value)
    return element


def _datetime(value: str | None) -> str | None:
    """xsd:dateTime in UTC ('2020-09-25T10:00:00Z')."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def theme_description(theme: Any) -> str:
    lines = [theme.definition.strip(), f"Id: {theme.id}. English: {theme.label.get('en', '')}."]
    if theme.include:
        lines.append("Ta med: " + "; ".join(theme.include))
    if theme.exclude:
        lines.append("Ta inte med: " + "; ".join(theme.exclude))
    return "\n".join(lines)


def coder_name(code: dict) -> str:
    """Who stands behind a coding: the person who verified it, else the auto-coder."""
    if code["status"] in store.PRESENT_STATUSES and code["decided_by"]:
        return code["decided_by"]
    return f"{AUTO_CODER} {code['model_version'] or 'regler'}"


def project_xml(material: Material, exported_at: str | None = None) -> bytes:
    exported = _datetime(exported_at) or _datetime(store.now())
    round_row = material.round
    county = material.county_name
    scope = f", {county}" if county else ""
    system_user = guid("user", "Lägesbild")
    project = _el(None, "Project", name=f"{round_row['title']}{scope}",
                  origin="Lägesbild", creatingUserGUID=system_user, creationDateTime=exported)
    present = [(source, code) for source in material.sources for code in source.codes
               if code["status"] in EXPORTED_STATUSES and not code["negated"]]
    users = _el(project, "Users")
    _el(users, "User", guid=system_user, name="Lägesbild")
    for name in sorted({coder_name(code) for _s, code in present}):
        _el(users, "User", guid=guid("user", name), name=name)

    labels = {(book.name, theme.id): theme.label_for("sv") for book in material.codebooks
              for theme in book.themes}
    codes = _el(_el(project, "CodeBook"), "Codes")
    for book in material.codebooks:
        parent = _el(codes, "Code", guid=guid("codebook", book.name), name=codebook_name(book),
                     isCodable="false")
        _text(parent, "Description", f"{book.description.strip()} (version {book.version})")
        for theme in book.themes:
            child = _el(parent, "Code", guid=guid("code", book.name, theme.id),
                        name=theme.label_for("sv"), isCodable="true")
            _text(child, "Description", theme_description(theme))

    variables = _el(project, "Variables")
    for name in ("Kommun", "Kommunkod", "Län", "Fråga", "Omgång"):
        _el(variables, "Variable", guid=guid("variable", name), name=name,
            typeOfVariable="Text")

    cases = _el(project, "Cases")
    by_municipality: dict[str, list[Source]] = {}
    for source in material.sources:
        by_municipality.setdefault(source.municipality_code, []).append(source)
    for code, group in sorted(by_municipality.items()):
        case = _el(cases, "Case", guid=guid("case", code), name=group[0].municipality_name)
        _variable(case, "Kommunkod", code)
        _variable(case, "Län", group[0].county_name)
        for source in group:
            _el(case, "SourceRef", targetGUID=source.guid)

    sources = _el(project, "Sources")
    for source in material.sources:
        _source(sources, source, round_row, labels)
    _text(project, "Description", project_description(material, present))
    ET.register_namespace("", NS)
    return ET.tostring(project, encoding="utf-8", xml_declaration=True)


def project_description(material: Material, present: list[tuple[Source, dict]]) -> str:
    """What the project holds, and how far a person has checked its codings: the reader of
    the QDA tool cannot tell an unreviewed suggestion from a checked theme otherwise."""
    round_row = material.round
    whose = (f"kommunerna i {material.county_name}" if material.county_name
             else "landets kommuner")
    held = (f"Projektet innehåller fritextsvaren från {whose} i omgången "
            f"{round_row['title']} ({round_row['id']}).")
    if not present:
        return f"{held} Inga svar är kodade ännu."
    unreviewed = sum(code["status"] in PRESENT_AUTO for _s, code in present)
    if all(code["source"] == store.HUMAN_SOURCE for _s, code in present):
        return f"{held} All kodning är gjord av samordnare."
    if unreviewed == 0:
        return f"{held} Lägesbild har kodat svaren automatiskt, och samordnare har granskat " \
               "alla kodningar."
    if unreviewed == len(present):
        return f"{held} Lägesbild har kodat svaren automatiskt. Ingen samordnare har granskat " \
               "kodningarna ännu."
    return (f"{held} Lägesbild har kodat svaren automatiskt, och samordnare har granskat en del "
            f"av kodningarna. Kodningar av användaren ”{AUTO_CODER}” är inte granskade ännu. "
            f"Övriga kodningar har en samordnare godtagit eller lagt till.")


def code_note(label: str, code: dict) -> str:
    """A coding's note: theme and status, then where a machine suggestion came from. A theme
    a coordinator added has no machine origin; its status already says who added it."""
    status = STATUS_WORDS.get(code["status"], code["status"])
    if code["source"] == store.HUMAN_SOURCE:
        return f"{label}: {status}"
    score = "" if code["score"] is None else f", poäng {code['score']:.2f}".replace(".", ",")
    origin = SOURCE_WORDS.get(code["source"], code["source"])
    return (f"{label}: {status} (källa: {origin}{score}, "
            f"modellversion {code['model_version'] or '–'})")


def _variable(parent: ET.Element, name: str, value: str) -> None:
    holder = _el(parent, "VariableValue")
    _el(holder, "VariableRef", targetGUID=guid("variable", name))
    _text(holder, "TextValue", value)


def _source(parent: ET.Element, source: Source, round_row: dict,
            labels: dict[tuple[str, str], str]) -> None:
    element = _el(parent, "TextSource", guid=source.guid,
                  name=f"{source.municipality_name} – {source.question}",
                  plainTextPath=f"internal://{source.guid}.txt",
                  creationDateTime=_datetime(source.created))
    _text(element, "Description", source.question_label)
    for code in source.codes:
        if code["status"] not in EXPORTED_STATUSES or code["negated"]:
            continue
        who = guid("user", coder_name(code))
        when = _datetime(code["decided_at"] or code["created_at"])
        key = (source.municipality_code, source.question, source.response_id, code["code"],
               code["start"], code["end"])
        selection = _el(element, "PlainTextSelection", guid=guid("selection", *key),
                        name=source.text[code["start"]:code["end"]][:80],
                        startPosition=code["start"], endPosition=code["end"],
                        creatingUser=who, creationDateTime=when)
        label = labels.get((code["codebook"], code["code"]), code["code"])
        _text(selection, "Description", code_note(label, code))
        coding = _el(selection, "Coding", guid=guid("coding", *key), creatingUser=who,
                     creationDateTime=when)
        _el(coding, "CodeRef", targetGUID=guid("code", code["codebook"], code["code"]))
    _variable(element, "Kommun", source.municipality_name)
    _variable(element, "Fråga", source.question)
    _variable(element, "Omgång", round_row["id"])


def write_qdpx(material: Material, target: str | Path | BinaryIO) -> str | Path | BinaryIO:
    """Write the .qdpx zip (to a path or an open binary file): project.qde and one UTF-8
    text file per source (no BOM)."""
    if isinstance(target, str | Path):
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml(material))
        for source in material.sources:
            archive.writestr(f"sources/{source.guid}.txt", source.text.encode("utf-8"))
    return target


# ---------------------------------------------------------------- CSV


def _cell(value: Any) -> Any:
    """Spreadsheets run cells starting with = + - @ as formulas: quote them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def code_rows(material: Material) -> Iterable[dict]:
    """One row per code (withdrawn additions left out), with its answer and span."""
    labels = {(book.name, t.id): t.label_for("sv") for book in material.codebooks
              for t in book.themes}
    for source in material.sources:
        for code in source.codes:
            if code["status"] == store.REMOVED:
                continue
            yield {
                "round_id": material.round["id"], "county_code": source.county_code,
                "municipality_code": source.municipality_code,
                "municipality_name": source.municipality_name,
                "response_id": source.response_id, "question": source.question,
                "question_label": source.question_label, "codebook": code["codebook"],
                "theme": code["code"],
                "theme_label": labels.get((code["codebook"], code["code"]), code["code"]),
                "status": code["status"],
                "verified": "ja" if code["status"] in store.HUMAN_STATUSES else "nej",
                "negated": "ja" if code["negated"] else "nej",
                "score": "" if code["score"] is None else f"{code['score']:.4f}",
                "source": code["source"], "model_version": code["model_version"] or "",
                "start": code["start"], "end": code["end"],
                "span": source.text[code["start"]:code["end"]], "answer": source.text,
                "decided_by": code["decided_by"] or "", "decided_at": code["decided_at"] or "",
                "created_at": code["created_at"]}


def codes_csv(material: Material) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in code_rows(material):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()
