"""Load on the answering flow, against its floor: real HTTP, real waitress, real SQLite file.

Engine: up to 290 municipalities (a new open round, one link each) open their link, start,
save a draft page by page and submit, while coordinators read the dashboard. Floor: in the
same run, a bare Flask endpoint that inserts one row into SQLite (benchmarks/floor_app.py).
Both servers run as their own process with the settings of `lagesbild serve` (waitress, 8
threads); the clients run in other processes, so the measuring never competes with the
server for the GIL. Afterwards every acknowledged save is looked up in the database.

Prints throughput and p50/p95/p99 per kind of request, failures, acknowledged saves missing
from the database, and as its last line ``ratio engine/floor saves per second: R``.

    python benchmarks/load.py [--municipalities 290] [--clients 24] [--seconds 30]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from survey import store  # noqa: E402
from survey.services import demo, versions  # noqa: E402
from tests.formdata import page_post  # noqa: E402

ROUND = "bench"
THREADS = 8  # `lagesbild serve --threads` default
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
REVISION = re.compile(r'name="_revision" value="(\d+)"')


class Browser:
    """A minimal cookie-keeping HTTP client (one keep-alive connection, like one tab)."""

    def __init__(self, port: int, record):
        self.port, self.record = port, record
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def request(self, kind: str, method: str, path: str, body=None, ok=(200, 302)):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        began = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.record(kind, time.perf_counter() - began, f"{type(error).__name__}")
            return 0, None, ""
        elapsed = time.perf_counter() - began
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        self.record(kind, elapsed, None if response.status in ok else str(response.status))
        location = response.getheader("Location")
        return response.status, urlsplit(location).path if location else None, text


# ------------------------------------------------------------------------- client processes

def _engine_worker(port: int, jobs: list[dict], clients: int, deadline: float, out) -> None:
    """One client process: `clients` threads take municipalities from `jobs` in turn."""
    questionnaire = QUESTIONNAIRE[0]  # set before the fork
    samples, acked, lock = [], [], threading.Lock()
    queue = list(reversed(jobs))

    def record(kind, elapsed, error):
        with lock:
            samples.append((kind, elapsed, error))

    def municipality(job):
        browser = Browser(port, record)
        _, start, _ = browser.request("open link", "GET", f"/s/{job['token']}")
        if not start:
            return
        _, _, html = browser.request("start page", "GET", start)
        token = CSRF.search(html)
        if not token:
            return
        status, page_path, _ = browser.request("start (POST)", "POST", start, [
            ("csrf_token", token.group(1)), ("actor_name", f"Bänk {job['code']}")])
        answers = job["answers"]
        for page in questionnaire.pages:
            _, _, html = browser.request("page", "GET", f"{start}sida/{page.name}")
            token, revision = CSRF.search(html), REVISION.search(html)
            if not token or not revision:
                return
            form = page_post(page, answers, action="next", revision=int(revision.group(1)))
            form.add("csrf_token", token.group(1))
            status, _, _ = browser.request("save page (POST)", "POST",
                                           f"{start}sida/{page.name}", list(form.items(multi=True)),
                                           ok=(302,))
            if status != 302:
                return
            names = [q.name for q in page.questions if q.stores_answer
                     and not _empty(answers.get(q.name))]
            with lock:
                acked.append(("page", job["code"], names))
        _, _, html = browser.request("review page", "GET", f"{start}granska")
        token = CSRF.search(html)
        if token:
            status, _, _ = browser.request("submit (POST)", "POST", f"{start}granska",
                                           [("csrf_token", token.group(1))], ok=(302,))
            if status == 302:
                with lock:
                    acked.append(("submit", job["code"], []))
        browser.conn.close()

    def client():
        while time.time() < deadline:
            with lock:
                if not queue:
                    return
                job = queue.pop()
            municipality(job)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((samples, acked))


def _floor_worker(port: int, client_ids: list[str], saves: int, deadline: float, out) -> None:
    samples, acked, lock = [], [], threading.Lock()

    def record(kind, elapsed, error):
        with lock:
            samples.append((kind, elapsed, error))

    def client(name):
        browser = Browser(port, record)
        for i in range(saves):
            if time.time() > deadline:
                break
            value = f"Sparning {i} från {name}"
            status, _, _ = browser.request("floor save (POST)", "POST", "/save",
                                           [("client", name), ("value", value)], ok=(302,))
            if status == 302:
                with lock:
                    acked.append((name, value))
        browser.conn.close()

    threads = [threading.Thread(target=client, args=(c,)) for c in client_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((samples, acked))


QUESTIONNAIRE: list = []


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _split(items: list, parts: int) -> list[list]:
    return [items[i::parts] for i in range(parts)]


def _run_clients(target, shares: list, *args) -> tuple[list, list, float]:
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    processes = [ctx.Process(target=target, args=(args[0], share, *args[1:], out))
                 for share in shares if share]
    began = time.perf_counter()
    for process in processes:
        process.start()
    samples, acked = [], []
    for _ in processes:
        s, a = out.get()
        samples += s
        acked += a
    wall = time.perf_counter() - began
    for process in processes:
        process.join()
    return samples, acked, wall


# ------------------------------------------------------------------------------ servers

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(command: list[str], env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"server did not start: {command}")


def _cpu_seconds(process: subprocess.Popen) -> tuple[float, float]:
    """User and system CPU the server process has used so far (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def _used(process: subprocess.Popen, before: tuple[float, float]) -> tuple[float, float]:
    """(user + system, system) CPU seconds since ``before``."""
    user, system = _cpu_seconds(process)
    return user - before[0] + system - before[1], system - before[1]


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


# ------------------------------------------------------------------------------- setup

def _world(tmp: Path, count: int) -> tuple[list[dict], dict]:
    """The demo database plus an open round with one link per municipality."""
    summary = demo.build(tmp / "load.db", base_url="")
    db = store.connect(tmp / "load.db")
    questionnaire = versions.import_file(db, versions.PACKAGED_DIR / "lagesbild-2020.yaml")
    closes = (date.today() + timedelta(days=30)).isoformat()
    store.create_round(db, ROUND, "Bänkprov", questionnaire.hash, date.today().isoformat(),
                       closes)
    QUESTIONNAIRE[:] = [questionnaire]
    rng = random.Random(12)
    texts = demo.TextPool(rng)
    jobs = []
    for municipality in store.municipalities(db)[:count]:
        token, token_hash = store.new_token()
        store.add_invitation(db, ROUND, municipality["code"], token_hash)
        answers = demo.generate_answers(questionnaire, rng, texts, municipality, ROUND)
        for question in questionnaire.questions:  # a date about now: not before the round
            if question.kind == "date" and not question.carry_over and answers.get(
                    question.name):
                answers[question.name] = date.today().isoformat()
        jobs.append({"code": municipality["code"], "token": token, "answers": answers})
    db.conn.close()
    national = next(a for a in summary.accounts if a["role"] == "national_coordinator")
    return jobs, national


def _coordinators(port: int, account: dict, stop: threading.Event, samples: list) -> None:
    def record(kind, elapsed, error):
        samples.append((kind, elapsed, error))

    browser = Browser(port, record)
    _, _, html = browser.request("login page", "GET", "/samordna/logga-in")
    token = CSRF.search(html)
    browser.request("login (POST)", "POST", "/samordna/logga-in", [
        ("csrf_token", token.group(1) if token else ""), ("email", account["email"]),
        ("password", account["password"])], ok=(302,))
    while not stop.wait(0.25):
        browser.request("dashboard", "GET", f"/samordna/?omgang={ROUND}")
    browser.conn.close()


# ----------------------------------------------------------------------------- results

def _table(samples: list, wall: float) -> list[str]:
    by_kind: dict[str, list] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for kind, elapsed, error in samples:
        by_kind[kind].append(elapsed)
        if error:
            errors[kind] += 1
    lines = [f"  {'request':<20}{'count':>7}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}"
             f"{'p99 ms':>9}{'failed':>8}"]
    for kind, times in by_kind.items():
        times.sort()
        lines.append(f"  {kind:<20}{len(times):>7}{len(times) / wall:>8.1f}"
                     f"{_pct(times, 50):>9.1f}{_pct(times, 95):>9.1f}{_pct(times, 99):>9.1f}"
                     f"{errors[kind]:>8}")
    return lines


def _pct(times: list[float], p: int) -> float:
    if len(times) == 1:
        return times[0] * 1000
    return statistics.quantiles(times, n=100, method="inclusive")[p - 1] * 1000


def _missing_engine(path: Path, acked: list) -> int:
    db = store.connect(path)
    try:
        missing = 0
        for kind, code, names in acked:
            response = store.get_response(db, ROUND, code)
            if response is None:
                missing += 1
            elif kind == "submit":
                missing += response["status"] != store.SUBMITTED
            else:
                stored = store.answers(db, response["id"])
                missing += any(name not in stored for name in names)
        return missing
    finally:
        db.conn.close()


def _missing_floor(path: Path, acked: list) -> int:
    db = store.connect(path)
    try:
        kept = {(r["client"], r["value"]) for r in db.query("SELECT client, value FROM saves")}
        return sum(1 for item in acked if tuple(item) not in kept)
    finally:
        db.conn.close()


def run(count: int, clients: int, seconds: float, processes: int) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="lagesbild-load-"))
    jobs, national = _world(tmp, count)
    env = {**os.environ, "LAGESBILD_DB": str(tmp / "load.db"), "LAGESBILD_SECRET_KEY": "bench",
           "LAGESBILD_BASE_URL": "http://127.0.0.1", "LAGESBILD_AUTOCODE_ON_SUBMIT": "false"}
    port = _free_port()
    server = _start([sys.executable, "-m", "survey.cli", "serve", "--port", str(port),
                     "--threads", str(THREADS)], env, port)
    try:
        stop, coordinator_samples = threading.Event(), []
        readers = [threading.Thread(target=_coordinators,
                                    args=(port, national, stop, coordinator_samples))
                   for _ in range(2)]
        for reader in readers:
            reader.start()
        per_process = max(1, clients // processes)
        cpu_before = _cpu_seconds(server)
        samples, acked, wall = _run_clients(_engine_worker, _split(jobs, processes), port,
                                            per_process, time.time() + seconds)
        stop.set()
        for reader in readers:
            reader.join()
        engine_cpu, engine_sys = _used(server, cpu_before)
    finally:
        _stop(server)
    engine_missing = _missing_engine(tmp / "load.db", acked)

    floor_db = tmp / "floor.db"
    port = _free_port()
    server = _start([sys.executable, str(ROOT / "benchmarks" / "floor_app.py"), str(floor_db),
                     str(port), str(THREADS)], env, port)
    try:
        names = [f"c{i}" for i in range(per_process * processes)]
        cpu_before = _cpu_seconds(server)
        floor_samples, floor_acked, floor_wall = _run_clients(
            _floor_worker, _split(names, processes), port, 200, time.time() + seconds / 3)
        floor_cpu, floor_sys = _used(server, cpu_before)
    finally:
        _stop(server)
    floor_missing = _missing_floor(floor_db, floor_acked)

    engine_saves = sum(1 for kind, _, error in samples if kind == "save page (POST)"
                       and not error)
    floor_saves = sum(1 for kind, _, error in floor_samples if not error)
    done = len({code for kind, code, _ in acked if kind == "submit"})
    failures = sum(1 for *_, error in samples + coordinator_samples + floor_samples if error)
    print(f"engine: {len(jobs)} municipalities, {per_process * processes} browsers in "
          f"{processes} client processes, 2 coordinators on the dashboard; waitress "
          f"{THREADS} threads; {done} submitted in {wall:.1f} s")
    print("\n".join(_table(samples + coordinator_samples, wall)))
    print(f"floor: bare Flask insert of one row, {len(names)} clients, {floor_wall:.1f} s")
    print("\n".join(_table(floor_samples, floor_wall)))
    print(f"failures: {failures}")
    print(f"acknowledged saves missing from the database: engine {engine_missing}, "
          f"floor {floor_missing}")
    engine_rate, floor_rate = engine_saves / wall, floor_saves / floor_wall
    print(f"saves per second: engine {engine_rate:.1f}, floor {floor_rate:.1f}")
    print(f"server CPU: engine {engine_cpu / wall:.0%} of a core, "
          f"{1000 * engine_cpu / max(engine_saves, 1):.1f} ms per save (its page view, the "
          f"other requests and the dashboard included; system "
          f"{1000 * engine_sys / max(engine_saves, 1):.1f} ms); floor "
          f"{floor_cpu / floor_wall:.0%} of a core, "
          f"{1000 * floor_cpu / max(floor_saves, 1):.1f} ms per save (system "
          f"{1000 * floor_sys / max(floor_saves, 1):.1f} ms)")
    engine_requests = len(samples) + len(coordinator_samples)
    print(f"requests per save: engine {engine_requests / max(engine_saves, 1):.2f} (each draft "
          f"save follows a page view; links, start, review and submit and the dashboard come "
          f"on top), floor {len(floor_samples) / max(floor_saves, 1):.2f}; server CPU per "
          f"request: engine {1000 * engine_cpu / max(engine_requests, 1):.2f} ms, floor "
          f"{1000 * floor_cpu / max(len(floor_samples), 1):.2f} ms")
    # Both servers share the machine with their clients (and whatever else runs), so the
    # rates move with the load; CPU per save moves much less. With one process (one GIL) it
    # bounds a server's rate when the server, not its clients, is what is short of CPU.
    engine_per_save, floor_per_save = engine_cpu / max(engine_saves, 1), \
        floor_cpu / max(floor_saves, 1)
    print(f"ratio floor/engine server CPU per save: "
          f"{floor_per_save / engine_per_save if engine_per_save else 0:.2f} (R if both servers "
          f"were bound by their own CPU)")
    print(f"ratio engine/floor saves per second: {engine_rate / floor_rate:.2f}")
    return 1 if failures or engine_missing or floor_missing else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=290)
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=30,
                        help="time box of the engine phase (the floor gets a third of it)")
    parser.add_argument("--processes", type=int, default=4)
    arguments = parser.parse_args()
    sys.exit(run(min(arguments.municipalities, 290), arguments.clients, arguments.seconds,
                 arguments.processes))
