"""Backups, restores and the checks around them: integrity, row counts, migration names.

A backup uses SQLite's online backup API, which copies a consistent snapshot while the server
keeps reading and writing (with WAL, readers and the one writer do not block each other).
A restore writes through the same API into the target database, so it is one transaction:
the target is either the old database or the restored one, never half of each, and its WAL
stays consistent. A restore refuses a database that is being served: every running
application holds a shared lock on ``<database>.serving`` (``ServingLock``), and restore
needs that lock exclusively.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from survey.store.schema import migration_sets

try:  # POSIX; elsewhere the serving check is skipped
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

MIGRATIONS_TABLE = "_sqlite_migrations"


class MaintenanceError(Exception):
    """A backup or restore refused, with a code and an English explanation."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class BackupInfo:
    path: Path
    size: int
    counts: dict[str, int]
    integrity: list[str]


def _serving_lock_path(db_path: str | Path) -> Path:
    return Path(str(db_path) + ".serving")


class ServingLock:
    """A shared lock held while an application serves the database (released on close or
    when the process ends, even by SIGKILL: it is a kernel lock, not a stale pid file)."""

    def __init__(self, db_path: str | Path):
        self.path = _serving_lock_path(db_path)
        self._file = None
        if fcntl is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "a+")  # noqa: SIM115 - held for the app's lifetime
        try:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as error:  # a restore is running right now
            self.close()
            raise MaintenanceError("restoring", f"{db_path} is being restored") from error

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __del__(self) -> None:
        self.close()


def is_served(db_path: str | Path) -> bool:
    """Whether any process (this one included) holds the database's serving lock."""
    path = _serving_lock_path(db_path)
    if fcntl is None or not path.exists():
        return False
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False


def integrity_check(db: sqlite_utils.Database) -> list[str]:
    """SQLite's own check: ``["ok"]`` when the file is sound, else the problems found."""
    return [row[0] for row in db.conn.execute("PRAGMA integrity_check").fetchall()]


def table_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Rows per table (SQLite's internal tables left out), by table name."""
    names = [row[0] for row in db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    return {name: db.conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for name in names}


def applied_migrations(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(migration set, name) of every migration applied to this database."""
    if not db[MIGRATIONS_TABLE].exists():
        return []
    return [(row[0], row[1]) for row in db.conn.execute(
        f"SELECT migration_set, name FROM {MIGRATIONS_TABLE} ORDER BY rowid")]


def known_migrations() -> set[tuple[str, str]]:
    """(migration set, name) of every migration this version of the code knows."""
    return {(migration_set.name, migration.name) for migration_set in migration_sets()
            for migration in migration_set._migrations}


def unknown_migrations(db: sqlite_utils.Database) -> list[str]:
    """Migrations applied to ``db`` that this code does not know: a newer schema."""
    known = known_migrations()
    return [f"{s}/{n}" for s, n in applied_migrations(db) if (s, n) not in known]


def backup(source_path: str | Path, target: str | Path) -> BackupInfo:
    """Copy the database at ``source_path`` to ``target`` (a single self-contained file),
    safely while it is served; check the copy's integrity before it takes the target name."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    source = sqlite3.connect(str(source_path), timeout=30)
    try:
        source.execute("PRAGMA busy_timeout = 30000")
        copy = sqlite3.connect(str(partial))
        try:
            source.backup(copy)  # one step: a consistent snapshot of the source
            copy.execute("PRAGMA journal_mode = DELETE")  # no -wal file beside the copy
            copy_db = sqlite_utils.Database(copy)
            integrity = integrity_check(copy_db)
            counts = table_counts(copy_db)
        finally:
            copy.close()
    finally:
        source.close()
    if integrity != ["ok"]:
        partial.unlink(missing_ok=True)
        raise MaintenanceError("integrity", "the copy failed integrity_check: "
                               + "; ".join(integrity[:5]))
    os.replace(partial, target)
    return BackupInfo(target, target.stat().st_size, counts, integrity)


def restore(backup_path: str | Path, target: str | Path) -> BackupInfo:
    """Replace the database at ``target`` with the backup, in one transaction.

    Refused when the target is being served, when the backup fails ``integrity_check`` or
    when it has migrations this code does not know (a backup from a newer version). An older
    backup is fine: the next start applies the missing migrations.
    """
    backup_path, target = Path(backup_path), Path(target)
    if not backup_path.is_file():
        raise MaintenanceError("missing", f"{backup_path} does not exist")
    source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    try:
        source_db = sqlite_utils.Database(source)
        try:
            integrity = integrity_check(source_db)
        except sqlite3.DatabaseError as error:
            raise MaintenanceError("integrity", f"{backup_path}: {error}") from error
        if integrity != ["ok"]:
            raise MaintenanceError("integrity", f"{backup_path} failed integrity_check: "
                                   + "; ".join(integrity[:5]))
        newer = unknown_migrations(source_db)
        if newer:
            raise MaintenanceError("newer_schema", f"{backup_path} has migrations this "
                                   "version does not know: " + ", ".join(newer))
        counts = table_counts(source_db)
        target.parent.mkdir(parents=True, exist_ok=True)
        lock_path = _serving_lock_path(target)
        with open(lock_path, "a+") as lock:
            if fcntl is not None:
                try:  # held until done, so no server starts on the target meanwhile
                    fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError as error:
                    raise MaintenanceError("served", f"{target} is being served; stop the "
                                           "server before restoring") from error
            destination = sqlite3.connect(str(target), timeout=30)
            try:
                destination.execute("PRAGMA busy_timeout = 30000")
                source.backup(destination)  # one write transaction on the target
                destination.execute("PRAGMA journal_mode = WAL")
                restored_db = sqlite_utils.Database(destination)
                integrity = integrity_check(restored_db)
                restored = table_counts(restored_db)
            finally:
                destination.close()
    finally:
        source.close()
    if integrity != ["ok"] or restored != counts:
        raise MaintenanceError("integrity", f"{target} after the restore: "
                               + "; ".join(integrity[:5]))
    return BackupInfo(target, target.stat().st_size, restored, integrity)
