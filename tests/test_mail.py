"""Reminders sent through a real SMTP server on loopback (aiosmtpd), read back as they arrived."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner

from survey import store
from survey.cli import cli
from survey.services import mail
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import (
    NEW_ROUND,
    A,
    E,
    cli_env,
    make_app,
    snapshot,
    user_client,
)
from tests.live import free_port

HYLTE_CONTACT = "registrator@hylte.test"


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd API
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.original_content,
                                                      policy=email.policy.default))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        login = (auth_data.login.decode(), auth_data.password.decode())
        self.logins.append(login)
        return AuthResult(success=login == ("lagesbild", "hemligt"), handled=False)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port,
                            authenticator=inbox.authenticate, auth_require_tls=False)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def mail_app(world, smtp):
    _inbox, port = smtp
    app = make_app(world, SMTP_HOST="127.0.0.1", SMTP_PORT=port,
                   MAIL_FROM="lagesbild@lansstyrelsen.test")
    database = store.connect(world.path)
    store.set_contact(database, E, HYLTE_CONTACT, "test")
    database.conn.close()
    return app


def body_of(message) -> str:
    return message.get_content()


def by_recipient(inbox: Inbox) -> dict[str, EmailMessage]:
    return {message["To"]: message for message in inbox.messages}


def test_reminders_arrive_over_smtp(mail_app, world, smtp, accounts_db):
    inbox, _port = smtp
    with mail_app.app_context():
        report = mail.send(mail_app, accounts_db, NEW_ROUND, "13", "Hans Halland",
                           signature="Hans Halland", reply_to="halland@lansstyrelsen.test")
    assert report.error is None and len(report.sent) == 2
    received = by_recipient(inbox)
    assert set(received) == {HYLTE_CONTACT, "anna@kommun1380.test"}  # B has submitted

    hylte = received[HYLTE_CONTACT]
    assert hylte["From"] == "lagesbild@lansstyrelsen.test"
    assert hylte["Reply-To"] == "halland@lansstyrelsen.test"
    assert "Hylte kommun" in hylte["Subject"] and "svara senast" in hylte["Subject"]
    text = body_of(hylte)
    assert "Lägesbild september 2020" in text and "Hans Halland" in text
    link = re.search(r"http://lagesbild\.test/s/(\S+)", text).group(1)
    visitor = mail_app.test_client()
    assert visitor.get(f"/s/{link}").headers["Location"].endswith(f"/svar/{NEW_ROUND}/{E}/")
    assert mail_app.test_client().get(f"/s/{world.token(E)}").status_code == 404  # replaced

    halmstad = body_of(received["anna@kommun1380.test"])
    assert "Ni har redan börjat" in halmstad and "/s/" not in halmstad
    assert mail_app.test_client().get(f"/s/{world.token(A)}").status_code == 302  # kept

    sent = [e for e in store.audit_entries(accounts_db, round_id=NEW_ROUND)
            if e["action"] == "reminder_sent"]
    assert {e["after"]["to"] for e in sent} == set(received)
    dashboard = user_client(mail_app, "coord13").get(f"/samordna/omgang/{NEW_ROUND}/")
    row = re.search(r'<tr id="m-1315".*?</tr>', dashboard.get_data(as_text=True), re.S).group(0)
    assert "kl." in row.split("</td>")[-2]  # the "reminded" column has a time


def test_dry_run_sends_and_changes_nothing(mail_app, world, smtp):
    inbox, port = smtp
    before = snapshot(world.path)
    result = CliRunner().invoke(cli, ["remind", "--round", NEW_ROUND, "--county", "13",
                                      "--dry-run"],
                                env=cli_env(world, LAGESBILD_SMTP_HOST="127.0.0.1",
                                            LAGESBILD_SMTP_PORT=str(port)))
    assert result.exit_code == 0, result.output
    assert f"To: {HYLTE_CONTACT}" in result.stdout
    assert mail.LINK_PLACEHOLDER in result.stdout
    assert "would send 2 reminder(s)" in result.output
    assert inbox.messages == []
    assert snapshot(world.path) == before


def test_cli_sends_with_smtp_login_and_lists_who_cannot_be_reached(mail_app, world, smtp):
    inbox, port = smtp
    env = cli_env(world, LAGESBILD_SMTP_HOST="127.0.0.1", LAGESBILD_SMTP_PORT=str(port),
                  LAGESBILD_SMTP_USER="lagesbild", LAGESBILD_SMTP_PASSWORD="hemligt")
    result = CliRunner().invoke(cli, ["remind", "--round", NEW_ROUND], env=env)
    assert result.exit_code == 0, result.output
    assert inbox.logins == [("lagesbild", "hemligt")]
    assert "sent 3 reminder(s); 1 without an address" in result.output
    assert "no address: 1081 Ronneby kommun" in result.output
    assert len(inbox.messages) == 3
    wrong = cli_env(world, LAGESBILD_SMTP_HOST="127.0.0.1", LAGESBILD_SMTP_PORT=str(port),
                    LAGESBILD_SMTP_USER="lagesbild", LAGESBILD_SMTP_PASSWORD="fel")
    refused = CliRunner().invoke(cli, ["remind", "--round", NEW_ROUND], env=wrong)
    assert refused.exit_code == 1 and "mail server" in refused.output
    assert len(inbox.messages) == 3


def test_web_preview_dry_run_and_send(mail_app, smtp):
    inbox, _port = smtp
    halland = user_client(mail_app, "coord13")
    preview = halland.get(f"/samordna/omgang/{NEW_ROUND}/paminnelser").get_data(as_text=True)
    assert "Förhandsvisning" in preview and "Påminnelse: lägesbild för" in preview
    assert "Hylte kommun" in preview and "Ronneby" not in preview  # own county only
    dry = halland.post(f"/samordna/omgang/{NEW_ROUND}/paminnelser", data={"action": "dry_run"})
    assert "Provkörning: 2 e-brev skulle ha skickats" in dry.get_data(as_text=True)
    assert inbox.messages == []
    sent = halland.post(f"/samordna/omgang/{NEW_ROUND}/paminnelser", data={"action": "send"})
    assert sent.status_code == 200
    assert "Skickade påminnelser: 2." in sent.get_data(as_text=True)
    assert len(inbox.messages) == 2
    assert all(m["Reply-To"] == "halland@lansstyrelsen.test" for m in inbox.messages)
    assert user_client(mail_app, "coord10").post(
        f"/samordna/omgang/{NEW_ROUND}/paminnelser?lan=13",
        data={"action": "send"}).status_code == 403
    assert len(inbox.messages) == 2


def test_a_mail_server_that_is_down_changes_nothing(world):
    app = make_app(world, SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())  # nobody listening
    halland = user_client(app, "coord13")
    before = snapshot(world.path)
    response = halland.post(f"/samordna/omgang/{NEW_ROUND}/paminnelser",
                            data={"action": "send"})
    assert response.status_code == 502
    page = response.get_data(as_text=True)
    assert "Det gick inte att nå e-postservern" in page
    assert "Inga påminnelser skickades och inget har ändrats" in page
    summary = re.search(r'<div class="error-summary"[^>]*id="report">\s*<p>(.*?)</p>', page,
                        re.S).group(1)
    assert "Errno" not in summary and "ConnectionRefusedError" not in summary
    assert app.test_client().get(f"/s/{world.token(E)}").status_code == 302  # old link kept
    assert snapshot(world.path) == before
    reminded = [e for e in store.audit_entries(store.connect(world.path), round_id=NEW_ROUND)
                if e["action"] == "reminder_sent"]
    assert reminded == []


def test_the_coordinator_edits_the_text_and_chooses_the_recipients(mail_app, smtp):
    inbox, _port = smtp
    halland = user_client(mail_app, "coord13")
    page = halland.get(f"/samordna/omgang/{NEW_ROUND}/paminnelser").get_data(as_text=True)
    assert 'name="body"' in page and "[länk eller svarsläge]" in page
    assert 'name="to" value="1315"' in page and 'name="to" value="1380"' in page
    edited = {"choosing": "1", "to": ["1315"], "subject": "Glöm inte [kommun]!",
              "body": "Hej [kommun}!\n\nVi saknar ert svar.\n\n[länk eller svarsläge]\n\n"
                      "{{ 7*7 }} [avsändare]"}
    dry = halland.post(f"/samordna/omgang/{NEW_ROUND}/paminnelser",
                       data={**edited, "action": "dry_run"}).get_data(as_text=True)
    assert "Provkörning: 1 e-brev skulle ha skickats" in dry and "Glöm inte Hylte kommun!" in dry
    assert inbox.messages == []
    sent = halland.post(f"/samordna/omgang/{NEW_ROUND}/paminnelser",
                        data={**edited, "action": "send"})
    assert "Skickade påminnelser: 1." in sent.get_data(as_text=True)
    assert [m["To"] for m in inbox.messages] == [HYLTE_CONTACT]
    hylte = inbox.messages[0]
    assert hylte["Subject"] == "Glöm inte Hylte kommun!"
    text = body_of(hylte)
    assert "Vi saknar ert svar." in text and "/s/" in text
    assert "{{ 7*7 }}" in text and "49" not in text  # the coordinator's text is only text
    nobody = halland.post(f"/samordna/omgang/{NEW_ROUND}/paminnelser",
                          data={**edited, "to": [], "action": "send"})
    assert nobody.status_code == 400 and "Välj minst en mottagare" in nobody.get_data(
        as_text=True)
    assert len(inbox.messages) == 1


def test_without_the_link_placeholder_the_link_is_still_in_the_mail(mail_app, smtp):
    inbox, _port = smtp
    halland = user_client(mail_app, "coord13")
    halland.post(f"/samordna/omgang/{NEW_ROUND}/paminnelser",
                 data={"choosing": "1", "to": ["1315"], "subject": "Påminnelse",
                       "body": "Hej!", "action": "send"})
    assert "/s/" in body_of(inbox.messages[0])


def test_the_default_mail_is_swedish_only_with_swedish_dates_and_quotes(mail_app, accounts_db):
    with mail_app.app_context():
        planned = mail.preview(mail_app, accounts_db, NEW_ROUND, "13")
    started = next(r for r in planned if not r.new_link)
    assert "In English" not in started.body and '"' not in started.body
    assert "”Granska och skicka in”" in started.body
    assert not re.search(r"\d{4}-\d{2}-\d{2}", started.body + started.subject)


def test_mail_to_the_outbox_folder_is_listed_and_shown(world, tmp_path):
    outbox = tmp_path / "utkorg"
    app = make_app(world, SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(),  # nobody listening
                   MAIL_OUTBOX=str(outbox))
    halland = user_client(app, "coord13")
    page = halland.post(f"/samordna/omgang/{NEW_ROUND}/paminnelser", data={"action": "send"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "påminnelser lades i utkorgen" in text
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 2
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert "Påminnelse: lägesbild för" in message["Subject"]
    assert f"/samordna/utkorg/{files[0].name}" in text
    shown = halland.get(f"/samordna/utkorg/{files[0].name}")
    assert shown.status_code == 200 and "Hej!" in shown.get_data(as_text=True)
    assert halland.get("/samordna/utkorg/..%2Fx.eml").status_code == 404
    blekinge = user_client(app, "coord10")
    assert blekinge.get(f"/samordna/utkorg/{files[0].name}").status_code == 404
    assert files[0].name not in blekinge.get(
        f"/samordna/omgang/{NEW_ROUND}/paminnelser").get_data(as_text=True)


def test_one_reminder_to_the_outbox_is_said_in_the_singular(world, tmp_path):
    outbox = tmp_path / "utkorg"
    app = make_app(world, SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(),
                   MAIL_OUTBOX=str(outbox))
    halland = user_client(app, "coord13")
    page = halland.post(f"/samordna/omgang/{NEW_ROUND}/paminnelser",
                        data={"choosing": "1", "to": ["1315"], "subject": "Påminnelse",
                              "body": "Hej!", "action": "send"})
    text = page.get_data(as_text=True)
    assert len(list(outbox.glob("*.eml"))) == 1
    assert "En påminnelse lades i utkorgen" in text
    assert "1 påminnelser" not in text
