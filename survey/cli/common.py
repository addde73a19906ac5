"""What every command shares: where the database is."""

from __future__ import annotations

import os

import sqlite_utils

from survey import store


def db_path() -> str:
    return os.environ.get("LAGESBILD_DB", "instance/lagesbild.db")


def open_db() -> sqlite_utils.Database:
    return store.connect(db_path())
