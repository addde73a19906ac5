"""What the report and review blueprints share about background jobs: the application's job
queue (``survey.services.jobs``), the ``jobs`` text catalogue (:func:`jt`) and how a job's
state reads on a page.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from survey.services import jobs as job_service
from survey.web.i18n import Catalogue

JOBS_TEXT = Catalogue("jobs")
REFRESH_SECONDS = 2  # the progress page reloads itself this often while a job is unfinished
EXTENSION = "lagesbild_jobs"


def jt(key: str, **values: object) -> str:
    return JOBS_TEXT.text(key, **values)


def settings_for(app: Flask) -> job_service.JobSettings:
    immediate = app.config.get("JOBS_IMMEDIATE")
    return job_service.JobSettings(
        db_path=Path(app.config["DB"]), instance_path=Path(app.instance_path),
        url=app.config.get("JOBS_URL") or None,
        immediate=bool(app.testing if immediate is None else immediate))


def queue(app: Flask | None = None) -> job_service.Jobs:
    """The application's jobs, made on first use."""
    app = app or current_app
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = job_service.Jobs(settings_for(app))
    return app.extensions[EXTENSION]


def unfinished(job: dict | None) -> bool:
    return job is not None and job["status"] in (job_service.QUEUED, job_service.RUNNING)


def error_text(job: dict) -> str:
    """A failed job's reason: a code from the catalogue, or a message already in Swedish."""
    error = job["error"] or job_service.BROKEN
    key = f"error_{error}"
    return jt(key) if key in JOBS_TEXT else error


def register(app: Flask) -> None:
    app.jinja_env.globals.update(jt=jt, job_unfinished=unfinished, job_error=error_text,
                                 job_refresh_seconds=REFRESH_SECONDS)
