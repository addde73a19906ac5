"""Municipalities answer: open the link, fill in page by page, review, submit, get a receipt.

Every page change saves a draft; nothing typed is thrown away: invalid input is shown back
with its message, and a colleague's concurrent save is shown beside ours, never overwritten.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from survey import store
from survey.questionnaire import engine
from survey.questionnaire.display import answer_items, format_answer, option_text
from survey.questionnaire.model import Page, Questionnaire
from survey.services.references import receipt_reference
from survey.web import access, forms
from survey.web.db import get_db
from survey.web.errors import render_error
from survey.web.i18n import language, t
from survey.web.respond import carry_over, fields, privacy
from survey.web.respond import receipt as receipts

bp = Blueprint("respond", __name__)

LOCKED_MESSAGE = {
    "sv": "Lägesbilden kan inte ändras: den är inskickad eller omgången är stängd. Inget har "
    "ändrats.",
    "en": "The report cannot be changed: it has been submitted or the round is closed. "
    "Nothing was changed.",
}
#: The question the name typed on the start page answers while it is empty ("Ditt namn").
RESPONDENT_NAME = "respondent_name"


class Context:
    """What every response page needs, looked up once per request."""

    def __init__(self, round_id: str, code: str, write: bool = False):
        self.db = get_db()
        self.round = store.get_round(self.db, round_id)
        self.municipality = store.municipality(self.db, code)
        if not self.round or not self.municipality:
            abort(404)
        if not access.may_open(round_id, code, write):
            abort(403)
        # Coordinators may read a municipality's pages but only its own link may change them.
        self.may_write = write or access.may_open(round_id, code, write=True)
        self.questionnaire: Questionnaire = store.round_questionnaire(self.db, self.round)
        self.response = store.get_response(self.db, round_id, code)
        self.answers: dict[str, Any] = (
            store.answers(self.db, self.response["id"], self.response) if self.response
            else {})
        self.lang = language()

    @property
    def status(self) -> str:
        return self.response["status"] if self.response else store.NOT_STARTED

    @property
    def round_open(self) -> bool:
        return store.round_is_open(self.round)

    @property
    def editable(self) -> bool:
        """Open rounds accept changes until submitted; a coordinator's reopening overrides
        both the submission and the closing date."""
        if not self.may_write:
            return False
        if self.status == store.REOPENED:
            return True
        return self.round_open and self.status != store.SUBMITTED

    @property
    def actor(self) -> str:
        return session.get("actor_name") or f"{self.municipality['name_short']} (länk)"

    def url(self, endpoint: str, **values: Any) -> str:
        return url_for(endpoint, round_id=self.round["id"], code=self.municipality["code"],
                       **values)

    def previous_answers(self) -> dict[str, Any]:
        """The municipality's own answers in the round this one follows up, for reference."""
        if not self.round["follows"]:
            return {}
        previous = store.get_response(self.db, self.round["follows"], self.municipality["code"])
        return store.answers(self.db, previous["id"]) if previous else {}


@bp.route("/")
def home():
    invitations = access.granted()
    database = get_db()
    links = []
    for invitation in invitations:
        municipality = store.municipality(database, invitation["municipality_code"])
        round_row = store.get_round(database, invitation["round_id"])
        links.append({"municipality": municipality, "round": round_row,
                      "url": url_for("respond.start", round_id=round_row["id"],
                                     code=municipality["code"])})
    return render_template("respond/home.html", links=links)


@bp.route("/s/<token>")
def open_link(token: str):
    invitation = store.invitation_by_hash(get_db(), store.hash_token(token))
    if invitation is None:
        abort(404)
    access.grant(invitation["token_hash"])
    return redirect(url_for("respond.start", round_id=invitation["round_id"],
                            code=invitation["municipality_code"]))


@bp.route("/svar/<round_id>/<code>/", methods=["GET", "POST"])
def start(round_id: str, code: str):
    ctx = Context(round_id, code, write=request.method == "POST")
    if request.method == "POST":
        name = request.form.get("actor_name", "").strip()[:120]
        if name:
            session["actor_name"] = name
        if request.form.get("prefill") == "previous" and ctx.editable:
            _prefill_from_previous(ctx)
        _carry_name(ctx, name)
        return redirect(ctx.url("respond.page", page_name=_resume_page(ctx)))
    answered, total = engine.count_answered(ctx.questionnaire, ctx.answers)
    return render_template(
        "respond/start.html", ctx=ctx, answered=answered, total=total,
        resume_page=_resume_page(ctx), has_previous=bool(ctx.previous_answers()),
        page_progress=_page_progress(ctx), to_confirm=carry_over.pending_pages(
            ctx.questionnaire, ctx.answers, carry_over.pending(ctx.db, ctx.response)))


def _carry_name(ctx: Context, name: str) -> None:
    """The name typed on the start page answers "Ditt namn" when nobody has answered it yet
    (a carried-over name from last round stays, marked for confirmation)."""
    if not name or not ctx.editable or not ctx.questionnaire.has(RESPONDENT_NAME):
        return
    question = ctx.questionnaire.question(RESPONDENT_NAME)
    response = store.ensure_response(ctx.db, ctx.round["id"], ctx.municipality["code"],
                                     ctx.actor)
    stored = store.answers(ctx.db, response["id"])
    if not engine.is_empty(stored.get(RESPONDENT_NAME)) or engine.check_value(
            question, name, stored, ctx.lang):
        return
    store.save_answers(ctx.db, response["id"], {RESPONDENT_NAME: name}, response["revision"],
                       ctx.actor)


def _resume_page(ctx: Context) -> str:
    last = ctx.response["last_page"] if ctx.response else None
    names = [p.name for p in ctx.questionnaire.pages]
    return last if last in names else names[0]


def _page_progress(ctx: Context) -> list[dict]:
    shown = engine.relevant_questions(ctx.questionnaire, ctx.answers)
    result = []
    for page in ctx.questionnaire.pages:
        storing = [q for q in page.questions if q.stores_answer and q.name in shown]
        answered = sum(1 for q in storing if not engine.is_empty(ctx.answers.get(q.name)))
        result.append({"page": page, "answered": answered, "total": len(storing)})
    return result


def _prefill_from_previous(ctx: Context) -> None:
    """Start a follow-up from last round's answers: only where nothing is answered yet, never
    the questions about now, each marked as carried over until confirmed or edited."""
    previous = store.get_response(ctx.db, ctx.round["follows"], ctx.municipality["code"]) \
        if ctx.round["follows"] else None
    response = store.ensure_response(ctx.db, ctx.round["id"], ctx.municipality["code"],
                                     ctx.actor)
    carry_over.prefill(ctx.db, ctx.questionnaire, response, previous, ctx.answers, ctx.actor)


@bp.route("/svar/<round_id>/<code>/sida/<page_name>", methods=["GET", "POST"])
def page(round_id: str, code: str, page_name: str):
    ctx = Context(round_id, code, write=request.method == "POST")
    try:
        current = ctx.questionnaire.page(page_name)
    except KeyError:
        abort(404)
    if request.method != "POST":  # GET and HEAD only read
        form = forms.shown_values(ctx.questionnaire, current, ctx.lang, ctx.answers)
        return _render_page(ctx, current, form, {}, [])
    if not ctx.editable:
        return render_error(409, LOCKED_MESSAGE)
    values, parse_errors = forms.submitted_values(current, request.form)
    errors = forms.page_errors(ctx.questionnaire, current, values, parse_errors, ctx.answers,
                               ctx.lang, round_opens=ctx.round["opens_on"])
    if errors:
        form = forms.build_form(ctx.questionnaire, current, ctx.lang, ctx.answers,
                                formdata=request.form)
        return _render_page(ctx, current, form, errors, [], status=422)
    response = ctx.response or store.ensure_response(ctx.db, round_id, code, ctx.actor)
    base = _base_revision()
    try:
        result = store.save_answers(
            ctx.db, response["id"], values, base, ctx.actor, page=page_name,
            hidden=lambda stored: engine.hidden_answers(ctx.questionnaire, stored))
    except store.ResponseLocked:  # a colleague submitted meanwhile: show the typed page again
        form = forms.build_form(ctx.questionnaire, current, ctx.lang, ctx.answers,
                                formdata=request.form)
        ctx.response = store.get_response(ctx.db, round_id, code)
        return _render_page(ctx, current, form, {}, [], status=409, locked=True)
    if result.conflicts:
        ctx.answers = store.answers(ctx.db, response["id"])
        ctx.response = store.get_response(ctx.db, round_id, code)
        form = forms.build_form(ctx.questionnaire, current, ctx.lang, ctx.answers)
        return _render_page(ctx, current, form, {}, result.conflicts, status=409)
    action = request.form.get("action", "save")
    if action == "confirm":  # the page's carried-over answers stand as they are now
        carry_over.confirm_page(ctx.db, response["id"], current, ctx.actor)
        action = "next"
    merged = {**ctx.answers, **values}
    shown = engine.relevant_questions(ctx.questionnaire, merged)
    newly_shown = [name for name in request.form.getlist("_was_hidden")
                   if name in shown and engine.is_empty(merged.get(name))]
    if privacy.new_findings(ctx.answers, values):  # saved, but shown before moving on
        return redirect(ctx.url("respond.page", page_name=current.name, sparat=1)
                        + "#personuppgifter")
    return redirect(_next_url(ctx, current, action, newly_shown))


def _base_revision() -> int:
    """The revision the form was opened at. Missing counts as 0 (anything saved since the
    response began is then a conflict, never silently overwritten); not a number is a 400."""
    raw = request.form.get("_revision")
    if raw is None:
        return 0
    if not re.fullmatch(r"[0-9]{1,18}", raw):
        abort(400)
    return int(raw)


def _next_url(ctx: Context, current: Page, action: str, newly_shown: list[str]) -> str:
    names = [p.name for p in ctx.questionnaire.pages]
    index = names.index(current.name)
    if newly_shown and action in ("next", "review"):
        return ctx.url("respond.page", page_name=current.name, nya=1) + f"#q-{newly_shown[0]}"
    if action.startswith("goto:") and action[5:] in names:
        return ctx.url("respond.page", page_name=action[5:])
    if action == "next" and index + 1 < len(names):
        return ctx.url("respond.page", page_name=names[index + 1])
    if action == "previous" and index > 0:
        return ctx.url("respond.page", page_name=names[index - 1])
    if action in ("review", "next"):
        return ctx.url("respond.review")
    return ctx.url("respond.page", page_name=current.name, sparat=1)


def _render_page(ctx: Context, current: Page, form, errors: dict[str, str], conflicts: list,
                 status: int = 200, locked: bool = False):
    names = [p.name for p in ctx.questionnaire.pages]
    index = names.index(current.name)
    merged = dict(ctx.answers)
    shown = engine.relevant_questions(ctx.questionnaire, merged)
    answered, total = engine.count_answered(ctx.questionnaire, ctx.answers)
    view = fields.page_view(ctx.questionnaire, current.name, ctx.lang)
    # The browser's relevance rules read only these; the page carries no other page's text.
    other_answers = {name: ctx.answers[name] for name in engine.relevance_inputs(ctx.questionnaire)
                     if name in ctx.answers and name not in view.names}
    conflict_views = [
        {"question": ctx.questionnaire.question(c.question),
         "yours": format_answer(ctx.questionnaire.question(c.question), c.yours, ctx.lang),
         "theirs": format_answer(ctx.questionnaire.question(c.question), c.theirs, ctx.lang),
         "who": c.their_author or "?", "when": c.their_time}
        for c in conflicts
    ]
    body = render_template(
        "respond/page.html", ctx=ctx, page=current, form=form, errors=errors, view=view,
        editable=ctx.editable, index=index, count=len(names), pages=ctx.questionnaire.pages,
        shown=shown, answered=answered, total=total, other_answers=other_answers,
        conflicts=conflict_views, previous=ctx.previous_answers(),
        revision=ctx.response["revision"] if ctx.response else 0,
        saved=request.args.get("sparat"), newly_shown=request.args.get("nya"),
        locked_message=LOCKED_MESSAGE[ctx.lang] if locked else None,
        privacy=privacy.flagged_answers(current, ctx.answers, shown),
        privacy_kind=privacy.kind_label,
        carried=carry_over.page_pending(current, carry_over.pending(ctx.db, ctx.response), shown),
    )
    return body, status


@bp.route("/svar/<round_id>/<code>/granska", methods=["GET", "POST"])
def review(round_id: str, code: str):
    ctx = Context(round_id, code, write=request.method == "POST")
    issues = engine.submission_issues(ctx.questionnaire, ctx.answers, ctx.lang,
                                      round_opens=ctx.round["opens_on"])
    unconfirmed = carry_over.pending(ctx.db, ctx.response)
    to_confirm = carry_over.pending_pages(ctx.questionnaire, ctx.answers, unconfirmed)
    if request.method == "POST":
        if not ctx.editable:
            return render_error(409, LOCKED_MESSAGE)
        if not issues and not to_confirm and ctx.response is not None:
            store.set_status(ctx.db, ctx.response["id"], store.SUBMITTED, ctx.actor)
            _after_submit(ctx)
            return redirect(ctx.url("respond.receipt"))
    status = 422 if request.method == "POST" else 200
    return render_template("respond/review.html", ctx=ctx, issues=issues,
                           sections=_sections(ctx), empty=ctx.response is None,
                           to_confirm=to_confirm, carried=unconfirmed), status


def _after_submit(ctx: Context) -> None:
    """Hooks that run once a response is submitted (auto-coding registers here)."""
    from flask import current_app

    for hook in current_app.extensions.get("lagesbild_on_submit", []):
        hook(ctx.db, ctx.round, ctx.response["id"], ctx.questionnaire)


def _sections(ctx: Context) -> list[dict]:
    shown = engine.relevant_questions(ctx.questionnaire, ctx.answers)
    sections = []
    for page in ctx.questionnaire.pages:
        items = [
            {"question": q, "value": ctx.answers.get(q.name),
             "text": format_answer(q, ctx.answers.get(q.name), ctx.lang),
             "parts": answer_items(q, ctx.answers.get(q.name), ctx.lang)}
            for q in page.questions if q.stores_answer and q.name in shown
        ]
        sections.append({"page": page, "items": items})
    return sections


@bp.route("/svar/<round_id>/<code>/kvitto")
def receipt(round_id: str, code: str):
    ctx = Context(round_id, code)
    if ctx.status != store.SUBMITTED:
        return redirect(ctx.url("respond.review"))
    return _render_receipt(ctx)


def _render_receipt(ctx: Context, mail_error: str | None = None, mailed: str | None = None,
                    address: str | None = None, status: int = 200):
    typed = ctx.answers.get("respondent_email")
    return render_template(
        "respond/receipt.html", ctx=ctx, sections=_sections(ctx), **_receipt_facts(ctx),
        mail_error=mail_error, mailed=mailed,
        address=address if address is not None else (typed or ""),
        confirmed=carry_over.confirmed(ctx.db, ctx.questionnaire, ctx.response)), status


def _receipt_facts(ctx: Context) -> dict[str, Any]:
    """When, by whom and the reference number, for the receipt page and its mail copy."""
    response = ctx.response
    by = response["submitted_by"] or ""
    return {"submitted_at": response["submitted_at"],
            # the link's own name ("Halmstad (länk)") means nobody typed a name: say so in words
            "submitted_by": None if by in ("", f"{ctx.municipality['name_short']} (länk)")
            else by,
            "reference": receipt_reference(ctx.round["id"], ctx.municipality["code"],
                                           response["id"], response["submitted_at"])}


@bp.route("/svar/<round_id>/<code>/kvitto/e-post", methods=["POST"])
def receipt_mail(round_id: str, code: str):
    """A copy of the receipt to an address the respondent types (only with the link)."""
    ctx = Context(round_id, code, write=True)
    if ctx.status != store.SUBMITTED:
        return redirect(ctx.url("respond.review"))
    address = request.form.get("email", "").strip()
    problem = receipts.address_problem(address)
    sent = session.get("receipt_copies", 0)
    if problem is None and sent >= receipts.MAX_COPIES:
        problem = "receipt_mail_limit"
    if problem is None:
        facts = _receipt_facts(ctx)
        body = render_template("respond/receipt_mail.txt", ctx=ctx, sections=_sections(ctx),
                               **facts)
        kind = receipts.send_copy(current_app, round_id, code, address,
                                  t("receipt_mail_subject", reference=facts["reference"]),
                                  re.sub(r"\n{3,}", "\n\n", body).strip() + "\n")
        problem = f"receipt_mail_{kind}" if kind else None
    if problem:
        return _render_receipt(ctx, mail_error=t(problem), address=address[:200], status=422)
    session["receipt_copies"] = sent + 1
    store.record(ctx.db, ctx.actor, "receipt_mailed", "response", ctx.response["id"],
                 round_id=round_id, municipality_code=code, after={"to": address})
    return _render_receipt(ctx, mailed=address, address=address)


@bp.record_once
def _describe_audit(state) -> None:
    """The coordinators' audit view says in words what a receipt copy was."""
    def describe(entry: dict) -> str | None:
        return t("action_receipt_mailed") if entry.get("action") == "receipt_mailed" else None

    state.app.extensions.setdefault("lagesbild_action_texts", []).append(describe)


@bp.app_template_filter("swedish_datetime")
def swedish_datetime(value: str | None) -> str:
    """'2020-06-15T14:03:00+00:00' -> '15 juni 2020 kl. 16.03' in Swedish local time."""
    if not value:
        return ""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    moment = datetime.fromisoformat(value).astimezone(ZoneInfo("Europe/Stockholm"))
    if language() == "en":
        return moment.strftime("%d %B %Y %H:%M")
    return f"{moment.day} {MONTHS_SV[moment.month - 1]} {moment.year} kl. " \
           f"{moment.hour:02d}.{moment.minute:02d}"


@bp.app_template_filter("swedish_date")
def swedish_date(value: str | date | None) -> str:
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    if language() == "en":
        return day.strftime("%d %B %Y")
    return f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}"


MONTHS_SV = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december"]


def has_endpoint(name: str) -> bool:
    """Templates link to optional areas (coordinators, reports) only when they are installed."""
    from flask import current_app

    return name in current_app.view_functions


@bp.app_context_processor
def helpers() -> dict:
    return {"format_answer": format_answer, "answer_items": answer_items,
            "option_text": option_text, "field_anchor": field_anchor,
            "with_message": with_message, "status_text": lambda s: t(f"status_{s}"),
            "has_endpoint": has_endpoint}


def field_anchor(question) -> str:
    """The id of the question's first field, where an error summary's link goes (the
    macros name them so: f-NAME, a choice's first button, a matrix's first row)."""
    if question.type == "boolean":
        return f"f-{question.name}-y"
    if question.type == "matrix" and question.rows:
        return f"f-{question.name}-{question.rows[0].name}-1"
    if question.type in ("multiple", "scale") or (
            question.type == "single" and question.appearance != "select"):
        return f"f-{question.name}-1"
    return f"f-{question.name}"


def with_message(label: str, message: str) -> str:
    """A question's label followed by its message, punctuated as a sentence: "Ditt namn:
    Frågan måste besvaras.", but "Vilka risker ser ni? Texten är …" (no "?:")."""
    label = label.strip().rstrip(":").rstrip()
    if label.endswith(("?", "!", ".", "…")):
        return f"{label} {message}"
    return f"{label}: {message}"
