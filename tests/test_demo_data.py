"""The demo reads like the real thing: every municipality's texts are its own (over the whole
country, both rounds), no text names another municipality, and two coordinators' review
decisions give the agreement page real figures."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from survey import create_app, store
from survey.services import agreement, demo
from tests.conftest import copy_db

ROUNDS = ("2020-06", "2020-09")


@pytest.fixture(scope="module")
def country(tmp_path_factory, whole_demo) -> Path:
    return copy_db(whole_demo, tmp_path_factory.mktemp("country") / "demo.db")


@pytest.fixture(scope="module")
def halland(tmp_path_factory) -> tuple[Path, demo.Summary]:
    path = tmp_path_factory.mktemp("halland") / "demo.db"
    return path, demo.build(path, counties=("13",), autocode=True)


def _free_texts(db) -> dict[str, list[tuple[str, str, str]]]:
    """Municipality code -> (round, question, text) of every free-text answer."""
    questionnaire = store.round_questionnaire(db, store.get_round(db, ROUNDS[0]))
    free = {q.name for q in questionnaire.questions if q.type == "textarea"}
    found = defaultdict(list)
    for round_id in ROUNDS:
        for code, answers in store.answers_for_round(db, round_id).items():
            found[code] += [(round_id, name, value) for name, value in answers.items()
                            if name in free and isinstance(value, str) and value.strip()]
    return found


def test_no_two_municipalities_share_a_text_in_the_whole_demo(country):
    db = store.connect(country)
    owners: dict[str, set[str]] = defaultdict(set)
    texts = _free_texts(db)
    assert len(texts) == 290
    for code, answers in texts.items():
        for _round, _question, text in answers:
            owners[text].add(code)
    shared = {text[:60]: sorted(codes) for text, codes in owners.items() if len(codes) > 1}
    assert not shared, list(shared.items())[:5]
    support = {answers["state_support_needed"] for answers in
               store.answers_for_round(db, "2020-06", "13").values()}
    assert len(support) == 6  # Hylte, Kungsbacka and Laholm no longer say the same


def test_no_text_names_another_municipality(country):
    db = store.connect(country)
    municipalities = {m["code"]: m for m in store.municipalities(db)}
    names = sorted({m["name_short"] for m in municipalities.values()}, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")s?(?![\w-])")
    others = []
    for code, answers in _free_texts(db).items():
        own = municipalities[code]["name_short"]
        for round_id, question, text in answers:
            named = {m.group(1) for m in pattern.finditer(text)} - {own}
            if named:
                others.append((municipalities[code]["name"], round_id, question, named))
    assert not others, others[:5]
    karlshamn = _free_texts(db)["1082"]
    assert karlshamn and not any("Hylte" in text for _r, _q, text in karlshamn)


def test_two_coordinators_review_the_same_codes_and_sometimes_disagree(halland):
    path, summary = halland
    reviewed, double = summary.reviewed
    assert reviewed > 20 and double >= reviewed // 2
    db = store.connect(path)
    actions = {row["action"]: row["n"] for row in db.query(
        "SELECT action, COUNT(*) AS n FROM code_decisions GROUP BY action")}
    assert {"accept", "reject", "add", "confirm"} <= set(actions), actions
    people = {row["user"] for row in db.query(
        "SELECT user FROM code_decisions UNION SELECT user FROM blind_decisions")}
    assert len(people) == 2
    questionnaire = store.round_questionnaire(db, store.get_round(db, "2020-09"))
    reports = agreement.round_agreement(db, "2020-09", questionnaire.coded_questions.values())
    for report in reports:
        assert report.judged_answers > 10 and report.double_coded_answers > 5
        assert report.coders == 2
        assert report.mean_kappa is not None and 0.3 < report.mean_kappa < 1
        assert report.mean_alpha is not None and 0.3 < report.mean_alpha < 1  # not identical
    # the agreement page shows the figures, with Swedish decimal commas
    account = next(a for a in summary.accounts if a["county_code"] == "13")
    app = create_app({"DB": str(path), "TESTING": True, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    assert client.post("/samordna/logga-in", data={
        "email": account["email"], "password": account["password"]}).status_code == 302
    page = client.get("/granskning/2020-09/overensstammelse").get_data(as_text=True)
    assert re.search(r">\s*0,\d\d\s*<", page), page[:2000]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    shown = [int(n) for n in re.findall(r"Dubbelkodade svar: (\d+)", text)]
    assert shown == [r.double_coded_answers for r in reports]


def test_the_demos_reminders_go_to_the_outbox_in_swedish(halland, tmp_path):
    path, summary = halland
    outbox = tmp_path / "utkorg"
    account = next(a for a in summary.accounts if a["county_code"] == "13")
    app = create_app({"DB": str(path), "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "MAIL_OUTBOX": str(outbox)})
    client = app.test_client()
    assert client.post("/samordna/logga-in", data={
        "email": account["email"], "password": account["password"]}).status_code == 302
    page = client.get("/samordna/omgang/2020-09/paminnelser").get_data(as_text=True)
    assert 'href="#outbox-title"' in page  # the page links to the outbox
    sent = client.post("/samordna/omgang/2020-09/paminnelser", data={"action": "send"})
    assert sent.status_code == 200, sent.get_data(as_text=True)[:3000]
    files = sorted(outbox.glob("*.eml"))
    assert files, "nothing in the outbox"
    page = sent.get_data(as_text=True)
    assert all(f.name in page for f in files)  # listed on the page, each a link
    months = ("januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|"
              "november|december")
    for file in files:
        body = client.get(f"/samordna/utkorg/{file.name}").get_data(as_text=True)
        head, _, text = body.partition("\n\n")
        assert re.search(rf"Sista dag att svara är \d{{1,2}} ({months}) \d{{4}}\.", text)
        assert not re.search(r"\d{4}-\d\d-\d\d", text.replace(summary.base_url, ""))
        assert '"' not in text and "'" not in text
        assert not re.search(r"\b(the|link|reminder|please|Regards|deadline)\b", text, re.I)
        assert "Subject: Påminnelse: lägesbild för" in head
    assert "”Granska och skicka in”" in "".join(
        client.get(f"/samordna/utkorg/{f.name}").get_data(as_text=True) for f in files)


def test_the_log_reads_review_decisions_in_words(halland):
    path, summary = halland
    account = next(a for a in summary.accounts if a["county_code"] == "13")
    app = create_app({"DB": str(path), "TESTING": True, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    assert client.post("/samordna/logga-in", data={
        "email": account["email"], "password": account["password"]}).status_code == 302
    # the decisions sit among other events: read the log's first pages
    html = " ".join(client.get(f"/samordna/logg?omgang=2020-09&sida={page}").get_data(
        as_text=True) for page in range(1, 7))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Tema godtaget" in text or "Tema avvisat" in text
    assert re.search(r"Status: (Godtaget|Avvisat|Tillagt); Fråga: [A-ZÅÄÖ][^;]+; Tema: "
                     r"[A-ZÅÄÖ]", text), text[:3000]
    assert "batch" not in text and "model_version" not in text and "_" not in re.sub(
        r"(?s)<script.*?</script>|https?://\S+", "", text)
