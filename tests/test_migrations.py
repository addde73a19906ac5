"""A database from an older version upgrades in place and loses nothing."""

from __future__ import annotations

import sqlite_utils

from survey import store


def test_upgrade_from_first_schema_keeps_data(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    store.migrations.apply(old, stop_before="m002_history_kind_and_last_page")
    assert "kind" not in old["answer_history"].columns_dict
    store.load_organisations(old)
    old.execute("INSERT INTO questionnaire_versions VALUES ('h', 'q', '1', 'src', 'now')")
    old.execute("INSERT INTO rounds (id, title, questionnaire_hash, opens_on, closes_on, "
                "created_at) VALUES ('2020-06', 'Juni', 'h', '2020-06-01', '2020-07-03', 'n')")
    old.execute("INSERT INTO responses (id, round_id, municipality_code, status, revision, "
                "created_at, updated_at) VALUES (1, '2020-06', '1380', 'draft', 1, 'n', 'n')")
    old.execute("INSERT INTO answers VALUES (1, 'other_comments', '\"Gammalt svar\"', 1, 'n', "
                "'anna')")
    old.execute("INSERT INTO answer_history (response_id, question, old_value, new_value, "
                "changed_at, changed_by) VALUES (1, 'other_comments', NULL, '\"Gammalt svar\"',"
                " 'n', 'anna')")
    old.conn.commit()
    old.conn.close()

    db = store.connect(path)
    applied = store.migrate(db)
    assert "m002_history_kind_and_last_page" in applied
    assert "m001_initial" not in applied
    assert store.answers(db, 1) == {"other_comments": "Gammalt svar"}
    history = store.history(db, 1)
    assert history[0]["kind"] == "change" and history[0]["new_value"] == "Gammalt svar"
    assert store.get_response(db, "2020-06", "1380")["last_page"] is None
    # saving after the upgrade works and keeps the old value in the history
    store.save_answers(db, 1, {"other_comments": "Nytt"}, None, "bo", page="other")
    assert [h["old_value"] for h in store.history(db, 1)] == [None, "Gammalt svar"]
    assert store.migrate(db) == []  # idempotent
