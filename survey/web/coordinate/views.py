"""Coordinators' pages: rounds, who has answered, links, reopening, reminders, log, export.

Every view asks the logged-in account what it may see: a county coordinator is held to one
county (asking for another is a 403, not an empty page), the national coordinator and
administrators see every county, and only administrators manage accounts.
"""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.local import LocalProxy
from wtforms import DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

try:  # WTForms 3.3 deprecates tuple choices
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - WTForms < 3.3
    def SelectChoice(value: str, label: str):  # noqa: N802
        return (value, label)

from survey import store
from survey.services import export as exporter
from survey.services import mail, passwords
from survey.services.references import receipt_reference
from survey.web import access, auth
from survey.web.auth import roles_required
from survey.web.coordinate.events import EventWords
from survey.web.coordinate.text import TEXT, ct
from survey.web.db import get_db
from survey.web.errors import render_error
from survey.web.i18n import language, percent
from survey.web.security import safe_redirect_target

bp = Blueprint("coordinate", __name__, url_prefix="/samordna")

SEE_ALL = (store.NATIONAL_COORDINATOR, store.ADMIN)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Messages a redirect may ask a page to show (?klart=...), never free text from the URL.
DONE_MESSAGES = ("revoked_done", "reopened_done", "contact_saved", "account_added",
                 "password_changed", "no_links_needed")
AUDIT_PAGE_SIZE = 50


# ---------------------------------------------------------------- forms


class CoordinatorForm(FlaskForm):
    """Validation messages in the page's language, from WTForms' own catalogues."""

    class Meta:
        def get_translations(self, form):
            from wtforms.i18n import get_translations

            return get_translations(["sv_SE", "sv"] if language() == "sv" else ["en"])


class LoginForm(CoordinatorForm):
    email = EmailField("email", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("password", validators=[DataRequired(), Length(max=500)])


class RoundForm(CoordinatorForm):
    round_id = StringField("round_id", validators=[
        DataRequired(), Regexp(r"^[a-z0-9][a-z0-9-]{0,39}$")])
    title = StringField("title", validators=[DataRequired(), Length(max=200)])
    questionnaire = SelectField("questionnaire", validators=[DataRequired()])
    opens = DateField("opens", validators=[DataRequired()])
    closes = DateField("closes", validators=[DataRequired()])
    follows = SelectField("follows", validators=[Optional()])


class AccountForm(CoordinatorForm):
    email = EmailField("email", validators=[DataRequired(), Length(max=200)])
    name = StringField("name", validators=[DataRequired(), Length(max=200)])
    role = SelectField("role")
    county = SelectField("county", validators=[Optional()])
    password = PasswordField("password", validators=[DataRequired(), Length(max=500)])


class PasswordForm(CoordinatorForm):
    current = PasswordField("current", validators=[DataRequired(), Length(max=500)])
    new = PasswordField("new", validators=[DataRequired(), Length(max=500)])


# ---------------------------------------------------------------- helpers


def _user() -> auth.User:
    return auth.current()


def _round_or_404(round_id: str) -> dict:
    round_row = store.get_round(get_db(), round_id)
    if round_row is None:
        abort(404)
    return round_row




def _municipality(code: str) -> dict:
    municipality = store.municipality(get_db(), code)
    if municipality is None:
        abort(404)
    if not _user().may_see_municipality(code):
        abort(403)
    return municipality


def _done() -> str | None:
    key = request.args.get("klart")
    return key if key in DONE_MESSAGES else None


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host (open redirect) nor a broken header."""
    return safe_redirect_target(target, url_for("coordinate.rounds"))


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _form_errors(form: FlaskForm) -> dict[str, str]:
    return {name: "; ".join(errors) for name, errors in form.errors.items() if name != "csrf_token"}


# ---------------------------------------------------------------- login


@bp.route("/logga-in", methods=["GET", "POST"])
def login():
    form = LoginForm()
    message, status = None, 200
    if form.validate_on_submit():
        result = auth.attempt_login(form.email.data, form.password.data)
        if result.limited:
            message, status = ct("login_limited"), 429
        elif result.user is None:
            message, status = ct("login_failed"), 401
        else:
            lang = session.get("lang")
            session.clear()  # a new session on login: nothing carried over from before
            if lang:
                session["lang"] = lang
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        message, status = ct("login_failed"), 422
    return render_template("coordinate/login.html", form=form, message=message), status


@bp.route("/logga-ut", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("coordinate.login"))


@bp.route("/losenord", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        database = get_db()
        row = store.get_user(database, _user().id)
        weak = passwords.check_password_strength(form.new.data)
        if not passwords.verify_password(row["password_hash"], form.current.data,
                                    current_app.config):
            errors["current"] = ct("wrong_password")
        elif weak:
            errors["new"] = weak
        else:
            store.set_password(database, row["id"],
                                  passwords.hash_password(form.new.data, current_app.config),
                                  _user().actor)
            logout_user()
            return redirect(url_for("coordinate.login", klart="password_changed"))
    elif request.method == "POST":
        errors = _form_errors(form)
    status = 422 if errors else 200
    return render_template("coordinate/password.html", form=form, errors=errors), status


# ---------------------------------------------------------------- rounds


@bp.route("/")
@login_required
def rounds():
    scope = auth.county_scope()
    summaries = store.round_summaries(get_db(), scope)
    return render_template("coordinate/rounds.html", rounds=summaries, scope=scope,
                           done=_done())


@bp.route("/omgangar/ny", methods=["GET", "POST"])
@roles_required(*SEE_ALL)
def new_round():
    database = get_db()
    form = RoundForm()
    form.questionnaire.choices = [SelectChoice(q, q)
                                  for q in store.questionnaire_ids(database)]
    form.follows.choices = [SelectChoice("", ct("none"))] + [
        SelectChoice(r["id"], f"{r['id']} – {r['title']}") for r in store.rounds(database)]
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        questionnaire = store.newest_questionnaire(database, form.questionnaire.data)
        try:
            store.create_round(
                database, form.round_id.data, form.title.data.strip(), questionnaire.hash,
                form.opens.data.isoformat(), form.closes.data.isoformat(),
                form.follows.data or None, _user().actor)
        except store.RoundError as error:
            errors["round_id"] = ct(ROUND_ERRORS[error.code])
        else:
            return redirect(url_for("coordinate.dashboard", round_id=form.round_id.data))
    elif request.method == "POST":
        errors = _form_errors(form)
    status = 422 if errors else 200
    return render_template("coordinate/new_round.html", form=form, errors=errors), status


ROUND_ERRORS = {  # the store's RoundError codes and the texts the web shows for them
    "round_exists": "round_exists", "closes_before_opens": "round_dates",
    "unknown_follows": "round_follows", "unknown_version": "round_version",
}


@bp.route("/omgang/<round_id>/")
@login_required
def dashboard(round_id: str):
    round_row = _round_or_404(round_id)
    scope = auth.county_scope()
    wanted_status = request.args.get("status") or None
    if wanted_status not in (None, *store.STATUSES):
        abort(400)
    database = get_db()
    # counted in SQL for the whole round; full rows only for those the list shows
    summary, counties = store.status_counts(database, round_id, scope)
    shown = store.status_rows(database, round_id, scope, wanted_status)
    return render_template(
        "coordinate/dashboard.html", round=round_row, rows=shown, summary=summary,
        counties=counties, scope=scope, status=wanted_status,
        scope_county=store.county(database, scope) if scope else None,
        all_counties=store.counties(database) if _user().sees_all else [],
        statuses=store.STATUSES, is_open=store.round_is_open(round_row),
        formats=exporter.FORMATS, done=_done())


@bp.route("/omgang/<round_id>/bjud-in", methods=["POST"])
@login_required
def invite(round_id: str):
    """New links for the chosen municipalities, downloaded once as CSV (never stored)."""
    _round_or_404(round_id)
    scope = auth.county_scope()
    database = get_db()
    issued = store.issue_links(
        database, round_id, store.municipalities(database, scope), _user().actor,
        only_new=request.form.get("mode", "new") != "all")
    if not issued:  # every municipality has a link: say so rather than send an empty file
        return redirect(url_for("coordinate.dashboard", round_id=round_id, lan=scope,
                                klart="no_links_needed") + "#invite-title")
    body = exporter.invitation_csv(issued, current_app.config["BASE_URL"])
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="lankar-{round_id}{"-lan-" + scope if scope else ""}.csv"')
    return _no_store(response)


# ---------------------------------------------------------------- one municipality


@bp.route("/omgang/<round_id>/kommun/<code>")
@login_required
def municipality(round_id: str, code: str):
    round_row = _round_or_404(round_id)
    found = _municipality(code)
    database = get_db()
    row = store.status_row(database, round_id, code)
    status = row["status"] if row else store.NOT_STARTED
    reference = (receipt_reference(round_id, code, row["response_id"], row["submitted_at"])
                 if row and row["response_id"] and row["submitted_at"] else None)
    return render_template(
        "coordinate/municipality.html", round=round_row, municipality=found, row=row,
        reference=reference,
        status=status, invitations=store.invitations(database, round_id, code),
        contact=store.contact(database, code),
        may_reopen=status == store.SUBMITTED or (
            status != store.REOPENED and not store.round_is_open(round_row)),
        events=store.audit_entries(database, round_id=round_id, municipality_code=code,
                                      limit=25),
        done=_done(), error=request.args.get("fel") == "1")


@bp.route("/omgang/<round_id>/kommun/<code>/ny-lank", methods=["POST"])
@login_required
def reissue(round_id: str, code: str):
    round_row = _round_or_404(round_id)
    found = _municipality(code)
    (_, token), = store.issue_links(get_db(), round_id, [found], _user().actor)
    url = f"{current_app.config['BASE_URL'].rstrip('/')}/s/{token}"
    body = render_template("coordinate/new_link.html", round=round_row, municipality=found,
                           url=url)
    return _no_store(Response(body))


@bp.route("/omgang/<round_id>/kommun/<code>/aterkalla", methods=["POST"])
@login_required
def revoke(round_id: str, code: str):
    _round_or_404(round_id)
    _municipality(code)
    store.revoke_invitation(get_db(), round_id, code, _user().actor)
    return redirect(url_for("coordinate.municipality", round_id=round_id, code=code,
                            klart="revoked_done"))


@bp.route("/omgang/<round_id>/kommun/<code>/oppna-igen", methods=["POST"])
@login_required
def reopen(round_id: str, code: str):
    _round_or_404(round_id)
    _municipality(code)
    reason = request.form.get("reason", "").strip()[:500]
    try:
        store.reopen(get_db(), round_id, code, _user().actor, reason)
    except store.ReopenError:
        return render_error(409, TEXT["reopen_not_needed"])
    return redirect(url_for("coordinate.municipality", round_id=round_id, code=code,
                            klart="reopened_done"))


@bp.route("/omgang/<round_id>/kommun/<code>/kontakt", methods=["POST"])
@login_required
def contact(round_id: str, code: str):
    _round_or_404(round_id)
    _municipality(code)
    email = request.form.get("email", "").strip()
    if email and (len(email) > 200 or not EMAIL_PATTERN.match(email)):
        return redirect(url_for("coordinate.municipality", round_id=round_id, code=code,
                                fel="1"))
    store.set_contact(get_db(), code, email or None, _user().actor)
    return redirect(url_for("coordinate.municipality", round_id=round_id, code=code,
                            klart="contact_saved"))


# ---------------------------------------------------------------- reminders


@bp.route("/omgang/<round_id>/paminnelser", methods=["GET", "POST"])
@login_required
def remind(round_id: str):
    """Preview, edit, choose recipients, then dry-run or send; with MAIL_OUTBOX the mail goes
    to a folder of .eml files, listed on the page."""
    round_row = _round_or_404(round_id)
    scope = auth.county_scope()
    user = _user()
    database = get_db()
    app = current_app._get_current_object()
    report, problem, chosen = None, None, None
    text = mail.default_text(app)
    if request.method == "POST":
        text, problem = _reminder_text(text)
        # the page's form says it offers a choice; a POST without one means everyone reachable
        chosen = set(request.form.getlist("to")) if request.form.get("choosing") else None
        if problem is None and chosen == set():
            problem = "no_recipients_chosen"
        if problem is None:
            report = mail.send(app, database, round_id, scope, user.actor,
                               dry_run=request.form.get("action") != "send",
                               signature=user.name, reply_to=user.email, text=text,
                               only=chosen)
    planned = mail.preview(app, database, round_id, scope, signature=user.name, text=text)
    example = next((r for r in planned
                    if r.email and (chosen is None or r.municipality_code in chosen)), None)
    status = 502 if report and report.error else 400 if problem else 200
    codes = {m["code"] for m in store.municipalities(database, scope)} if scope else None
    return render_template(
        "coordinate/remind.html", round=round_row, planned=planned, example=example,
        report=report, scope=scope, text=text, problem=problem,
        chosen=chosen, placeholders=mail.PLACEHOLDERS, limits=(mail.MAX_SUBJECT, mail.MAX_BODY),
        server=_mail_server(), outbox_folder=current_app.config.get("MAIL_OUTBOX"),
        outbox=mail.outbox(current_app.config, codes, limit=20)), status


def _reminder_text(default: mail.Text) -> tuple[mail.Text, str | None]:
    subject = request.form.get("subject", default.subject).strip()
    body = request.form.get("body", default.body).replace("\r\n", "\n").strip()
    text = mail.Text(subject[:mail.MAX_SUBJECT], body[:mail.MAX_BODY] + "\n")
    if not subject or not body:
        return text, "reminder_text_empty"
    if len(subject) > mail.MAX_SUBJECT or len(body) > mail.MAX_BODY:
        return text, "reminder_text_too_long"
    return text, None


def _mail_server() -> str:
    config = current_app.config
    return config.get("MAIL_OUTBOX") or f"{config['SMTP_HOST']}:{config['SMTP_PORT']}"


@bp.route("/utkorg/<name>")
@login_required
def outbox_mail(name: str):
    """One mail of the MAIL_OUTBOX folder as text (a county coordinator sees only their own)."""
    path = mail.outbox_file(current_app.config, name)
    if path is None:
        abort(404)
    scope = auth.county_scope()
    if scope and path.stem.split("-")[-2] not in {
            m["code"] for m in store.municipalities(get_db(), scope)}:
        abort(404)
    if request.args.get("eml") == "1":
        response = Response(path.read_bytes(), mimetype="message/rfc822")
        response.headers["Content-Disposition"] = f'attachment; filename="{path.name}"'
        return _no_store(response)
    message = mail.read_outbox_file(path)
    shown = "".join(f"{header}: {message[header]}\n" for header in
                    ("From", "To", "Reply-To", "Subject", "Date") if message[header])
    return _no_store(Response(shown + "\n" + message.get_content(),
                              mimetype="text/plain; charset=utf-8"))


# ---------------------------------------------------------------- export and log


@bp.route("/omgang/<round_id>/export.<fmt>")
@login_required
def export(round_id: str, fmt: str):
    _round_or_404(round_id)
    if fmt not in exporter.FORMATS:
        abort(404)
    scope = auth.county_scope()
    excel = fmt == "csv" and request.args.get("excel") == "1"
    body = exporter.render(get_db(), round_id, fmt, scope, excel=excel)
    response = Response(body, mimetype=exporter.MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{exporter.filename(round_id, fmt, scope, excel)}"')
    return _no_store(response)


def _audit_filters() -> dict:
    user = _user()
    round_id = request.args.get("omgang") or None
    if round_id and store.get_round(get_db(), round_id) is None:
        abort(404)
    code = request.args.get("kommun") or None
    if code:
        _municipality(code)
    return {"county_code": auth.county_scope(), "round_id": round_id, "municipality_code": code,
            "include_accounts": user.is_admin}


@bp.route("/logg")
@login_required
def audit():
    filters = _audit_filters()
    page = min(max(request.args.get("sida", 1, type=int), 1), 1_000_000)
    entries = store.audit_entries(get_db(), **filters, limit=AUDIT_PAGE_SIZE + 1,
                                     offset=(page - 1) * AUDIT_PAGE_SIZE)
    return render_template(
        "coordinate/audit.html", entries=entries[:AUDIT_PAGE_SIZE], page=page,
        more=len(entries) > AUDIT_PAGE_SIZE, filters=filters,
        rounds=store.rounds(get_db()),
        all_counties=store.counties(get_db()) if _user().sees_all else [])


@bp.route("/logg.csv")
@login_required
def audit_export():
    entries = store.audit_entries(get_db(), **_audit_filters(), limit=None)
    response = Response(exporter.audit_csv(entries), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="handelselogg.csv"'
    return _no_store(response)


# ---------------------------------------------------------------- accounts (admin)


@bp.route("/konton", methods=["GET", "POST"])
@roles_required(store.ADMIN)
def account_list():
    database = get_db()
    form = AccountForm()
    form.role.choices = [SelectChoice(role, _role_text(role)) for role in store.ROLES]
    form.county.choices = [SelectChoice("", "–")] + [
        SelectChoice(c["code"], c["name"]) for c in store.counties(database)]
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        errors = _add_account(form)
        if not errors:
            return redirect(url_for("coordinate.account_list", klart="account_added"))
    elif request.method == "POST":
        errors = _form_errors(form)
    status = 422 if errors else 200
    return render_template("coordinate/accounts.html", form=form, errors=errors,
                           users=store.users(database), done=_done()), status


def _add_account(form: AccountForm) -> dict[str, str]:
    if not EMAIL_PATTERN.match(form.email.data.strip()):
        return {"email": ct("bad_email")}
    weak = passwords.check_password_strength(form.password.data)
    if weak:
        return {"password": weak}
    try:
        store.create_user(get_db(), form.email.data, form.name.data, form.role.data,
                          form.county.data or None,
                          passwords.hash_password(form.password.data, current_app.config),
                          _user().actor)
    except store.AccountError as error:
        if error.code == "county_required":
            return {"county": ct("account_county")}
        return {"email": ct("account_exists") if error.code == "account_exists" else str(error)}
    return {}


@bp.route("/konton/<id:user_id>/aktiv", methods=["POST"])
@roles_required(store.ADMIN)
def account_active(user_id: int):
    database = get_db()
    row = store.get_user(database, user_id)
    if row is None:
        abort(404)
    if row["id"] == _user().id:  # an administrator cannot lock themselves out
        return render_error(409, TEXT["not_yourself"])
    store.set_active(database, user_id, request.form.get("active") == "1", _user().actor)
    return redirect(url_for("coordinate.account_list"))


# ---------------------------------------------------------------- wiring


@bp.app_context_processor
def coordinator_helpers() -> dict:
    # a proxy: the account is loaded only on pages that show it, not on every respondent page
    return {"ct": ct, "coordinator": _COORDINATOR, "role_text": _role_text,
            "action_text": _action_text, "event_words": _event_words, "rate": _rate}


_COORDINATOR = LocalProxy(auth.current)


def _rate(share: float | None) -> str:
    """A response rate as the i18n percent filter writes it, with a decimal only when the
    share needs one: "20 %", "33,3 %"."""
    if share is None:
        return percent(None)
    return percent(share, 0 if round(share * 100, 1).is_integer() else 1)


def _event_words() -> EventWords:
    """One lookup of labels and names per page, however many rows the log shows."""
    if "coordinate_event_words" not in g:
        g.coordinate_event_words = EventWords.for_page(get_db())
    return g.coordinate_event_words


def _role_text(role: str, county_code: str | None = None) -> str:
    """A county coordinator's role names the county ("Länssamordnare, Hallands län")."""
    if role == store.COUNTY_COORDINATOR and county_code:
        county = store.county(get_db(), county_code)
        return ct("role_county_coordinator_of", county=county["name"] if county else county_code)
    return ct(f"role_{role}")


def _action_text(entry: dict) -> str:
    key = f"action_{entry['action']}"
    if key not in TEXT:
        # other areas describe their own actions (app.extensions["lagesbild_action_texts"])
        for describe in current_app.extensions.get("lagesbild_action_texts", ()):
            text = describe(entry)
            if text:
                return text
        return entry["action"]
    if entry.get("source") == "answer":
        return ct(key, question=_event_words().action_question(entry))
    return ct(key)


def _audit_submission(db, round_row: dict, response_id: int, _questionnaire) -> None:
    store.record_submission(db, response_id)


def register(app: Flask) -> None:
    """Called by the app factory: login, the blueprint, coordinators' read access, audit."""
    auth.register(app)
    app.register_blueprint(bp)
    if auth.coordinator_may_open not in access.extra_checks:
        access.extra_checks.append(auth.coordinator_may_open)
    hooks = app.extensions.setdefault("lagesbild_on_submit", [])
    if _audit_submission not in hooks:
        hooks.append(_audit_submission)
