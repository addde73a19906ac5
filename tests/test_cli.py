"""The `lagesbild` command: init, demo and serve, through click's CliRunner and a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from survey import store
from survey.cli import cli
from tests.live import free_port

ROOT = Path(__file__).resolve().parent.parent


def test_init_creates_and_upgrades_idempotently(tmp_path, monkeypatch):
    monkeypatch.setenv("LAGESBILD_DB", str(tmp_path / "db.sqlite"))
    first = CliRunner().invoke(cli, ["init"])
    assert first.exit_code == 0, first.output
    assert "21 counties, 290 municipalities" in first.output
    assert "applied migration m001_initial" in first.output
    second = CliRunner().invoke(cli, ["init"])
    assert second.exit_code == 0 and "applied migration" not in second.output
    db = store.connect(tmp_path / "db.sqlite")
    assert store.municipality(db, "0114")["name"] == "Upplands Väsby kommun"
    assert store.municipality(db, "1380")["county_code"] == "13"


def test_init_with_a_broken_questionnaire_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("LAGESBILD_DB", str(tmp_path / "db.sqlite"))
    folder = tmp_path / "q"
    folder.mkdir()
    shutil.copy(ROOT / "questionnaires" / "lagesbild-2020.yaml", folder)
    assert CliRunner().invoke(cli, ["init", "--questionnaires", str(folder)]).exit_code == 0
    shutil.copy(ROOT / "tests" / "fixtures" / "bad" / "duplicate-name.yaml", folder / "new.yaml")
    (folder / "lagesbild-2020.yaml").write_text(
        (ROOT / "questionnaires" / "lagesbild-2020.yaml").read_text(encoding="utf-8")
        .replace('version: "2020.1"', 'version: "2020.2"'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", "--questionnaires", str(folder)])
    assert result.exit_code == 1
    assert f"{folder / 'new.yaml'}:" in result.output and "duplicate question name" in \
        result.output
    db = store.connect(tmp_path / "db.sqlite")
    versions = [row["version"] for row in db.query("SELECT version FROM questionnaire_versions")]
    assert versions == ["2020.1"]  # the valid new version was not stored either


def test_demo_builds_both_rounds(demo_command):
    result = demo_command  # `lagesbild demo --no-serve`, run once for the session
    assert result.exit_code == 0, result.output
    assert "round 2020-06: submitted 290, draft 0, not_started 0" in result.output
    assert "round 2020-09: submitted 169, draft 73, not_started 48" in result.output
    assert "Halmstads kommun: http://127.0.0.1:5000/s/" in result.output
    db = store.connect(result.path)
    statuses = {r["status"] for r in store.responses_for_round(db, "2020-09")}
    assert statuses == {store.SUBMITTED, store.DRAFT}
    assert store.round_is_open(store.get_round(db, "2020-09"))
    assert not store.round_is_open(store.get_round(db, "2020-06"))
    halland = store.answers_for_round(db, "2020-06", "13")
    assert len(halland) == 6
    texts = {answers["violence_risks"] for answers in halland.values()}
    assert len(texts) == 6  # varied, not one text copied six times
    assert "/samordna/logga-in" in result.output  # coordinator accounts are printed

    codes = store.codes_for_round(db, "2020-06", "13")
    assert {c["municipality_code"] for c in codes} == set(halland)  # auto-coded on "submit"
    assert {c["codebook"] for c in codes} == {"risks", "measures"}


def test_serve_runs_waitress_over_real_http(tmp_path):
    port = free_port()
    env = {**os.environ, "LAGESBILD_DB": str(tmp_path / "serve.db")}
    log = tmp_path / "serve.log"
    with open(log, "wb") as output:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen(
            [sys.executable, "-m", "survey.cli", "serve", "--port", str(port)], cwd=tmp_path,
            env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        response = None
        for _ in range(150):
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
                break
            except urllib.error.HTTPError as error:  # the server answered: that is the result
                response = error
                break
            except OSError:
                time.sleep(0.1)
        assert response is not None, log.read_text()
        body = response.read().decode()
        assert response.status == 200, log.read_text()[-3000:]
        assert "Lägesbild" in body and response.headers["Server"] == "Lagesbild"
        assert "Logga in som samordnare" in body
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_too_large_request_is_refused_in_swedish(client, links):
    client.get(links.url("2020-09", "1380"))
    response = client.post("/svar/2020-09/1380/sida/other",
                           data={"other_comments": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "för stort" in response.get_data(as_text=True)
