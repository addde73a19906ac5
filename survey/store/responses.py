"""Responses, answers and their history: every change keeps the value it replaced.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlite_utils

from survey.store.connection import DRAFT, SUBMITTED, decode, encode, in_county, now, transaction
from survey.store.errors import ResponseLocked


def get_response(db: sqlite_utils.Database, round_id: str, municipality_code: str
                 ) -> dict | None:
    return next(db.query(
        "SELECT * FROM responses WHERE round_id = ? AND municipality_code = ?",
        [round_id, municipality_code]), None)


def ensure_response(db: sqlite_utils.Database, round_id: str, municipality_code: str,
                    actor: str | None) -> dict:
    """The one response of a municipality in a round, created on first visit."""
    existing = get_response(db, round_id, municipality_code)
    if existing:
        return existing
    with transaction(db):
        db.execute(
            "INSERT OR IGNORE INTO responses (round_id, municipality_code, status, revision, "
            "created_at, updated_at, updated_by) VALUES (?, ?, ?, 0, ?, ?, ?)",
            [round_id, municipality_code, DRAFT, now(), now(), actor])
    return get_response(db, round_id, municipality_code)


def answers(db: sqlite_utils.Database, response_id: int, response: dict | None = None
            ) -> dict[str, Any]:
    """Question -> value. Given the response row just read, the answers as of that row: from
    memory when the last save in this process left them there (a page view after a save
    then reads and decodes nothing), else read in one statement with the row's revision.
    The values are shared with that memory: read them, never change them in place."""
    if response is None or getattr(db, "cache_key", None) is None:
        return {question: decode(value) for question, value in db.conn.execute(
            "SELECT question, value FROM answers WHERE response_id = ?", [response_id])}
    kept = _kept(db, response)
    if kept is None:
        kept = _read_kept(db, response_id)
    return dict(kept.values)


def answer_rows(db: sqlite_utils.Database, response_id: int) -> dict[str, dict]:
    return {row["question"]: row for row in db.query(
        "SELECT * FROM answers WHERE response_id = ?", [response_id])}


def history(db: sqlite_utils.Database, response_id: int, question: str | None = None
            ) -> list[dict]:
    sql = "SELECT * FROM answer_history WHERE response_id = ?"
    params: list[Any] = [response_id]
    if question:
        sql += " AND question = ?"
        params.append(question)
    rows = list(db.query(sql + " ORDER BY id", params))
    for row in rows:
        row["old_value"], row["new_value"] = decode(row["old_value"]), decode(row["new_value"])
    return rows




# ------------------------------------------------------------- answers kept between requests
# Every write to `answers` goes through _PageSave, which raises the response's revision and
# sets its updated_at in the same transaction. So (revision, updated_at) of a response row
# names one state of its answers, and what a save committed can be kept under it: the page
# view that follows the save, and the next save (which read the row again inside its
# transaction), find the answers without a query or a JSON decode. A row whose stamp differs
# is read again. Kept per database file (Database.cache_key), the least recently used going
# first.


class _Kept(NamedTuple):
    stamp: tuple[int, str | None]  # the response row's (revision, updated_at)
    rows: dict[str, dict]  # question -> {value (encoded), revision, updated_at, updated_by}
    values: dict[str, Any]  # question -> decoded value


_KEPT: OrderedDict[tuple, _Kept] = OrderedDict()
_KEPT_LOCK = threading.Lock()
_KEPT_SIZE = 4096
_ROW_COLUMNS = ("value", "revision", "updated_at", "updated_by")


def _kept(db: sqlite_utils.Database, response: dict) -> _Kept | None:
    key = getattr(db, "cache_key", None)
    if key is None:
        return None
    with _KEPT_LOCK:
        kept = _KEPT.get((key, response["id"]))
        if kept is None or kept.stamp != (response["revision"], response["updated_at"]):
            return None
        _KEPT.move_to_end((key, response["id"]))
        return kept


def _keep(db: sqlite_utils.Database, response_id: int, kept: _Kept) -> None:
    key = getattr(db, "cache_key", None)
    if key is None:
        return
    with _KEPT_LOCK:
        _KEPT[(key, response_id)] = kept
        _KEPT.move_to_end((key, response_id))
        while len(_KEPT) > _KEPT_SIZE:
            _KEPT.popitem(last=False)


def _read_kept(db: sqlite_utils.Database, response_id: int) -> _Kept:
    """The response's answers and the stamp they belong to, in one statement (so one
    snapshot: a save committed between two reads cannot pair new answers with an old
    revision); kept for the next request."""
    rows: dict[str, dict] = {}
    values: dict[str, Any] = {}
    stamp: tuple[int, str | None] = (-1, None)
    for revision, updated_at, question, *row in db.conn.execute(
            "SELECT r.revision, r.updated_at, a.question, a.value, a.revision, a.updated_at, "
            "a.updated_by FROM responses r LEFT JOIN answers a ON a.response_id = r.id "
            "WHERE r.id = ?", [response_id]):
        stamp = (revision, updated_at)
        if question is not None:
            rows[question] = dict(zip(_ROW_COLUMNS, row, strict=True))
            values[question] = decode(row[0])
    kept = _Kept(stamp, rows, values)
    if stamp[0] >= 0:
        _keep(db, response_id, kept)
    return kept


# Bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069):
# stored, they reorder what follows them wherever the text is shown (a file name in a PDF,
# a cell in a spreadsheet). Nobody types them on purpose in an answer, so they are dropped.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean_text(value: Any) -> Any:
    """A value with bidi controls removed from every string in it."""
    if isinstance(value, str):
        return _BIDI_CONTROLS.sub("", value)
    if isinstance(value, list):
        return [clean_text(item) for item in value]
    if isinstance(value, dict):
        return {key: clean_text(item) for key, item in value.items()}
    return value


@dataclass
class Conflict:
    """A value someone else saved after this form was opened."""

    question: str
    yours: Any
    theirs: Any
    their_author: str | None
    their_time: str


@dataclass
class SaveResult:
    revision: int
    changed: list[str]
    conflicts: list[Conflict]


def save_answers(db: sqlite_utils.Database, response_id: int, values: dict[str, Any],
                 base_revision: int | None, actor: str | None, page: str | None = None,
                 allow_locked: bool = False,
                 hidden: Callable[[dict[str, Any]], list[str]] | None = None) -> SaveResult:
    """Save a page of answers with optimistic locking, in one transaction.

    ``values`` maps question name to its new value (None removes the answer). A question that
    someone else changed after ``base_revision`` to something other than ours is a conflict:
    their value stays, ours is kept in the history as kind 'conflict' and handed back so the
    page can show both. Everything else is saved. None of it is lost.

    ``hidden(stored_answers) -> names`` then clears answers the saved values made irrelevant;
    it is skipped when there was a conflict, because the answer that controls relevance may be
    the one that lost.

    A cleared answer counts as a change too: a value sent for a question someone cleared
    after ``base_revision`` is a conflict, not a silent restore. ``base_revision=None``
    (imports, pre-filling) skips conflict detection. Bidi controls are removed from text.
    """
    values = {question: clean_text(value) for question, value in values.items()}
    with transaction(db):
        response = next(db.query("SELECT * FROM responses WHERE id = ?", [response_id]))
        if response["status"] == SUBMITTED and not allow_locked:
            raise ResponseLocked("submitted", "the response is submitted")
        save = _PageSave(db, response, actor)
        for question, value in values.items():
            save.offer(question, value, base_revision)
        if hidden is not None and not save.conflicts:
            for question in hidden(dict(save.values)):
                save.apply(question, None)
        _mark_edited(db, response_id, save.changed, actor, save.stamp)
        result = save.finish(page)
    _keep(db, response_id, save.kept())  # committed: what the next request will read
    return result


def _mark_edited(db: sqlite_utils.Database, response_id: int, questions: list[str],
                 actor: str | None, stamp: str) -> None:
    """A changed answer is no longer the previous round's, confirmed or not."""
    if questions:
        db.execute(
            "UPDATE carried_over SET state = 'edited', decided_at = ?, decided_by = ? "
            f"WHERE response_id = ? AND question IN ({', '.join('?' * len(questions))})",
            [stamp, actor, response_id, *questions])


class _PageSave:
    """One save inside its transaction: the stored answers, what changed, what conflicted.

    The stored answers are read once; what the save decides is kept here and written by
    ``finish`` in three batched statements (answers deleted, answers written, history
    rows in the order they happened), inside the same transaction, so it is as atomic as
    writing row by row and a page of twenty answers costs three statements, not forty.
    """

    def __init__(self, db: sqlite_utils.Database, response: dict, actor: str | None,
                 kind: str = "change"):
        self.db, self.response, self.actor = db, response, actor
        self.kind = kind  # of the history rows applied values get ('carried_over' too)
        self.response_id = response["id"]
        self.revision = response["revision"] + 1
        kept = _kept(db, response) or _read_kept(db, self.response_id)
        self.stored = dict(kept.rows)
        self.values = dict(kept.values)  # question -> decoded value of ``stored``
        self._stamp = kept.stamp
        self.changed: list[str] = []
        self.conflicts: list[Conflict] = []
        self.stamp = now()
        self._final: dict[str, str | None] = {}  # question -> encoded value, None = removed
        self._history_rows: list[list[Any]] = []
        self._cleared: dict[int, dict[str, tuple[str | None, str]]] = {}

    def offer(self, question: str, value: Any, base_revision: int | None) -> None:
        """Apply the value, or record it as a conflict when someone changed it since."""
        row = self.stored.get(question)
        old = self.values.get(question)
        if old == value:
            return
        theirs = self._theirs(question, row, base_revision)
        if theirs is None:
            self.apply(question, value)
            return
        self.conflicts.append(Conflict(question, value, old, *theirs))
        self._history(question, row["value"] if row else None, value, "conflict",
                      self.response["revision"])

    def _theirs(self, question: str, row: dict | None, base_revision: int | None
                ) -> tuple[str | None, str] | None:
        if base_revision is None:
            return None
        if row is not None:
            return (row["updated_by"], row["updated_at"]) if row["revision"] > base_revision \
                else None
        if base_revision not in self._cleared:
            self._cleared[base_revision] = _cleared_since(self.db, self.response_id,
                                                          base_revision)
        return self._cleared[base_revision].get(question)

    def apply(self, question: str, value: Any) -> None:
        row = self.stored.get(question)
        if value is None:
            self.stored.pop(question, None)
            self.values.pop(question, None)
            self._final[question] = None
        else:
            encoded = encode(value)
            self.stored[question] = {"value": encoded, "revision": self.revision,
                                     "updated_at": self.stamp, "updated_by": self.actor}
            self.values[question] = decode(encoded)  # what a later read would decode
            self._final[question] = encoded
        self._history(question, row["value"] if row else None, value, self.kind, self.revision)
        self.changed.append(question)

    def _history(self, question: str, old_encoded: str | None, value: Any, kind: str,
                 revision: int) -> None:
        self._history_rows.append(
            [self.response_id, question, old_encoded,
             None if value is None else encode(value), self.stamp, self.actor, kind, revision])

    def _write(self) -> None:
        removed = [[self.response_id, q] for q, v in self._final.items() if v is None]
        written = [[self.response_id, q, v, self.revision, self.stamp, self.actor]
                   for q, v in self._final.items() if v is not None]
        conn = self.db.conn
        if removed:
            conn.executemany("DELETE FROM answers WHERE response_id = ? AND question = ?",
                             removed)
        if written:
            conn.executemany(
                "INSERT INTO answers (response_id, question, value, revision, updated_at, "
                "updated_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(response_id, question) "
                "DO UPDATE SET value = excluded.value, revision = excluded.revision, "
                "updated_at = excluded.updated_at, updated_by = excluded.updated_by", written)
        if self._history_rows:
            conn.executemany(
                "INSERT INTO answer_history (response_id, question, old_value, new_value, "
                "changed_at, changed_by, kind, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                self._history_rows)
        self._final, self._history_rows = {}, []

    def finish(self, page: str | None) -> SaveResult:
        self._write()
        revision = self.revision if self.changed else self.response["revision"]
        if self.changed or page:
            self.db.execute(
                "UPDATE responses SET revision = ?, updated_at = ?, updated_by = ?, "
                "last_page = COALESCE(?, last_page) WHERE id = ?",
                [revision, self.stamp, self.actor, page, self.response_id])
            self._stamp = (revision, self.stamp)
        return SaveResult(revision, self.changed, self.conflicts)

    def kept(self) -> _Kept:
        """The answers as ``finish`` left them, under the response row's new stamp."""
        return _Kept(self._stamp, self.stored, self.values)


def _cleared_since(db: sqlite_utils.Database, response_id: int, base_revision: int
                   ) -> dict[str, tuple[str | None, str]]:
    """Question -> (who, when) of its latest clearing at a revision after ``base_revision``,
    for every question of the response, in one query."""
    return {row["question"]: (row["changed_by"], row["changed_at"]) for row in db.query(
        "SELECT question, changed_by, changed_at FROM answer_history WHERE response_id = ? "
        "AND kind = 'change' AND new_value IS NULL AND revision > ? ORDER BY id",
        [response_id, base_revision])}


def set_status(db: sqlite_utils.Database, response_id: int, status: str,
               actor: str | None) -> None:
    stamp = now()
    with transaction(db):
        if status == SUBMITTED:
            db.execute(
                "UPDATE responses SET status = ?, submitted_at = ?, submitted_by = ?, "
                "updated_at = ?, updated_by = ?, revision = revision + 1 WHERE id = ?",
                [status, stamp, actor, stamp, actor, response_id])
        else:
            db.execute(
                "UPDATE responses SET status = ?, updated_at = ?, updated_by = ?, "
                "revision = revision + 1 WHERE id = ?", [status, stamp, actor, response_id])


def response_by_id(db: sqlite_utils.Database, response_id: int) -> dict | None:
    return next(db.query("SELECT * FROM responses WHERE id = ?", [response_id]), None)


def responses_for_round(db: sqlite_utils.Database, round_id: str,
                        county_code: str | None = None) -> list[dict]:
    sql = ("SELECT r.*, m.name AS municipality_name, m.county_code FROM responses r "
           "JOIN municipalities m ON m.code = r.municipality_code WHERE r.round_id = ?")
    params: list[Any] = [round_id]
    sql += in_county(county_code, params)
    return list(db.query(sql + " ORDER BY r.municipality_code", params))


def answers_for_round(db: sqlite_utils.Database, round_id: str,
                      county_code: str | None = None) -> dict[str, dict[str, Any]]:
    """Every answer of a round keyed by municipality code, in one query."""
    sql = ("SELECT r.municipality_code, a.question, a.value FROM answers a "
           "JOIN responses r ON r.id = a.response_id "
           "JOIN municipalities m ON m.code = r.municipality_code WHERE r.round_id = ?")
    params: list[Any] = [round_id]
    sql += in_county(county_code, params)
    result: dict[str, dict[str, Any]] = {}
    for row in db.query(sql, params):
        result.setdefault(row["municipality_code"], {})[row["question"]] = decode(row["value"])
    return result


def answer_update_times(db: sqlite_utils.Database, round_id: str) -> dict[tuple[int, str], str]:
    """(response_id, question) -> when the answer was last changed, for a whole round."""
    return {(row["response_id"], row["question"]): row["updated_at"] for row in db.query(
        "SELECT a.response_id, a.question, a.updated_at FROM answers a JOIN responses r "
        "ON r.id = a.response_id WHERE r.round_id = ?", [round_id])}
