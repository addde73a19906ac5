"""Answers kept between requests (store.responses): what a save committed is read from memory
only while the response row still names that state; conflicts, rollbacks and other
connections' saves behave as when every request read the database."""

from __future__ import annotations

import pytest

from survey import store
from tests.conftest import HALMSTAD

ROUND = "2020-09"


@pytest.fixture
def response(db):
    return store.ensure_response(db, ROUND, HALMSTAD, "Anna")


def _answer_reads(db, call) -> int:
    """How many statements that read the answers table ``call`` runs."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        db.conn.set_trace_callback(None)
    return sum(1 for sql in seen if "FROM answers" in sql or "JOIN answers" in sql)


def test_after_a_save_the_answers_come_without_reading_the_database(db, response):
    store.save_answers(db, response["id"], {"other_comments": "Allt lugnt"}, 0, "Anna")
    row = store.get_response(db, ROUND, HALMSTAD)
    found: list[dict] = []
    assert _answer_reads(db, lambda: found.append(store.answers(db, row["id"], row))) == 0
    assert found == [{"other_comments": "Allt lugnt"}]


def test_a_save_on_another_connection_is_read_again(db, db_path, response):
    store.save_answers(db, response["id"], {"other_comments": "Först"}, 0, "Anna")
    other = store.connect(db_path)
    try:
        row = store.get_response(other, ROUND, HALMSTAD)
        store.save_answers(other, row["id"], {"other_comments": "Sedan"}, row["revision"],
                           "Bo")
    finally:
        other.conn.close()
    row = store.get_response(db, ROUND, HALMSTAD)
    assert store.answers(db, row["id"], row) == {"other_comments": "Sedan"}


def test_a_stale_row_gets_the_newest_answers_not_a_mix(db, response):
    store.save_answers(db, response["id"], {"other_comments": "Ett"}, 0, "Anna")
    stale = store.get_response(db, ROUND, HALMSTAD)
    store.save_answers(db, response["id"], {"other_comments": "Två"}, stale["revision"], "Bo")
    assert store.answers(db, stale["id"], stale) == {"other_comments": "Två"}


def test_a_rolled_back_save_leaves_nothing_in_memory(db, response):
    store.save_answers(db, response["id"], {"other_comments": "Sparat"}, 0, "Anna")

    def failing(_answers):
        raise RuntimeError("relevance failed")

    base = store.get_response(db, ROUND, HALMSTAD)["revision"]
    with pytest.raises(RuntimeError):
        store.save_answers(db, response["id"], {"other_comments": "Aldrig sparat"}, base,
                           "Anna", hidden=failing)
    row = store.get_response(db, ROUND, HALMSTAD)
    assert row["revision"] == base
    assert store.answers(db, row["id"], row) == {"other_comments": "Sparat"}
    assert store.answers(db, row["id"]) == {"other_comments": "Sparat"}


def test_conflicts_are_found_with_the_kept_rows(db, response):
    store.save_answers(db, response["id"], {"other_comments": "Annas"}, 0, "Anna")
    result = store.save_answers(db, response["id"], {"other_comments": "Bos"}, 0, "Bo")
    assert [c.question for c in result.conflicts] == ["other_comments"]
    assert result.conflicts[0].theirs == "Annas"
    row = store.get_response(db, ROUND, HALMSTAD)
    assert store.answers(db, row["id"], row) == {"other_comments": "Annas"}
    kinds = [h["kind"] for h in store.history(db, response["id"], "other_comments")]
    assert kinds == ["change", "conflict"]


def test_hidden_answers_cleared_by_a_save_are_gone_from_memory_too(db, response):
    store.save_answers(db, response["id"], {"other_comments": "Kvar", "respondent_name": "A"},
                       0, "Anna")
    base = store.get_response(db, ROUND, HALMSTAD)["revision"]
    store.save_answers(db, response["id"], {"other_comments": "Ändrad"}, base, "Anna",
                       hidden=lambda stored: ["respondent_name"])
    row = store.get_response(db, ROUND, HALMSTAD)
    assert store.answers(db, row["id"], row) == {"other_comments": "Ändrad"}
    assert store.answers(db, row["id"]) == {"other_comments": "Ändrad"}
