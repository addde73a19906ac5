"""Report downloads for coordinators: a county coordinator gets their own county's report,
the national coordinator and administrators every county's and the national report.

PDF and Word take seconds to build, so the report list asks for them as background jobs
(``survey.services.jobs``): a job page shows the stage and, when the file is ready, a link
to it; two requests for the same report on the same data share one job. The download URLs
``<round>/lan/<code>.<fmt>`` and ``<round>/nationell.<fmt>`` stay what they were for
scripts and bookmarks: they send a finished job's file when one exists for the current
data, and otherwise build the report in the request as before.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from reports import county_report, html_to_pdf, national_report, render_html
from reports.data import ReportError
from reports.docx import html_to_docx
from survey import store
from survey.services import jobs as job_service
from survey.store import ADMIN, NATIONAL_COORDINATOR
from survey.web import auth
from survey.web import jobs as web_jobs
from survey.web.auth import roles_required
from survey.web.db import get_db
from survey.web.jobs import jt

REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
              "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
FORMATS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


bp = Blueprint("reports", __name__, url_prefix="/samordna/rapporter")


@bp.route("/")
@login_required
def index():
    database = get_db()
    counties = [c for c in store.counties(database) if current_user.may_see_county(c["code"])]
    rounds = list(reversed(store.rounds(database)))
    names = {c["code"]: c["name"] for c in counties}
    recent = {r["id"]: [job for job in store.jobs.jobs_for_round(database, r["id"],
                                                                 job_service.REPORT, 20)
                        if _may_see(job)] for r in rounds}
    response = Response(render_template(
        "reports/report_list.html", rounds=rounds, counties=counties,
        national=current_user.sees_all, recent=recent, names=names))
    return _private(response)

@bp.route("/<round_id>/lan/<county_code>.<fmt>")
@login_required
def county(round_id: str, county_code: str, fmt: str):
    _check_county(round_id, county_code, fmt)
    finished = _finished(round_id, county_code, fmt)
    if finished is not None:
        return finished
    try:
        model = county_report(get_db(), round_id, county_code)
    except ReportError:
        abort(404)
    return _send(render_html(model), fmt, job_service.report_stem(round_id, county_code))

@bp.route("/<round_id>/nationell.<fmt>")
@roles_required(NATIONAL_COORDINATOR, ADMIN)
def national(round_id: str, fmt: str):
    _check(round_id, fmt)
    finished = _finished(round_id, None, fmt)
    if finished is not None:
        return finished
    try:
        model = national_report(get_db(), round_id)
    except ReportError:
        abort(404)
    return _send(render_html(model), fmt, job_service.report_stem(round_id, None))


# ---------------------------------------------------------------- background jobs


@bp.route("/<round_id>/lan/<county_code>.<fmt>/jobb", methods=["POST"])
@login_required
def start_county(round_id: str, county_code: str, fmt: str):
    _check_county(round_id, county_code, fmt)
    return _start(round_id, county_code, fmt)


@bp.route("/<round_id>/nationell.<fmt>/jobb", methods=["POST"])
@roles_required(NATIONAL_COORDINATOR, ADMIN)
def start_national(round_id: str, fmt: str):
    _check(round_id, fmt)
    return _start(round_id, None, fmt)


@bp.route("/jobb/<job_id>")
@login_required
def job(job_id: str):
    found = _job_or_abort(job_id)
    queue = web_jobs.queue()
    found = queue.current(get_db(), found)
    stages = [s for s in job_service.REPORT_STAGES
              if s not in (job_service.WRITING_PDF, job_service.WRITING_DOCX)
              or s.endswith(found["fmt"])]
    response = Response(render_template(
        "reports/job.html", job=found, title=_title(found), stages=stages,
        ready=queue.result_path(found) is not None, shared=request.args.get("delad") == "1",
        county_name=_county_name(found)))
    return _private(response)


@bp.route("/jobb/<job_id>/fil")
@login_required
def job_file(job_id: str):
    found = _job_or_abort(job_id)
    path = web_jobs.queue().result_path(found)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=FORMATS[found["fmt"]], as_attachment=True,
                         download_name=path.name, max_age=0)
    return _private(response)


@bp.route("/jobb/<job_id>/igen", methods=["POST"])
@login_required
def job_again(job_id: str):
    """Ask for the same report again (after an interruption or a failure): a new job for
    today's data, or the one somebody else already asked for."""
    found = _job_or_abort(job_id)
    return _start(found["round_id"], found["county_code"], found["fmt"])


def _start(round_id: str, county_code: str | None, fmt: str):
    if fmt not in job_service.FORMATS:
        abort(404)
    user = auth.current()
    found, created = web_jobs.queue().request_report(get_db(), round_id, county_code, fmt,
                                                     user.id, user.actor)
    extra = {} if created else {"delad": "1"}
    return redirect(url_for("reports.job", job_id=found["id"], **extra), code=303)


def _job_or_abort(job_id: str) -> dict:
    """A report job the visitor may see: the same rule as the report's own download."""
    found = store.jobs.get_job(get_db(), job_id) if len(job_id) <= 64 else None
    if found is None or found["kind"] != job_service.REPORT:
        abort(404)
    if not _may_see(found):
        abort(403)
    return found


def _may_see(job: dict) -> bool:
    if job["county_code"] is None:
        return current_user.sees_all
    return current_user.may_see_county(job["county_code"])


def _county_name(job: dict) -> str | None:
    if job["county_code"] is None:
        return None
    row = store.county(get_db(), job["county_code"])
    return row["name"] if row else job["county_code"]


def _title(job: dict) -> str:
    name = _county_name(job)
    report = jt("county_report", county=name) if name else jt("national_report")
    return jt("job_title", report=report, format=jt(f"format_{job['fmt']}"))


def _finished(round_id: str, county_code: str | None, fmt: str) -> Response | None:
    """A finished job's file for this report and the current data, if there is one."""
    if fmt not in job_service.FORMATS:
        return None
    path = web_jobs.queue().finished_report(get_db(), round_id, county_code, fmt)
    if path is None:
        return None
    response = send_file(path, mimetype=FORMATS[fmt], as_attachment=True,
                         download_name=path.name, max_age=0)
    return _private(response)


# ---------------------------------------------------------------- shared


def _check_county(round_id: str, county_code: str, fmt: str) -> None:
    _check(round_id, fmt)
    if store.county(get_db(), county_code) is None:
        abort(404)
    if not current_user.may_see_county(county_code):
        abort(403)


def _check(round_id: str, fmt: str) -> None:
    if fmt not in FORMATS or store.get_round(get_db(), round_id) is None:
        abort(404)

def _send(html: str, fmt: str, stem: str) -> Response:
    if fmt in ("pdf", "docx"):
        body = html_to_pdf(html) if fmt == "pdf" else html_to_docx(html)
        response = Response(body, mimetype=FORMATS[fmt])
        response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    else:
        response = Response(html, content_type=FORMATS["html"])
        response.headers["Content-Disposition"] = f'inline; filename="{stem}.html"'
        response.headers["Content-Security-Policy"] = REPORT_CSP
    return _private(response)


def _private(response: Response) -> Response:
    """Reports hold unpublished answers: never cached by browsers or proxies."""
    response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    web_jobs.register(app)
    app.register_blueprint(bp)
