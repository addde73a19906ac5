"""Reminder e-mails to municipalities that have not submitted, over SMTP (or, with the
MAIL_OUTBOX setting, as .eml files in a folder: the demo has no mail server).

Only hashes of invitation links are stored, so a reminder cannot repeat an old link. A
municipality that has not started gets a fresh link (its old one was never used to save
anything); one that has started keeps its link, which colleagues may be using, and the mail
says how far it has come. The text is plain text with placeholders in square brackets
(templates/mail/reminder.txt), which the coordinator may edit before sending; the part that
differs between municipalities is a Jinja template (mail/reminder_status.txt). A preview and a
dry run render every message without sending or changing anything.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import re
import smtplib
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import jinja2
import sqlite_utils

from survey import store
from survey.questionnaire import engine

MONTHS_SV = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december"]
LINK_PLACEHOLDER = "[en ny länk skapas när påminnelsen skickas]"
STATUS_PLACEHOLDER = "[länk eller svarsläge]"
PLACEHOLDERS = ("[kommun]", "[omgång]", "[sista dag]", STATUS_PLACEHOLDER, "[avsändare]")
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))
MAX_SUBJECT, MAX_BODY = 200, 5000
LOCAL_TIME = ZoneInfo("Europe/Stockholm")


class MailApp(Protocol):
    """What mail needs of the web app: its settings and its templates (a Flask app fits)."""

    config: Mapping[str, Any]
    jinja_env: jinja2.Environment



def swedish_date(value: str) -> str:
    day = date.fromisoformat(value)
    return f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Text:
    """What every reminder says: subject and body with PLACEHOLDERS (never run as a template,
    so a coordinator's edits are only text)."""

    subject: str
    body: str


def default_text(app: MailApp) -> Text:
    env = app.jinja_env
    return Text(" ".join(env.get_template("mail/reminder_subject.txt").render().split()),
                env.get_template("mail/reminder.txt").render().strip() + "\n")


def fill(text: str, values: Mapping[str, str]) -> str:
    """The placeholders replaced in one pass (so a value is never read as a placeholder)."""
    return _PLACEHOLDER.sub(lambda match: values[match.group(0)], text)


def _local_date(timestamp: str | None) -> str:
    if not timestamp:
        return ""
    moment = datetime.fromisoformat(timestamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_TIME)
    return swedish_date(moment.date().isoformat())


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
    error: str | None = None  # technical, for the log and the CLI
    error_kind: str | None = None  # unreachable, login, failed (part sent), outbox
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
           signature: str, text: Text | None = None) -> Reminder:
    """Fill in subject and body: ``text`` (default: the templates) with this municipality's
    values. A body without [länk eller svarsläge] gets that part at its end, so a new link is
    never stored without being sent."""
    text = text or default_text(app)
    status = app.jinja_env.get_template("mail/reminder_status.txt").render(
        reminder=reminder, url=url or LINK_PLACEHOLDER,
        last_activity=_local_date(reminder.last_activity)).strip()
    values = {"[kommun]": reminder.municipality_name, "[omgång]": round_row["title"],
              "[sista dag]": swedish_date(round_row["closes_on"]), STATUS_PLACEHOLDER: status,
              "[avsändare]": signature}
    body = text.body.replace("\r\n", "\n").strip()
    if STATUS_PLACEHOLDER not in body:
        body += "\n\n" + STATUS_PLACEHOLDER
    reminder.subject = " ".join(fill(text.subject, values).split())
    reminder.body = fill(body, values) + "\n"
    return reminder


def preview(app: MailApp, db: sqlite_utils.Database, round_id: str,
            county_code: str | None = None, signature: str = "Länsstyrelsen",
            text: Text | None = None) -> list[Reminder]:
    """Every message rendered, with a placeholder where a new link will go; sends nothing."""
    round_row = store.get_round(db, round_id)
    return [render(app, round_row, r, None, signature, text)
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


Deliver = Callable[[EmailMessage, Reminder], None]


@contextlib.contextmanager
def _transport(config: Mapping[str, Any]) -> Iterator[Deliver]:
    """Where mail goes: the MAIL_OUTBOX folder when set, else the SMTP server."""
    if config.get("MAIL_OUTBOX"):
        folder = Path(config["MAIL_OUTBOX"])
        folder.mkdir(parents=True, exist_ok=True)

        def to_file(msg: EmailMessage, reminder: Reminder) -> None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            name = re.sub(r"[^\w-]", "_", f"{stamp}-{reminder.round_id}")
            path = folder / f"{name}-{reminder.municipality_code}-{uuid.uuid4().hex[:6]}.eml"
            path.write_bytes(msg.as_bytes(policy=email.policy.SMTP))

        yield to_file
        return
    with _smtp(config) as connection:
        yield lambda msg, _reminder: connection.send_message(msg)


@dataclass(frozen=True)
class OutboxMail:
    name: str
    municipality_code: str
    to: str
    subject: str
    date: str


def outbox(config: Mapping[str, Any], codes: set[str] | None = None, limit: int = 50
           ) -> list[OutboxMail]:
    """The newest mails in MAIL_OUTBOX (only those to ``codes``' municipalities, if given)."""
    folder = config.get("MAIL_OUTBOX")
    if not folder or not Path(folder).is_dir():
        return []
    found = []
    for path in sorted(Path(folder).glob("*.eml"), reverse=True):
        code = path.stem.split("-")[-2] if path.stem.count("-") >= 2 else ""
        if codes is not None and code not in codes:
            continue
        headers = read_outbox_file(path)
        found.append(OutboxMail(path.name, code, str(headers["To"] or ""),
                                str(headers["Subject"] or ""), str(headers["Date"] or "")))
        if len(found) >= limit:
            break
    return found


def outbox_file(config: Mapping[str, Any], name: str) -> Path | None:
    """One file of the outbox by its bare name (nothing outside the folder)."""
    folder = config.get("MAIL_OUTBOX")
    if not folder or not re.fullmatch(r"[\w-]+\.eml", name):
        return None
    path = Path(folder) / name
    return path if path.is_file() else None


def read_outbox_file(path: Path) -> EmailMessage:
    with path.open("rb") as f:
        return email.message_from_binary_file(f, policy=email.policy.default)


def send(app: MailApp, db: sqlite_utils.Database, round_id: str, county_code: str | None,
         actor: str, dry_run: bool = False, signature: str = "Länsstyrelsen",
         reply_to: str | None = None, text: Text | None = None,
         only: set[str] | None = None) -> SendReport:
    """Send (or with ``dry_run`` only render) the reminders of a round: ``text`` (default:
    the templates), to the municipalities in ``only`` (default: everyone reachable).

    A fresh link is stored only after its mail was accepted by the server, so a failed send
    leaves the old link working. Each sent mail is an audit row.
    """
    round_row = store.get_round(db, round_id)
    report = SendReport(dry_run=dry_run)
    reminders = plan(db, round_id, county_code)
    report.without_address = [r for r in reminders if not r.email]
    reachable = [r for r in reminders if r.email
                 and (only is None or r.municipality_code in only)]
    if dry_run or not reachable:
        report.sent = [render(app, round_row, r, None, signature, text) for r in reachable]
        return report
    base_url = app.config["BASE_URL"].rstrip("/")
    try:
        with _transport(app.config) as deliver:
            for reminder in reachable:
                token, token_hash = store.new_token() if reminder.new_link else (None, None)
                url = f"{base_url}/s/{token}" if token else None
                render(app, round_row, reminder, url, signature, text)
                deliver(message(app, reminder, reply_to), reminder)
                if token_hash:
                    store.issue_invitation(db, round_id, reminder.municipality_code,
                                              token_hash, actor)
                store.record_reminder(db, round_id, reminder.municipality_code,
                                         reminder.email, actor, reminder.new_link)
                report.sent.append(reminder)
    except (smtplib.SMTPException, OSError) as error:
        report.error = f"{type(error).__name__}: {error}"
        report.error_kind = _error_kind(app.config, error, report)
    return report


def _error_kind(config: Mapping[str, Any], error: BaseException, report: SendReport) -> str:
    if config.get("MAIL_OUTBOX"):
        return "outbox"
    if report.sent:
        return "failed"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return "login"
    if isinstance(error, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected) or \
            not isinstance(error, smtplib.SMTPException):  # refused, timed out, unknown host
        return "unreachable"
    return "failed"


@dataclass
class ReceiptCopy:
    """A respondent's copy of their receipt, to the address they typed; shaped like a
    Reminder where ``message`` and the outbox read it (round, municipality, address, text)."""

    round_id: str
    municipality_code: str
    email: str
    subject: str
    body: str


def send_receipt(app: MailApp, copy: ReceiptCopy) -> str | None:
    """Deliver one receipt copy (SMTP, or the MAIL_OUTBOX folder); None when delivered,
    else the kind of failure as for reminders (unreachable, login, failed, outbox)."""
    try:
        with _transport(app.config) as deliver:
            deliver(message(app, copy), copy)  # type: ignore[arg-type]
    except (smtplib.SMTPException, OSError) as error:
        return _error_kind(app.config, error, SendReport())
    return None
