"""The coded answers taken out of Lägesbild: REFI-QDA projects and CSV, each audited.

The web and the CLI call the same functions, so an export is logged the same way from both.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from survey import store
from survey.services import qdpx
from survey.store import transaction


def export_qdpx(db: sqlite_utils.Database, round_id: str, county_code: str | None,
                path: str | Path, actor: str | None = None) -> Path:
    """Write the round's coded answers (in the county, or all) as a REFI-QDA .qdpx file."""

    material = qdpx.coded_material(db, round_id, county_code)
    written = qdpx.write_qdpx(material, path)
    record_export(db, actor, "codes_exported_qdpx", round_id, county_code,
                  len(material.sources))
    return written


def export_codes_csv(db: sqlite_utils.Database, round_id: str, county_code: str | None,
                     path: str | Path | None = None, actor: str | None = None) -> str:
    """One CSV row per code; written to ``path`` when given, and returned as text."""

    material = qdpx.coded_material(db, round_id, county_code)
    text = qdpx.codes_csv(material)
    if path is not None:
        Path(path).write_text(text, encoding="utf-8-sig")  # Excel reads the BOM as UTF-8
    record_export(db, actor, "codes_exported_csv", round_id, county_code,
                  len(material.sources))
    return text


def record_export(db: sqlite_utils.Database, actor: str | None, action: str, round_id: str,
                  county_code: str | None, sources: int | None = None) -> None:
    """Exports go to the audit log: who took which county's coded answers out, and when."""

    with transaction(db):
        store.audit_row(db, actor, action, "round", round_id, round_id=round_id,
                           county_code=county_code, after={"answers": sources})


def coded_codebooks(db: sqlite_utils.Database, round_row: dict) -> list[str]:
    """The codebooks the round's questionnaire codes its free texts with, in order."""

    questionnaire = store.round_questionnaire(db, round_row)
    return questionnaire.codebooks
