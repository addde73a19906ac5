"""The review workspace: coordinators confirm, reject and add the auto-coded themes.

Routes under /granskning/. Every page needs a coordinator's login; a county coordinator
sees and decides only on the answers of their own county (another county's answer is a
403), the national coordinator and administrators see all and may narrow with ?lan=.
Thresholds and retraining change things for every county, so only they may change them.

Every action is an ordinary form POST that redirects back (303) to the queue, so the
workspace works without JavaScript; review.js sends the same forms with fetch and swaps in
the card the server renders (JSON), and adds keyboard shortcuts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from coding import load_codebook
from survey import store
from survey.services import agreement as stats
from survey.services import code_exports, qdpx
from survey.services import jobs as job_service
from survey.services.agreement import format_number
from survey.web import auth
from survey.web import jobs as web_jobs
from survey.web.db import get_db
from survey.web.i18n import language, number
from survey.web.review.cards import build_card
from survey.web.review.text import CATALOGUE, error_text, rt
from survey.web.security import safe_redirect_target

bp = Blueprint("review", __name__, url_prefix="/granskning")

PAGE_SIZE = 25
SEE_ALL = (store.NATIONAL_COORDINATOR, store.ADMIN)
BANDS = store.MACHINE_STATUSES


# ---------------------------------------------------------------- access


@bp.before_request
def require_coordinator():
    if not current_user.is_authenticated:
        if "coordinate.login" not in current_app.view_functions:
            abort(401)
        return auth.login_manager.unauthorized()
    if current_user.role not in store.ROLES:
        abort(403)
    return None


def _user() -> auth.User:
    return auth.current()


def _reviewer() -> store.Reviewer:
    user = _user()
    return store.Reviewer(user.id, user.actor)


@dataclass
class RoundView:
    """The round, its coded questions (name -> codebook, in questionnaire order), the
    codebooks, the county the page is limited to (None: all) and the areas whose free text
    is compared with the rated change."""

    round: dict
    questionnaire: Any
    questions: dict[str, str]
    books: dict[str, Any]
    scope: str | None
    areas: tuple[store.Area, ...] = ()
    scope_name: str | None = None

    def label(self, question: str) -> str:
        return self.questionnaire.question(question).label.get(language())

    def section(self, question: str) -> str:
        """The title of the question's page: the area a text like "Beskriv de risker ni ser
        inom området just nu." is about."""
        page = next(p for p in self.questionnaire.pages
                    if any(q.name == question for q in p.questions))
        return page.title.get(language())

    def sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The coded questions grouped by page title: [(title, [(name, label)])]."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for name in self.questions:
            groups.setdefault(self.section(name), []).append((name, self.label(name)))
        return list(groups.items())

    def book_label(self, codebook: str) -> str:
        key = f"codebook_{codebook}"
        return rt(key) if key in CATALOGUE else codebook

    def change_label(self, value: str) -> str:
        """A rated change in words: the change question's own option label ("Oförändrat")."""
        return self.questionnaire.question(store.CHANGE_QUESTION).option_label(value, language())

    def area_label(self, area: str) -> str:
        return self.section(next(a.questions[0] for a in self.areas if a.name == area))

    def theme_label(self, codebook: str, theme: str) -> str:
        book = self.books.get(codebook)
        return next((t.label_for(language()) for t in book.themes if t.id == theme), theme) \
            if book else theme


def _round_view(round_id: str) -> RoundView:

    database = get_db()
    round_row = store.get_round(database, round_id)
    if round_row is None:
        abort(404)
    questionnaire = store.round_questionnaire(database, round_row)
    questions = questionnaire.coded_questions
    books = {name: load_codebook(name) for name in dict.fromkeys(questions.values())}
    scope = auth.county_scope()
    county = store.county(database, scope) if scope else None
    return RoundView(round_row, questionnaire, questions, books, scope,
                     store.round_areas(questionnaire), county["name"] if county else scope)




def _answer(view: RoundView, response_id: int, question: str) -> dict:
    """An answer of this round the coordinator may review: 404 if it is not in the review
    at all, 403 if it belongs to a county they do not see."""
    database = get_db()
    context = store.answer_context(database, response_id)
    if context is None or context["round_id"] != view.round["id"] \
            or question not in view.questions:
        abort(404)
    if not _user().may_see_county(context["county_code"]):
        abort(403)
    text = store.answer_text(database, response_id, question)
    if context["status"] not in store.REVIEWABLE_RESPONSES or not (text or "").strip():
        abort(404)
    return {**context, "question": question, "text": text,
            "codebook": view.questions[question]}


def _code(view: RoundView, code_id: int) -> dict:
    code = store.code_by_id(get_db(), code_id)
    if code is None or code["round_id"] != view.round["id"]:
        abort(404)
    if not _user().may_see_county(code["county_code"]):
        abort(403)
    _answer(view, code["response_id"], code["question"])
    return code


def _sees_all_or_403() -> None:
    if _user().role not in SEE_ALL:
        abort(403)


# ---------------------------------------------------------------- rendering helpers


def _card(view: RoundView, answer: dict, mode: str = store.PRIMARY) -> dict:
    card = build_card(get_db(), answer, view.label(answer["question"]),
                      view.books[answer["codebook"]], mode, _user().id)
    card["section"] = view.section(answer["question"])
    conflicts = store.answer_conflicts(get_db(), answer["response_id"], answer["question"],
                                       view.areas) if mode == store.PRIMARY else []
    card["conflicts"] = [_conflict_text(view, answer["codebook"], c) for c in conflicts]
    return card


def _conflict_text(view: RoundView, codebook: str, conflict: store.DirectionConflict) -> str:
    """Both values in words: the rated change and what the text describes."""
    return rt(f"conflict_{conflict.direction}", rated=view.change_label(conflict.rated),
              area=view.area_label(conflict.area),
              theme=lower_first(view.theme_label(codebook, conflict.theme)))


def _progress(view: RoundView) -> dict:
    summary = store.review_summary(get_db(), view.round["id"], view.questions, view.scope)
    return {**{k: summary[k] for k in ("answers", "done", "decisions", "verified")},
            "text": rt("progress", done=summary["done"], answers=summary["answers"],
                       decisions=summary["decisions"])}


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _next_url(view: RoundView, anchor: str | None = None) -> str:
    """Back to where the form was (a path of this workspace only, never another site)."""
    target = safe_redirect_target(request.form.get("next"),
                                  url_for("review.queue", round_id=view.round["id"]),
                                  prefix="/granskning/")
    target = target.split("#")[0]
    return target + (f"#{anchor}" if anchor else "")


def _reply(view: RoundView, message: str, answers: list[tuple[int, str]],
           mode: str = store.PRIMARY, anchor: str | None = None):
    """After a decision: JSON with the re-rendered cards for fetch, else a 303 back."""
    if not _wants_json():
        flash(message, "status")
        return redirect(_next_url(view, anchor), code=303)
    next_url = _next_url(view)
    cards = {}
    for response_id, question in answers:
        answer = _answer(view, response_id, question)
        card = _card(view, answer, mode)
        cards[card["dom_id"]] = render_template(
            "review/_card_only.html", c=card, view=view, next_url=next_url)
    return jsonify(ok=True, message=message, cards=cards, progress=_progress(view))


def _refuse(view: RoundView, message: str, status: int = 409, anchor: str | None = None):
    if _wants_json():
        return jsonify(ok=False, message=message), status
    flash(message, "error")
    return redirect(_next_url(view, anchor), code=303)


def _filters(view: RoundView) -> store.QueueFilter:
    """The queue filter from the query string: 400 for a value the round does not have,
    404 for an unknown municipality, 403 for one outside what the user may see."""
    args = request.values
    flt = store.QueueFilter(
        theme=args.get("tema") or None, municipality=args.get("kommun") or None,
        question=args.get("fraga") or None, status=args.get("status") or None,
        band=args.get("band") or None,
        conflicts=view.areas if args.get("motstridiga") == "1" else ())
    if not _known_filter_values(view, flt):
        abort(400)
    if flt.municipality:
        _check_municipality(view, flt.municipality)
    return flt


def _known_filter_values(view: RoundView, flt: store.QueueFilter) -> bool:
    """Every filter given is one of the values it can take in this round."""
    allowed = {
        "theme": {t.id for book in view.books.values() for t in book.themes},
        "question": view.questions, "status": store.QUEUE_STATUSES, "band": BANDS,
    }
    return all(not getattr(flt, name) or getattr(flt, name) in values
               for name, values in allowed.items())


def _check_municipality(view: RoundView, code: str) -> None:
    municipality = store.municipality(get_db(), code)
    if municipality is None:
        abort(404)
    county = municipality["county_code"]
    if not _user().may_see_county(county) or (view.scope and county != view.scope):
        abort(403)


def _filter_args(flt: store.QueueFilter, scope: str | None) -> dict[str, str]:
    pairs = {"tema": flt.theme, "kommun": flt.municipality, "fraga": flt.question,
             "status": flt.status, "band": flt.band,
             "motstridiga": "1" if flt.conflicts else None}
    if scope and _user().sees_all:
        pairs["lan"] = scope
    return {k: v for k, v in pairs.items() if v}


# ---------------------------------------------------------------- pages


@bp.route("/")
def index():
    database = get_db()
    scope = auth.county_scope()
    rounds = []
    for round_row in store.rounds(database):
        questionnaire = store.round_questionnaire(database, round_row)
        questions = questionnaire.coded_questions
        rounds.append({**round_row, **store.review_summary(
            database, round_row["id"], questions, scope)})
    return render_template("review/index.html", rounds=rounds, scope=scope)


@bp.route("/<round_id>/")
def overview(round_id: str):
    view = _round_view(round_id)
    database = get_db()
    summary = store.review_summary(database, round_id, view.questions, view.scope)
    themes = [(book, t, summary["themes"].get(t.id)) for book in view.books.values()
              for t in book.themes]
    return render_template(
        "review/overview.html", view=view, summary=summary, themes=themes,
        statuses=(*BANDS, *store.HUMAN_STATUSES), counties=_counties(),
        directions=_direction_lines(view, store.direction_counts(
            database, round_id, view.questions, view.scope)),
        conflicts=store.conflict_summary(database, round_id, view.questions, view.areas,
                                         view.scope))


TREND_DIRECTIONS = ("increase", "decrease", "unchanged")


def _direction_lines(view: RoundView, counts: dict[str, dict[str, int]]
                     ) -> list[tuple[str, str, list[str]]]:
    """Per theme with a trend in the texts: (codebook label, theme label, sentences such as
    "3 kommuner beskriver en ökning av våld i nära relationer"). Only the themes of the
    areas whose change the questionnaire asks about: a risk grows or shrinks, while "en
    ökning av samverkan" says little (each card still shows every code's direction)."""
    asked = {theme for area in view.areas for theme in area.themes}
    lines = []
    for book in view.books.values():
        for theme in book.themes:
            if asked and theme.id not in asked:
                continue
            found = counts.get(theme.id, {})
            label = theme.label_for(language())
            sentences = [
                rt(f"direction_{d}_{'one' if found[d] == 1 else 'many'}",
                   n=number(found[d]), theme=lower_first(label))
                for d in TREND_DIRECTIONS if found.get(d)]
            if sentences:
                lines.append((view.book_label(book.name), label, sentences))
    return lines


def lower_first(text: str) -> str:
    """A theme label inside a sentence: "en ökning av våld i nära relationer"."""
    return text[:1].lower() + text[1:]


def _counties() -> list[dict]:
    return store.counties(get_db()) if _user().sees_all else []


def _queue_page(view: RoundView, mode: str):
    flt = _filters(view)
    if "status" not in request.args:
        flt.status = "unreviewed"
    page = min(max(request.args.get("sida", 1, type=int), 1), 1_000_000)
    rows, total = store.queue(get_db(), view.round["id"], view.questions, view.scope, flt,
                                 mode, _user().id, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    cards = [_card(view, row, mode) for row in rows]
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    args = _filter_args(flt, view.scope)
    endpoint = "review.blind_queue" if mode == store.BLIND else "review.queue"

    def page_url(number: int) -> str:
        return url_for(endpoint, round_id=view.round["id"], sida=number, **args)
    # finished answers leave an 'unreviewed' queue, so the next ones are then on page 1
    continue_url = page_url(1 if flt.status == "unreviewed" else min(page + 1, pages))
    municipalities = store.municipalities(get_db(), view.scope)
    return render_template(
        "review/queue.html", view=view, mode=mode, cards=cards, flt=flt, total=total,
        page=page, pages=pages, page_url=page_url, continue_url=continue_url,
        next_url=request.full_path.rstrip("?"), progress=_progress(view),
        municipalities=[m for m in municipalities if _user().may_see_county(m["county_code"])],
        counties=_counties(), messages=get_flashed_messages(with_categories=True),
        bands=BANDS, statuses=store.QUEUE_STATUSES)


@bp.route("/<round_id>/svar")
def queue(round_id: str):
    return _queue_page(_round_view(round_id), store.PRIMARY)


@bp.route("/<round_id>/blind")
def blind_queue(round_id: str):
    return _queue_page(_round_view(round_id), store.BLIND)


@bp.route("/<round_id>/svar/<id:response_id>/<question>")
def answer(round_id: str, response_id: int, question: str):
    view = _round_view(round_id)
    row = _answer(view, response_id, question)
    mode = store.BLIND if request.args.get("blind") else store.PRIMARY
    if mode == store.BLIND and store.took_part(get_db(), response_id, question,
                                                     _user().id):
        abort(403)
    return render_template("review/answer.html", view=view, c=_card(view, row, mode),
                           next_url=request.full_path.rstrip("?"),
                           messages=get_flashed_messages(with_categories=True))


# ---------------------------------------------------------------- primary decisions


@bp.route("/<round_id>/kod/<id:code_id>", methods=["POST"])
def decide(round_id: str, code_id: int):
    view = _round_view(round_id)
    code = _code(view, code_id)
    action = request.form.get("action", "")
    if action not in store.ACTIONS:
        abort(400)
    anchor = f"a-{code['response_id']}-{code['question']}"
    try:
        store.decide(get_db(), code_id, action, _reviewer())
    except store.ReviewError as error:
        return _refuse(view, error_text(error), anchor=anchor)
    label = view.theme_label(code["codebook"], code["code"])
    return _reply(view, rt(f"msg_{action}", theme=label),
                  [(code["response_id"], code["question"])], anchor=anchor)


def _span_fields() -> tuple[int | None, int | None, str | None]:
    start = request.form.get("start", type=int)
    end = request.form.get("end", type=int)
    quote = (request.form.get("quote") or "").strip()[:4000] or None
    return start, end, quote


@bp.route("/<round_id>/svar/<id:response_id>/<question>/tema", methods=["POST"])
def add(round_id: str, response_id: int, question: str):
    view = _round_view(round_id)
    row = _answer(view, response_id, question)
    theme = request.form.get("theme", "")
    anchor = f"a-{response_id}-{question}"
    if theme not in view.books[row["codebook"]].theme_ids:
        return _refuse(view, rt("choose_theme"), 422, anchor)
    start, end, quote = _span_fields()
    try:
        store.add_code(get_db(), response_id, question, row["codebook"], theme,
                           _reviewer(), start, end, quote)
    except store.ReviewError as error:
        return _refuse(view, error_text(error), anchor=anchor)
    return _reply(view, rt("msg_add", theme=view.theme_label(row["codebook"], theme)),
                  [(response_id, question)], anchor=anchor)


@bp.route("/<round_id>/svar/<id:response_id>/<question>/klar", methods=["POST"])
def done(round_id: str, response_id: int, question: str):
    view = _round_view(round_id)
    row = _answer(view, response_id, question)
    anchor = f"a-{response_id}-{question}"
    try:
        store.mark_done(get_db(), response_id, question, row["codebook"], _reviewer())
    except store.ReviewError as error:
        return _refuse(view, error_text(error), anchor=anchor)
    return _reply(view, rt("msg_done"), [(response_id, question)], anchor=anchor)


@bp.route("/<round_id>/angra", methods=["POST"])
def undo(round_id: str):
    view = _round_view(round_id)
    mode = request.form.get("mode")  # the queue's pass: undo does not reach into the other
    mode = mode if mode in (store.PRIMARY, store.BLIND) else None
    result = store.undo_last(get_db(), round_id, _reviewer(), mode)
    if result is None:
        return _refuse(view, rt("msg_nothing_to_undo"))
    kind = result.batch["kind"]
    message = rt("msg_undone", what=rt(f"kind_{kind}") if f"kind_{kind}" in _KINDS else kind)
    if result.skipped:
        message += " " + rt("msg_undo_skipped", n=result.skipped)
    visible = [(r, q) for r, q in result.answers if _visible(view, r, q)]
    if len(visible) > PAGE_SIZE and _wants_json():  # a bulk acceptance: reload the page
        return jsonify(ok=True, message=message, cards={}, reload=True,
                       progress=_progress(view))
    anchor = f"a-{visible[0][0]}-{visible[0][1]}" if len(visible) == 1 else None
    return _reply(view, message, visible, result.batch["mode"], anchor)


_KINDS = {f"kind_{k}" for k in ("accept", "reject", "remove", "add", "done", "bulk_accept",
                                "blind")}


def _visible(view: RoundView, response_id: int, question: str) -> bool:
    context = store.answer_context(get_db(), response_id)
    return bool(context) and _user().may_see_county(context["county_code"]) \
        and question in view.questions


@bp.route("/<round_id>/godta-alla", methods=["POST"])
def bulk(round_id: str):
    view = _round_view(round_id)
    flt = _filters(view)
    raw = (request.form.get("min_score") or "").replace(",", ".").strip()
    try:
        min_score = float(raw)
    except ValueError:
        min_score = -1.0
    if not 0.0 <= min_score <= 1.0:
        return _refuse(view, rt("bad_score"), 422)
    _batch, count = store.bulk_accept(get_db(), round_id, view.questions, view.scope, flt,
                                          min_score, _reviewer())
    if _wants_json():  # many cards may change: the page reloads them
        return jsonify(ok=True, message=rt("msg_bulk", n=count), cards={}, reload=True,
                       progress=_progress(view))
    flash(rt("msg_bulk", n=count), "status")
    return redirect(_next_url(view), code=303)


# ---------------------------------------------------------------- blind double coding


@bp.route("/<round_id>/blind/<id:response_id>/<question>", methods=["POST"])
def blind_decide(round_id: str, response_id: int, question: str):
    view = _round_view(round_id)
    row = _answer(view, response_id, question)
    theme = request.form.get("theme", "")
    action = request.form.get("action", "")
    anchor = f"a-{response_id}-{question}"
    if theme not in view.books[row["codebook"]].theme_ids or action not in (
            "accept", "reject", "remove", "add"):
        return _refuse(view, rt("choose_theme"), 422, anchor)
    start, end, quote = _span_fields() if action == "add" else (None, None, None)
    try:
        store.blind_decide(get_db(), response_id, question, row["codebook"], theme,
                               action in ("accept", "add"), _reviewer(), start, end, quote)
    except store.ReviewError as error:
        return _refuse(view, error_text(error), anchor=anchor)
    message = rt(f"msg_{action}", theme=view.theme_label(row["codebook"], theme))
    return _reply(view, message, [(response_id, question)], store.BLIND, anchor)


@bp.route("/<round_id>/blind/<id:response_id>/<question>/klar", methods=["POST"])
def blind_done(round_id: str, response_id: int, question: str):
    view = _round_view(round_id)
    row = _answer(view, response_id, question)
    anchor = f"a-{response_id}-{question}"
    try:
        store.blind_done(get_db(), response_id, question, row["codebook"], _reviewer())
    except store.ReviewError as error:
        return _refuse(view, error_text(error), anchor=anchor)
    return _reply(view, rt("msg_done"), [(response_id, question)], store.BLIND, anchor)


# ---------------------------------------------------------------- thresholds


def _parse_threshold(raw: str | None) -> float | None:
    raw = (raw or "").replace(",", ".").strip()
    if not raw:
        return None
    value = float(raw)  # ValueError for the caller
    if not 0.0 <= value <= 1.0:
        raise ValueError(raw)
    return value


@bp.route("/<round_id>/troskelvarden", methods=["GET", "POST"])
def thresholds(round_id: str):
    view = _round_view(round_id)
    database = get_db()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        _sees_all_or_403()
        wanted = {}
        for book in view.books.values():
            for theme in book.themes:
                key = f"{book.name}-{theme.id}"
                try:
                    wanted[(book.name, theme.id)] = (
                        _parse_threshold(request.form.get(f"accept_at-{key}")),
                        _parse_threshold(request.form.get(f"reject_below-{key}")))
                except ValueError:
                    errors[key] = rt("bad_score")
        if not errors:
            current = {name: store.thresholds(database, name) for name in view.books}
            moved = 0
            for (name, theme), (accept_at, reject_below) in wanted.items():
                band = current[name].get(theme, store.Band())
                if (band.accept_at, band.reject_below) == (accept_at, reject_below):
                    continue
                try:
                    moved += store.set_threshold(database, name, theme, accept_at,
                                                    reject_below, _user().actor)
                except store.ReviewError as error:
                    errors[f"{name}-{theme}"] = error_text(error)
            if not errors:
                flash(rt("msg_thresholds", n=moved), "status")
                return redirect(url_for("review.thresholds", round_id=round_id), code=303)
        status = 422
    rows = []
    summary = store.review_summary(database, round_id, view.questions, view.scope)
    for book in view.books.values():
        stored = store.threshold_rows(database, book.name)
        for theme in book.themes:
            counts = summary["themes"].get(theme.id, {})
            band = stored.get(theme.id) or {}
            rows.append({"book": book, "theme": theme, "key": f"{book.name}-{theme.id}",
                         "accept_at": request.form.get(f"accept_at-{book.name}-{theme.id}",
                                                       _fmt(band.get("accept_at"))),
                         "reject_below": request.form.get(
                             f"reject_below-{book.name}-{theme.id}",
                             _fmt(band.get("reject_below"))),
                         "counts": [counts.get(s, 0) for s in BANDS]})
    return render_template("review/thresholds.html", view=view, rows=rows, errors=errors,
                           editable=_user().role in SEE_ALL,
                           messages=get_flashed_messages(with_categories=True)), status


def _fmt(value: float | None) -> str:
    """A stored threshold as the field shows it, with a decimal comma ("0,85")."""
    return "" if value is None else number(value, 2)


# ---------------------------------------------------------------- agreement and retraining


@bp.route("/<round_id>/overensstammelse")
def agreement(round_id: str):

    view = _round_view(round_id)
    reports = stats.round_agreement(get_db(), round_id, view.books, view.scope)
    return render_template("review/agreement.html", view=view, reports=reports)


def models_root() -> Path:
    return Path(current_app.instance_path) / "models"


def _model_in_use(codebook: str) -> str | None:
    pointer = models_root() / codebook / "current"
    return pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else None


@bp.route("/<round_id>/traning", methods=["GET", "POST"])
def retrain(round_id: str):
    """Retraining runs as a background job (survey.services.jobs): a POST asks for it and
    shows its result when it is already done (a shared job, or immediate mode), else sends
    the browser to ?jobb=<id>, where the page follows the job until the result is there."""
    view = _round_view(round_id)
    editable = _user().role in SEE_ALL
    queue = web_jobs.queue()
    job, error, status = None, None, 200
    if request.method == "POST":
        _sees_all_or_403()
        codebook = request.form.get("codebook", "")
        if codebook not in view.books:
            abort(400)
        try:
            job, _created = queue.request_retrain(get_db(), round_id, codebook, _user().id,
                                                  _user().actor)
        except job_service.JobRefused as refused:
            error, status = str(refused), 409
        else:
            if web_jobs.unfinished(job):
                return redirect(url_for("review.retrain", round_id=round_id, jobb=job["id"]),
                                code=303)
    elif editable and request.args.get("jobb"):
        job = store.jobs.get_job(get_db(), request.args["jobb"][:64])
        if job is None or job["kind"] != job_service.RETRAIN or job["round_id"] != round_id:
            abort(404)
    if job is not None:
        job = queue.current(get_db(), job)
    database = get_db()
    books = [{"book": book, "model": _model_in_use(name),
              "verified": len(store.verified_examples(database, name, book.theme_ids))}
             for name, book in view.books.items()]
    recent = (store.jobs.jobs_for_round(database, round_id, job_service.RETRAIN, 5)
              if editable else [])
    return render_template("review/retrain.html", view=view, books=books,
                           result=queue.retrain_result(job) if job else None, job=job,
                           stages=job_service.RETRAIN_STAGES, recent=recent, error=error,
                           editable=editable, fmt=_score), status


def _score(value: float | None) -> str:

    return format_number(value)


# ---------------------------------------------------------------- export


@bp.route("/<round_id>/export.<fmt>")
def export(round_id: str, fmt: str):

    view = _round_view(round_id)
    if fmt not in ("csv", "qdpx"):
        abort(404)
    name = f"lagesbild-teman-{round_id}{'-' + view.scope if view.scope else ''}.{fmt}"
    if fmt == "csv":
        body = "\ufeff" + code_exports.export_codes_csv(get_db(), round_id, view.scope,
                                                      actor=_user().actor)
        response = Response(body.encode("utf-8"), mimetype="text/csv")
    else:
        buffer = io.BytesIO()
        qdpx.write_qdpx(qdpx.coded_material(get_db(), round_id, view.scope), buffer)
        code_exports.record_export(get_db(), _user().actor, "codes_exported_qdpx", round_id,
                                 view.scope)
        response = Response(buffer.getvalue(), mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- wiring


@bp.app_context_processor
def review_helpers() -> dict:
    """`rt` for texts, and `scope_args` so links keep a chosen county (?lan=)."""
    scope_args: dict[str, str] = {}
    if has_request_context() and request.blueprint == "review":
        user = auth.current()
        wanted = request.values.get("lan")
        if user is not None and user.sees_all and wanted:
            scope_args = {"lan": wanted}
    return {"rt": rt, "scope_args": scope_args}


def register(app: Flask) -> None:
    """Called by the app factory (after the coordinators' area, which sets up login)."""
    if not hasattr(app, "login_manager"):
        auth.register(app)
    app.register_blueprint(bp)
