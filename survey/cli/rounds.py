"""Commands for coordinators: `round`, `invite`, `user`, `export`, `remind`.

`survey.cli` adds these to `lagesbild`. Names, options and the `invite` CSV columns are a
contract other tools rely on. Each command builds the app (for its settings: database,
BASE_URL, SMTP) and records what it changed in the audit log as "kommandorad (<user>)".
"""

from __future__ import annotations

import getpass
import sys
from datetime import date
from pathlib import Path

import click

from survey import create_app, store
from survey.services import code_exports, mail, passwords
from survey.services import export as exporter


def _app():

    return create_app()


def _db(app):
    return store.connect(app.config["DB"])


def _actor() -> str:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "?"
    return f"kommandorad ({who})"


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _check_county(db, county_code: str | None) -> None:
    if county_code and store.county(db, county_code) is None:
        _fail(f"unknown county '{county_code}'")


def _check_round(db, round_id: str) -> dict:
    round_row = store.get_round(db, round_id)
    if round_row is None:
        _fail(f"unknown round '{round_id}'")
    return round_row


def _iso_date(_ctx, _param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD") from None


# ---------------------------------------------------------------- round


@click.group("round")
def round() -> None:
    """Survey rounds: create, list, reopen a response."""


@round.command("create")
@click.option("--id", "round_id", required=True, help="Slug such as 2020-09.")
@click.option("--title", required=True)
@click.option("--questionnaire", required=True,
              help="Questionnaire id; the round pins its latest stored version.")
@click.option("--opens", required=True, callback=_iso_date, help="YYYY-MM-DD")
@click.option("--closes", required=True, callback=_iso_date, help="YYYY-MM-DD")
@click.option("--follows", default=None, help="The round this one follows up.")
def round_create(round_id: str, title: str, questionnaire: str, opens: str, closes: str,
                 follows: str | None) -> None:
    """Create a round pinned to the latest stored version of a questionnaire."""

    app = _app()
    db = _db(app)
    pinned = store.newest_questionnaire(db, questionnaire)
    if pinned is None:
        _fail(f"no stored questionnaire '{questionnaire}' (run `lagesbild init` first)")
    try:
        store.create_round(db, round_id, title, pinned.hash, opens, closes, follows,
                              _actor())
    except store.RoundError as error:
        _fail(str(error))
    click.echo(f"created round {round_id}: {questionnaire} version {pinned.version} "
               f"({pinned.hash[:12]}), {opens} – {closes}"
               + (f", follows {follows}" if follows else ""))


@round.command("list")
def round_list() -> None:
    """Rounds with their dates, pinned version and how many have submitted."""

    db = _db(_app())
    for summary in store.round_summaries(db):
        pinned = store.round_questionnaire(db, summary)
        state = "open" if store.round_is_open(summary) else "closed"
        click.echo(
            f"{summary['id']}\t{summary['title']}\t{pinned.id} {pinned.version}\t"
            f"{summary['opens_on']} – {summary['closes_on']} ({state})\t"
            f"follows {summary['follows'] or '-'}\t"
            f"{summary['counts']['submitted']}/{summary['invited']} submitted")


@round.command("reopen")
@click.option("--round", "round_id", required=True)
@click.option("--municipality", "code", required=True, help="Municipality code, e.g. 1380.")
@click.option("--reason", default="", help="Shown in the audit log.")
def round_reopen(round_id: str, code: str, reason: str) -> None:
    """Make a submitted (or closed) response editable again."""
    db = _db(_app())
    try:
        response = store.reopen(db, round_id, code, _actor(), reason)
    except store.ReopenError as error:
        _fail(str(error))
    click.echo(f"reopened {code} in {round_id} (status {response['status']})")


# ---------------------------------------------------------------- invite


@click.command("invite")
@click.option("--round", "round_id", required=True)
@click.option("--county", "county_code", default=None, help="Only this county (e.g. 13).")
@click.option("--only-new", is_flag=True,
              help="Skip municipalities that already have a working link (they keep it).")
def invite(round_id: str, county_code: str | None, only_new: bool) -> None:
    """Print CSV municipality_code,municipality_name,url with a new secret link each.

    Only the links' hashes are stored, so this is the one time they can be read; a new link
    replaces the municipality's earlier one unless --only-new.
    """

    app = _app()
    db = _db(app)
    _check_round(db, round_id)
    _check_county(db, county_code)
    issued = store.issue_links(db, round_id, store.municipalities(db, county_code),
                                  _actor(), only_new=only_new)
    click.echo(exporter.invitation_csv(issued, app.config["BASE_URL"]), nl=False)
    click.echo(f"{len(issued)} link(s) issued for round {round_id}", err=True)


# ---------------------------------------------------------------- user


@click.group("user")
def user() -> None:
    """Coordinator accounts."""


@user.command("add")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(store.ROLES))
@click.option("--county", "county_code", default=None,
              help="County code (required for county_coordinator).")
@click.option("--password", default=None,
              help="For scripts; prompted (hidden, twice) when left out.")
def user_add(email: str, name: str, role: str, county_code: str | None,
             password: str | None) -> None:
    """Add an account; the password is hashed with argon2id."""

    app = _app()
    db = _db(app)
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    weak = passwords.check_password_strength(password)
    if weak:
        _fail(weak)
    try:
        row = store.create_user(db, email, name, role, county_code,
                                   passwords.hash_password(password, app.config), _actor())
    except ValueError as error:
        _fail(str(error))
    click.echo(f"added {row['email']} ({row['role']}"
               + (f", county {row['county_code']}" if row["county_code"] else "") + ")")


@user.command("list")
def user_list() -> None:
    for row in store.users(_db(_app())):
        state = "active" if row["active"] else "deactivated"
        click.echo(f"{row['email']}\t{row['name']}\t{row['role']}\t"
                   f"{row['county_code'] or '-'}\t{state}")


@user.command("deactivate")
@click.option("--email", required=True)
def user_deactivate(email: str) -> None:
    """End an account's access (and every session it has open)."""
    db = _db(_app())
    row = store.user_by_email(db, email)
    if row is None:
        _fail(f"no account {email}")
    store.set_active(db, row["id"], False, _actor())
    click.echo(f"deactivated {row['email']}")


# ---------------------------------------------------------------- export


@click.command("export")
@click.option("--round", "round_id", required=True)
@click.option("--format", "fmt", required=True,
              type=click.Choice(("csv", "xlsx", "json", "qdpx", "codes-csv")),
              help="csv/xlsx/json: answers; qdpx: REFI-QDA project of the coded free text; "
              "codes-csv: one row per code.")
@click.option("--county", "county_code", default=None)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write ('-' for standard output, csv and json only).")
@click.option("--with-personal-data", is_flag=True,
              help="Keep passages with personal data (masked by default); audited.")
@click.option("--excel", is_flag=True,
              help="csv only: for Swedish Excel (semicolons, UTF-8 with BOM, Swedish column "
              "labels, local times).")
def export(round_id: str, fmt: str, county_code: str | None, output: str,
           with_personal_data: bool, excel: bool) -> None:
    """One row per municipality, one column per question part, codes and Swedish labels."""

    db = _db(_app())
    _check_round(db, round_id)
    _check_county(db, county_code)
    if excel and fmt != "csv":
        _fail("--excel goes with --format csv")
    if fmt in ("qdpx", "codes-csv"):

        if output == "-" and fmt == "qdpx":
            _fail("qdpx cannot go to standard output; use -o FILE")
        if fmt == "qdpx":
            code_exports.export_qdpx(db, round_id, county_code, output, actor=_actor())
            click.echo(f"wrote {output}", err=True)
            return
        target = None if output == "-" else output
        text = code_exports.export_codes_csv(db, round_id, county_code, target, actor=_actor())
        if target is None:
            click.echo(text, nl=False)
        return
    body = exporter.render(db, round_id, fmt, county_code, personal_data=with_personal_data,
                           excel=excel)
    if with_personal_data:
        with store.transaction(db):
            store.record_audit(db, _actor(), "export_with_personal_data", "round", round_id,
                               round_id=round_id, county_code=county_code,
                               after={"format": fmt})
    if output == "-":
        if fmt == "xlsx":
            _fail("xlsx cannot go to standard output; use -o FILE")
        click.echo(body.decode("utf-8"), nl=False)
        return
    Path(output).write_bytes(body)
    click.echo(f"wrote {output} ({len(body)} bytes)", err=True)


# ---------------------------------------------------------------- remind


@click.command("remind")
@click.option("--round", "round_id", required=True)
@click.option("--county", "county_code", default=None)
@click.option("--dry-run", is_flag=True, help="Print every message; send and change nothing.")
@click.option("--signature", default="Länsstyrelsen", show_default=True,
              help="Who the mail is from, under the text.")
def remind(round_id: str, county_code: str | None, dry_run: bool, signature: str) -> None:
    """E-mail municipalities that have not submitted (SMTP settings from the app config)."""

    app = _app()
    db = _db(app)
    _check_round(db, round_id)
    _check_county(db, county_code)
    with app.app_context():
        report = mail.send(app, db, round_id, county_code, _actor(), dry_run=dry_run,
                           signature=signature)
    for reminder in report.sent:
        if dry_run:
            click.echo(f"To: {reminder.email}\nSubject: {reminder.subject}\n\n{reminder.body}"
                       f"\n{'-' * 72}")
    for reminder in report.without_address:
        click.echo(f"no address: {reminder.municipality_code} {reminder.municipality_name}",
                   err=True)
    verb = "would send" if dry_run else "sent"
    click.echo(f"{verb} {len(report.sent)} reminder(s); {len(report.without_address)} "
               "without an address", err=True)
    if report.error:
        _fail(f"mail server: {report.error}")

