"""Connections and transactions: the settings every connection gets, and all-or-nothing writes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.utils import dedupe_keys

NOT_STARTED, DRAFT, SUBMITTED, REOPENED = "not_started", "draft", "submitted", "reopened"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# Durability settings, set on every connection (none of them is stored in the file except
# journal_mode):
# - journal_mode WAL: readers never block the writer, and a crash leaves either the last
#   committed transaction or the one before it, never a torn page.
# - synchronous FULL: with WAL, NORMAL would only fsync at checkpoints, so a transaction
#   that was committed (and whose save the respondent saw acknowledged) could be lost in a
#   power cut or kernel crash. FULL fsyncs the WAL at every commit, so an acknowledged save
#   survives a power cut; it costs one fsync per save, which the save path can afford.
#   Set explicitly rather than relying on the compile-time default.
# - busy_timeout 30 s: a writer waits for the lock instead of failing with "database is
#   locked" while another transaction (a BEGIN IMMEDIATE save, a backup step) finishes.
# - wal_autocheckpoint 1000 pages (about 4 MB): the WAL is folded back into the database
#   regularly so it does not grow without bound and reads stay fast.
# - journal_size_limit 16 MB: the server keeps its connections open between requests, so
#   the WAL file is reused rather than deleted; after a checkpoint that empties it, SQLite
#   truncates the file to this size instead of leaving it at the largest size a burst of
#   saves (or a long report read holding the checkpoint back) ever made it.
WAL_SIZE_LIMIT = 16 * 1024 * 1024
DURABILITY_PRAGMAS = (("synchronous", "FULL"), ("busy_timeout", "30000"),
                      ("wal_autocheckpoint", "1000"), ("journal_size_limit", str(WAL_SIZE_LIMIT)))


class Database(sqlite_utils.Database):
    """sqlite-utils' Database, with reads that cost one statement instead of three.

    ``query`` wraps every statement in a savepoint so that one which turns out to return no
    rows can be undone before it complains. A SELECT always returns rows and changes nothing,
    so it runs as it is; every other statement keeps the guard. The rows are the same dicts.
    """

    write_lock: threading.RLock | None = None  # set by connect()
    #: The file this connection reads, as (path, inode): set by connect(), None for a
    #: database in memory. Memory kept across requests (the answers of a response at a
    #: revision) is kept per file, so two databases never share it.
    cache_key: tuple[str, int] | None = None

    def query(self, sql: str, params: Any = None) -> Iterator[dict]:
        if self._tracer or not sql.lstrip()[:6].upper() == "SELECT":
            return super().query(sql, params)
        cursor = self.conn.execute(sql, params) if params is not None else self.conn.execute(sql)
        keys = dedupe_keys(d[0] for d in cursor.description)
        return (dict(zip(keys, row, strict=True)) for row in cursor)


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open the database with settings that suit a multi-threaded web server."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    db = Database(conn)
    db.write_lock = _write_lock(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA foreign_keys = ON")
    for name, value in DURABILITY_PRAGMAS:
        db.execute(f"PRAGMA {name} = {value}")
    db.cache_key = (str(path.resolve()), os.stat(path).st_ino)
    return db


# Writers of one process queue on a lock of their own before BEGIN IMMEDIATE. SQLite's busy
# handler makes a waiting writer poll, sleeping up to 100 ms between tries, so under a few
# concurrent saves most of a save's time was spent asleep after the lock was already free;
# a thread waiting here is woken the moment the previous transaction ends. Writers in other
# processes (the CLI, a backup) still meet the busy timeout. Re-entrant, so a thread that
# opens a second connection while it writes behaves as it did without the lock.
_WRITE_LOCKS: dict[str, threading.RLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(path: Path) -> threading.RLock:
    key = str(path.resolve())
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.RLock())


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """All or nothing: BEGIN IMMEDIATE so two writers queue instead of failing mid-way."""
    conn = db.conn
    if conn.in_transaction:
        conn.commit()
    lock = getattr(db, "write_lock", None) or nullcontext()
    with lock:  # taken with no SQLite lock held (the commit above ended any)
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
