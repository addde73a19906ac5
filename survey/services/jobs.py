"""Long work off the web request: report files (PDF, Word) and retraining run as huey tasks.

huey holds the queue (``SqliteHuey`` in a file next to the database, or ``RedisHuey`` when
``JOBS_URL`` says ``redis://…``); ``store.jobs`` holds what the pages show: status, stage,
file and who asked. Results are files under ``<instance>/jobs/<job id>/``, so a finished
report outlives the process that wrote it and every worker process finds it.

A running job records its worker (host, process id and a token drawn when the process
started) and beats every few seconds. A job whose worker is gone (its process ended, or the
beats stopped) reads as interrupted and can be asked for again; a queued job whose queue
entry was lost reads the same when a consumer starts.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import threading
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path

from huey import RedisHuey, SqliteHuey
from huey.consumer import Consumer

from coding import load_codebook
from coding.metrics import BinaryScores
from reports import county_report, html_to_pdf, national_report, render_html
from reports.data import ReportError
from reports.docx import html_to_docx
from survey import store
from survey.services import retrain as training
from survey.store.jobs import DONE, FAILED, INTERRUPTED, QUEUED, RUNNING

log = logging.getLogger(__name__)

REPORT, RETRAIN = "report", "retrain"
FORMATS = ("pdf", "docx")
# stages, in order; the pages name them through the jobs catalogue (stage_<name>)
FETCHING, RENDERING, WRITING_PDF, WRITING_DOCX = "fetching", "rendering", "writing_pdf", \
    "writing_docx"
COLLECTING, TRAINING, EVALUATING, SAVING = (training.COLLECTING, training.TRAINING,
                                           training.EVALUATING, training.SAVING)
REPORT_STAGES = (QUEUED, RUNNING, FETCHING, RENDERING, WRITING_PDF, WRITING_DOCX, DONE)
RETRAIN_STAGES = (QUEUED, RUNNING, COLLECTING, TRAINING, EVALUATING, SAVING, DONE)
# error codes the pages translate; anything else is a message already meant for a person
NO_REPORT, BROKEN, FILE_MISSING = "no_report", "broken", "file_missing"

HEARTBEAT_SECONDS = 5.0
STALE_SECONDS = 60.0  # no beat for this long: the worker is gone
WORKER = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(6)}"


class JobRefused(Exception):
    """The job cannot be asked for; the message is Swedish, for the coordinator."""


@dataclass(frozen=True)
class JobSettings:
    db_path: Path
    instance_path: Path
    url: str | None = None  # JOBS_URL: None (SQLite next to the database), sqlite:///…, redis://…
    immediate: bool = False  # run each task at once in the caller (tests not about the queue)


def huey_class(url: str | None) -> type[SqliteHuey] | type[RedisHuey]:
    """The huey flavour a JOBS_URL asks for."""
    scheme = (url or "sqlite:").split(":", 1)[0].lower()
    if scheme == "sqlite":
        return SqliteHuey
    if scheme in ("redis", "rediss", "unix"):
        return RedisHuey
    raise ValueError(f"JOBS_URL {url!r}: use redis://host:port/db or sqlite:///path/file.db")


def queue_file(settings: JobSettings) -> Path:
    """Where SqliteHuey keeps the queue: JOBS_URL's path, else beside the database."""
    if settings.url and settings.url.startswith("sqlite:///"):
        return Path(settings.url.removeprefix("sqlite:///"))
    db = Path(settings.db_path)
    return db.with_name(f"{db.stem}-jobs.db")


def make_huey(settings: JobSettings) -> SqliteHuey | RedisHuey:
    flavour = huey_class(settings.url)
    if flavour is RedisHuey:
        return RedisHuey("lagesbild", url=settings.url, results=False,
                         immediate=settings.immediate)
    path = queue_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("lagesbild", filename=str(path), results=False,
                      immediate=settings.immediate)


def report_stem(round_id: str, county_code: str | None) -> str:
    return (f"lagesbild-{round_id}-lan-{county_code}" if county_code
            else f"lagesbild-{round_id}-nationell")


def report_key(db, round_id: str, county_code: str | None, fmt: str) -> tuple[str, str]:
    """What makes two report requests the same job: the report, the data and the day (the
    report prints the day it was made), and the program version (templates change)."""
    revision = f"{store.jobs.data_revision(db)}:{date.today().isoformat()}:{_version()}"
    return f"{REPORT}:{round_id}:{county_code or 'national'}:{fmt}:{revision}", revision


def _version() -> str:
    try:
        return metadata.version("lagesbild")
    except metadata.PackageNotFoundError:  # running from a source tree that was not installed
        return "source"


class _InProcessConsumer(Consumer):
    """huey's consumer as threads inside the web server, which keeps its own signals."""

    def _set_signal_handlers(self) -> None:
        pass


class Jobs:
    """One installation's jobs: its queue, its task and the folder of results."""

    def __init__(self, settings: JobSettings):
        self.settings = settings
        self.huey = make_huey(settings)
        self._task = self.huey.task(name="lagesbild_job")(self.execute)

    @property
    def folder(self) -> Path:
        return Path(self.settings.instance_path) / "jobs"

    @property
    def models_root(self) -> Path:
        return Path(self.settings.instance_path) / "models"

    # ------------------------------------------------------------ asking

    def request_report(self, db, round_id: str, county_code: str | None, fmt: str,
                       user_id: int | None, actor: str | None) -> tuple[dict, bool]:
        """The job for this report: the one already asked for with the same data, or a new
        one. Returns (job, created)."""
        if fmt not in FORMATS:
            raise ValueError(f"report format {fmt!r}")
        key, revision = report_key(db, round_id, county_code, fmt)
        return self._share_or_submit(db, key, kind=REPORT, round_id=round_id,
                                     county_code=county_code, fmt=fmt, revision=revision,
                                     user_id=user_id, actor=actor)

    def request_retrain(self, db, round_id: str, codebook: str, user_id: int | None,
                        actor: str | None) -> tuple[dict, bool]:
        themes = load_codebook(codebook).theme_ids
        verified = len(store.verified_examples(db, codebook, themes))
        if verified < training.MIN_VERIFIED:
            raise JobRefused(f"Minst {training.MIN_VERIFIED} granskade svar behövs för att "
                             f"träna om ({verified} finns nu).")
        revision = store.jobs.data_revision(db)
        return self._share_or_submit(db, f"{RETRAIN}:{codebook}:{revision}", kind=RETRAIN,
                                     round_id=round_id, codebook=codebook, revision=revision,
                                     user_id=user_id, actor=actor)

    def finished_report(self, db, round_id: str, county_code: str | None,
                        fmt: str) -> Path | None:
        """The file of a finished job for this report and today's data, if there is one."""
        job = store.jobs.live_job(db, report_key(db, round_id, county_code, fmt)[0])
        return self.result_path(job) if job and job["status"] == DONE else None

    def _share_or_submit(self, db, key: str, *, kind: str, round_id: str, user_id, actor,
                         **fields) -> tuple[dict, bool]:
        shared = store.jobs.live_job(db, key)
        if shared is not None and self.usable(db, shared):
            return shared, False
        if shared is not None and shared["status"] == DONE:
            store.jobs.fail_job(db, shared["id"], FILE_MISSING)  # its file was removed
        job, created = store.jobs.create_or_share(db, uuid.uuid4().hex, kind, key, round_id,
                                                  user_id, actor, **fields)
        if not created:
            return job, False  # another request created it a moment ago
        self._enqueue(db, job["id"])
        return store.jobs.get_job(db, job["id"]), True

    def _enqueue(self, db, job_id: str) -> None:
        task = self._task.s(job_id)
        store.jobs.set_task(db, job_id, task.id)
        self.huey.enqueue(task)

    def usable(self, db, job: dict) -> bool:
        """Whether a live job can be shared: not orphaned, and a finished one has its file."""
        if job["status"] == DONE:
            return self.result_path(job) is not None
        return self.current(db, job)["status"] in (QUEUED, RUNNING)

    # ------------------------------------------------------------ reading

    def current(self, db, job: dict) -> dict:
        """The job as it really is: a running job whose worker is gone becomes interrupted."""
        if job["status"] == RUNNING and orphaned(job):
            store.jobs.interrupt_jobs(db, [job["id"]])
            return store.jobs.get_job(db, job["id"])
        return job

    def result_path(self, job: dict) -> Path | None:
        if not job or job["status"] != DONE or not job["file"]:
            return None
        path = (self.folder / job["file"]).resolve()
        if self.folder.resolve() not in path.parents or not path.is_file():
            return None
        return path

    def retrain_result(self, job: dict) -> training.RetrainResult | None:
        path = self.result_path(job)
        return None if path is None else _result_from_json(
            json.loads(path.read_text(encoding="utf-8")))

    # ------------------------------------------------------------ running

    def execute(self, job_id: str) -> None:
        """The huey task: claim the job, run it with a heartbeat, store the file."""
        db = store.connect(self.settings.db_path)
        try:
            if not store.jobs.claim_job(db, job_id, WORKER):
                return  # gone (a rebuilt database) or no longer queued
            job = store.jobs.get_job(db, job_id)
            with _heartbeat(self.settings.db_path, job_id):
                try:
                    file = self._run(db, job)
                except (ReportError, training.RetrainError, JobRefused) as refused:
                    error = NO_REPORT if isinstance(refused, ReportError) else str(refused)
                    store.jobs.fail_job(db, job_id, error)
                except Exception:
                    log.exception("job %s (%s) failed", job_id, job["key"])
                    store.jobs.fail_job(db, job_id, BROKEN)
                else:
                    store.jobs.finish_job(db, job_id, file)
        finally:
            db.conn.close()

    def _run(self, db, job: dict) -> str:
        folder = self.folder / job["id"]
        folder.mkdir(parents=True, exist_ok=True)
        if job["kind"] == RETRAIN:
            return self._retrain(db, job, folder)
        return self._report(db, job, folder)

    def _report(self, db, job: dict, folder: Path) -> str:
        store.jobs.set_stage(db, job["id"], FETCHING)
        if job["county_code"]:
            model = county_report(db, job["round_id"], job["county_code"])
        else:
            model = national_report(db, job["round_id"])
        store.jobs.set_stage(db, job["id"], RENDERING)
        html = render_html(model)
        fmt = job["fmt"]
        store.jobs.set_stage(db, job["id"], WRITING_PDF if fmt == "pdf" else WRITING_DOCX)
        name = f"{report_stem(job['round_id'], job['county_code'])}.{fmt}"
        partial = folder / f".{name}.partial"
        (html_to_pdf if fmt == "pdf" else html_to_docx)(html, partial)
        os.replace(partial, folder / name)
        return f"{job['id']}/{name}"

    def _retrain(self, db, job: dict, folder: Path) -> str:
        result = training.retrain(db, job["codebook"], self.models_root,
                                  progress=lambda step: store.jobs.set_stage(db, job["id"], step))
        store.jobs.set_stage(db, job["id"], SAVING)
        with store.transaction(db):
            store.audit_row(
                db, job["requested_by_actor"], "model_retrained", "model", job["codebook"],
                round_id=job["round_id"],
                before={"version": result.old_version, "macro_f1": result.before.macro_f1},
                after={"version": result.new_version, "macro_f1": result.after.macro_f1,
                       "replaced": result.replaced, "held_out": result.after.examples})
        partial = folder / ".result.json.partial"
        partial.write_text(json.dumps(asdict(result), ensure_ascii=False), encoding="utf-8")
        os.replace(partial, folder / "result.json")
        return f"{job['id']}/result.json"

    # ------------------------------------------------------------ workers

    def reconcile(self) -> int:
        """Before a consumer starts: a running job whose worker is gone, and a queued job
        that is no longer in the queue, are interrupted. Returns how many."""
        db = store.connect(self.settings.db_path)
        try:
            pending = {task.id for task in self.huey.pending()}
            lost = [job["id"] for job in store.jobs.active_jobs(db)
                    if (job["status"] == RUNNING and orphaned(job))
                    or (job["status"] == QUEUED and job["task_id"] not in pending)]
            return store.jobs.interrupt_jobs(db, lost)
        finally:
            db.conn.close()

    def start_consumer(self, workers: int = 2) -> Consumer:
        """huey's consumer as threads of this process (for `lagesbild serve` and `demo`)."""
        self.reconcile()
        consumer = _InProcessConsumer(self.huey, workers=workers, worker_type="thread",
                                      periodic=False, max_delay=1.0,
                                      check_worker_health=False)
        consumer.start()
        return consumer

    def run_consumer(self, workers: int = 2) -> None:
        """huey's consumer in the foreground until a signal (for `lagesbild worker`)."""
        self.reconcile()
        self.huey.create_consumer(workers=workers, worker_type="thread", periodic=False,
                                  max_delay=1.0).run()


def orphaned(job: dict, now: datetime | None = None) -> bool:
    """A running job nobody is working on: its beats stopped, or its worker process on this
    host has ended (or is this process, restarted with the same process id)."""
    if job["status"] != RUNNING:
        return False
    beat = datetime.fromisoformat(job["heartbeat_at"] or job["started_at"])
    if ((now or datetime.now(UTC)) - beat).total_seconds() > STALE_SECONDS:
        return True
    host, _, rest = (job["worker"] or "").partition(":")
    pid, _, token = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return job["worker"] != WORKER
    return not _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _heartbeat(db_path: Path, job_id: str):
    """Beat every few seconds from a thread of its own while the job runs."""
    stop = threading.Event()

    def beat() -> None:
        db = store.connect(db_path)
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                store.jobs.heartbeat(db, job_id)
        finally:
            db.conn.close()
    thread = threading.Thread(target=beat, name=f"job-heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=HEARTBEAT_SECONDS)


def _result_from_json(data: dict) -> training.RetrainResult:
    def evaluation(part: dict) -> training.Evaluation:
        return training.Evaluation(part["examples"], {
            theme: BinaryScores(**cells) for theme, cells in part["themes"].items()})
    return training.RetrainResult(
        data["codebook"], data["old_version"], data["new_version"], data["replaced"],
        evaluation(data["before"]), evaluation(data["after"]), data["dev_before"],
        data["dev_after"], data["trained_on"], data.get("details") or {})


__all__ = ["BROKEN", "DONE", "FAILED", "FILE_MISSING", "FORMATS", "INTERRUPTED",
           "NO_REPORT", "QUEUED", "REPORT", "REPORT_STAGES", "RETRAIN", "RETRAIN_STAGES",
           "RUNNING", "JobRefused", "JobSettings", "Jobs", "huey_class", "make_huey",
           "orphaned", "report_key", "report_stem"]
