"""The review workspace in real headless Chromium against a real waitress server.

- A county coordinator logs in, opens the workspace, accepts one suggestion, rejects one,
  adds a theme by selecting text with the mouse, and undoes; the stored decisions and the
  workspace's dashboard counts match. The same with the keyboard alone.
- axe-core finds no WCAG 2.1 A/AA violation on any workspace page.
- The keyboard flow is timed on 200 answers coded by the real auto-coder (decisions per
  minute are printed; run with -s to see them), and a national coordinator then retrains the
  auto-coder from those decisions in the browser.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from survey import store
from survey.services import passwords
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import PASSWORD, USERS
from tests.live import axe_violations, serve
from tests.test_review import ROUND, seed_codes

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(coord_app, accounts_db):
    seed_codes(accounts_db)
    return accounts_db


@pytest.fixture
def site(coord_app, seeded):
    with serve(coord_app) as url:
        yield url


def log_in(browser, site: str, email: str, keyboard: bool = False):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site}/granskning/")
    assert "/samordna/logga-in" in page.url  # the workspace needs a login
    if keyboard:
        page.focus("#f-email")
        page.keyboard.type(email)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        page.fill("#f-email", email)
        page.fill("#f-password", PASSWORD)
        page.click("main button.primary")
    page.wait_for_load_state()
    return context, page, errors


def first_card(page):
    return page.locator(".cards > .answer").first


def wait_idle(page) -> None:
    """Until review.js has applied every reply (body[data-busy] counts pending actions).
    A selector, not wait_for_function: the Content Security Policy forbids eval."""
    page.locator("body[data-busy]").wait_for(state="detached")


def statuses(db, response_id: int, question: str) -> dict[str, str]:
    return {c["code"]: c["status"] for c in store.codes_for_answer(db, response_id, question)}


def select_with_mouse(page, card_id: str, phrase: str) -> None:
    """Drag the mouse over `phrase` in the card's answer text, as a person would."""
    box = page.evaluate("""([id, phrase]) => {
        const pieces = document.querySelectorAll('#' + id + ' [data-text] [data-o]');
        for (const piece of pieces) {
            const at = piece.textContent.indexOf(phrase);
            if (at < 0) continue;
            const node = piece.firstChild, range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + 1);
            const first = range.getBoundingClientRect();
            range.setStart(node, at + phrase.length - 1); range.setEnd(node, at + phrase.length);
            const last = range.getBoundingClientRect();
            return {x1: first.left + 1, y1: first.top + first.height / 2,
                    x2: last.right - 1, y2: last.top + last.height / 2};
        }
        return null;
    }""", [card_id, phrase])
    assert box, f"{phrase!r} is not in one piece of {card_id}"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


def a_phrase(text: str) -> str:
    """Four words from the answer's second sentence (unmarked by the recipe's first code)."""
    rest = text[text.find(".") + 1:].split()
    return " ".join(rest[1:5]) if len(rest) >= 5 else " ".join(text.split()[:3])


def dashboard_numbers(page) -> dict[str, int]:
    return {key: int(page.locator(f"#count-{key}").inner_text())
            for key in ("answers", "done", "decisions", "verified", "accepted", "rejected",
                        "added", "to_review", "auto_rejected")}


def summary_numbers(db) -> dict[str, int]:
    from tests.test_review import coded_questions

    summary = store.review_summary(db, ROUND, coded_questions(db), "13")
    return {"answers": summary["answers"], "done": summary["done"],
            "decisions": summary["decisions"], "verified": summary["verified"],
            **{k: summary["codes"][k] for k in ("accepted", "rejected", "added", "to_review",
                                                 "auto_rejected")}}


# ---------------------------------------------------------------- with the mouse


def test_coordinator_accepts_rejects_adds_by_selection_and_undoes(browser, site, seeded):
    context, page, errors = log_in(browser, site, USERS["coord13"][0])
    violations = {"index": axe_violations(page)}
    page.click("text=Lägesbild juni 2020")
    page.wait_for_load_state()
    violations["overview"] = axe_violations(page)
    page.click("main .button.primary")  # review unfinished answers
    page.wait_for_load_state()
    assert "Karlshamns kommun" not in page.content()  # another county's answers are not here
    violations["queue"] = axe_violations(page)

    card = first_card(page)
    card_id = card.get_attribute("id")
    response_id, question = int(card_id.split("-")[1]), card_id.split("-", 2)[2]
    pending = card.locator(".suggestion.is-pending")
    first_theme = pending.nth(0).get_attribute("data-theme")
    second_theme = pending.nth(1).get_attribute("data-theme")
    pending.nth(0).locator("button[data-key=accept]").click()
    wait_idle(page)
    assert "Godtog" in page.locator("#live").inner_text()
    first_card(page).locator(f".suggestion[data-theme={second_theme}] "
                             "button[data-key=reject]").click()
    wait_idle(page)

    text = store.answer_text(seeded, response_id, question)
    phrase = a_phrase(text)
    select_with_mouse(page, card_id, phrase)
    add = page.locator(f"#{card_id} form.add-theme")
    assert add.locator("input[name=quote]").input_value() == phrase
    start = int(add.locator("input[name=start]").input_value())
    assert text[start:start + len(phrase)] == phrase
    suggested = set(page.locator(f"#{card_id} .suggestion").evaluate_all(
        "items => items.map(i => i.dataset.theme)"))
    theme = next(value for value in add.locator("select option").evaluate_all(
        "options => options.map(o => o.value)") if value and value not in suggested)
    add.locator("select").select_option(theme)
    add.locator("button[data-key=add]").click()
    wait_idle(page)
    added = next(c for c in store.codes_for_answer(seeded, response_id, question)
                 if c["code"] == theme)
    assert added["status"] == store.ADDED and text[added["start"]:added["end"]] == phrase
    assert page.locator(f"#{card_id} .suggestion[data-theme={theme}]").count() == 1
    violations["queue after decisions"] = axe_violations(page)

    page.click("form.undo-form button")
    wait_idle(page)
    assert "Ångrade" in page.locator("#live").inner_text()
    assert page.locator(f"#{card_id} .suggestion[data-theme={theme}]").count() == 0

    stored = statuses(seeded, response_id, question)
    assert stored[first_theme] == store.ACCEPTED
    assert stored[second_theme] == store.REJECTED
    assert stored[theme] == store.REMOVED
    decisions = [(d["action"], d["user"].split(" (")[0], d["model_version"])
                 for d in store_decisions(seeded) if d["undone_at"] is None
                 and d["action"] != "undo"]
    assert decisions == [("accept", "Hans Halland", "test-model-1"),
                         ("reject", "Hans Halland", "test-model-1")]
    # the workspace's dashboard shows exactly what is stored
    page.click("nav.review-nav >> text=Granskning: 2020-06")
    page.wait_for_load_state()
    shown = dashboard_numbers(page)
    assert shown == summary_numbers(seeded)
    assert (shown["accepted"], shown["rejected"], shown["added"], shown["decisions"]) == \
        (1, 1, 0, 2)

    for name, path in (("answer", f"/granskning/{ROUND}/svar/{response_id}/{question}"),
                       ("blind queue", f"/granskning/{ROUND}/blind"),
                       ("thresholds", f"/granskning/{ROUND}/troskelvarden"),
                       ("agreement", f"/granskning/{ROUND}/overensstammelse"),
                       ("retrain", f"/granskning/{ROUND}/traning"),
                       ("all answers", f"/granskning/{ROUND}/svar?status=")):
        page.goto(site + path)
        violations[name] = axe_violations(page)
    context.close()
    assert errors == []
    assert {name: v for name, v in violations.items() if v} == {}


def store_decisions(db) -> list[dict]:
    return list(db.query("SELECT * FROM code_decisions ORDER BY id"))


def test_pages_for_those_who_see_all_have_no_wcag_violations(browser, site, seeded):
    context, page, errors = log_in(browser, site, USERS["national"][0])
    violations = {}
    for name, path in (("overview, all counties", f"/granskning/{ROUND}/"),
                       ("queue, all counties", f"/granskning/{ROUND}/svar"),
                       ("thresholds, editable", f"/granskning/{ROUND}/troskelvarden"),
                       ("retrain, editable", f"/granskning/{ROUND}/traning")):
        page.goto(site + path)
        violations[name] = axe_violations(page)
    page.goto(site + f"/granskning/{ROUND}/troskelvarden")
    page.fill("#accept_at-risks-domestic_violence", "2")
    page.click("main button.primary")
    page.wait_for_load_state()
    assert "mellan 0 och 1" in page.content()
    violations["thresholds with an error"] = axe_violations(page)
    context.close()
    assert errors == []
    assert {name: v for name, v in violations.items() if v} == {}


# ---------------------------------------------------------------- with the keyboard alone


def test_the_keyboard_alone_does_the_same(browser, site, seeded):
    context, page, errors = log_in(browser, site, USERS["coord13"][0], keyboard=True)
    page.goto(f"{site}/granskning/{ROUND}/svar")
    card_id = first_card(page).get_attribute("id")
    response_id, question = int(card_id.split("-")[1]), card_id.split("-", 2)[2]
    themes = first_card(page).locator(".suggestion.is-pending")
    first_theme, second_theme = (themes.nth(0).get_attribute("data-theme"),
                                 themes.nth(1).get_attribute("data-theme"))

    page.keyboard.press("a")
    wait_idle(page)
    page.keyboard.press("r")
    wait_idle(page)
    assert statuses(seeded, response_id, question)[first_theme] == store.ACCEPTED
    assert statuses(seeded, response_id, question)[second_theme] == store.REJECTED

    page.keyboard.press("t")  # to the theme list of the current answer
    assert page.evaluate("() => document.activeElement.name") == "theme"
    suggested = set(page.locator(f"#{card_id} .suggestion").evaluate_all(
        "items => items.map(i => i.dataset.theme)"))
    theme = ""
    while not theme or theme in suggested:  # down the list to a theme not yet suggested
        page.keyboard.press("ArrowDown")
        theme = page.evaluate("() => document.activeElement.value")
    page.keyboard.press("Tab")
    text = store.answer_text(seeded, response_id, question)
    phrase = a_phrase(text)
    page.keyboard.type(phrase)
    page.keyboard.press("Enter")
    wait_idle(page)
    added = next(c for c in store.codes_for_answer(seeded, response_id, question)
                 if c["code"] == theme)
    assert added["status"] == store.ADDED and text[added["start"]:added["end"]] == phrase

    page.keyboard.press("u")
    wait_idle(page)
    assert statuses(seeded, response_id, question)[theme] == store.REMOVED
    page.keyboard.press("d")  # done: every suggestion is decided
    wait_idle(page)
    assert store.is_done(seeded, response_id, question)["user"].startswith("Hans Halland")
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == page.locator(".cards > .answer").nth(1).get_attribute("id")
    page.keyboard.press("k")  # back to the answer just finished
    assert page.evaluate("() => document.activeElement.id") == card_id
    assert "Klar" in first_card(page).locator(".answer-state").inner_text()
    page.keyboard.press("b")  # bulk acceptance: straight to its threshold
    assert page.evaluate("() => document.activeElement.name") == "min_score"
    page.evaluate("() => document.activeElement.blur()")  # leave the field (Tab would too)
    page.keyboard.press("f")  # the filters
    assert page.evaluate("() => document.activeElement.name") == "kommun"
    context.close()
    assert errors == []


def test_workspace_works_without_javascript(browser, site, seeded):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.goto(f"{site}/samordna/logga-in")
    page.fill("#f-email", USERS["coord13"][0])
    page.fill("#f-password", PASSWORD)
    page.click("main button.primary")
    page.goto(f"{site}/granskning/{ROUND}/svar")
    card_id = first_card(page).get_attribute("id")
    response_id, question = int(card_id.split("-")[1]), card_id.split("-", 2)[2]
    theme = first_card(page).locator(".suggestion.is-pending").first.get_attribute(
        "data-theme")
    first_card(page).locator(".suggestion.is-pending button[data-key=accept]").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"#{card_id}")
    assert "Godtog" in page.locator("#live").inner_text()
    assert statuses(seeded, response_id, question)[theme] == store.ACCEPTED
    add = page.locator(f"#{card_id} form.add-theme")
    add.locator("select").select_option(index=1)
    add.locator("input[name=quote]").fill(a_phrase(store.answer_text(seeded, response_id,
                                                                         question)))
    add.locator("button[data-key=add]").click()
    page.wait_for_load_state()
    assert "Lade till" in page.locator("#live").inner_text()
    context.close()


# ---------------------------------------------------------------- 200 answers, timed


@pytest.fixture
def big_site(tmp_path):
    """The demo with every municipality (Stockholm county has over 500 free-text answers in
    June 2020), coded by the real auto-coder, a Stockholm county coordinator and a national
    coordinator."""
    from coding import get_coder
    from survey import create_app, store
    from survey.services import demo
    from tests.test_review import coded_questions

    path = tmp_path / "all.db"
    demo.build(path, everyone=True)
    db = store.connect(path)
    password_hash = passwords.hash_password(PASSWORD, {"ARGON2_PROFILE": "CHEAPEST"})
    store.create_user(db, "stockholm@lansstyrelsen.test", "Stina Stockholm",
                         store.COUNTY_COORDINATOR, "01", password_hash, "test")
    store.create_user(db, USERS["national"][0], "Nina Nationell",
                         store.NATIONAL_COORDINATOR, None, password_hash, "test")
    items = [item for item in store.iter_free_text(db, ROUND, coded_questions(db))
             if store.answer_context(db, item[0])["county_code"] == "01"]
    for codebook in ("risks", "measures"):
        coder = get_coder(codebook)
        mine = [item for item in items if item[2] == codebook]
        for (response_id, question, _, _), codes in zip(
                mine, coder.code_many([item[3] for item in mine]), strict=True):
            store.store_codes(db, response_id, question, codebook,
                                 [c.to_dict() for c in codes], coder.model_version)
    db.conn.close()
    app = create_app({"DB": str(path), "TESTING": True, "SECRET_KEY": "test",
                      "WTF_CSRF_ENABLED": False, "ARGON2_PROFILE": "CHEAPEST",
                      "AUTOCODE_ON_SUBMIT": False}, instance_path=str(tmp_path / "instance"))
    with serve(app) as url:
        yield url, path, app


def test_keyboard_flow_on_200_answers_and_retraining(browser, big_site, capsys):
    site, path, app = big_site
    context, page, errors = log_in(browser, site, "stockholm@lansstyrelsen.test")
    page.goto(f"{site}/granskning/{ROUND}/svar")
    answers = keys = 0
    started = time.perf_counter()
    while answers < 200:
        card = page.locator(".answer.is-current")
        for index in range(card.locator(".suggestion.is-pending").count()):
            page.keyboard.press("a" if (answers + index) % 3 else "r")
            wait_idle(page)
            keys += 1
        last_on_page = card.get_attribute("id") == page.locator(
            ".cards > .answer").last.get_attribute("id")
        if last_on_page:
            with page.expect_navigation():
                page.keyboard.press("d")
            page.wait_for_load_state()
        else:
            page.keyboard.press("d")
            wait_idle(page)
        keys += 1
        answers += 1
    seconds = time.perf_counter() - started
    db = store.connect(path)
    done = next(db.query("SELECT COUNT(*) AS n FROM answer_reviews WHERE undone_at IS NULL"))
    stored = next(db.query("SELECT COUNT(*) AS n FROM code_decisions"))["n"]
    assert done["n"] == 200
    with capsys.disabled():
        print(f"\nkeyboard flow: {answers} answers, {keys} keyboard decisions "
              f"({stored} stored code decisions) in {seconds:.1f} s = "
              f"{keys / seconds * 60:.0f} decisions per minute, "
              f"{answers / seconds * 60:.0f} answers per minute")
    assert errors == []
    context.close()

    # the national coordinator retrains the auto-coder from these decisions
    context, page, errors = log_in(browser, site, USERS["national"][0])
    page.goto(f"{site}/granskning/{ROUND}/traning")
    # The page trains a model within the request: seconds when quiet, more than Playwright's
    # default 30 s when the suite shares the cores with xdist's other workers.
    page.click("main form:has(input[value=risks]) button", timeout=180_000)
    page.wait_for_load_state()
    verdict = page.locator("#verdict").inner_text()
    before = float(page.locator("#macro-before").inner_text())
    after = float(page.locator("#macro-after").inner_text())
    pointer = Path(app.instance_path) / "models" / "risks" / "current"
    assert ("används nu" in verdict) == (after >= before) == pointer.is_file()
    violations = axe_violations(page)
    context.close()
    db.conn.close()
    assert errors == []
    assert violations == []
    with capsys.disabled():
        print(f"retraining from the workspace: macro-F1 on held-out reviewed answers "
              f"{before} -> {after}: {verdict}")
