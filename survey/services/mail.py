"""Reminder e-mails to municipalities that have not submitted, over SMTP.

Only hashes of invitation links are stored, so a reminder cannot repeat an old link. A
municipality that has not started gets a fresh link (its old one was never used to save
anything); one that has started keeps its link, which colleagues may be using, and the mail
says how far it has come. The text is a Jinja template (templates/mail/); a preview and a dry
run render every message without sending or changing anything.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

import jinja2
import sqlite_utils

from survey import store
from survey.questionnaire import engine

MONTHS_SV = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december"]
LINK_PLACEHOLDER = "[en ny länk skapas när påminnelsen skickas]"


class MailApp(Protocol):
    """What mail needs of the web app: its settings and its templates (a Flask app fits)."""

    config: Mapping[str, Any]
    jinja_env: jinja2.Environment



def swedish_date(value: str) -> str:
    day = date.fromisoformat(value)
    return f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}"


@dataclass
class Reminder:
    """One planned e-mail (or a municipality we cannot reach: ``email`` is None)."""

    round_id: str
    municipality_code: str
    municipality_name: str
    county_code: str
    status: str
    email: str | None
    new_link: bool
    answered: int
    total: int
    last_activity: str | None
    last_by: str | None
    subject: str = ""
    body: str = ""


@dataclass
class SendReport:
    sent: list[Reminder] = field(default_factory=list)
    without_address: list[Reminder] = field(default_factory=list)
    error: str | None = None
    dry_run: bool = False


def plan(db: sqlite_utils.Database, round_id: str, county_code: str | None = None
         ) -> list[Reminder]:
    """Everyone invited who has not submitted, with the address a reminder would go to."""
    round_row = store.get_round(db, round_id)
    if round_row is None:
        raise KeyError(round_id)
    questionnaire = store.round_questionnaire(db, round_row)
    typed = store.answered_emails(
        db, [round_id] + ([round_row["follows"]] if round_row["follows"] else []))
    reminders = []
    for row in store.status_rows(db, round_id, county_code):
        if row["status"] == store.SUBMITTED:
            continue
        contact = store.contact(db, row["code"])
        answers = store.answers(db, row["response_id"]) if row["response_id"] else {}
        answered, total = engine.count_answered(questionnaire, answers)
        reminders.append(Reminder(
            round_id, row["code"], row["name"], row["county_code"], row["status"],
            contact["email"] if contact else typed.get(row["code"]),
            new_link=row["status"] == store.NOT_STARTED, answered=answered, total=total,
            last_activity=row["updated_at"], last_by=row["updated_by"]))
    return reminders


def render(app: MailApp, round_row: dict, reminder: Reminder, url: str | None,
           signature: str) -> Reminder:
    """Fill in subject and body from the templates (Swedish first, then English)."""
    values: dict[str, Any] = {
        "reminder": reminder, "round": round_row, "url": url or LINK_PLACEHOLDER,
        "closes_on": swedish_date(round_row["closes_on"]),
        "closes_on_iso": round_row["closes_on"], "signature": signature,
        "last_activity": (reminder.last_activity or "")[:10],
    }
    env = app.jinja_env
    reminder.subject = " ".join(
        env.get_template("mail/reminder_subject.txt").render(values).split())
    reminder.body = env.get_template("mail/reminder.txt").render(values).strip() + "\n"
    return reminder


def preview(app: MailApp, db: sqlite_utils.Database, round_id: str,
            county_code: str | None = None, signature: str = "Länsstyrelsen"
            ) -> list[Reminder]:
    """Every message rendered, with a placeholder where a new link will go; sends nothing."""
    round_row = store.get_round(db, round_id)
    return [render(app, round_row, r, None, signature)
            for r in plan(db, round_id, county_code)]


def message(app: MailApp, reminder: Reminder, reply_to: str | None = None) -> EmailMessage:
    config = app.config
    msg = EmailMessage()
    msg["From"] = config["MAIL_FROM"]
    msg["To"] = reminder.email
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Subject"] = reminder.subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    msg.set_content(reminder.body)
    return msg


def _smtp(config: dict) -> smtplib.SMTP:
    connection = smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=30)
    try:
        if config.get("SMTP_STARTTLS"):
            connection.starttls()
        if config.get("SMTP_USER"):
            connection.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
    except BaseException:
        connection.close()
        raise
    return connection


def send(app: MailApp, db: sqlite_utils.Database, round_id: str, county_code: str | None,
         actor: str, dry_run: bool = False, signature: str = "Länsstyrelsen",
         reply_to: str | None = None) -> SendReport:
    """Send (or with ``dry_run`` only render) the reminders of a round.

    A fresh link is stored only after its mail was accepted by the server, so a failed send
    leaves the old link working. Each sent mail is an audit row.
    """
    round_row = store.get_round(db, round_id)
    report = SendReport(dry_run=dry_run)
    reminders = plan(db, round_id, county_code)
    report.without_address = [r for r in reminders if not r.email]
    reachable = [r for r in reminders if r.email]
    if dry_run or not reachable:
        report.sent = [render(app, round_row, r, None, signature) for r in reachable]
        return report
    base_url = app.config["BASE_URL"].rstrip("/")
    try:
        with _smtp(app.config) as connection:
            for reminder in reachable:
                token, token_hash = store.new_token() if reminder.new_link else (None, None)
                url = f"{base_url}/s/{token}" if token else None
                render(app, round_row, reminder, url, signature)
                connection.send_message(message(app, reminder, reply_to))
                if token_hash:
                    store.issue_invitation(db, round_id, reminder.municipality_code,
                                              token_hash, actor)
                store.record_reminder(db, round_id, reminder.municipality_code,
                                         reminder.email, actor, reminder.new_link)
                report.sent.append(reminder)
    except (smtplib.SMTPException, OSError) as error:
        report.error = f"{type(error).__name__}: {error}"
    return report
