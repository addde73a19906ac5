"""Counties and municipalities, loaded from the packaged SCB lists.
"""

from __future__ import annotations

import csv
from pathlib import Path

import sqlite_utils

from survey.store.connection import transaction

DATA_DIR = Path(__file__).parent / "data"


def load_organisations(db: sqlite_utils.Database) -> None:
    """Counties and municipalities from the packaged SCB lists (idempotent)."""
    with transaction(db):
        with open(DATA_DIR / "counties.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                db.execute(
                    "INSERT INTO counties (code, name, name_short) VALUES (?, ?, ?) "
                    "ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
                    "name_short = excluded.name_short",
                    [row["county_code"], row["county_name"], row["county_name_short"]])
        with open(DATA_DIR / "municipalities.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                db.execute(
                    "INSERT INTO municipalities (code, name, name_short, county_code) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
                    "name_short = excluded.name_short, county_code = excluded.county_code",
                    [row["municipality_code"], row["municipality_name"],
                     row["municipality_name_short"], row["county_code"]])




def counties(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM counties ORDER BY code"))


def county(db: sqlite_utils.Database, code: str) -> dict | None:
    return next(db.query("SELECT * FROM counties WHERE code = ?", [code]), None)


def municipalities(db: sqlite_utils.Database, county_code: str | None = None) -> list[dict]:
    if county_code:
        return list(db.query(
            "SELECT * FROM municipalities WHERE county_code = ? ORDER BY code", [county_code]))
    return list(db.query("SELECT * FROM municipalities ORDER BY code"))


def municipality(db: sqlite_utils.Database, code: str) -> dict | None:
    return next(db.query("SELECT * FROM municipalities WHERE code = ?", [code]), None)
