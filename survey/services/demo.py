"""Demo data: the whole country in the two 2020 rounds, with realistic, varied Swedish answers.

All 290 municipalities are invited in both rounds; June is closed with every municipality
submitted, September is open with a mix of submitted, drafts and not started. Free texts are
drawn from the hand-written development corpus, ``coding/corpus/*.jsonl`` and the register
corpus ``coding/corpus/register/*.jsonl`` (train and dev parts only, so the held-out test part
never leaks into anything a coordinator might correct and retrain on), grouped by the area
each text is about. No two municipalities get the same text (a text already used is joined
with a second one), and a text never names another municipality: any municipality name in it
becomes the municipality's own. The round settings, written assessments for two counties and
Halland's delivered county report make the national workspace look like the real thing.
A seeded generator makes every run identical.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from coding import load_codebook
from coding.corpus import CORPUS_DIR, REGISTER_DIR
from survey import store
from survey.questionnaire import engine, types
from survey.questionnaire.model import Question, Questionnaire
from survey.services import autocode, versions
from survey.services.passwords import create_demo_accounts

#: The counties whose coordinators have written their assessments (Halland also delivered).
WRITTEN_COUNTIES = ("13", "10")  # Halland (national coordinator), Blekinge
ROUND_SETTINGS = {
    "2020-06": {"county_deadline": "2020-06-30", "report_due": "2020-07-03"},
    "2020-09": {"report_due": "2020-10-30"},  # the counties deliver when the round closes
}
COMMON_SETTINGS = {"reference_number": "S2020/05273/SOF",
                   "addressee": "Regeringskansliet (Socialdepartementet)",
                   "partners": "Socialstyrelsen och Sveriges Kommuner och Regioner (SKR)"}
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
#: Sentences the questions outside the corpus's areas are written from: each municipality
#: gets one to three of them, in its own order, so no two municipalities have the same text.
#: A share of "Övriga kommentarer" is left empty, as in real answers.
OTHER_TEXTS = {
    "other_contributors": [
        "Individ- och familjeomsorgen har samordnat underlaget.",
        "Skolan och fritidsförvaltningen har bidragit med sina iakttagelser.",
        "Folkhälsostrategen har sammanställt uppgifterna från förvaltningarna.",
        "Kommunpolisen har deltagit i arbetet med lägesbilden.",
        "Vård och omsorg har lämnat underlag om de äldre.",
        "Barn- och utbildningsförvaltningen har beskrivit läget i skolorna.",
        "Arbetsmarknadsenheten har bidragit med uppgifter om unga vuxna.",
        "Kommunens säkerhetssamordnare har varit med och tagit fram svaren.",
        "Socialtjänstens enhetschefer har gått igenom svaren tillsammans.",
        "Räddningstjänsten har bidragit med sin bild av läget i bostadsområdena."],
    "violence_shelter_comment": [
        "Skyddade boenden i regionen har varit fullbelagda under perioden.",
        "Vi har fått placera i andra län när det inte funnits plats i närheten.",
        "Kvinnojouren har haft fler förfrågningar än vanligt.",
        "Väntetiden till ett skyddat boende har blivit längre sedan i våras.",
        "Det saknas platser för kvinnor med missbruk och för medföljande tonårspojkar.",
        "Vi har tecknat avtal om fler platser med en idéburen organisation.",
        "Läget har varit ansträngt men alla som behövt skydd har fått det.",
        "Socialjouren har fått ordna tillfälliga lösningar på hotell."],
    "collaboration_other": [
        "Svenska kyrkan", "lokala idrottsföreningar", "studieförbunden",
        "hyresvärdarna", "föreningen för nattvandrare", "Röda korset",
        "bibliotekets personal", "moskéföreningen", "pensionärsorganisationerna",
        "fritidsgårdarnas personal"],
    "collaboration_description": [
        "Vi har veckovisa avstämningar med polisen och regionens närsjukvård.",
        "En gemensam lägesbild tas fram i kommunens krisledning.",
        "Samverkan sker i det lokala brottsförebyggande rådet.",
        "Med civilsamhällets organisationer har vi en överenskommelse om idéburet "
        "offentligt partnerskap.",
        "Länsstyrelsens nätverk för våld i nära relationer har varit ett viktigt stöd.",
        "Skolan och socialtjänsten träffas varannan vecka om barn som oroar.",
        "Samarbetet med regionen om psykisk hälsa har fördjupats under pandemin.",
        "Fältgruppen och polisen gör gemensamma kvällsturer på helgerna.",
        "Vi har samordnat informationen till hushållen med grannkommunerna.",
        "Samverkan har fungerat väl, men mötena har varit svåra att hålla digitalt."],
    "state_support_needed": [
        "Långsiktiga statsbidrag för sommarjobb och lovaktiviteter i stället för ettåriga.",
        "Tydligare nationell vägledning om hur socialtjänsten kan arbeta uppsökande under "
        "pandemin.",
        "Stöd till kvinnojourer och skyddade boenden.",
        "Informationsmaterial på fler språk.",
        "Besked i god tid om vilka statsbidrag som gäller nästa år.",
        "Mindre administration i redovisningen av riktade bidrag.",
        "Stöd för att nå äldre som lever isolerat.",
        "Fler utbildningsplatser för unga vuxna som står långt från arbetsmarknaden.",
        "Resurser till barn- och ungdomspsykiatrin så att köerna kortas.",
        "Ett samlat kunskapsstöd om våld i nära relationer under kris."],
    "other_comments": [
        "Tack för möjligheten att lämna en lägesbild.",
        "Läget kan förändras snabbt under hösten; vi följer utvecklingen.",
        "Vi svarar gärna på frågor om underlaget.",
        "Svaren bygger på det vi vet i dag och kan behöva kompletteras.",
        "Det har varit svårt att skilja pandemins effekter från andra förändringar.",
        "Vi ser fram emot att ta del av länets samlade bild.",
        "Flera av åtgärderna är tillfälliga och finansieras bara i år.",
        "Personalen har varit hårt belastad under hela perioden."],
}
#: Share of respondents who leave "Övriga kommentarer" empty.
NO_COMMENT = 0.3


def _corpus(codebook: str) -> list[dict]:
    rows = []
    paths = sorted(CORPUS_DIR.glob(f"{codebook}*.jsonl")) + sorted(
        REGISTER_DIR.glob(f"{codebook}*.jsonl"))
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("split") in ("train", "dev"):
                    rows.append(row)
    return rows


class TextPool:
    """Corpus texts per area, drawn without repeating until a pool is used up; a text that
    another municipality already has is joined with a second one, so every municipality's
    text is its own."""

    def __init__(self, rng: random.Random, municipalities: list[dict] | None = None):
        self.rng = rng
        self.risks = self._by_area(_corpus("risks"), AREA_RISK_THEMES)
        self.measures = self._by_area(_corpus("measures"), AREA_MEASURE_THEMES)
        self.used: set[str] = set()
        self.given: set[str] = set()  # every final text handed out
        self.names = _name_pattern(municipalities or [])
        self.municipality: dict | None = None

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
        first = self._own(self._pick(candidates))
        text = first
        for _ in range(20):
            if text not in self.given and len(text) <= MAX_TEXT:
                break
            text = f"{first} {self._own(self._pick(candidates))}"
        else:  # a short text of its own: the municipality's name makes it unique
            text = f"{first[:MAX_TEXT - 80]} Så ser läget ut i {self._name()}."
        self.given.add(text)
        return text

    def compose(self, name: str, sentences: list[str]) -> str | None:
        """One to three of the sentences, in an order no municipality has had yet."""
        if name == "other_comments" and self.rng.random() < NO_COMMENT:
            return None
        joiner = ", " if name == "collaboration_other" else " "
        for attempt in range(40):
            count = min(len(sentences), 1 + attempt // 10 + self.rng.randint(0, 1))
            text = joiner.join(self.rng.sample(sentences, count))
            text = text[:1].upper() + text[1:]
            if text not in self.given:
                break
        else:  # every order taken: the municipality's name makes it its own
            text = f"{text} Så ser det ut i {self._name()}."
        self.given.add(text)
        return text

    def _name(self) -> str:
        return self.municipality["name"] if self.municipality else "kommunen"

    def _pick(self, candidates: list[dict]) -> str:
        fresh = [r for r in candidates if r["id"] not in self.used] or candidates
        row = self.rng.choice(fresh)
        self.used.add(row["id"])
        return row["text"]

    def _own(self, text: str) -> str:
        """The text with any municipality's name replaced by this municipality's own."""
        if self.names is None or self.municipality is None:
            return text
        own = self.municipality["name_short"]
        return self.names.sub(lambda m: own + ("s" if m.group(2) and not own.endswith("s")
                                                else ""), text)


#: Longest demo text: the questionnaire's free texts take at most 1000 characters.
MAX_TEXT = 950


def _name_pattern(municipalities: list[dict]) -> re.Pattern | None:
    """Municipality names as whole, capitalised words, with an optional genitive s."""
    names = sorted({m["name_short"] for m in municipalities}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(s)?(?![\w-])")


@dataclass
class Summary:
    links: list[tuple[str, str, str]] = field(default_factory=list)  # municipality, round, url
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    accounts: list[dict] = field(default_factory=list)
    base_url: str = ""
    coded: int = 0
    reviewed: tuple[int, int] = (0, 0)  # answers reviewed, of which double-coded
    example: tuple[str, str] | None = None  # a municipality still answering, and its link

    def lines(self, links_file: Path | None = None) -> list[str]:
        """What was built: counts per round, then the links of Halland's municipalities
        (all of them are in ``links_file`` when given). The accounts are in ``block``."""
        out = [f"round {round_id}: " + ", ".join(f"{k} {v}" for k, v in counts.items())
               for round_id, counts in self.counts.items()]
        if self.coded:
            out.append(f"auto-coded themes stored: {self.coded}; reviewed answers: "
                       f"{self.reviewed[0]}, double-coded: {self.reviewed[1]}")
        september = [(name, url) for name, round_id, url in self.links if round_id == "2020-09"]
        if links_file is not None:
            out.append(f"Länkar för alla {len(september)} kommuner (omgång 2020-09) / links "
                       f"for every municipality: {links_file}")
        shown = [(name, url) for name, url in september if name in HALLAND] or september[:6]
        out.append("Länkar för kommunerna i Hallands län (omgång 2020-09) / links:")
        out += [f"  {name}: {url}" for name, url in shown]
        return out

    def block(self, outbox: str | None = None) -> list[str]:
        """The few lines someone who just ran `make run` needs, printed last: where to go and
        how to log in."""
        rule = "─" * 72
        out = [rule, f"Lägesbild-demon / the demo: {self.base_url}/"]
        if self.example:
            out.append(f"Svara som / answer as {self.example[0]}: {self.example[1]}")
        if self.accounts:
            out.append(f"Samordnare loggar in på / coordinators log in at "
                       f"{self.base_url}/samordna/logga-in")
            out.append("(lösenorden är nya vid varje start / new passwords on every run)")
            out += [f"  {a['email']}  {a['password']}  ({a['name']})" for a in self.accounts]
        if outbox:
            out.append(f"E-post skrivs till utkorgen / mail goes to the outbox: {outbox}")
        out += ["Avsluta med Ctrl+C / stop with Ctrl+C.", rule]
        return out

    def links_csv(self) -> str:
        """Every link of the open round, one municipality a line (for the links file)."""
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["municipality_name", "url"])
        writer.writerows((name, url) for name, round_id, url in self.links
                         if round_id == "2020-09")
        return out.getvalue()


#: The demo's own county (its coordinators wrote assessments and reviewed codes): the links
#: printed on the terminal are its municipalities'.
HALLAND = ("Halmstads kommun", "Laholms kommun", "Hylte kommun", "Falkenbergs kommun",
           "Varbergs kommun", "Kungsbacka kommun")

def build(path: Path, base_url: str = "http://127.0.0.1:5000", everyone: bool = False,
          seed: int = 2020, autocode: bool = False,
          counties: tuple[str, ...] | None = None) -> Summary:
    """Replace the database at ``path`` with the demo rounds; ``autocode`` codes every
    submitted answer with the real coder, as submitting through the web would.

    All 290 municipalities are invited (``counties`` narrows that, for quick tests);
    ``everyone`` has all of them submit in September too (benchmarks)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = store.connect(path)
    # A demo database is rebuilt from scratch, never the only copy of anything: no fsync
    # per save (synchronous FULL would make the 290 x 2 responses take minutes on a slow
    # disk). The server opens its own connections with the durable settings.
    db.execute("PRAGMA synchronous = OFF")
    store.mark_as_demo(db)
    store.init(db)
    questionnaire = versions.import_file(db, versions.PACKAGED_DIR / "lagesbild-2020.yaml")
    closes = (date.today() + timedelta(days=45)).isoformat()
    store.create_round(db, "2020-06", "Lägesbild juni 2020", questionnaire.hash,
                       "2020-06-15", "2020-07-03")
    store.create_round(db, "2020-09", "Lägesbild september 2020 (uppföljning)",
                       questionnaire.hash, "2020-09-01", closes, follows="2020-06")
    everywhere = store.municipalities(db)
    invited = everywhere if counties is None else [
        m for county in counties for m in store.municipalities(db, county)]
    rng = random.Random(seed)
    texts = TextPool(rng, everywhere)
    summary = Summary(base_url=base_url)
    summary.accounts = _demo_accounts(db)
    for round_id in ("2020-06", "2020-09"):
        settings = {"county_deadline": closes, **ROUND_SETTINGS[round_id]}
        store.set_round_report_settings(db, round_id, **COMMON_SETTINGS, **settings,
                                        actor="demo")
        counts = {store.SUBMITTED: 0, store.DRAFT: 0, store.NOT_STARTED: 0}
        for index, municipality in enumerate(invited):
            texts.municipality = municipality
            token, token_hash = store.new_token()
            store.add_invitation(db, round_id, municipality["code"], token_hash)
            summary.links.append((municipality["name"], round_id, f"{base_url}/s/{token}"))
            status = _demo_status(round_id, index, everyone)
            counts[status] += 1
            if status == store.DRAFT and round_id == "2020-09" and (
                    summary.example is None or municipality["county_code"] == "13"
                    and summary.example[0] not in HALLAND):
                summary.example = summary.links[-1][::2]  # (name, url), Halland's if any
            if status == store.NOT_STARTED:
                continue
            answers = generate_answers(questionnaire, rng, texts, municipality, round_id,
                                       complete=status == store.SUBMITTED)
            _store(db, round_id, municipality["code"], answers, status, questionnaire)
        summary.counts[round_id] = counts
    if autocode:
        summary.coded = _autocode(db)
        summary.reviewed = _review(db, random.Random(seed + 1), invited)
    _compile(db, invited)
    db.conn.close()
    return summary


#: Written assessments of the demo counties (plain paragraphs and "- " lists, as typed).
ASSESSMENTS = {
    None: ("Länsstyrelsens samlade bedömning är att läget i {county} är fortsatt ansträngt "
           "men stabilt. Flera kommuner beskriver att våld i nära relationer och psykisk "
           "ohälsa bland unga har ökat under hösten, medan arbetslösheten bland unga vuxna "
           "är den risk som oroar mest inför vintern.\n\n"
           "Kommunerna har ställt om sina verksamheter snabbt. Det som särskilt lyfts är:\n"
           "- uppsökande arbete och fältverksamhet i samverkan med polisen\n"
           "- digitala kontaktvägar till socialtjänsten\n"
           "- utökade lovaktiviteter för barn och unga"),
    "violence": ("Länsstyrelsen bedömer att risken för våld i nära relationer har ökat. "
                 "Kvinnojourerna i länet vittnar om fler kontakter, och flera kommuner "
                 "beskriver att skyddade boenden har varit fullbelagda."),
    "unemployment": ("Arbetslösheten bland unga vuxna är den risk som flest kommuner i "
                     "{county} bedömer som hög. Länsstyrelsen ser ett behov av långsiktiga "
                     "insatser snarare än ettåriga projekt."),
}
DEMO_SOURCES = (
    ("2020-09-15", "Länets nätverk för våld i nära relationer", "network_meeting",
     "Nätverksmötet bekräftade bilden av fler kontakter med kvinnojourerna och ett "
     "ansträngt läge för skyddade boenden."),
    ("2020-09-22", "Polisregion Väst", "police",
     "Polisen ser fler larm om oro i bostadsområden under kvällstid men ingen ökning av "
     "anmäld grov brottslighet."),
)


def _compile(db, invited: list[dict]) -> None:
    """The counties' compilations of the open round: written assessments for two counties,
    a network meeting and the police as other sources, Halland's report delivered; the
    national coordinator's synthesis."""
    round_id = "2020-09"
    present = {m["county_code"] for m in invited}
    names = {c["code"]: c["name"] for c in store.counties(db)}
    for county in WRITTEN_COUNTIES:
        if county not in present:
            continue
        actor = f"Länssamordnare {names[county]}"
        for area, text in ASSESSMENTS.items():
            store.save_assessment(db, round_id, county, area,
                                  text.format(county=names[county]), None, actor)
        for date_, source_actor, kind, summary in DEMO_SOURCES:
            store.add_source(db, round_id, county, date_, source_actor, kind, summary, actor)
    if "13" in present:
        store.deliver(db, round_id, "13", "Länssamordnare Hallands län")
    store.save_assessment(
        db, round_id, None, None,
        "Länsstyrelserna bedömer att den sociala situationen i landet är fortsatt "
        "ansträngd. Flera län beskriver fler kontakter om våld i nära relationer och en "
        "oro för ungas psykiska hälsa och arbetslöshet inför vintern.\n\n"
        "Skillnaderna mellan länen är stora: storstadslänen beskriver oro i "
        "bostadsområden, medan glesbygdslänen lyfter isolering bland äldre.",
        None, "Nationell samordnare")


#: The demo's two coders: Halland's county coordinator reviews (primary), the national
#: coordinator codes a share of the same answers blind, as a second opinion.
PRIMARY_REVIEWER = "halland@lansstyrelsen-halland.example"
SECOND_CODER = "nationell@lansstyrelsen-halland.example"
REVIEW_COUNTY, REVIEW_ROUND = "13", "2020-09"
#: How often a person departs from the coder: rejects what it accepted, accepts what it
#: rejected, adds a theme it missed; and how often the second coder judges a theme otherwise.
OVERRULE, RESCUE, ADD, DISAGREE = 0.12, 0.1, 0.15, 0.15


def _reviewer(db, email: str) -> store.Reviewer:
    user = store.user_by_email(db, email)
    return store.Reviewer(user["id"], f"{user['name']} ({user['email']})")


def _review(db, rng: random.Random, invited: list[dict]) -> tuple[int, int]:
    """Human review decisions on Halland's September answers, as the agreement page needs
    them: the county coordinator accepts, rejects and adds themes on two coded answers in
    three and marks them done (the third is left for whoever tries the review page); the
    national coordinator codes every second reviewed answer blind, agreeing most of the
    time. Returns (answers reviewed, answers double-coded)."""
    if REVIEW_COUNTY not in {m["county_code"] for m in invited}:
        return 0, 0
    primary, second = _reviewer(db, PRIMARY_REVIEWER), _reviewer(db, SECOND_CODER)
    responses = {r["id"] for r in store.responses_for_round(db, REVIEW_ROUND, REVIEW_COUNTY)}
    items = [item for item in autocode.round_answers(db, REVIEW_ROUND, submitted_only=True)
             if item[0] in responses]
    items = [item for index, item in enumerate(items) if index % 3 != 2]  # a third left
    books = {name: load_codebook(name).theme_ids for name in {item[2] for item in items}}
    double = 0
    for index, (response_id, question, codebook, _text) in enumerate(items):
        present = _primary_review(db, rng, primary, response_id, question, codebook,
                                  books[codebook])
        if index % 2 == 0:
            _blind_review(db, rng, second, response_id, question, codebook, present,
                          books[codebook])
            double += 1
    return len(items), double


def _primary_review(db, rng: random.Random, who: store.Reviewer, response_id: int,
                    question: str, codebook: str, themes: list[str]) -> set[str]:
    """Decide every suggestion, overrule the coder now and then, maybe add a theme, mark the
    answer done; the themes the person found present."""
    codes = store.codes_for_answer(db, response_id, question)
    for code in codes:
        status = code["status"]
        if status == store.TO_REVIEW:
            accept = rng.random() < 0.3 + 0.6 * (code["score"] or 0)
            store.decide(db, code["id"], "accept" if accept else "reject", who)
        elif status == store.AUTO_ACCEPTED and rng.random() < OVERRULE:
            store.decide(db, code["id"], "reject", who)
        elif status == store.AUTO_REJECTED and rng.random() < RESCUE:
            store.decide(db, code["id"], "accept", who)
    missing = [t for t in themes if t not in {c["code"] for c in codes}]
    if missing and rng.random() < ADD:
        store.add_code(db, response_id, question, codebook, rng.choice(missing), who)
    store.mark_done(db, response_id, question, codebook, who)
    return {c["code"] for c in store.codes_for_answer(db, response_id, question)
            if c["status"] in store.PRESENT_STATUSES}


def _blind_review(db, rng: random.Random, who: store.Reviewer, response_id: int,
                  question: str, codebook: str, present: set[str], themes: list[str]) -> None:
    """A second opinion on the themes the first person or the coder raised: the same
    judgment most of the time, the other one now and then."""
    raised = present | {c["code"] for c in store.codes_for_answer(db, response_id, question)}
    for theme in sorted(raised):
        judged = (theme in present) != (rng.random() < DISAGREE)
        store.blind_decide(db, response_id, question, codebook, theme, judged, who)
    others = [t for t in themes if t not in raised]
    if others and rng.random() < DISAGREE / 2:
        store.blind_decide(db, response_id, question, codebook, rng.choice(others), True, who)
    store.blind_done(db, response_id, question, codebook, who)


def _autocode(db) -> int:
    """Code all submitted answers in one batch per codebook (what on-submit coding does)."""
    items = [item for round_row in store.rounds(db)
             for item in autocode.round_answers(db, round_row["id"], submitted_only=True)]
    return autocode.code_and_store(db, items).codes


def _demo_accounts(db) -> list[dict]:
    """National, county and admin accounts."""
    return create_demo_accounts(db)


#: September's mix: about two thirds submitted by the demo's date, a fifth in draft.
SEPTEMBER_MIX = (store.SUBMITTED, store.DRAFT, store.SUBMITTED, store.NOT_STARTED,
                 store.SUBMITTED, store.SUBMITTED, store.DRAFT, store.SUBMITTED,
                 store.SUBMITTED, store.NOT_STARTED, store.SUBMITTED, store.DRAFT)


def _demo_status(round_id: str, index: int, everyone: bool) -> str:
    if round_id == "2020-06" or everyone:
        return store.SUBMITTED
    return SEPTEMBER_MIX[index % len(SEPTEMBER_MIX)]


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
        return texts.compose(name, OTHER_TEXTS[name])
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
