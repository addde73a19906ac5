"""Connections and transactions: the settings every connection gets, and all-or-nothing writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

NOT_STARTED, DRAFT, SUBMITTED, REOPENED = "not_started", "draft", "submitted", "reopened"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open the database with settings that suit a multi-threaded web server."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 30000")
    return db


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """All or nothing: BEGIN IMMEDIATE so two writers queue instead of failing mid-way."""
    conn = db.conn
    if conn.in_transaction:
        conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.rollback()
        raise
    else:
        conn.commit()


def encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def in_county(county_code: str | None, params: list[Any]) -> str:
    """The SQL condition (and its parameter) that limits a query joined to municipalities `m`
    to one county; nothing when all counties are wanted."""
    if not county_code:
        return ""
    params.append(county_code)
    return " AND m.county_code = ?"
