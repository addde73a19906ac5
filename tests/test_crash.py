"""A server killed mid-save loses nothing it acknowledged (#12).

A real `lagesbild serve` (waitress) runs in its own process on a real SQLite file while
client threads save answers through real HTTP, each for its own municipality. The server is
killed with SIGKILL at a moment nobody chose, restarted, and killed again. Afterwards every
save that got its 302 is in the database with its value, and `PRAGMA integrity_check` is ok.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from survey import store
from tests.conftest import make_rounds
from tests.formdata import page_post
from tests.live import free_port

ROOT = Path(__file__).resolve().parent.parent
ROUND = "2020-09"  # the open round of make_rounds
CLIENTS = 4
KILLS = 3
PAGES = ("area_violence", "area_children", "area_substance", "area_unrest", "other")
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
REVISION = re.compile(r'name="_revision" value="(\d+)"')


# The application takes seconds to import (spaCy), so one launcher process imports it once and
# forks a fresh `lagesbild serve` for every start; the test kills that child with SIGKILL. The
# launcher is single-threaded and opens no database, so the fork is clean.
LAUNCHER = """
import os, signal, sys
from survey.cli import cli
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed servers are reaped by the kernel
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # stdout answers the test: pids only
        try:
            cli.main(["serve", "--port", line.strip(), "--threads", "4"])
        finally:
            os._exit(0)
    print(pid, flush=True)
"""


class Servers:
    """Starts `lagesbild serve` on the same port and database again and again."""

    def __init__(self, db_path: Path, instance: Path):
        env = {**os.environ, "LAGESBILD_DB": str(db_path), "LAGESBILD_SECRET_KEY": "crash",
               "LAGESBILD_BASE_URL": "http://127.0.0.1", "LAGESBILD_AUTOCODE_ON_SUBMIT": "false",
               "LAGESBILD_JOBS_WORKERS": "0", "PYTHONPATH": str(ROOT)}
        self.port = free_port()
        self.launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER], env=env, cwd=instance,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, text=True)
        self.pid: int | None = None

    def start(self) -> None:
        self.launcher.stdin.write(f"{self.port}\n")
        self.launcher.stdin.flush()
        self.pid = int(self.launcher.stdout.readline())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("the server did not start within 30 s")

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.pid = None
                return
            time.sleep(0.02)
        raise AssertionError("the killed server did not go away")

    def close(self) -> None:
        if self.pid is not None:
            self.kill()
        self.launcher.stdin.close()
        self.launcher.wait(timeout=10)
        self.launcher.stdout.close()


@dataclass
class Client:
    """One respondent's tab: saves a new text on one page after another, and remembers what
    the server acknowledged and what it was sent."""

    port: int
    code: str
    token: str
    questionnaire: object
    acked: list[tuple[int, str, str]] = field(default_factory=list)  # (attempt, question, value)
    attempts: list[tuple[int, str, str]] = field(default_factory=list)
    cookie: str = ""

    def request(self, method: str, path: str, body=None) -> tuple[int, str | None, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=urlencode(body) if body else None, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8")
        except (OSError, http.client.HTTPException):
            return 0, None, ""  # the server is down (killed) or went down mid-request
        finally:
            conn.close()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        location = response.getheader("Location")
        return response.status, urlsplit(location).path if location else None, text

    def run(self, stop: threading.Event) -> None:
        start = None
        number = 0
        while not stop.is_set():
            if start is None:
                status, start, _ = self.request("GET", f"/s/{self.token}")
                if status != 302:
                    start = None
                    time.sleep(0.05)
                continue
            page = self.questionnaire.page(PAGES[number % len(PAGES)])
            question = next(q.name for q in page.questions if q.type == "textarea")
            status, _, html = self.request("GET", f"{start}sida/{page.name}")
            token, revision = CSRF.search(html), REVISION.search(html)
            if status != 200 or not token or not revision:
                time.sleep(0.05)
                continue
            number += 1
            value = f"Sparning {number} från {self.code}: läget är ”oförändrat”."
            form = page_post(page, {question: value}, action="save",
                             revision=int(revision.group(1)))
            form.add("csrf_token", token.group(1))
            self.attempts.append((number, question, value))
            status, _, _ = self.request("POST", f"{start}sida/{page.name}",
                                        list(form.items(multi=True)))
            if status == 302:
                self.acked.append((number, question, value))


def _acked(workers: list[Client]) -> int:
    return sum(len(worker.acked) for worker in workers)


def _integrity(db_path: Path) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _check(db_path: Path, client: Client) -> None:
    """Every acknowledged value is in the history; the stored answer is the last one
    acknowledged, or one sent after it whose answer the kill cut off (it may or may not have
    been committed, and either is right)."""
    db = store.connect(db_path)
    try:
        response = store.get_response(db, ROUND, client.code)
        assert response is not None, client.code
        stored = store.answers(db, response["id"])
        written = {(row["question"], row["new_value"])
                   for row in store.history(db, response["id"])}
    finally:
        db.conn.close()
    for _number, question, value in client.acked:
        assert (question, value) in written, (client.code, question, value)
    for question in {q for _, q, _ in client.acked}:
        last = max(n for n, q, _ in client.acked if q == question)
        allowed = {v for n, q, v in client.attempts if q == question and n >= last}
        assert stored.get(question) in allowed, (client.code, question, stored.get(question))


def test_acknowledged_saves_survive_sigkill(tmp_path):
    began = time.monotonic()
    db_path = tmp_path / "crash.db"
    database = store.connect(db_path)
    store.init(database)
    make_rounds(database)
    questionnaire = store.round_questionnaire(database, store.get_round(database, ROUND))
    clients = []
    for municipality in store.municipalities(database)[:CLIENTS]:
        token, token_hash = store.new_token()
        store.add_invitation(database, ROUND, municipality["code"], token_hash)
        clients.append((municipality["code"], token))
    database.conn.close()

    servers = Servers(db_path, tmp_path)
    stop = threading.Event()
    workers = [Client(servers.port, code, token, questionnaire) for code, token in clients]
    threads = [threading.Thread(target=w.run, args=(stop,), daemon=True) for w in workers]
    rng = random.Random()
    acked_before = 0
    try:
        servers.start()
        for thread in threads:
            thread.start()
        for kill in range(KILLS):
            if kill:
                servers.start()
            # let the clients save (a fresh server first parses the questionnaire), then
            # kill at a moment within the next half second: mostly in the middle of a save
            deadline = time.monotonic() + 15
            while _acked(workers) < acked_before + CLIENTS and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(rng.uniform(0, 0.5))
            servers.kill()
            acked = _acked(workers)
            assert acked > acked_before, f"no save was acknowledged before kill {kill + 1}"
            acked_before = acked
            assert _integrity(db_path) == "ok"
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        servers.close()

    assert _integrity(db_path) == "ok"
    for worker in workers:
        assert worker.acked, f"{worker.code} never got a save acknowledged"
        _check(db_path, worker)
    assert time.monotonic() - began < 40
