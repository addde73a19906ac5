"""`lagesbild backup` while a real server serves and saves; `lagesbild restore` (#12)."""

from __future__ import annotations

import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from click.testing import CliRunner

from survey import store
from survey.cli import cli
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import NEW_ROUND, A, cli_env, make_app
from tests.live import serve


def _counts(path) -> dict[str, int]:
    database = store.connect(path)
    try:
        return store.table_counts(database)
    finally:
        database.conn.close()


def _saver(url: str, token: str, stop: threading.Event, acknowledged: list[str]) -> None:
    """A municipality saving its comments again and again through the real server."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    opener.open(f"{url}/s/{token}", timeout=30).read()
    page = f"{url}/svar/{NEW_ROUND}/{A}/sida/other"
    number = 0
    while not stop.is_set():
        html = opener.open(page, timeout=30).read().decode()
        revision = html.split('name="_revision" value="', 1)[1].split('"', 1)[0]
        text = f"Sparning {number}"
        body = urllib.parse.urlencode({"_present": "other_comments", "other_comments": text,
                                       "action": "save", "_revision": revision}).encode()
        try:
            opener.open(page, data=body, timeout=30).read()
        except urllib.error.HTTPError:  # pragma: no cover - reported by the assertion below
            continue
        acknowledged.append(text)
        number += 1


def test_backup_while_serving_and_restore(world, tmp_path):
    app = make_app(world)
    runner = CliRunner()
    env = cli_env(world)
    copy, later = tmp_path / "backups" / "copy.db", tmp_path / "backups" / "later.db"
    acknowledged: list[str] = []
    with serve(app) as url:
        stop = threading.Event()
        saver = threading.Thread(target=_saver, args=(url, world.token(A), stop, acknowledged))
        saver.start()
        try:
            while len(acknowledged) < 3:
                threading.Event().wait(0.05)
            result = runner.invoke(cli, ["backup", str(copy)], env=env)
            assert result.exit_code == 0, result.output
            while len(acknowledged) < 6:  # the server kept saving during and after the backup
                threading.Event().wait(0.05)
        finally:
            stop.set()
            saver.join(timeout=30)
        assert "integrity_check ok" in result.output and str(copy) in result.output
        assert "answer_history" in result.output and "bytes" in result.output
        # the served database cannot be restored over
        refused = runner.invoke(cli, ["restore", str(copy)], env=env)
        assert refused.exit_code == 1 and "being served" in refused.output
        assert store.is_served(world.path)
        later_result = runner.invoke(cli, ["backup", str(later)], env=env)
        assert later_result.exit_code == 0, later_result.output
    source_counts = _counts(world.path)
    assert _counts(later) == source_counts  # nothing is saved any more: equal to the source
    assert not (copy.parent / "copy.db-wal").exists()  # a single self-contained file

    fresh = tmp_path / "fresh" / "lagesbild.db"
    restored = runner.invoke(cli, ["restore", str(later)], env=cli_env(world, LAGESBILD_DB=str(
        fresh)))
    assert restored.exit_code == 0, restored.output
    assert _counts(fresh) == source_counts
    database = store.connect(fresh)
    try:
        assert store.integrity_check(database) == ["ok"]
        response = store.get_response(database, NEW_ROUND, A)
        assert store.answers(database, response["id"])["other_comments"] == acknowledged[-1]
    finally:
        database.conn.close()
    # the first copy, taken mid-save, restores too (over the fresh database, not served)
    again = runner.invoke(cli, ["restore", str(copy)], env=cli_env(world, LAGESBILD_DB=str(
        fresh)))
    assert again.exit_code == 0, again.output
    assert _counts(fresh) == _counts(copy)


def test_restore_refuses_a_damaged_or_newer_backup(world, tmp_path):
    copy = tmp_path / "copy.db"
    info = store.backup(world.path, copy)
    assert info.integrity == ["ok"] and info.counts["municipalities"] == 290
    target = tmp_path / "target.db"

    newer = tmp_path / "newer.db"
    store.backup(world.path, newer)
    connection = sqlite3.connect(newer)
    connection.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                       "VALUES ('lagesbild', 'm999_from_the_future', 'now')")
    connection.commit()
    connection.close()
    runner = CliRunner()
    env = cli_env(world, LAGESBILD_DB=str(target))
    result = runner.invoke(cli, ["restore", str(newer)], env=env)
    assert result.exit_code == 1 and "m999_from_the_future" in result.output
    assert not target.exists() or _counts(target) == {}

    damaged = tmp_path / "damaged.db"
    data = bytearray(copy.read_bytes())
    data[100:4096 * 3] = b"\x00" * (4096 * 3 - 100)
    damaged.write_bytes(bytes(data))
    result = runner.invoke(cli, ["restore", str(damaged)], env=env)
    assert result.exit_code == 1 and "restore refused" in result.output

    assert runner.invoke(cli, ["restore", str(copy)], env=env).exit_code == 0
    assert _counts(target) == info.counts
