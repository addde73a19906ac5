"""`lagesbild demo` never traps you: a taken port is named before anything is built, and a
database that holds real data is kept unless --force says otherwise."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

from click.testing import CliRunner

from survey import store
from survey.cli import cli
from survey.services import demo as demo_data
from tests.conftest import copy_db


def test_a_taken_port_is_refused_first_with_exit_1_and_no_traceback(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "survey.cli", "demo", "--port", str(port)],
            env={"LAGESBILD_DB": str(tmp_path / "demo.db"), "PATH": "/usr/bin:/bin"},
            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(port) in lines[0] and "--port" in lines[0]
    assert not (tmp_path / "demo.db").exists()  # checked before building anything


def test_a_database_with_real_rounds_is_kept_without_force(tmp_path, monkeypatch):
    path = tmp_path / "real.db"
    db = store.connect(path)
    store.init(db)
    db.execute("INSERT INTO questionnaire_versions VALUES ('h', 'q', '1', 'src', 'now')")
    store.create_round(db, "2021-01", "Riktig omgång", "h", "2021-01-01", "2021-02-01")
    db.conn.close()
    monkeypatch.setenv("LAGESBILD_DB", str(path))
    result = CliRunner().invoke(cli, ["demo", "--no-serve"])
    assert result.exit_code == 1
    assert "--force" in result.output and "not a demo database" in result.output
    db = store.connect(path)
    assert [r["id"] for r in store.rounds(db)] == ["2021-01"]  # nothing lost


def test_a_demo_database_is_rebuilt_and_force_replaces_a_real_one(tmp_path, monkeypatch,
                                                                   demo_command):
    first = demo_command  # `lagesbild demo --no-serve`, run once for the session
    assert first.exit_code == 0, first.output
    assert store.is_demo(store.connect(first.path))
    _the_block_comes_last(first.output, first.path)
    path = copy_db(first.path, tmp_path / "demo.db")
    monkeypatch.setenv("LAGESBILD_DB", str(path))
    # The rebuilds below test which database is replaced, not the coding the first run
    # checked: they build the same demo without auto-coding every submitted answer again.
    build = demo_data.build
    monkeypatch.setattr(demo_data, "build", lambda *args, **kwargs: build(
        *args, **{**kwargs, "autocode": False}))
    again = CliRunner().invoke(cli, ["demo", "--no-serve"])
    assert again.exit_code == 0 and "the demo database is rebuilt" in again.output
    real = tmp_path / "real.db"
    db = store.connect(real)
    store.init(db)
    db.execute("INSERT INTO questionnaire_versions VALUES ('h', 'q', '1', 'src', 'now')")
    store.create_round(db, "2021-01", "Riktig omgång", "h", "2021-01-01", "2021-02-01")
    db.conn.close()
    monkeypatch.setenv("LAGESBILD_DB", str(real))
    forced = CliRunner().invoke(cli, ["demo", "--no-serve", "--force"])
    assert forced.exit_code == 0
    assert {r["id"] for r in store.rounds(store.connect(real))} == {"2020-06", "2020-09"}


def _the_block_comes_last(output: str, path) -> None:
    """The address, every account with its password and the outbox: the last dozen lines."""
    lines = output.rstrip("\n").splitlines()
    assert sum("byggs om" in line for line in lines) == 1  # one line says it is rebuilt
    start = max(i for i, line in enumerate(lines) if line.startswith("─"))
    block = lines[max(i for i, line in enumerate(lines[:start]) if line.startswith("─")):]
    assert len(block) <= 14, block
    text = "\n".join(block)
    assert "http://127.0.0.1:5000/" in text and "/samordna/logga-in" in text
    db = store.connect(path)
    accounts = store.users(db)
    assert len(accounts) == 4
    for account in accounts:
        line = next(line for line in block if account["email"] in line)
        assert len(line.split()) >= 3  # e-mail address, password, name
    assert "/s/" in text  # a municipality's link to answer with
    assert str(path.with_name("demo-utkorg")) in text
    links = path.with_name("demo-lankar.csv").read_text(encoding="utf-8").splitlines()
    assert links[0] == "municipality_name,url" and len(links) == 291
    assert len(lines) < 40  # not one line per municipality


def test_serve_prints_the_demo_block_after_the_servers_own_lines(tmp_path):
    """`make run` ends with the links and accounts, not with waitress's start line."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    code = ("from survey.cli.main import _serve; "
            f"_serve('127.0.0.1', {port}, 2, then=['BLOCK 1', 'BLOCK 2'])")
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", code], stdout=output, stderr=subprocess.STDOUT,
            env={"LAGESBILD_DB": str(tmp_path / "serve.db"), "PATH": "/usr/bin:/bin",
                 "PYTHONUNBUFFERED": "1"})
    try:
        for _ in range(300):
            if "BLOCK 2" in log.read_text():
                break
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
        lines = [line for line in log.read_text().splitlines() if line.strip()]
        assert lines[-2:] == ["BLOCK 1", "BLOCK 2"], lines
        assert any(line.startswith(f"Serving Lägesbild on http://127.0.0.1:{port}/")
                   for line in lines[:-2])
        assert "Traceback" not in log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=10)
