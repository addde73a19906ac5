"""Compilation: the county's lägesbild written and delivered, the national synthesis (#11).

A county coordinator writes and delivers their own county's compilation (another county is a
403); administrators may write any county's (support). The national coordinator reads every
county's, sends a delivery back with a reason and writes the national synthesis. Every page is
a plain form: it works without JavaScript and by keyboard; a save that lost a race is shown
as a conflict with both texts, never lost.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Flask, abort, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from reports.written import blocks
from survey import store
from survey.services import compilation
from survey.web import auth
from survey.web.auth import roles_required
from survey.web.compile.text import action_text, xt
from survey.web.db import get_db
from survey.web.i18n import language

bp = Blueprint("compile", __name__, url_prefix="/samordna/sammanstall")
SEE_ALL = (store.NATIONAL_COORDINATOR, store.ADMIN)
SAVED_MESSAGES = ("saved", "choice_saved", "source_added", "source_removed", "delivered",
                  "sent_back", "settings_saved")
ERRORS = {"delivered": 409, "not_delivered": 409, "unknown_source": 404}


class AssessmentForm(FlaskForm):
    area = StringField("area", validators=[Optional(), Length(max=60)])
    text = TextAreaField("text", validators=[Length(max=store.compilation.MAX_TEXT)])
    revision = IntegerField("revision", validators=[InputRequired()])


class ChoiceForm(FlaskForm):
    key = StringField("key", validators=[DataRequired(), Length(max=300)])
    choice = StringField("choice", validators=[DataRequired()])
    reason = StringField("reason", validators=[Optional(), Length(max=500)])


class SourceForm(FlaskForm):
    date = DateField("date", validators=[DataRequired()])
    actor = StringField("actor", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("kind", choices=list(store.SOURCE_KINDS), validators=[DataRequired()])
    summary = TextAreaField("summary", validators=[DataRequired(), Length(max=5000)])


class ReasonForm(FlaskForm):
    reason = TextAreaField("reason", validators=[DataRequired(), Length(max=2000)])


class SettingsForm(FlaskForm):
    reference_number = StringField("reference_number", validators=[Length(max=100)])
    addressee = StringField("addressee", validators=[Length(max=300)])
    partners = TextAreaField("partners", validators=[Length(max=2000)])
    county_deadline = DateField("county_deadline", validators=[Optional()])
    report_due = DateField("report_due", validators=[Optional()])


# ---------------------------------------------------------------- helpers


def _round_or_404(round_id: str) -> dict:
    round_row = store.get_round(get_db(), round_id)
    if round_row is None:
        abort(404)
    return round_row


def _county(county_code: str, write: bool = False) -> dict:
    """The county in the URL: unknown is a 404, another county's a 403; writing is for the
    county's own coordinator and administrators."""
    county = store.county(get_db(), county_code)
    if county is None:
        abort(404)
    user = auth.current()
    if not user.may_see_county(county_code):
        abort(403)
    if write and not (user.is_admin or user.county_code == county_code):
        abort(403)
    return county


def _areas(round_row: dict) -> list[tuple[str, str]]:
    """(area id, label in the page's language) from the questionnaire's risk_level rows."""
    questionnaire = store.round_questionnaire(get_db(), round_row)
    if not questionnaire.has("risk_level"):
        return []
    lang = language()
    return [(row.name, row.label.get(lang) or row.label.get("sv"))
            for row in questionnaire.question("risk_level").rows]


def _area_or_none(round_row: dict, value: str | None) -> str | None:
    if not value:
        return None
    if value not in dict(_areas(round_row)):
        abort(400)
    return value


def _saved() -> str | None:
    key = request.args.get("klart")
    return key if key in SAVED_MESSAGES else None


def _refused(error: store.StoreError):
    return render_template("compile/refused.html", error=error), ERRORS.get(error.code, 409)


def _county_page(round_row: dict, county: dict, status: int = 200, **extra):
    database = get_db()
    round_id, code = round_row["id"], county["code"]
    user = auth.current()
    return render_template(
        "compile/county.html", round=round_row, county=county, areas=_areas(round_row),
        texts=store.assessments(database, round_id, code),
        delivery=store.delivery(database, round_id, code),
        delivered=store.is_delivered(database, round_id, code),
        may_write=user.is_admin or user.county_code == code,
        may_send_back=user.sees_all, saved=_saved(), **extra), status


# ---------------------------------------------------------------- index


@bp.route("/")
@login_required
def index():
    user = auth.current()
    database = get_db()
    county = None if user.sees_all else store.county(database, user.county_code)
    return render_template("compile/index.html", rounds=store.rounds(database), county=county)


# ---------------------------------------------------------------- the county's compilation


@bp.route("/<round_id>/lan/<county_code>/")
@login_required
def county(round_id: str, county_code: str):
    return _county_page(_round_or_404(round_id), _county(county_code))


@bp.route("/<round_id>/lan/<county_code>/bedomning", methods=["POST"])
@login_required
def save_county(round_id: str, county_code: str):
    round_row = _round_or_404(round_id)
    county_row = _county(county_code, write=True)
    form = AssessmentForm()
    if not form.validate_on_submit():
        abort(400)
    area = _area_or_none(round_row, form.area.data)
    try:
        result = store.save_assessment(get_db(), round_id, county_code, area, form.text.data,
                                       form.revision.data, auth.current().actor)
    except store.StoreError as error:
        return _refused(error)
    if result.conflict:
        return _county_page(round_row, county_row, 409, conflict=result.conflict,
                            conflict_area=area)
    return redirect(url_for(".county", round_id=round_id, county_code=county_code,
                            klart="saved", _anchor=f"a-{area or 'overall'}"))


# ---------------------------------------------------------------- quotes and good examples


def _quotes_page(round_row: dict, county_row: dict, status: int = 200, **extra):
    database = get_db()
    found = compilation.candidates(database, round_row, county_row["code"])
    # Areas hold the coded quotes and reasons; good examples and collaboration (whole
    # answers outside the areas) are a group each.
    groups = [(label, [c for c in found if (c.area or c.kind) == group])
              for group, label in [*_areas(round_row),
                                   (compilation.GOOD_EXAMPLE, xt("good_examples")),
                                   (compilation.COLLABORATION, xt("collaboration"))]]
    return render_template(
        "compile/quotes.html", round=round_row, county=county_row,
        groups=[(label, items) for label, items in groups if items], saved=_saved(),
        delivered=store.is_delivered(database, round_row["id"], county_row["code"]),
        may_write=auth.current().is_admin or auth.current().county_code == county_row["code"],
        **extra), status


@bp.route("/<round_id>/lan/<county_code>/citat")
@login_required
def quotes(round_id: str, county_code: str):
    return _quotes_page(_round_or_404(round_id), _county(county_code))


@bp.route("/<round_id>/lan/<county_code>/citat", methods=["POST"])
@login_required
def choose(round_id: str, county_code: str):
    round_row = _round_or_404(round_id)
    county_row = _county(county_code, write=True)
    form = ChoiceForm()
    if not form.validate_on_submit() or form.choice.data not in ("include", "exclude"):
        abort(400)
    found = compilation.find(compilation.candidates(get_db(), round_row, county_code),
                             form.key.data)
    if found is None:
        abort(404)
    included = form.choice.data == "include"
    try:
        store.choose_quote(get_db(), round_id, county_code, found.response_id, found.question,
                           found.start, found.end, included, auth.current().actor,
                           area=found.area, theme=found.theme, code_id=found.code_id,
                           quote=found.text, reason=form.reason.data)
    except store.StoreError as error:
        if error.code == "reason_required":
            return _quotes_page(round_row, county_row, 422, error_key=found.key)
        return _refused(error)
    return redirect(url_for(".quotes", round_id=round_id, county_code=county_code,
                            klart="choice_saved", _anchor=f"c-{found.key}"))


# ---------------------------------------------------------------- other sources


@bp.route("/<round_id>/lan/<county_code>/kallor", methods=["GET", "POST"])
@login_required
def sources(round_id: str, county_code: str):
    round_row = _round_or_404(round_id)
    county_row = _county(county_code, write=request.method == "POST")
    database = get_db()
    form = SourceForm()
    form.kind.choices = [(kind, xt(f"kind_{kind}")) for kind in store.SOURCE_KINDS]
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            store.add_source(database, round_id, county_code, form.date.data.isoformat(),
                             form.actor.data, form.kind.data, form.summary.data,
                             auth.current().actor)
        except store.StoreError as error:
            return _refused(error)
        return redirect(url_for(".sources", round_id=round_id, county_code=county_code,
                                klart="source_added"))
    if request.method == "POST":
        errors = {name: xt("field_required") if name != "date" else xt("bad_date")
                  for name in form.errors if name != "csrf_token"}
    return render_template(
        "compile/sources.html", round=round_row, county=county_row, form=form,
        errors=errors, sources=store.sources(database, round_id, county_code),
        delivered=store.is_delivered(database, round_id, county_code), saved=_saved(),
        may_write=auth.current().is_admin or auth.current().county_code == county_code,
    ), 422 if errors else 200


@bp.route("/<round_id>/lan/<county_code>/kallor/<id:source_id>/ta-bort", methods=["POST"])
@login_required
def remove_source(round_id: str, county_code: str, source_id: int):
    _round_or_404(round_id)
    _county(county_code, write=True)
    try:
        store.remove_source(get_db(), source_id, county_code, auth.current().actor)
    except store.StoreError as error:
        return _refused(error)
    return redirect(url_for(".sources", round_id=round_id, county_code=county_code,
                            klart="source_removed"))


# ---------------------------------------------------------------- delivery


@bp.route("/<round_id>/lan/<county_code>/leverera", methods=["GET", "POST"])
@login_required
def deliver(round_id: str, county_code: str):
    round_row = _round_or_404(round_id)
    county_row = _county(county_code, write=True)
    database = get_db()
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        try:
            store.deliver(database, round_id, county_code, auth.current().actor)
        except store.StoreError as error:
            return _refused(error)
        return redirect(url_for(".county", round_id=round_id, county_code=county_code,
                                klart="delivered"))
    choices = store.quote_choices(database, round_id, county_code)
    return render_template(
        "compile/deliver.html", round=round_row, county=county_row, areas=_areas(round_row),
        texts=store.assessments(database, round_id, county_code),
        included=sum(c["included"] for c in choices),
        excluded=sum(not c["included"] for c in choices),
        sources=store.sources(database, round_id, county_code),
        delivered=store.is_delivered(database, round_id, county_code))


@bp.route("/<round_id>/lan/<county_code>/skicka-tillbaka", methods=["POST"])
@roles_required(*SEE_ALL)
def send_back(round_id: str, county_code: str):
    round_row = _round_or_404(round_id)
    county_row = _county(county_code)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _county_page(round_row, county_row, 422, reason_error=xt("reason_needed"))
    try:
        store.send_back(get_db(), round_id, county_code, form.reason.data,
                        auth.current().actor)
    except store.StoreError as error:
        return _refused(error)
    return redirect(url_for(".county", round_id=round_id, county_code=county_code,
                            klart="sent_back"))


# ---------------------------------------------------------------- national


def _national_page(round_row: dict, template: str, status: int = 200, **extra):
    database = get_db()
    rows = store.deliveries(database, round_row["id"])
    return render_template(
        template, round=round_row, deliveries=rows, areas=_areas(round_row),
        texts=store.assessments(database, round_row["id"], None), saved=_saved(),
        timing={t: sum(r["timing"] == t for r in rows)
                for t in (store.ON_TIME, store.LATE, store.NOT_DELIVERED)},
        **extra), status


@bp.route("/<round_id>/nationell/")
@roles_required(*SEE_ALL)
def national(round_id: str):
    return _national_page(_round_or_404(round_id), "compile/national.html")


@bp.route("/<round_id>/nationell/omrade/<area>")
@roles_required(*SEE_ALL)
def national_area(round_id: str, area: str):
    round_row = _round_or_404(round_id)
    if area not in dict(_areas(round_row)):
        abort(404)
    return _national_area_page(round_row, area)


def _national_area_page(round_row: dict, area: str | None, status: int = 200, **extra):
    county_texts = store.all_county_assessments(get_db(), round_row["id"])
    return _national_page(round_row, "compile/national_area.html", status, area=area,
                          area_label=dict(_areas(round_row)).get(area), county_texts=county_texts,
                          **extra)


@bp.route("/<round_id>/nationell/bedomning", methods=["POST"])
@roles_required(*SEE_ALL)
def save_national(round_id: str):
    round_row = _round_or_404(round_id)
    form = AssessmentForm()
    if not form.validate_on_submit():
        abort(400)
    area = _area_or_none(round_row, form.area.data)
    result = store.save_assessment(get_db(), round_id, None, area, form.text.data,
                                   form.revision.data, auth.current().actor)
    if result.conflict:
        if area is None:
            return _national_page(round_row, "compile/national.html", 409,
                                  conflict=result.conflict, conflict_area=None)
        return _national_area_page(round_row, area, 409, conflict=result.conflict,
                                   conflict_area=area)
    if area is None:
        return redirect(url_for(".national", round_id=round_id, klart="saved",
                                _anchor="a-overall"))
    return redirect(url_for(".national_area", round_id=round_id, area=area, klart="saved",
                            _anchor="a-national"))


@bp.route("/<round_id>/nationell/installningar", methods=["GET", "POST"])
@roles_required(*SEE_ALL)
def settings(round_id: str):
    round_row = _round_or_404(round_id)
    form = SettingsForm(data=None if request.method == "POST" else _settings_data(round_row))
    if form.validate_on_submit():
        store.set_round_report_settings(
            get_db(), round_id, actor=auth.current().actor,
            reference_number=form.reference_number.data.strip() or None,
            addressee=form.addressee.data.strip() or None,
            partners=form.partners.data.strip() or None,
            county_deadline=_iso(form.county_deadline.data),
            report_due=_iso(form.report_due.data))
        return redirect(url_for(".national", round_id=round_id, klart="settings_saved"))
    errors = {name: xt("bad_date") for name in form.errors if name != "csrf_token"}
    return render_template("compile/settings.html", round=round_row, form=form,
                           errors=errors), 422 if errors else 200


def _settings_data(round_row: dict) -> dict:
    data = {name: round_row.get(name) or "" for name in
            ("reference_number", "addressee", "partners")}
    for name in ("county_deadline", "report_due"):
        data[name] = date.fromisoformat(round_row[name]) if round_row.get(name) else None
    return data


def _iso(value) -> str | None:
    return value.isoformat() if value else None


# ---------------------------------------------------------------- wiring


@bp.app_context_processor
def compile_helpers() -> dict:
    return {"xt": xt, "written_blocks": blocks}


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    describers = app.extensions.setdefault("lagesbild_action_texts", [])
    if action_text not in describers:
        describers.append(action_text)
