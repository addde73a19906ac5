"""The request's database connection: opened on first use, closed when the request ends."""

from __future__ import annotations

import sqlite_utils
from flask import current_app, g

from survey import store


def get_db() -> sqlite_utils.Database:
    if "db" not in g:
        g.db = store.connect(current_app.config["DB"])
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    database = g.pop("db", None)
    if database is not None:
        database.conn.close()
