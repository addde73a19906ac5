"""`lagesbild demo` never traps you: a taken port is named before anything is built, and a
database that holds real data is kept unless --force says otherwise."""

from __future__ import annotations

import socket
import subprocess
import sys

from click.testing import CliRunner

from survey import store
from survey.cli import cli


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


def test_a_demo_database_is_rebuilt_and_force_replaces_a_real_one(tmp_path, monkeypatch):
    path = tmp_path / "demo.db"
    monkeypatch.setenv("LAGESBILD_DB", str(path))
    first = CliRunner().invoke(cli, ["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert store.is_demo(store.connect(path))
    again = CliRunner().invoke(cli, ["demo", "--no-serve"])
    assert again.exit_code == 0 and "building the demo database" in again.output
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
