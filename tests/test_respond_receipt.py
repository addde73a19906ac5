"""What a respondent reads (#13): scale steps, the error summary, answers of several parts, the
start page's name, the review page's two submit buttons, and the receipt with its reference
number and its copy by e-mail (to a real aiosmtpd server and to the demo's outbox)."""

from __future__ import annotations

import csv
import dataclasses
import email
import email.policy
import io
import re
from html import unescape

import pytest
from werkzeug.datastructures import MultiDict

from survey import store
from survey.questionnaire import display, loader, types
from survey.questionnaire.model import Option
from survey.questionnaire.text import Text
from survey.services import export
from survey.services.references import receipt_reference
from tests.conftest import FIXTURES, HALMSTAD, LAHOLM, csrf_token
from tests.formdata import page_post
from tests.live import free_port
from tests.test_mail import smtp  # noqa: F401 - the aiosmtpd fixture
from tests.test_respond import BASE, ROUND, complete_answers

ACTORS = ["region", "civil_society"]  # both labels contain a comma


@pytest.fixture
def questionnaire(db):
    return store.round_questionnaire(db, store.get_round(db, ROUND))


@pytest.fixture
def halmstad(client, links):
    client.get(links.url(ROUND, HALMSTAD))
    return client


def item_lists(html: str) -> list[list[str]]:
    """Each answer shown as a list on the page, as its items' texts."""
    return [[unescape(item) for item in re.findall(r"<li>([^<]*)</li>", block)]
            for block in re.findall(r'<ul class="answer-items">(.*?)</ul>', html, re.S)]


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def fill_in(client, questionnaire, answers) -> None:
    for page in questionnaire.pages:
        response = client.post(f"{BASE}/sida/{page.name}", data=page_post(page, answers))
        assert response.status_code == 302, text_of(response.get_data(as_text=True))[:800]


def submit(client, questionnaire, name: str | None = None, **changes) -> dict:
    answers = {**complete_answers(questionnaire), **changes}
    if name is not None:  # typed on the start page, so "Ditt namn" holds it already
        client.post(f"{BASE}/", data={"actor_name": name})
        answers["respondent_name"] = name
    fill_in(client, questionnaire, answers)
    assert client.post(f"{BASE}/granska").headers["Location"].endswith("/kvitto")
    return answers


# ---------------------------------------------------------------- questionnaire pages

def test_scale_steps_say_their_number_once(halmstad):
    html = halmstad.get(f"{BASE}/sida/assessment").get_data(as_text=True)
    labels = re.findall(r'<label for="f-overall_concern-\d">([^<]*)</label>', html)
    assert labels[0] == "1 Mycket liten oro" and labels[4] == "5 Mycket stor oro"
    assert not any(re.match(r"(\d) – \1", label) for label in labels)


def test_a_scale_label_without_its_number_gets_it_once():
    mood = loader.load(FIXTURES / "all-types.yaml").question("mood")
    assert display.option_text(mood, "1") == "1 Dåligt"  # the label says it already
    assert display.option_text(mood, "2") == "2"  # the label is only the number
    relabelled = dataclasses.replace(mood, options=(Option("4", Text("Ganska bra")),))
    assert display.option_text(relabelled, "4") == "4 – Ganska bra"
    assert display.format_answer(relabelled, 4) == "4 – Ganska bra"


def test_error_summary_names_the_question_as_a_sentence_and_links_to_its_field(halmstad):
    long = ("Vi har samverkat med regionen. " * 140).strip()  # 4 339 characters: too long
    response = halmstad.post(f"{BASE}/sida/collaboration", data=MultiDict([
        ("_present", "collaboration_actors"), ("_present", "collaboration_description"),
        ("collaboration_description", long), ("action", "next")]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    link = re.search(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert link.group(1) == "f-collaboration_description" and 'id="f-collaboration_' \
        'description"' in html
    label = "Beskriv samverkan: vad har ni gjort tillsammans och hur har det fungerat?"
    assert unescape(link.group(2)).startswith(f"{label} Texten är 4\u00a0339 tecken; högst "
                                              "4\u00a0000 tecken")
    assert "?:" not in unescape(summary)
    assert long in unescape(html)  # nothing typed is lost


def test_summary_punctuation_and_field_anchors(questionnaire):
    from survey.web.respond.views import field_anchor, with_message

    assert with_message("Ditt namn", "Frågan måste besvaras.") == \
        "Ditt namn: Frågan måste besvaras."
    assert with_message("Vad har hänt?", "Texten är lång.") == "Vad har hänt? Texten är lång."
    assert with_message("Datum:", "Skriv ett datum.") == "Datum: Skriv ett datum."
    by_name = {q.name: field_anchor(q) for q in questionnaire.questions}
    assert by_name["respondent_name"] == "f-respondent_name"
    assert by_name["risk_level"] == "f-risk_level-violence-1"
    assert by_name["overall_concern"] == "f-overall_concern-1"
    assert by_name["collaboration_actors"] == "f-collaboration_actors-1"


# ---------------------------------------------------------------- answers of several parts

def test_answers_of_several_parts_are_lists_and_exports_keep_their_columns(
        halmstad, questionnaire, db):
    answers = submit(halmstad, questionnaire, collaboration_actors=ACTORS)
    actors = questionnaire.question("collaboration_actors")
    labels = [actors.option_label(v) for v in ACTORS]
    assert all("," in label for label in labels)
    risk = questionnaire.question("risk_level")
    rows = [f"{row.label.sv}: {risk.option_label(answers['risk_level'][row.name])}"
            for row in risk.rows]
    for url in (f"{BASE}/kvitto", f"{BASE}/granska"):
        shown = item_lists(halmstad.get(url).get_data(as_text=True))
        assert labels in shown and rows in shown
    assert display.format_answer(actors, ACTORS) == " · ".join(labels)
    # the export's text form: the same separator; the columns stay one 0/1 per option + label
    keys = [c.key for c in types.of(actors).export_columns(actors)]
    assert keys == [f"collaboration_actors.{o.value}" for o in actors.options] + [
        "collaboration_actors__label"]
    body = export.render(db, ROUND, "csv").decode("utf-8").lstrip("\ufeff")
    row = next(r for r in csv.DictReader(io.StringIO(body)) if r["municipality_code"] == HALMSTAD)
    assert row["collaboration_actors__label"] == " · ".join(labels)
    assert [row[f"collaboration_actors.{o.value}"] for o in actors.options] == [
        "1" if o.value in ACTORS else "0" for o in actors.options]


# ---------------------------------------------------------------- start page and review page

def test_the_name_on_the_start_page_answers_ditt_namn_when_empty(halmstad, db):
    halmstad.post(f"{BASE}/", data={"actor_name": "Anna Andersson"})
    response = store.get_response(db, ROUND, HALMSTAD)
    assert store.answers(db, response["id"])["respondent_name"] == "Anna Andersson"
    page = halmstad.get(f"{BASE}/sida/respondent").get_data(as_text=True)
    assert 'value="Anna Andersson"' in page
    assert 'id="personuppgifter"' not in page  # one's own name is no personal-data warning
    halmstad.post(f"{BASE}/", data={"actor_name": "Bo Berg"})  # a colleague: not overwritten
    assert store.answers(db, response["id"])["respondent_name"] == "Anna Andersson"


def test_no_name_typed_creates_nothing(halmstad, db):
    halmstad.post(f"{BASE}/", data={"actor_name": ""})
    assert store.get_response(db, ROUND, HALMSTAD) is None


def test_review_has_the_same_submit_form_at_top_and_bottom(halmstad, questionnaire, db):
    fill_in(halmstad, questionnaire, complete_answers(questionnaire))
    html = halmstad.get(f"{BASE}/granska").get_data(as_text=True)
    forms = re.findall(r'<form method="post" action="([^"]+)" class="submit-form submit-(\w+)">'
                       r'(.*?)</form>', html, re.S)
    assert [where for _, where, _ in forms] == ["top", "bottom"]
    assert {action for action, _, _ in forms} == {f"{BASE}/granska"}
    assert all("Skicka in lägesbilden" in body and 'name="csrf_token"' in body
               for _, _, body in forms)
    top = html.index("submit-top")
    assert top < html.index('class="answers"') < html.rindex("submit-bottom")


# ---------------------------------------------------------------- the receipt

def test_receipt_says_who_without_nested_parentheses_and_has_a_stable_reference(
        halmstad, questionnaire, db):
    submit(halmstad, questionnaire)
    html = halmstad.get(f"{BASE}/kvitto").get_data(as_text=True)
    text = text_of(html)
    assert "(länk)" not in text and "((" not in text and "))" not in text
    assert "Inskickad av Kommunens länk (inget namn angavs)" in text
    reference = re.search(r'id="reference">([^<]+)<', html).group(1)
    assert re.fullmatch(rf"LB-{ROUND}-{HALMSTAD}-[0-9A-F]{{4}}", reference)
    assert reference in text_of(halmstad.get(f"{BASE}/kvitto").get_data(as_text=True))
    response = store.get_response(db, ROUND, HALMSTAD)
    assert reference == receipt_reference(ROUND, HALMSTAD, response["id"],
                                           response["submitted_at"])
    other = receipt_reference(ROUND, HALMSTAD, response["id"], "2020-09-30T10:00:00+00:00")
    assert other != reference and other.startswith(f"LB-{ROUND}-{HALMSTAD}-")


def test_receipt_names_the_person_who_submitted(halmstad, questionnaire):
    submit(halmstad, questionnaire, name="Anna Andersson")
    text = text_of(halmstad.get(f"{BASE}/kvitto").get_data(as_text=True))
    assert "Inskickad av Anna Andersson" in text and "(Anna Andersson)" not in text


def post_copy(client, address: str):
    page = client.get(f"{BASE}/kvitto").get_data(as_text=True)
    assert 'action="' + f"{BASE}/kvitto/e-post" + '"' in page
    return client.post(f"{BASE}/kvitto/e-post", data={"email": address,
                                                      "csrf_token": csrf_token(page)})


def test_receipt_copy_arrives_over_smtp(app, halmstad, questionnaire, db, smtp):  # noqa: F811
    inbox, port = smtp
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port,
                      MAIL_FROM="lagesbild@lansstyrelsen.test")
    answers = submit(halmstad, questionnaire, name="Anna Andersson",
                     collaboration_actors=ACTORS)
    html = halmstad.get(f"{BASE}/kvitto").get_data(as_text=True)
    reference = re.search(r'id="reference">([^<]+)<', html).group(1)
    assert f'value="{answers["respondent_email"]}"' in html  # the address typed in the form

    sent = post_copy(halmstad, "anna.andersson@halmstad.test")
    assert sent.status_code == 200
    assert "Kvittot har skickats till anna.andersson@halmstad.test." in text_of(
        sent.get_data(as_text=True))
    [message] = inbox.messages
    assert message["To"] == "anna.andersson@halmstad.test"
    assert message["Subject"] == f"Kvitto på inskickad lägesbild, {reference}"
    body = message.get_content().replace("\r\n", "\n")
    assert f"Referensnummer: {reference}" in body and "Inskickad av: Anna Andersson" in body
    actors = questionnaire.question("collaboration_actors")
    assert "\n".join(f"– {actors.option_label(v)}" for v in ACTORS) in body
    assert answers["violence_risks"][:60] in body
    assert "\n\n\n" not in body and "{{" not in body
    audit = [row for row in db.query("SELECT * FROM audit_log WHERE action = ?",
                                     ["receipt_mailed"])]
    assert len(audit) == 1 and "anna.andersson@halmstad.test" in audit[0]["after"]


def test_bad_address_and_unreachable_server_are_told_and_nothing_is_sent(
        app, halmstad, questionnaire, db, smtp):  # noqa: F811
    inbox, port = smtp
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    submit(halmstad, questionnaire)
    bad = post_copy(halmstad, "inte en adress")
    assert bad.status_code == 422
    bad_html = bad.get_data(as_text=True)
    assert "Skriv e-postadressen i formen namn@exempel.se." in text_of(bad_html)
    assert 'value="inte en adress"' in bad_html and 'aria-invalid="true"' in bad_html
    app.config["SMTP_PORT"] = free_port()  # nothing listens there
    down = post_copy(halmstad, "anna@halmstad.test")
    assert down.status_code == 422
    down_text = text_of(down.get_data(as_text=True))
    assert "e-postservern inte svarar" in down_text and "Errno" not in down_text
    assert inbox.messages == []
    assert list(db.query("SELECT * FROM audit_log WHERE action = 'receipt_mailed'")) == []
    assert store.get_response(db, ROUND, HALMSTAD)["status"] == store.SUBMITTED


def test_receipt_copy_goes_to_the_outbox_in_the_demo(app, halmstad, questionnaire, tmp_path):
    outbox = tmp_path / "outbox"
    app.config["MAIL_OUTBOX"] = str(outbox)
    submit(halmstad, questionnaire)
    assert post_copy(halmstad, "kvitto@halmstad.test").status_code == 200
    [path] = outbox.glob("*.eml")
    assert path.name.split("-")[-2] == HALMSTAD
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "kvitto@halmstad.test"
    assert "Kvitto: lägesbilden är inskickad" in message.get_content()


def test_a_draft_has_no_receipt_to_mail(halmstad):
    refused = halmstad.post(f"{BASE}/kvitto/e-post", data={"email": "a@b.se"})
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/granska")


def test_the_receipt_in_english(halmstad, questionnaire):
    submit(halmstad, questionnaire)
    text = text_of(halmstad.get(f"{BASE}/kvitto?lang=en").get_data(as_text=True))
    assert "Reference number LB-2020-09-1380-" in text
    assert "Submitted by The municipality's link (no name given)" in text
    assert "Get the receipt by e-mail" in text and "Kvitto" not in text


def test_only_the_municipalitys_own_link_mails_a_copy(app, halmstad, questionnaire, links,
                                                      db, tmp_path):
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    submit(halmstad, questionnaire)
    stranger = app.test_client()
    assert stranger.post(f"{BASE}/kvitto/e-post", data={"email": "a@b.se"}).status_code == 403
    neighbour = app.test_client()
    neighbour.get(links.url(ROUND, LAHOLM))
    assert neighbour.post(f"{BASE}/kvitto/e-post", data={"email": "a@b.se"}).status_code == 403
    assert not (tmp_path / "outbox").exists()
