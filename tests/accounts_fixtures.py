"""A world for the coordinator tests: the 2020 rounds on the real questionnaire, two more
rounds on a small questionnaire that changes between versions, five municipalities in two
counties and four accounts.

The database is built once per session and copied for each test (a file copy takes a few
milliseconds), so tests can write freely.

    county 13 (Halland):  A = 1380 Halmstad, B = 1383 Varberg, E = 1315 Hylte
    county 10 (Blekinge): C = 1082 Karlshamn, D = 1081 Ronneby

    2020-06 (closed, lagesbild-2020):   A, B, C, E submitted; D not started
    2020-09 (open, follows 2020-06):    A draft (complete, ready to submit), B submitted,
                                        C draft (first page only), D and E not started
    t-1 (closed, test-lagesbild v1):    A and C submitted
    t-2 (open, v2, follows t-1):        A submitted, C draft
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from survey import create_app, store
from survey.services import passwords, versions

A, B, C, D, E = "1380", "1383", "1082", "1081", "1315"
PASSWORD = "korrekt häst batteri"
USERS = {
    "admin": ("admin@lagesbild.test", "Ada Admin", store.ADMIN, None),
    "national": ("nationell@lansstyrelsen.test", "Nina Nationell",
                 store.NATIONAL_COORDINATOR, None),
    "coord13": ("halland@lansstyrelsen.test", "Hans Halland", store.COUNTY_COORDINATOR,
                "13"),
    "coord10": ("blekinge@lansstyrelsen.test", "Britt Blekinge",
                store.COUNTY_COORDINATOR, "10"),
}
OLD_ROUND, NEW_ROUND = "2020-06", "2020-09"
ROOT = Path(__file__).resolve().parent.parent

QUESTIONNAIRE_V1 = """
id: test-lagesbild
version: "1"
title: {sv: "Lägesbild (test)", en: "Situation report (test)"}
option_lists:
  levels:
    - {value: low, label: {sv: "Låg", en: "Low"}}
    - {value: medium, label: {sv: "Medel", en: "Medium"}}
    - {value: high, label: {sv: "Hög", en: "High"}}
pages:
  - name: contact
    title: {sv: "Kontaktuppgifter", en: "Contact details"}
    questions:
      - name: respondent_name
        type: text
        label: {sv: "Namn", en: "Name"}
        required: true
      - name: respondent_email
        type: text
        label: {sv: "E-post", en: "E-mail"}
  - name: risks
    title: {sv: "Risker", en: "Risks"}
    questions:
      - name: risk_now
        type: matrix
        label: {sv: "Risk nu", en: "Risk now"}
        options: levels
        rows:
          - {name: violence, label: {sv: "Våld i nära relationer", en: "Domestic violence"}}
          - {name: children, label: {sv: "Utsatta barn", en: "Vulnerable children"}}
      - name: collaboration
        type: multiple
        label: {sv: "Samverkan med", en: "Collaboration with"}
        options:
          - {value: police, label: {sv: "Polisen", en: "The police"}}
          - {value: region, label: {sv: "Regionen", en: "The region"}}
          - {value: civil, label: {sv: "Civilsamhället", en: "Civil society"}}
      - name: risk_text
        type: textarea
        label: {sv: "Vilka risker ser ni?", en: "Which risks do you see?"}
      - name: staff
        type: number
        label: {sv: "Antal anställda i socialtjänsten", en: "Social services staff"}
        min: 0
      - name: shelter_full
        type: boolean
        label: {sv: "Är skyddade boenden fullbelagda?", en: "Are shelters full?"}
      - name: overall
        type: single
        label: {sv: "Läget jämfört med förra gången", en: "Compared with last time"}
        options:
          - {value: better, label: {sv: "Bättre", en: "Better"}}
          - {value: same, label: {sv: "Oförändrat", en: "Unchanged"}}
          - {value: worse, label: {sv: "Sämre", en: "Worse"}}
"""


def questionnaire_v2() -> str:
    """Version 2: a matrix row and an option added, a label changed, a question dropped,
    a question added: what happens between real rounds."""
    text = QUESTIONNAIRE_V1.replace('version: "1"', 'version: "2"')
    text = text.replace(
        '          - {name: children, label: {sv: "Utsatta barn", en: "Vulnerable children"}}',
        '          - {name: children, label: {sv: "Utsatta barn", en: "Vulnerable children"}}\n'
        '          - {name: unrest, label: {sv: "Social oro", en: "Social unrest"}}')
    text = text.replace(
        '          - {value: civil, label: {sv: "Civilsamhället", en: "Civil society"}}',
        '          - {value: civil, label: {sv: "Civilsamhället", en: "Civil society"}}\n'
        '          - {value: skr, label: {sv: "SKR", en: "SALAR"}}')
    text = text.replace('{value: better, label: {sv: "Bättre"',
                        '{value: better, label: {sv: "Förbättrat"')
    start = text.index("      - name: shelter_full")
    end = text.index("      - name: overall")
    text = text[:start] + text[end:]
    return text + """      - name: support_needed
        type: textarea
        label: {sv: "Vilket stöd behöver ni från staten?", en: "What support do you need?"}
"""


NAMES = {A: "Anna Andersson", B: "Bo Berg", C: "Cecilia Carlsson", D: "Dan Dahl",
         E: "Eva Ek"}
# A text a spreadsheet would run as a formula if exported carelessly
FORMULA_TEXT = '=HYPERLINK("http://example.invalid") Fler orosanmälningar än vanligt.'


def small_answers(code: str, version: int, complete: bool = True) -> dict:
    """Answers to the small test questionnaire (version 1 or 2)."""
    values: dict = {"respondent_name": NAMES[code],
                    "respondent_email": NAMES[code].split()[0].lower() + f"@kommun{code}.test"}
    if not complete:
        return values
    values.update({
        "risk_now": {"violence": "high", "children": "medium"},
        "collaboration": ["police", "civil"], "risk_text": FORMULA_TEXT, "staff": 42,
        "overall": "better",
    })
    if version == 1:
        values["shelter_full"] = True
    else:
        values["risk_now"]["unrest"] = "low"
        values["support_needed"] = "Långsiktiga statsbidrag."
    return values


def real_answers(db, questionnaire, rng, texts, code: str, round_id: str,
                 complete: bool) -> dict:
    """Valid, varied answers to the 2020 questionnaire (the demo's generator), with known
    names; a draft has only the first page."""
    from survey.services import demo

    values = demo.generate_answers(questionnaire, rng, texts, store.municipality(db, code),
                                   round_id, complete=True)
    values["respondent_name"] = NAMES[code]
    values["respondent_email"] = NAMES[code].split()[0].lower() + f"@kommun{code}.test"
    if code == B:
        values["other_comments"] = FORMULA_TEXT
    if not complete:
        first = {q.name for q in questionnaire.pages[0].questions}
        values = {k: v for k, v in values.items() if k in first}
    return values


@dataclass
class World:
    path: Path
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)  # (round, code) -> token
    user_ids: dict[str, int] = field(default_factory=dict)

    def token(self, code: str, round_id: str = NEW_ROUND) -> str:
        return self.tokens[(round_id, code)]


# round -> municipality -> "submitted", "draft" (partial), "ready" (complete draft) or None
PLAN = {
    OLD_ROUND: {A: "submitted", B: "submitted", C: "submitted", D: None, E: "submitted"},
    NEW_ROUND: {A: "ready", B: "submitted", C: "draft", D: None, E: None},
    "t-1": {A: "submitted", C: "submitted"},
    "t-2": {A: "submitted", C: "draft"},
}


def build_world(directory: Path) -> World:
    import random

    from survey.services import demo

    path = directory / "lagesbild.db"
    world = World(path)
    db = store.connect(path)
    store.init(db)
    real = versions.import_file(db, ROOT / "questionnaires" / "lagesbild-2020.yaml")
    closes = (date.today() + timedelta(days=45)).isoformat()
    store.create_round(db, OLD_ROUND, "Lägesbild juni 2020", real.hash, "2020-06-15",
                       "2020-07-03")
    store.create_round(db, NEW_ROUND, "Lägesbild september 2020", real.hash, "2020-09-01",
                       closes, follows=OLD_ROUND)
    v1_file, v2_file = directory / "v1.yaml", directory / "v2.yaml"
    v1_file.write_text(QUESTIONNAIRE_V1, encoding="utf-8")
    v2_file.write_text(questionnaire_v2(), encoding="utf-8")
    v1 = versions.import_file(db, v1_file)
    store.create_round(db, "t-1", "Testomgång 1", v1.hash, "2020-01-01", "2020-01-31")
    v2 = versions.import_file(db, v2_file)
    store.create_round(db, "t-2", "Testomgång 2", v2.hash, "2020-02-01", closes,
                       follows="t-1")
    rng = random.Random(13)
    texts = demo.TextPool(rng)
    for round_id, statuses in PLAN.items():
        for code, status in statuses.items():
            token, token_hash = store.new_token()
            store.add_invitation(db, round_id, code, token_hash)
            world.tokens[(round_id, code)] = token
            if status is None:
                continue
            complete = status != "draft"
            if round_id.startswith("t-"):
                values = small_answers(code, int(round_id[-1]), complete)
            else:
                values = real_answers(db, real, rng, texts, code, round_id, complete)
            response = store.ensure_response(db, round_id, code, NAMES[code])
            store.save_answers(db, response["id"], values, None, NAMES[code], page="other")
            if status == "submitted":
                store.set_status(db, response["id"], store.SUBMITTED, NAMES[code])
    password_hash = passwords.hash_password(PASSWORD, {"ARGON2_PROFILE": "CHEAPEST"})
    for key, (email, name, role, county) in USERS.items():
        row = store.create_user(db, email, name, role, county, password_hash, "test setup")
        world.user_ids[key] = row["id"]
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return world


def copy_world(template: World, directory: Path) -> World:
    path = directory / "lagesbild.db"
    shutil.copyfile(template.path, path)
    return World(path, dict(template.tokens), dict(template.user_ids))


def make_app(world: World, **config):
    return create_app({
        "DB": str(world.path), "TESTING": True, "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret", "ARGON2_PROFILE": "CHEAPEST",
        "BASE_URL": "http://lagesbild.test", "AUTOCODE_ON_SUBMIT": False, **config},
        instance_path=str(world.path.parent / "instance"))


def cli_env(world: World, **extra: str) -> dict[str, str]:
    """Environment for `lagesbild` commands run with click's CliRunner on this world."""
    return {"LAGESBILD_DB": str(world.path), "LAGESBILD_BASE_URL": "http://lagesbild.test",
            "LAGESBILD_SECRET_KEY": "cli-test", "LAGESBILD_ARGON2_PROFILE": "CHEAPEST",
            "LAGESBILD_AUTOCODE_ON_SUBMIT": "false", **extra}


def municipality_client(app, world: World, code: str, round_id: str = NEW_ROUND):
    """A browser that opened the municipality's link."""
    client = app.test_client()
    response = client.get(f"/s/{world.token(code, round_id)}")
    assert response.status_code == 302
    return client


def user_client(app, key: str):
    """A browser logged in as one of USERS (through the real login form)."""
    client = app.test_client()
    response = client.post("/samordna/logga-in",
                           data={"email": USERS[key][0], "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


# ---------------------------------------------------------------- permission tables
# Used by tests/test_roles.py and by any tests/route_table_<area>.py: one expected status per
# visitor, or LOGIN for "redirected to the login page".

ROLES = ("A", "B", "coord13", "coord10", "nobody", "national", "admin")
LOGIN = "login"


def expect(a=None, b=None, coord13=None, coord10=None, nobody=None, national=None,
           admin=None, everyone=None, coordinators=None, municipalities=None) -> dict:
    """Expected status per visitor; a visitor's own value wins over its group's
    (coordinators, municipalities), which wins over ``everyone``."""
    table = {}
    for role in ROLES:
        group = (coordinators if role in ("coord13", "coord10", "national", "admin")
                 else municipalities if role in ("A", "B") else None)
        own = {"A": a, "B": b, "coord13": coord13, "coord10": coord10, "nobody": nobody,
               "national": national, "admin": admin}[role]
        table[role] = next(v for v in (own, group, everyone) if v is not None)
    return table


def snapshot(path: Path) -> str:
    """Everything in the database except the login attempts the visitor's own login wrote."""
    database = store.connect(path)
    try:
        return "\n".join(line for line in database.conn.iterdump()
                         if "login_attempts" not in line and "'login','user'" not in line)
    finally:
        database.conn.close()


_TEMPLATE: list[World] = []  # one build per session, shared by every module using it


@pytest.fixture(scope="session")
def world_template(tmp_path_factory) -> World:
    if not _TEMPLATE or not _TEMPLATE[0].path.exists():
        _TEMPLATE[:] = [build_world(tmp_path_factory.mktemp("world"))]
    return _TEMPLATE[0]


@pytest.fixture
def world(world_template: World, tmp_path: Path) -> World:
    return copy_world(world_template, tmp_path)


@pytest.fixture
def coord_app(world: World):
    return make_app(world)


@pytest.fixture
def accounts_db(coord_app):
    database = store.connect(coord_app.config["DB"])
    yield database
    database.conn.close()
