"""The request's database connection: one per server thread, kept from request to request.

Opening a connection costs its PRAGMAs, and closing the last one on a WAL database runs a
checkpoint and removes the WAL file, so the next commit starts a new one: about a third of a
save's time went there. Each waitress thread therefore keeps its connection. A request never
leaves a transaction open on it (what closing did, rolling back, is done here), so the next
request starts from the committed state, exactly as with a fresh connection. After an error
the connection is dropped, and a database file replaced on disk gets a new connection.
"""

from __future__ import annotations

import os
import threading

import sqlite_utils
from flask import current_app, g

from survey import store

_kept = threading.local()  # .entry = (path, inode, database) of this thread


def get_db() -> sqlite_utils.Database:
    if "db" not in g:
        g.db = _thread_db(str(current_app.config["DB"]))
    return g.db


def _inode(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _thread_db(path: str) -> sqlite_utils.Database:
    entry = getattr(_kept, "entry", None)
    inode = _inode(path)
    if entry is not None and entry[0] == path and entry[1] == inode and inode is not None:
        return entry[2]
    if entry is not None:  # another database (tests switch apps) or a replaced file
        _kept.entry = None
        entry[2].conn.close()
    database = store.connect(path)
    _kept.entry = (path, _inode(path), database)
    return database


def close_db(exc: BaseException | None = None) -> None:
    """End the request's use of the connection: roll back what it left uncommitted (as
    closing would) and keep the connection for the thread's next request."""
    database = g.pop("db", None)
    if database is None:
        return
    entry = getattr(_kept, "entry", None)
    kept = entry is not None and entry[2] is database
    try:
        if database.conn.in_transaction:
            database.conn.rollback()
    except Exception:  # a broken connection is never handed to another request
        exc = exc or RuntimeError("rollback failed")
    if exc is not None or not kept:
        if kept:
            _kept.entry = None
        database.conn.close()
