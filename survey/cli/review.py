"""Commands for the review of coded themes.

- `agreement` is attached to the `lagesbild coding` group by the lead:
  `lagesbild coding agreement --round ROUND [--county CC]` prints, per theme, Cohen's kappa and
  F1 between the auto-coder and the coordinators, and Krippendorff's alpha between
  coordinators on double-coded answers.
"""

from __future__ import annotations

import sys

import click

from survey import create_app, store
from survey.services import agreement as stats
from survey.services import code_exports


@click.command("agreement")
@click.option("--round", "round_id", required=True, help="Round id, e.g. 2020-09.")
@click.option("--county", "county_code", default=None, help="Only this county (code).")
@click.option("--db", "db_path", default=None, type=click.Path(dir_okay=False),
              help="Database file (default: $LAGESBILD_DB or the app's setting).")
def agreement(round_id: str, county_code: str | None, db_path: str | None) -> None:
    """Per theme: kappa and F1 (auto-coder vs coordinators), alpha (between coordinators)."""

    db = store.connect(db_path or _default_db())
    round_row = store.get_round(db, round_id)
    if round_row is None:
        click.echo(f"error: unknown round '{round_id}'", err=True)
        sys.exit(1)
    if county_code and store.county(db, county_code) is None:
        click.echo(f"error: unknown county '{county_code}'", err=True)
        sys.exit(1)
    codebooks = code_exports.coded_codebooks(db, round_row)
    reports = stats.round_agreement(db, round_id, codebooks, county_code)
    click.echo(f"Agreement in round {round_id}" + (f", county {county_code}" if county_code
                                                    else "") + ":")
    for report in reports:
        click.echo("")
        click.echo(stats.format_table(report))
    click.echo("\nkappa, P, R, F1: auto-coder against the primary review; alpha: between "
               "coordinators (Krippendorff, nominal) on double-coded answers; '–': undefined.")


def _default_db() -> str:

    return create_app().config["DB"]
