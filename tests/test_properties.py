"""Property-based tests of every form route (#12): whatever a client posts — random field
names, values of any length and script, bodies that are not UTF-8, a missing, stale or forged
CSRF token, path values of other municipalities and counties — the answer is never a 500 and
no data of another municipality (or county) changes.

The routes are read from the application's URL map, so a new POST route is covered (or makes
the test fail when it has an argument the test does not know how to fill). Municipality A
(Halmstad, county 13) posts to the respondent routes; the county 13 coordinator to all the
others. Hypothesis runs derandomised, so CI sees the same examples every time.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from survey import store
from tests.accounts_fixtures import *  # noqa: F403
from tests.accounts_fixtures import (
    NEW_ROUND,
    OLD_ROUND,
    PASSWORD,
    USERS,
    A,
    B,
    C,
    D,
    E,
    copy_world,
    make_app,
)

ROOT = Path(__file__).resolve().parent.parent
HALLAND = "13"
EXAMPLES = 8

# ---------------------------------------------------------------- what a client may send


def _field_names() -> list[str]:
    """Every form field name the templates and the questionnaire use."""
    names = set()
    for template in (ROOT / "survey" / "web" / "templates").rglob("*.html"):
        names |= set(re.findall(r'name="([A-Za-z_][\w\-]*)"', template.read_text()))
    for questionnaire in (ROOT / "questionnaires").glob("*.yaml"):
        names |= set(re.findall(r"^\s*-?\s*name:\s*([A-Za-z_]\w*)\s*$",
                                questionnaire.read_text(), re.M))
    return sorted(names)


FIELD_NAMES = _field_names()
PAGE_NAMES = re.findall(r"^  - name:\s*(\w+)", (ROOT / "questionnaires" /
                                                "lagesbild-2020.yaml").read_text(), re.M)

tricky_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "9" * 40, "true", "null", "[]",
                     "{}", "<script>alert(1)</script>", "' OR 1=1 --", "\u202egpj.exe",
                     "=HYPERLINK(\"x\")", "\r\nX-Injected: 1", "2020-02-30", "../../etc",
                     "include", "exclude", "accept", "reject", "network_meeting", "sv",
                     "en", "risks", "measures", "violence", "pdf", "/samordna/", "//evil",
                     "\x00", "\ud800"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.just("x" * 70_000),
)
field_name = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=20))
form_pairs = st.lists(st.tuples(field_name, tricky_text), max_size=12)
raw_bytes = st.binary(max_size=300)
csrf_choice = st.sampled_from(["valid", "missing", "forged"])
body_kind = st.sampled_from(["form", "form", "urlencoded-bytes", "multipart-bytes"])

PATH_VALUES = {
    "round_id": st.sampled_from([OLD_ROUND, NEW_ROUND, "t-1", "t-2", "2031-01", "x y"]),
    "code": st.sampled_from([A, B, C, D, E, "9999", "13"]),
    "county_code": st.sampled_from([HALLAND, HALLAND, "10", "99", "x"]),
    "page_name": st.sampled_from(PAGE_NAMES + ["nope", "../x"]),
    "question": st.sampled_from(FIELD_NAMES[:40] + ["violence_risks", "nope"]),
    "fmt": st.sampled_from(["pdf", "docx", "html", "exe"]),
    "job_id": st.one_of(st.integers(0, 50).map(str), st.text(min_size=1, max_size=12)),
}
ROW_ID = st.one_of(st.integers(1, 40), st.integers(2**40, 2**63 - 1))


def path_value(argument: str):
    if argument in PATH_VALUES:
        return PATH_VALUES[argument]
    if argument.endswith("_id"):
        return ROW_ID.map(str)
    raise AssertionError(f"no values for the path argument {argument!r}: add them here")


# ---------------------------------------------------------------- the data of others


def _rows(db, sql: str, params=()) -> list[tuple]:
    return sorted(tuple(row) for row in db.execute(sql, params).fetchall())


def others_data(db, own: set[str], county: str | None, user_email: str | None) -> str:
    """Everything that belongs to municipalities outside ``own`` and counties other than
    ``county``, and every account but the actor's own, as one comparable text."""
    marks = ",".join("?" * len(own)) or "''"
    other_responses = f"(SELECT id FROM responses WHERE municipality_code NOT IN ({marks}))"
    state = {
        "responses": _rows(db, f"SELECT * FROM responses WHERE id IN {other_responses}",
                           list(own)),
    }
    for table in ("answers", "answer_history", "carried_over", "codes", "answer_reviews",
                  "blind_decisions", "quote_choices"):
        state[table] = _rows(db, f"SELECT * FROM {table} WHERE response_id IN "
                                 f"{other_responses}", list(own))
    state["code_decisions"] = _rows(
        db, "SELECT * FROM code_decisions WHERE code_id IN (SELECT id FROM codes WHERE "
            f"response_id IN {other_responses})", list(own))
    for table in ("invitations", "contacts"):
        state[table] = _rows(db, f"SELECT * FROM {table} WHERE municipality_code NOT IN "
                                 f"({marks})", list(own))
    for table in ("assessments", "sources", "deliveries"):
        state[table] = _rows(db, f"SELECT * FROM {table} WHERE county_code IS NOT ?",
                             [county])
    state["assessment_history"] = _rows(
        db, "SELECT * FROM assessment_history WHERE assessment_id IN (SELECT id FROM "
            "assessments WHERE county_code IS NOT ?)", [county])
    state["users"] = _rows(db, "SELECT id, email, name, role, county_code, password_hash, "
                               "active FROM users WHERE email IS NOT ?", [user_email])
    for table in ("rounds", "code_thresholds", "counties", "municipalities",
                  "questionnaire_versions"):
        state[table] = _rows(db, f"SELECT * FROM {table}")
    return json.dumps(state, default=repr)


# ---------------------------------------------------------------- the actors


@pytest.fixture(scope="module")
def site(world_template, tmp_path_factory):
    world = copy_world(world_template, tmp_path_factory.mktemp("properties"))
    outbox = world.path.parent / "outbox"
    app = make_app(world, WTF_CSRF_ENABLED=True, JOBS_IMMEDIATE=False,
                   MAIL_OUTBOX=str(outbox), AUTOCODE_ON_SUBMIT=False)
    db = store.connect(world.path)
    yield app, world, db
    db.conn.close()


CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def municipality_client(app, world):
    client = app.test_client()
    assert client.get(f"/s/{world.token(A)}").status_code == 302
    page = client.get(f"/svar/{NEW_ROUND}/{A}/").get_data(as_text=True)
    return client, CSRF.search(page).group(1)


def coordinator_client(app):
    client = app.test_client()
    page = client.get("/samordna/logga-in").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    response = client.post("/samordna/logga-in", data={
        "email": USERS["coord13"][0], "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    page = client.get("/samordna/losenord").get_data(as_text=True)
    return client, CSRF.search(page).group(1)


def _post_routes():
    import tempfile

    from survey import create_app

    with tempfile.TemporaryDirectory() as folder:  # the URL map only; the app is thrown away
        app = create_app({"DB": f"{folder}/routes.db", "TESTING": True, "SECRET_KEY": "r"},
                         instance_path=folder)
        del app.extensions["lagesbild_serving_lock"]
    rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    return sorted((r.rule, r.endpoint, tuple(sorted(r.arguments))) for r in rules)


def _multipart(pairs: list[tuple[str, str]], raw: bytes, token: str | None):
    boundary = "lagesbildboundary"
    parts = []
    for name, value in [*pairs, *([("csrf_token", token)] if token else [])]:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{quote(name)}"'
                     f"\r\n\r\n".encode() + value.encode("utf-8", "surrogatepass"))
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n'
                 .encode() + raw)
    body = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _urlencoded(pairs: list[tuple[str, str]], raw: bytes, token: str | None):
    items = [f"{quote(n.encode('utf-8', 'surrogatepass'))}="
             f"{quote(v.encode('utf-8', 'surrogatepass'))}" for n, v in pairs]
    items.append("text=" + "".join(f"%{b:02X}" for b in raw))  # any bytes, often not UTF-8
    if token:
        items.append(f"csrf_token={token}")
    return "&".join(items).encode(), "application/x-www-form-urlencoded"


POST_ROUTES = _post_routes()


@pytest.mark.parametrize("rule, endpoint, arguments", POST_ROUTES,
                         ids=[endpoint for _, endpoint, _ in POST_ROUTES])
def test_any_post_is_answered_without_error_and_leaves_others_data_alone(
        site, rule, endpoint, arguments):
    app, world, db = site
    municipality = endpoint.startswith("respond.")
    if municipality:
        own, county, email = {A}, None, None
    else:
        own = {m["code"] for m in store.municipalities(db, HALLAND)}
        county, email = HALLAND, USERS["coord13"][0]
    path_strategy = st.fixed_dictionaries({name: path_value(name) for name in arguments})

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(path=path_strategy, pairs=form_pairs, raw=raw_bytes, csrf=csrf_choice,
           kind=body_kind)
    def post_anything(path, pairs, raw, csrf, kind):
        client, token = (municipality_client(app, world) if municipality
                         else coordinator_client(app))
        token = {"valid": token, "missing": None, "forged": "forged." + token[::-1]}[csrf]
        url = rule
        for name, value in path.items():
            url = re.sub(rf"<(?:\w+:)?{name}>", quote(value, safe=""), url)
        before = others_data(db, own, county, email)
        if kind == "form":
            data = [(n, v.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
                    for n, v in pairs]
            if token:
                data.append(("csrf_token", token))
            response = client.post(url, data=MultiDict(data))
        else:
            body, content_type = (_multipart if kind == "multipart-bytes"
                                  else _urlencoded)(pairs, raw, token)
            response = client.post(url, data=body, content_type=content_type)
        assert response.status_code < 500, (url, response.status_code,
                                            response.get_data(as_text=True)[:500])
        assert others_data(db, own, county, email) == before, url

    post_anything()
