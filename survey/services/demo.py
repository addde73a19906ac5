"""Demo data: the two 2020 rounds with realistic, varied Swedish answers.

Free texts are drawn from the hand-written development corpus (train and dev parts only, so
the held-out test part never leaks into anything a coordinator might correct and retrain on),
grouped by the area each text is about. A seeded generator makes every run identical.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from coding.corpus import CORPUS_DIR
from survey import store
from survey.questionnaire import engine, types
from survey.questionnaire.model import Question, Questionnaire
from survey.services import autocode, versions
from survey.services.passwords import create_demo_accounts

DEMO_COUNTIES = ("13", "10", "07")  # Halland (national coordinator), Blekinge, Kronoberg
FIRST_NAMES = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Mikael", "Sara",
               "Fredrik", "Lena", "Ahmed", "Elin", "Per", "Fatima", "Jonas", "Ingrid", "Amir",
               "Helena", "Daniel", "Sofia", "Magnus", "Leila", "Oskar"]
LAST_NAMES = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
              "Persson", "Svensson", "Gustafsson", "Lindberg", "Hassan", "Berg", "Holm",
              "Ali", "Lundqvist", "Sjöberg", "Ekström"]
ROLES = ["Socialchef", "Folkhälsostrateg", "Säkerhetssamordnare", "Verksamhetschef IFO",
         "Utvecklingsledare socialtjänsten", "Kommundirektör", "Brottsförebyggande samordnare"]
AREA_RISK_THEMES = {
    "violence": {"domestic_violence", "honour_violence"},
    "children": {"vulnerable_children"},
    "substance": {"substance_abuse"},
    "mental_health": {"isolation"},
    "unemployment": {"youth_idleness", "economic_hardship"},
    "unrest": {"public_safety"},
}
AREA_MEASURE_THEMES = {
    "violence": {"victim_support", "information"},
    "children": {"family_support", "outreach"},
    "substance": {"outreach", "collaboration", "information"},
    "mental_health": {"outreach", "digital_services"},
    "unemployment": {"youth_activities"},
    "unrest": {"adult_presence", "collaboration"},
}
OTHER_TEXTS = {
    "other_contributors": ["Individ- och familjeomsorgen, skolan och fritidsförvaltningen.",
                           "Socialtjänsten tillsammans med folkhälsostrategen och "
                           "kommunpolisen.", "Vård och omsorg samt barn- och utbildning."],
    "violence_shelter_comment": ["Skyddade boenden i regionen har varit fullbelagda under "
                                 "perioden och vi har fått placera i andra län."],
    "collaboration_other": ["Svenska kyrkan och lokala idrottsföreningar"],
    "collaboration_description": [
        "Vi har veckovisa avstämningar med polisen och regionens närsjukvård, och en "
        "gemensam lägesbild tas fram i kommunens krisledning.",
        "Samverkan sker i det lokala brottsförebyggande rådet och med civilsamhällets "
        "organisationer genom en överenskommelse om idéburet offentligt partnerskap.",
        "Länsstyrelsens nätverk för våld i nära relationer har varit ett viktigt stöd."],
    "state_support_needed": [
        "Långsiktiga statsbidrag för sommarjobb och lovaktiviteter i stället för "
        "ettåriga.", "Tydligare nationell vägledning om hur socialtjänsten kan arbeta "
        "uppsökande under pandemin.", "Stöd till kvinnojourer och skyddade boenden, samt "
        "informationsmaterial på fler språk."],
    "other_comments": ["", "Tack för möjligheten att lämna en lägesbild.",
                       "Läget kan förändras snabbt under hösten; vi följer utvecklingen."],
}


def _corpus(codebook: str) -> list[dict]:
    rows = []
    for path in sorted(CORPUS_DIR.glob(f"{codebook}*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("split") in ("train", "dev"):
                    rows.append(row)
    return rows


class TextPool:
    """Corpus texts per area, drawn without repeating until a pool is used up."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.risks = self._by_area(_corpus("risks"), AREA_RISK_THEMES)
        self.measures = self._by_area(_corpus("measures"), AREA_MEASURE_THEMES)
        self.used: set[str] = set()

    @staticmethod
    def _by_area(rows: list[dict], themes: dict[str, set[str]]) -> dict[str, list[dict]]:
        pools: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            for area, wanted in themes.items():
                if wanted & set(row["labels"]):
                    pools[area].append(row)
        return pools

    def draw(self, pool: dict[str, list[dict]], area: str) -> str:
        candidates = pool.get(area) or [r for rows in pool.values() for r in rows]
        if not candidates:
            return "Vi ser samma risker som tidigare och följer utvecklingen."
        fresh = [r for r in candidates if r["id"] not in self.used] or candidates
        row = self.rng.choice(fresh)
        self.used.add(row["id"])
        return row["text"]


@dataclass
class Summary:
    links: list[tuple[str, str, str]] = field(default_factory=list)  # municipality, round, url
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    accounts: list[dict] = field(default_factory=list)
    base_url: str = ""
    coded: int = 0

    def lines(self) -> list[str]:
        out = []
        if self.accounts:
            out.append(f"Coordinators log in at {self.base_url}/samordna/logga-in "
                       "(passwords are new on every demo run):")
            out += [f"  {a['email']} / {a['password']}  ({a['name']})" for a in self.accounts]
        for round_id, counts in self.counts.items():
            out.append(f"round {round_id}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        if self.coded:
            out.append(f"auto-coded themes stored: {self.coded}")
        out.append("Links for municipalities (round 2020-09):")
        out += [f"  {name}: {url}" for name, round_id, url in self.links if round_id == "2020-09"]
        return out


def build(path: Path, base_url: str = "http://127.0.0.1:5000", everyone: bool = False,
          seed: int = 2020, autocode: bool = False) -> Summary:
    """Replace the database at ``path`` with the demo rounds; ``autocode`` codes every
    submitted answer with the real coder, as submitting through the web would."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = store.connect(path)
    store.mark_as_demo(db)
    store.init(db)
    questionnaire = versions.import_file(db, versions.PACKAGED_DIR / "lagesbild-2020.yaml")
    closes = (date.today() + timedelta(days=45)).isoformat()
    store.create_round(db, "2020-06", "Lägesbild juni 2020", questionnaire.hash,
                       "2020-06-15", "2020-07-03")
    store.create_round(db, "2020-09", "Lägesbild september 2020 (uppföljning)",
                       questionnaire.hash, "2020-09-01", closes, follows="2020-06")
    invited = store.municipalities(db) if everyone else [
        m for county in DEMO_COUNTIES for m in store.municipalities(db, county)]
    rng = random.Random(seed)
    texts = TextPool(rng)
    summary = Summary(base_url=base_url)
    summary.accounts = _demo_accounts(db)
    for round_id in ("2020-06", "2020-09"):
        counts = {store.SUBMITTED: 0, store.DRAFT: 0, store.NOT_STARTED: 0}
        for index, municipality in enumerate(invited):
            token, token_hash = store.new_token()
            store.add_invitation(db, round_id, municipality["code"], token_hash)
            summary.links.append((municipality["name"], round_id, f"{base_url}/s/{token}"))
            status = _demo_status(round_id, index, everyone)
            counts[status] += 1
            if status == store.NOT_STARTED:
                continue
            answers = generate_answers(questionnaire, rng, texts, municipality, round_id,
                                       complete=status == store.SUBMITTED)
            _store(db, round_id, municipality["code"], answers, status, questionnaire)
        summary.counts[round_id] = counts
    if autocode:
        summary.coded = _autocode(db)
    db.conn.close()
    return summary


def _autocode(db) -> int:
    """Code all submitted answers in one batch per codebook (what on-submit coding does)."""
    items = [item for round_row in store.rounds(db)
             for item in autocode.round_answers(db, round_row["id"], submitted_only=True)]
    return autocode.code_and_store(db, items).codes


def _demo_accounts(db) -> list[dict]:
    """National, county and admin accounts."""
    return create_demo_accounts(db)


def _demo_status(round_id: str, index: int, everyone: bool) -> str:
    if round_id == "2020-06" or everyone:
        return store.SUBMITTED
    return (store.SUBMITTED, store.DRAFT, store.SUBMITTED, store.NOT_STARTED,
            store.DRAFT, store.SUBMITTED)[index % 6]


def _store(db, round_id: str, code: str, answers: dict[str, Any], status: str,
           questionnaire: Questionnaire) -> None:
    actor = f"{answers.get('respondent_name', 'Demo')}"
    response = store.ensure_response(db, round_id, code, actor)
    store.save_answers(db, response["id"], answers, None, actor, page="other")
    if status == store.SUBMITTED:
        problems = engine.submission_issues(questionnaire, answers, "sv")
        if problems:
            raise AssertionError(f"demo answers for {code} are invalid: {problems[:3]}")
        store.set_status(db, response["id"], store.SUBMITTED, actor)


def generate_answers(questionnaire: Questionnaire, rng: random.Random, texts: TextPool,
                     municipality: dict, round_id: str, complete: bool = True
                     ) -> dict[str, Any]:
    """Answers page by page, respecting relevance; a draft stops part-way."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    person = {"first": first, "last": last, "municipality": municipality}
    answers: dict[str, Any] = {}
    pages = questionnaire.pages
    stop_after = len(pages) if complete else rng.randint(2, len(pages) - 2)
    for page in pages[:stop_after]:
        for question in page.questions:
            if not question.stores_answer:
                continue
            shown = engine.relevant_questions(questionnaire, answers)
            if question.name not in shown:
                continue
            value = _value(question, rng, texts, person, round_id, answers)
            if value is not None:
                answers[question.name] = value
    return engine.without_hidden(questionnaire, answers)


#: The demo's story: risks mostly unchanged in June, mostly lower in the September follow-up.
RISK_CHANGE_WEIGHTS = (0.35, 0.5, 0.1, 0.05)
RISK_CHANGE_WEIGHTS_FOLLOW_UP = (0.5, 0.35, 0.1, 0.05)
PERSONAL_VALUES = {
    "respondent_name": lambda person, rng, round_id: f"{person['first']} {person['last']}",
    "respondent_role": lambda person, rng, round_id: rng.choice(ROLES),
    "respondent_email": lambda person, rng, round_id: (
        f"{_slug(person['first'])}.{_slug(person['last'])}"
        f"@{_slug(person['municipality']['name_short'])}.se"),
    "respondent_phone": lambda person, rng, round_id: (
        f"0{rng.randint(10, 99)}-{rng.randint(100000, 999999)}"),
    "report_date": lambda person, rng, round_id: (
        "2020-06-26" if round_id == "2020-06" else "2020-09-25"),
}


def _value(question: Question, rng: random.Random, texts: TextPool, person: dict,
           round_id: str, answers: dict[str, Any]) -> Any:
    """The answer of one question: the questions this demo knows by name get a story of
    their own (the respondent, corpus texts by area); the others whatever their type makes."""
    name = question.name
    if name in PERSONAL_VALUES:
        return PERSONAL_VALUES[name](person, rng, round_id)
    if name in OTHER_TEXTS:
        return rng.choice(OTHER_TEXTS[name]) or None
    if question.type == "textarea":
        return _corpus_text(name, texts)
    weights = None
    if name == "risk_change":
        weights = RISK_CHANGE_WEIGHTS_FOLLOW_UP if round_id == "2020-09" else RISK_CHANGE_WEIGHTS
    return types.of(question).demo_value(question, rng, weights)


def _corpus_text(name: str, texts: TextPool) -> str | None:
    """A risk or measure text from the corpus, about the area the question is about."""
    area = name.split("_")[0] if not name.startswith("mental_health") else "mental_health"
    if name.endswith(("_risks", "_high_reason")):
        return texts.draw(texts.risks, area)
    if name.endswith(("_measures_taken", "_measures_planned")) or name == "good_examples":
        return texts.draw(texts.measures, area if area in AREA_MEASURE_THEMES else "unrest")
    return None


def _slug(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", " ": "-"})
    return text.lower().translate(table)
