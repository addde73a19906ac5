"""Report downloads for coordinators: a county coordinator gets their own county's report,
the national coordinator and administrators every county's and the national report.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, render_template
from flask_login import current_user, login_required

from reports import county_report, html_to_pdf, national_report, render_html
from reports.data import ReportError
from reports.docx import html_to_docx
from survey import store
from survey.store import ADMIN, NATIONAL_COORDINATOR
from survey.web.auth import roles_required
from survey.web.db import get_db

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
    response = Response(render_template(
        "reports/report_list.html", rounds=list(reversed(store.rounds(database))),
        counties=counties, national=current_user.sees_all))
    return _private(response)

@bp.route("/<round_id>/lan/<county_code>.<fmt>")
@login_required
def county(round_id: str, county_code: str, fmt: str):
    _check(round_id, fmt)
    if store.county(get_db(), county_code) is None:
        abort(404)
    if not current_user.may_see_county(county_code):
        abort(403)
    try:
        model = county_report(get_db(), round_id, county_code)
    except ReportError:
        abort(404)
    return _send(render_html(model), fmt, f"lagesbild-{round_id}-lan-{county_code}")

@bp.route("/<round_id>/nationell.<fmt>")
@roles_required(NATIONAL_COORDINATOR, ADMIN)
def national(round_id: str, fmt: str):
    _check(round_id, fmt)
    try:
        model = national_report(get_db(), round_id)
    except ReportError:
        abort(404)
    return _send(render_html(model), fmt, f"lagesbild-{round_id}-nationell")

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
    app.register_blueprint(bp)
