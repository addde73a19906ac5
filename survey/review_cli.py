"""Commands and export functions for the review of coded themes.

- `agreement` is attached to the `lagesbild coding` group by the lead:
  `lagesbild coding agreement --round ROUND [--county CC]` prints, per theme, Cohen's kappa and
  F1 between the auto-coder and the coordinators, and Krippendorff's alpha between
  coordinators on double-coded answers.
- `export_qdpx(db, round_id, county_code, path)` and `export_codes_csv(...)` are what
  `lagesbild export --format qdpx` (and the CSV of codes) call.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import sqlite_utils

from survey import db as store


def export_qdpx(db: sqlite_utils.Database, round_id: str, county_code: str | None,
                path: str | Path, actor: str | None = None) -> Path:
    """Write the round's coded answers (in the county, or all) as a REFI-QDA .qdpx file."""
    from survey import qdpx

    material = qdpx.coded_material(db, round_id, county_code)
    written = qdpx.write_qdpx(material, path)
    record_export(db, actor, "codes_exported_qdpx", round_id, county_code,
                  len(material.sources))
    return written


def export_codes_csv(db: sqlite_utils.Database, round_id: str, county_code: str | None,
                     path: str | Path | None = None, actor: str | None = None) -> str:
    """One CSV row per code; written to ``path`` when given, and returned as text."""
    from survey import qdpx

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
    from survey import db_codes
    from survey.db import transaction

    with transaction(db):
        db_codes.audit_row(db, actor, action, "round", round_id, round_id=round_id,
                           county_code=county_code, after={"answers": sources})


def coded_codebooks(db: sqlite_utils.Database, round_row: dict) -> list[str]:
    """The codebooks the round's questionnaire codes its free texts with, in order."""
    from survey import versions

    questionnaire = versions.for_round(db, round_row)
    return list(dict.fromkeys(q.code_with for q in questionnaire.questions if q.code_with))


@click.command("agreement")
@click.option("--round", "round_id", required=True, help="Round id, e.g. 2020-09.")
@click.option("--county", "county_code", default=None, help="Only this county (code).")
@click.option("--db", "db_path", default=None, type=click.Path(dir_okay=False),
              help="Database file (default: $LAGESBILD_DB or the app's setting).")
def agreement(round_id: str, county_code: str | None, db_path: str | None) -> None:
    """Per theme: kappa and F1 (auto-coder vs coordinators), alpha (between coordinators)."""
    from survey import agreement as stats

    db = store.connect(db_path or _default_db())
    round_row = store.get_round(db, round_id)
    if round_row is None:
        click.echo(f"error: unknown round '{round_id}'", err=True)
        sys.exit(1)
    if county_code and store.county(db, county_code) is None:
        click.echo(f"error: unknown county '{county_code}'", err=True)
        sys.exit(1)
    reports = stats.round_agreement(db, round_id, coded_codebooks(db, round_row), county_code)
    click.echo(f"Agreement in round {round_id}" + (f", county {county_code}" if county_code
                                                    else "") + ":")
    for report in reports:
        click.echo("")
        click.echo(stats.format_table(report))
    click.echo("\nkappa, P, R, F1: auto-coder against the primary review; alpha: between "
               "coordinators (Krippendorff, nominal) on double-coded answers; '–': undefined.")


def _default_db() -> str:
    from survey import create_app

    return create_app().config["DB"]
