"""Background jobs (#12): report files built by huey's real consumer, shared between requests
for the same data, seen only by those who may download the report, interrupted by a real
server kill and run again.

The world is tests/accounts_fixtures.py's (county 13 has answers in 2020-09). Tests about the
queue run huey's consumer threads (``Jobs.start_consumer``) against the SQLite queue file;
the role walk, which is not about the queue, uses huey's immediate mode.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey

from survey import store
from survey.services import jobs as job_service
from survey.web import jobs as web_jobs
from tests.accounts_fixtures import *  # noqa: F403 (the coordinator world's fixtures)
from tests.accounts_fixtures import (
    LOGIN,
    NEW_ROUND,
    PASSWORD,
    ROLES,
    USERS,
    A,
    B,
    make_app,
    municipality_client,
    user_client,
)
from tests.live import axe_violations, free_port, serve
from tests.test_review import rdb, trained_decisions  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent
COUNTY = f"/samordna/rapporter/{NEW_ROUND}/lan/13"
NATIONAL = f"/samordna/rapporter/{NEW_ROUND}/nationell"


@contextmanager
def consumer(app, workers: int = 1):
    """huey's real consumer threads for this app, as `lagesbild serve` runs them."""
    running = web_jobs.queue(app).start_consumer(workers)
    try:
        yield
    finally:
        running.stop(graceful=True)


def queued_app(world, **config):
    return make_app(world, JOBS_IMMEDIATE=False, **config)


def wait_for(job_id: str, db_path: Path, statuses=("done", "failed", "interrupted"),
             timeout: float = 120.0, seen: set | None = None) -> dict:
    database = store.connect(db_path)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = store.jobs.get_job(database, job_id)
            if seen is not None:
                seen.add(job["stage"])
            if job["status"] in statuses:
                return job
            time.sleep(0.05)
        raise AssertionError(f"job {job_id} still {job['status']} after {timeout} s")
    finally:
        database.conn.close()


def job_id_of(location: str) -> str:
    return re.search(r"/jobb/([0-9a-f]+)", location).group(1)


# ---------------------------------------------------------------- the queue


def test_the_setting_chooses_sqlite_beside_the_database_or_redis(world):
    assert job_service.huey_class(None) is SqliteHuey
    assert job_service.huey_class("sqlite:///srv/jobs.db") is SqliteHuey
    assert job_service.huey_class("redis://localhost:6379/0") is RedisHuey
    assert job_service.huey_class("rediss://cache.example:6380/1") is RedisHuey
    with pytest.raises(ValueError, match="JOBS_URL"):
        job_service.huey_class("amqp://broker")
    app = queued_app(world)
    jobs = web_jobs.queue(app)
    assert isinstance(jobs.huey, SqliteHuey) and not jobs.huey.immediate
    assert Path(jobs.huey.storage.filename) == world.path.with_name("lagesbild-jobs.db")
    # the setting is read by the application: Redis is chosen without connecting to it
    redis_app = queued_app(world, JOBS_URL="redis://127.0.0.1:6399/0")
    settings = web_jobs.settings_for(redis_app)
    assert job_service.huey_class(settings.url) is RedisHuey
    # tests not about the queue run each job at once
    assert web_jobs.queue(make_app(world)).huey.immediate


def test_a_real_consumer_builds_the_pdf_in_stages_and_equal_requests_share_it(world):
    app = queued_app(world)
    halland, national = user_client(app, "coord13"), user_client(app, "national")
    with consumer(app):
        started = halland.post(f"{COUNTY}.pdf/jobb")
        assert started.status_code == 303
        job_id = job_id_of(started.location)
        page = halland.get(started.location).get_data(as_text=True)
        assert "Rapport för Hallands län, PDF" in page
        # the same report on the same data, asked for by someone else: the same job
        again = national.post(f"{COUNTY}.pdf/jobb")
        assert job_id_of(again.location) == job_id and "delad=1" in again.location
        seen: set[str] = set()
        job = wait_for(job_id, world.path, seen=seen)
    assert job["status"] == "done", job
    assert {"writing_pdf", "done"} <= seen  # the page had stages to show
    page = halland.get(f"/samordna/rapporter/jobb/{job_id}").get_data(as_text=True)
    assert "Klar" in page and f"/jobb/{job_id}/fil" in page
    file = halland.get(f"/samordna/rapporter/jobb/{job_id}/fil")
    body = file.data
    file.close()  # a file is streamed: close it as a browser would
    assert file.status_code == 200 and body.startswith(b"%PDF")
    assert file.headers["Cache-Control"] == "no-store"
    assert 'filename=lagesbild-2020-09-lan-13.pdf' in file.headers["Content-Disposition"]
    stored = Path(app.instance_path) / "jobs" / job["file"]
    assert stored.read_bytes() == body  # a file under the instance folder
    # the download URL (a contract) sends the finished job's file for the current data
    direct = halland.get(f"{COUNTY}.pdf")
    assert direct.status_code == 200 and direct.data == body
    direct.close()
    # new data: a new job, and the old file is no longer what the download URL sends
    database = store.connect(world.path)
    store.add_source(database, NEW_ROUND, "13", "2020-09-10", "Polisen", "police",
                     "Fler orosanmälningar.", "Hans Halland")
    database.conn.close()
    fresh = halland.post(f"{COUNTY}.pdf/jobb")
    assert job_id_of(fresh.location) != job_id
    assert halland.get(f"{COUNTY}.pdf").data != body


def test_two_requests_at_the_same_moment_make_one_job(world):
    app = queued_app(world)  # no consumer: the jobs stay queued
    jobs = web_jobs.queue(app)
    results, barrier = [], threading.Barrier(4)

    def ask() -> None:
        database = store.connect(world.path)
        barrier.wait()
        results.append(jobs.request_report(database, NEW_ROUND, "13", "docx", None, "test"))
        database.conn.close()
    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({job["id"] for job, _created in results}) == 1
    assert sum(created for _job, created in results) == 1
    # the job as stored now (a sharer may have read it before its task id was written)
    database = store.connect(world.path)
    stored = store.jobs.get_job(database, results[0][0]["id"])
    database.conn.close()
    assert [task.id for task in jobs.huey.pending()] == [stored["task_id"]]


# ---------------------------------------------------------------- who sees what


def test_only_those_who_may_download_the_report_see_its_job(world):
    app = make_app(world)  # immediate: this test is about access, not the queue
    national = user_client(app, "national")
    county_job = job_id_of(national.post(f"{COUNTY}.docx/jobb").location)
    national_job = job_id_of(national.post(f"{NATIONAL}.docx/jobb").location)
    may_county = {"coord13": True, "coord10": False, "national": True, "admin": True}
    may_national = {"coord13": False, "coord10": False, "national": True, "admin": True}
    outcomes = {}
    for role in ROLES:
        client = (municipality_client(app, world, A) if role == "A" else
                  municipality_client(app, world, B) if role == "B" else
                  app.test_client() if role == "nobody" else user_client(app, role))
        for job_id, rule in ((county_job, may_county), (national_job, may_national)):
            for path in ("", "/fil"):
                response = client.get(f"/samordna/rapporter/jobb/{job_id}{path}")
                response.close()  # a file is streamed: close it as a browser would
                if role not in rule:
                    expected = LOGIN
                    ok = (response.status_code == 302
                          and "/samordna/logga-in" in response.location)
                else:
                    expected = 200 if rule[role] else 403
                    ok = response.status_code == expected
                outcomes[(role, job_id == county_job, path)] = (response.status_code,
                                                                 expected, ok)
        if role in rule:
            listing = client.get("/samordna/rapporter/").get_data(as_text=True)
            assert (county_job in listing) == may_county[role], role
            assert (national_job in listing) == may_national[role], role
    assert {k: v for k, v in outcomes.items() if not v[2]} == {}
    assert user_client(app, "coord10").post(
        f"/samordna/rapporter/jobb/{county_job}/igen").status_code == 403
    assert national.get("/samordna/rapporter/jobb/" + "f" * 32).status_code == 404


# ---------------------------------------------------------------- a real server, killed


class Browser:
    """A cookie-keeping HTTP client for a real served app (no redirects followed)."""

    def __init__(self, site: str):
        self.site = site
        jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                                  NoRedirect)

    def open(self, path: str, form: dict | None = None) -> tuple[int, str, dict]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.site + path, data=data, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace"), \
                    dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)

    def post(self, path: str, form: dict | None = None, token_from: str | None = None):
        _status, page, _headers = self.open(token_from or path)
        field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
        token = re.search(r'value="([^"]+)"', field).group(1)
        return self.open(path, {"csrf_token": token, **(form or {})})


@contextmanager
def served(world, port: int):
    env = {**os.environ, "LAGESBILD_DB": str(world.path), "LAGESBILD_SECRET_KEY": "kill-test",
           "LAGESBILD_ARGON2_PROFILE": "CHEAPEST", "LAGESBILD_AUTOCODE_ON_SUBMIT": "false",
           "LAGESBILD_JOBS_WORKERS": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "survey.cli", "serve", "--port", str(port), "--threads", "4"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        site = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(site + "/", timeout=2).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.2)
        yield process, site
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def test_a_job_killed_with_its_server_reads_interrupted_and_runs_again(world):
    port = free_port()
    instance = None
    with served(world, port) as (process, site):
        national = Browser(site)
        status, _page, _headers = national.post(
            "/samordna/logga-in", {"email": USERS["national"][0], "password": PASSWORD})
        assert status == 302, status
        status, _page, headers = national.post(f"{NATIONAL}.pdf/jobb",
                                               token_from="/samordna/rapporter/")
        assert status == 303, status
        job_id = job_id_of(headers["Location"])
        running = wait_for(job_id, world.path, statuses=("running", "done", "failed"))
        assert running["status"] == "running", running
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    with served(world, port) as (process, site):
        national = Browser(site)
        status, _page, _headers = national.post(
            "/samordna/logga-in", {"email": USERS["national"][0], "password": PASSWORD})
        assert status == 302, status
        status, page, _headers = national.open(f"/samordna/rapporter/jobb/{job_id}")
        assert status == 200 and "Avbrutet" in page and 'id="job-again"' in page
        status, _page, headers = national.post(f"/samordna/rapporter/jobb/{job_id}/igen",
                                               token_from=f"/samordna/rapporter/jobb/{job_id}")
        assert status == 303
        again = job_id_of(headers["Location"])
        assert again != job_id
        done = wait_for(again, world.path)
        assert done["status"] == "done", done
        status, page, _headers = national.open(f"/samordna/rapporter/jobb/{again}")
        assert f"/jobb/{again}/fil" in page
        instance = ROOT / "instance" / "jobs"
    database = store.connect(world.path)
    assert store.jobs.get_job(database, job_id)["status"] == "interrupted"
    database.conn.close()
    # `lagesbild serve` keeps results in the package's instance folder: leave it as it was
    import shutil
    for folder in (job_id, again):
        shutil.rmtree(instance / folder, ignore_errors=True)
    try:
        instance.rmdir()  # only when no other job is there
    except OSError:
        pass


def test_lagesbild_worker_runs_the_jobs_in_a_process_of_its_own(world):
    import shutil

    from survey import create_app

    instance = ROOT / "instance"  # where `lagesbild worker` (a packaged app) keeps results
    app = create_app({"DB": str(world.path), "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "worker-test", "ARGON2_PROFILE": "CHEAPEST",
                      "JOBS_IMMEDIATE": False}, instance_path=str(instance))
    halland = user_client(app, "coord13")
    job_id = job_id_of(halland.post(f"{COUNTY}.docx/jobb").location)
    env = {**os.environ, "LAGESBILD_DB": str(world.path), "LAGESBILD_SECRET_KEY": "worker-test"}
    worker = subprocess.Popen([sys.executable, "-m", "survey.cli", "worker", "--workers", "1"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        job = wait_for(job_id, world.path)
    finally:
        worker.send_signal(signal.SIGINT)  # Ctrl-C: huey stops its threads and exits
        output, _ = worker.communicate(timeout=60)
    try:
        assert job["status"] == "done", job
        assert "Kör bakgrundsjobb" in output and worker.returncode == 0
        file = halland.get(f"/samordna/rapporter/jobb/{job_id}/fil")
        assert file.status_code == 200 and file.data[:2] == b"PK"
        file.close()
    finally:
        shutil.rmtree(instance / "jobs" / job_id, ignore_errors=True)
        try:
            (instance / "jobs").rmdir()
        except OSError:
            pass


# ---------------------------------------------------------------- the page in a browser


def _log_in(browser, site: str, javascript: bool):
    context = browser.new_context(locale="sv-SE", java_script_enabled=javascript,
                                  accept_downloads=True)
    page = context.new_page()
    page.goto(f"{site}/samordna/logga-in")
    page.fill("#f-email", USERS["coord13"][0])
    page.fill("#f-password", PASSWORD)
    page.click("main button.primary")
    page.wait_for_load_state()
    return context, page


@pytest.mark.browser
def test_progress_page_with_and_without_javascript(browser, world):
    app = queued_app(world, WTF_CSRF_ENABLED=True)
    with serve(app) as site:
        # JavaScript on: the page follows the job by itself until the link is there
        context, page = _log_in(browser, site, javascript=True)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{site}/samordna/rapporter/")
        list_violations = axe_violations(page)
        page.click("form[action$='/lan/13.pdf/jobb'] button")
        page.wait_for_load_state()
        assert "/samordna/rapporter/jobb/" in page.url
        # no consumer yet: the job waits in the queue, and the page says so
        assert page.locator("#job-stage").inner_text() == "Steg 1 av 6: Väntar på sin tur"
        progress_violations = axe_violations(page)
        with consumer(app):
            page.locator("#job-ready a").wait_for(timeout=120_000)
            done_violations = axe_violations(page)
            with page.expect_download() as download:
                page.click("#job-ready a")
            assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
        context.close()
        # JavaScript off: "Refresh now" shows the new stage, then the link
        context, page = _log_in(browser, site, javascript=False)
        page.goto(f"{site}/samordna/rapporter/?lang=en")
        page.click("form[action$='/lan/13.docx/jobb'] button")
        page.wait_for_load_state()
        job_id = job_id_of(page.url)
        assert "Report for Hallands län, Word" in page.content()
        assert page.locator("#job-stage").inner_text() == "Step 1 of 6: Waiting for its turn"
        with consumer(app):
            wait_for(job_id, world.path)
        page.click("#job-refresh")
        page.wait_for_load_state()
        assert page.locator("#job-status").inner_text() == "Finished"
        assert page.locator("#job-ready a").inner_text().startswith("Download the file")
        with page.expect_download() as download:
            page.click("#job-ready a")
        assert Path(download.value.path()).read_bytes()[:2] == b"PK"
        context.close()
    assert errors == []
    assert list_violations == [] and progress_violations == [] and done_violations == []


# ---------------------------------------------------------------- retraining


def test_retraining_runs_as_a_job_the_page_follows(world, trained_decisions,  # noqa: F811
                                                   monkeypatch):
    stages = []
    set_stage = store.jobs.set_stage

    def recorded(db, job_id, stage):  # the real call, heard on the way
        stages.append(stage)
        return set_stage(db, job_id, stage)

    monkeypatch.setattr(store.jobs, "set_stage", recorded)
    app = queued_app(world)
    national = user_client(app, "national")
    asked = national.post("/granskning/2020-06/traning", data={"codebook": "risks"})
    assert asked.status_code == 303 and "jobb=" in asked.location
    page = national.get(asked.location).get_data(as_text=True)
    assert "Träning av modellen för risker" in page and "Väntar på sin tur" in page
    assert "jobs.js" in page and 'max="7"' in page  # queued, running, four steps, done
    job_id = re.search(r"jobb=([0-9a-f]+)", asked.location).group(1)
    # a county coordinator may not retrain, so the job is not theirs to follow
    halland = user_client(app, "coord13").get(asked.location).get_data(as_text=True)
    assert "Träning av modellen för risker" not in halland
    with consumer(app):
        job = wait_for(job_id, world.path, timeout=300)
    assert job["status"] == "done", job
    steps = [s for s in stages if s not in ("running", "done")]
    assert steps[:3] == ["collecting", "training", "evaluating"] and steps[-1] == "saving"
    page = national.get(asked.location).get_data(as_text=True)
    assert 'id="verdict"' in page and 'id="macro-after"' in page
    audit = next(trained_decisions.query(
        "SELECT * FROM audit_log WHERE action = 'model_retrained'"))
    assert audit["actor"].startswith("Nina Nationell")
