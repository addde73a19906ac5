"""Personal data in Swedish free-text answers: find it, explain it, mask it.

Municipal officials' answers end up in public reports, and now and then an answer names a
person, gives a personnummer or describes "a 13-year-old girl" so precisely that she can be
identified. `scan()` finds such passages with character offsets into the text as given, so a
reviewer can be shown exactly what to rewrite, and `mask()` replaces them when there is no
time to rewrite. The scanner is tuned for precision on the statistics officials write
(amounts, dates, diary numbers, organisation numbers, age groups): a report full of false
alarms teaches people to ignore the warnings.

    from coding.personal_data import scan, mask
    scan("Ring Anna Andersson på 070-123 45 67.")
    mask("Ring Anna Andersson på 070-123 45 67.")
    # 'Ring [borttaget: uppgift om enskild person] på [borttaget: telefonnummer].'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from personnummer import personnummer as _pnr

__all__ = ["Finding", "KIND_LABELS", "mask", "scan"]


@dataclass(frozen=True)
class Finding:
    """One passage that may be personal data; `text == source[start:end]`."""

    kind: str
    start: int
    end: int
    text: str
    explanation: str
    explanation_en: str


#: Labels used in masks and in the UI. Names are kind 'individual_case', like other details
#: that single out a person; their explanation says that it is a name.
KIND_LABELS: dict[str, dict[str, str]] = {
    "personnummer": {"sv": "personnummer", "en": "personal identity number"},
    "samordningsnummer": {"sv": "samordningsnummer", "en": "coordination number"},
    "phone": {"sv": "telefonnummer", "en": "phone number"},
    "email": {"sv": "e-postadress", "en": "email address"},
    "address": {"sv": "adress", "en": "street address"},
    "individual_case": {"sv": "uppgift om enskild person", "en": "details about an individual"},
}

_EXPLANATIONS: dict[str, tuple[str, str]] = {
    "personnummer": (
        "Personnummer är personuppgifter. Ta bort numret eller skriv om utan att peka ut en "
        "person.",
        "A personal identity number is personal data. Remove the number or rewrite the text "
        "so that it does not point out a person.",
    ),
    "samordningsnummer": (
        "Samordningsnummer är personuppgifter, precis som personnummer. Ta bort numret eller "
        "skriv om utan att peka ut en person.",
        "A coordination number is personal data, just like a personal identity number. Remove "
        "the number or rewrite the text so that it does not point out a person.",
    ),
    "phone": (
        "Ett telefonnummer kan kopplas till en enskild person. Ta bort numret eller hänvisa "
        "till en funktion, till exempel kommunens växel.",
        "A phone number can be linked to an individual. Remove the number or refer to a "
        "function instead, for example the municipality's switchboard.",
    ),
    "email": (
        "En e-postadress kan kopplas till en enskild person. Ta bort adressen eller hänvisa "
        "till en funktionsbrevlåda.",
        "An email address can be linked to an individual. Remove the address or refer to a "
        "shared mailbox instead.",
    ),
    "address": (
        "En gatuadress kan visa var en person bor. Ta bort adressen eller ange bara område "
        "eller kommundel.",
        "A street address can show where a person lives. Remove the address or give only the "
        "area or district.",
    ),
    "age": (
        "Ålder tillsammans med kön eller roll kan peka ut en enskild person. Skriv om så att "
        "ingen enskild person kan pekas ut, till exempel med en åldersgrupp.",
        "An age together with gender or role can point out an individual. Rewrite the text so "
        "that no individual can be identified, for example by using an age group.",
    ),
    "name": (
        "Ett namn pekar ut en enskild person. Ta bort namnet eller skriv om så att ingen "
        "enskild person kan pekas ut.",
        "A name points out an individual. Remove the name or rewrite the text so that no "
        "individual can be identified.",
    ),
}

#: Equal-length overlaps go to the more specific kind (a checksum beats a digit pattern).
_PRIORITY = {
    "personnummer": 0, "samordningsnummer": 0, "email": 1, "phone": 2, "address": 3,
    "individual_case": 4,
}

# --- personnummer and samordningsnummer ------------------------------------------------

_DASHES = r"\-\u2010\u2011\u2013"
_ID_NUMBER = re.compile(
    rf"(?<![\w{_DASHES}+/.,])"
    rf"(?:(?:\d{{2}})?\d{{6}}[{_DASHES}+]\d{{4}}|\d{{12}}|\d{{10}})"
    rf"(?![\w/]|[{_DASHES}+.,]\d)"
)
_CENTURIES = ("18", "19", "20")


def _id_number_kind(raw: str) -> str | None:
    """'personnummer', 'samordningsnummer' or None; the date and the Luhn digit must hold.

    The `personnummer` package does the date and checksum test. It accepts any century in
    the 12-digit forms, so centuries and future dates are checked here: "35121212-1212"
    is nobody's number. Organisation numbers fail by themselves, as their month is >= 20.
    """
    text = re.sub(f"[{_DASHES}]", "-", raw)
    digits = re.sub(r"\D", "", text)
    if len(digits) == 12 and digits[:2] not in _CENTURIES:
        return None
    try:
        number = _pnr.parse(text)
        born = number.get_date()
    except (_pnr.PersonnummerException, ValueError):
        return None
    if born > date.today():
        return None
    return "samordningsnummer" if number.is_coordination_number() else "personnummer"


def _find_id_numbers(text: str) -> list[tuple[str, int, int, str]]:
    found = []
    for match in _ID_NUMBER.finditer(text):
        kind = _id_number_kind(match.group())
        if kind:
            found.append((kind, match.start(), match.end(), kind))
    return found


# --- phone numbers -----------------------------------------------------------------------

_SEP = r"(?:[ \u00a0]?[\-\u2010\u2011\u2013][ \u00a0]?|[ \u00a0])"
_PHONE = re.compile(
    r"(?<![\w+/.,\-\u2013])"
    r"(?P<prefix>(?:\+|00)46[ \u00a0\-]?(?:\(0\)[ \u00a0\-]?)?|0|\(0(?=\d{1,3}\)))"
    rf"(?P<body>[1-9]\d*(?:(?:\)[ \u00a0]?|{_SEP})\d+)*)"
    r"(?!\w|[.,]\d)"
)
_GROUP_SPACE = re.compile(r"[ \u00a0]+\d+$")
#: Non-geographic numbers that belong to organisations (freephone, national, premium rate).
_SERVICE_PREFIXES = ("020", "0770", "0771", "0900", "0939", "0944")
#: Phone-like numbers right after these words are case or diary numbers.
_REFERENCE_CONTEXT = re.compile(
    r"(?:dnr|diarienr|diarienummer|ärendenr|ärendenummer|ärende|referensnummer|löpnr)"
    r"[.:]?[ \u00a0]*$",
    re.IGNORECASE,
)


def _is_phone_number(body: str) -> bool:
    """Whether national digits `0` + body form a Swedish mobile or landline number.

    Mobile numbers have 10 digits (07X XXX XX XX); landlines 8 to 10 including the 0.
    """
    national = "0" + re.sub(r"\D", "", body)
    if national.startswith(_SERVICE_PREFIXES):
        return False
    if national.startswith("07"):
        return len(national) == 10
    return 8 <= len(national) <= 10


def _phone_span(match: re.Match) -> int | None:
    """End offset of the phone number in the match, or None.

    A run of digit groups can continue into the next number ("070-123 45 67 12 barn"):
    space-separated trailing groups are dropped until the rest is a phone number. Groups
    joined by hyphens are one token ("0470-1234-2020") and are never split.
    """
    body = match.group("body")
    while True:
        if _is_phone_number(body):
            return match.start("body") + len(body)
        shorter = _GROUP_SPACE.sub("", body)
        if shorter == body:
            return None
        body = shorter


def _find_phones(text: str) -> list[tuple[str, int, int, str]]:
    found = []
    for match in _PHONE.finditer(text):
        if _REFERENCE_CONTEXT.search(text, max(0, match.start() - 20), match.start()):
            continue
        end = _phone_span(match)
        if end is not None:
            found.append(("phone", match.start(), end, "phone"))
    return found


# --- email -------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}(?![\w\-@])"
)


def _find_emails(text: str) -> list[tuple[str, int, int, str]]:
    return [("email", m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]


# --- street addresses --------------------------------------------------------------------

_UPPER = "A-ZÅÄÖÉÜ"
_LOWER = "a-zåäöéèüáæø"
_STREET_SUFFIX = (
    "gatan|gata|vägen|gränden|gränd|torget|torg|stigen|allén|allé|backen|platsen|plan|"
    "leden|esplanaden|gången|kajen|strand|stranden|terrassen"
)
_MODIFIER = r"(?:Lilla|Stora|Norra|Södra|Östra|Västra|Gamla|Nya|Övre|Nedre|Sankt|S:t)"
_HOUSE_NUMBER = (
    r"\d{1,4}(?:[A-Ha-h]\b|[ \u00a0][A-H]\b)?"
    r"(?:,?[ \u00a0](?:lgh|lägenhet)\.?[ \u00a0]?\d{4})?"
    r"(?:,?[ \u00a0]\d{3}[ \u00a0]?\d{2}(?:[ \u00a0][" + _UPPER + "][" + _LOWER + r"\-]+)?)?"
)
_ADDRESS = re.compile(
    rf"(?<![\w\-])(?:"
    # Storgatan 12, Östra Hamngatan 3, Järnvägsgatan 3 A
    rf"(?:{_MODIFIER}[ \u00a0])?[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}]?[{_LOWER}]+)*"
    rf"(?:{_STREET_SUFFIX})"
    # Lilla Torg 5, Stora Torget 1
    rf"|{_MODIFIER}[ \u00a0](?:{_STREET_SUFFIX.title()})"
    # Gustav Adolfs torg 3, Karl Johans gata 10
    rf"|(?:[{_UPPER}][{_LOWER}]+[ \u00a0])?[{_UPPER}][{_LOWER}]+s[ \u00a0]"
    rf"(?:gata|väg|torg|plan|gränd|allé|backe|stig|plats|park)"
    rf")[ \u00a0](?P<number>{_HOUSE_NUMBER})(?![\w\-]|[.,]\d)"
)
#: Road numbers and plans are not addresses: "Länsväg 153", "Handlingsplan 2024".
_NOT_A_STREET = re.compile(
    r"^(?:läns|riks|europa|motor|lands|cykel|gång|tvär|genom|omfarts)"
    r"|(?:handlings|verksamhets|åtgärds|detalj|översikts|budget|arbets|beredskaps|kris|"
    r"vård|genomförande|kommunikations|utvecklings|aktivitets|behandlings|projekt|tids|"
    r"besluts|kompetens|insats|lektions|studie|kontroll|strategi|likabehandlings|"
    r"jämställdhets|verksamhet|lokal|tillsyns|skydds|säkerhets|samverkans|drift)plan$",
    re.IGNORECASE,
)
#: "Stortorget 20 ungdomar" is a count at a place, not an address.
_COUNT_AFTER = re.compile(
    r"[ \u00a0]+(?:st|stycken|personer|ungdomar|unga|barn|elever|vuxna|män|kvinnor|"
    r"flickor|pojkar|gånger|procent|%|kr|kronor|år|minuter|timmar|dagar|veckor|meter|m|"
    r"km|fall|anmälningar|bilar|deltagare|besökare)\b",
    re.IGNORECASE,
)


def _find_addresses(text: str) -> list[tuple[str, int, int, str]]:
    found = []
    for match in _ADDRESS.finditer(text):
        street = text[match.start():match.start("number")].strip()
        if _NOT_A_STREET.search(street) or _COUNT_AFTER.match(text, match.end()):
            continue
        found.append(("address", match.start(), match.end(), "address"))
    return found


# --- individuals: age with a person noun ---------------------------------------------------

#: Singular person nouns, indefinite and definite. Plurals (flickor, pojkarna, ungdomar,
#: personer) are groups in statistics and are deliberately left out, as is the bare "barn",
#: which is plural as often as singular.
_PERSON_INDEF = (
    "flicka|pojke|tjej|kille|kvinna|man|person|ungdom|elev|tonåring|son|dotter|mamma|"
    "pappa|mor|far|mamma|brukare|patient|klient|pensionär|individ|dam|herre|yngling|"
    "flickebarn|pojkebarn|gosse|änka|änkling|sambo|make|maka|syster|bror|gärningsman|"
    "förälder|vårdnadshavare|ensamkommande|asylsökande|nyanländ|student|medborgare"
)
_PERSON_DEF = (
    "flickan|pojken|tjejen|killen|kvinnan|mannen|personen|ungdomen|eleven|tonåringen|"
    "sonen|dottern|mamman|pappan|modern|fadern|brukaren|patienten|klienten|pensionären|"
    "individen|damen|herren|ynglingen|gossen|änkan|änklingen|sambon|maken|makan|systern|"
    "brodern|gärningsmannen|föräldern|vårdnadshavaren|barnet|studenten|medborgaren|"
    "offret|den ensamkommande|den nyanlände|den asylsökande"
)
_PERSON_NOUN = rf"(?:{_PERSON_DEF}|{_PERSON_INDEF})"
_AGE = r"\d{1,3}(?:[ \u00a0]?[\-\u2013][ \u00a0]?\d{1,3})?"
_ARTICLE = r"(?:(?:en|ett|den|det|min|hans|hennes|deras|vår|er)[ \u00a0]+)"
_AGE_PATTERNS = (
    # en 13-årig flicka, 13-årige pojken, ett 5-årigt barn, den 15-åriga flickan
    rf"{_ARTICLE}?{_AGE}[ \u00a0\-]?årig[ae]?[ \u00a0]+{_PERSON_NOUN}"
    rf"|{_ARTICLE}?{_AGE}[ \u00a0\-]?årigt[ \u00a0]+(?:barn|barnet|offer|offret)",
    # en 17-åring, 17-åringen (but not 70-åringar)
    r"(?:en[ \u00a0]+)?\d{1,3}[ \u00a0\-]?åring(?:en)?",
    # pojken, 15 år; flickan 14 år
    rf"(?:{_PERSON_DEF}),?[ \u00a0]+\d{{1,3}}[ \u00a0]?år(?![ \u00a0]?[\-\u2013])",
    # en flicka på 14 år, en kvinna i 40-årsåldern, en man född 1975
    rf"(?:(?:en|ett)[ \u00a0]+(?:{_PERSON_INDEF}|barn)|{_PERSON_DEF})[ \u00a0]+"
    rf"(?:på[ \u00a0]+\d{{1,3}}[ \u00a0]?år"
    rf"|i[ \u00a0]+(?:(?:tidiga|övre|nedre|sena|mitten[ \u00a0]av)[ \u00a0]+)?"
    rf"\d{{1,2}}0[\-\u2013]?[ \u00a0]?års[ \u00a0]?åldern"
    rf"|född[ \u00a0]+(?:år[ \u00a0]+)?(?:19|20)\d{{2}})",
)
_AGE_CASE = re.compile(
    r"(?<![\w\-])(?:" + "|".join(_AGE_PATTERNS) + r")(?![\w\-\u2013]|[ \u00a0]?[\-\u2013]\d)",
    re.IGNORECASE,
)


_DIGIT = re.compile(r"\d")


def _find_age_cases(text: str) -> list[tuple[str, int, int, str]]:
    # Every form above holds a digit (an age, a decade or a year of birth); most answers
    # hold none, and the long pattern costs half of the whole scan of each save.
    if not _DIGIT.search(text):
        return []
    return [("individual_case", m.start(), m.end(), "age") for m in _AGE_CASE.finditer(text)]


# --- individuals: first name + family name -----------------------------------------------

#: Common first names in Sweden; a name is only flagged when a family name follows.
FIRST_NAMES = frozenset("""
Erik Lars Karl Anders Johan Per Nils Carl Mikael Michael Jan Hans Peter Olof Lennart Gunnar
Sven Fredrik Daniel Bengt Åke Bo Kent Göran Alexander Stefan Magnus Mats Andreas Leif Martin
Thomas Tomas Jonas Mattias Ulf Björn Bertil Henrik Oskar Oscar Niklas Christer Kjell Rolf
Ingemar Stig Roger Håkan Emil Simon Jakob Jacob Gustav Gustaf Axel Viktor Victor Sebastian
Anton Filip Hugo Lucas Lukas William Liam Elias Noah Oliver Adam Isak Leo Ludvig Albin Arvid
Wilhelm Theo Melvin Linus Robin David Kevin Patrik Joakim Tobias Marcus Markus Rasmus Jesper
Pontus Kristian Christian Robert Richard Tommy Roland Kenneth Sten Arne Ove Tore Rune
Torbjörn Jörgen Olle Pelle Kalle Jonathan Alfred Vincent Edvin Felix Mohammed Mohamed
Muhammad Mohammad Ahmed Ahmad Ali Omar Hassan Hussein Ibrahim Yusuf Youssef Abdullah
Mustafa Amir Karim Mehmet Ismail Samir Adnan Khalid Abdi Anna Eva Maria Karin Kristina Lena
Sara Kerstin Emma Ingrid Marie Malin Jenny Birgitta Hanna Inger Linnéa Annika Elin Susanne
Monica Monika Johanna Carina Sofia Ulla Elisabeth Elisabet Helena Camilla Ida Julia Linda
Åsa Anneli Margareta Gunilla Ann Cecilia Anette Louise Therese Frida Matilda Amanda Ebba
Alice Maja Elsa Astrid Wilma Alva Ella Olivia Freja Saga Agnes Lilly Stella Klara Clara Vera
Selma Alma Signe Ellen Felicia Moa Tilda Nora Tove Lisa Emelie Emilie Josefin Jessica Sandra
Caroline Karolina Madeleine Sofie Petra Pia Helén Marianne Britt Siv Barbro Ingela Agneta
Yvonne Katarina Lisbeth Viktoria Victoria Rebecka Ulrika Jennie Mikaela Natalie Fatima
Maryam Mariam Zainab Aisha Amina Leila Layla Yasmin Nour Zahra Ayan Hodan Sahra Ayaan Elif
""".split())
_NAME_PARTICLE = r"(?:(?:von|af|de|van|der|al|el|bin|ibn)[ \u00a0]+)"
_CAPITALISED = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_NAME = re.compile(
    rf"(?<![\w\-])(?P<first>{'|'.join(sorted(FIRST_NAMES, key=len, reverse=True))})"
    rf"(?P<rest>(?:[ \u00a0]+{_NAME_PARTICLE}?{_CAPITALISED}){{1,3}})(?![\w\-])"
)
#: Capitalised words that follow a first name without being a family name: places,
#: organisations and buildings named after people ("Anna Lindhs skola" is not a person).
_NOT_A_FAMILY_NAME = re.compile(
    r"(?:kommun|kommuns|region|regionen|län|läns|stad|stads|kyrka|kyrkan|församling|"
    r"skola|skolan|gymnasiet|gymnasium|förskola|förskolan|gården|gård|sjukhus|sjukhuset|"
    r"huset|hus|hallen|hall|parken|park|centrum|arena|stiftelse|stiftelsen|förening|"
    r"föreningen|institutet|museum|museet|biblioteket|bibliotek|"
    + _STREET_SUFFIX + r")$",
    re.IGNORECASE,
)
_NOT_A_FAMILY_WORD = frozenset({
    "AB", "Sverige", "Stockholm", "Göteborg", "Malmö", "Uppsala", "Polisen", "Region",
    "Kommun", "Socialtjänsten", "Länsstyrelsen", "Försäkringskassan", "Arbetsförmedlingen",
})
_SAINT_BEFORE = re.compile(r"(?:Sankt|S:t|Santa|Sancta)[ \u00a0]+$")
#: "Anna Lindhs skola", "Maria Magdalena församling": named places, not people.
_PLACE_AFTER = re.compile(
    r"[ \u00a0]+(?:skola|gymnasium|förskola|kyrka|församling|sjukhus|gata|väg|torg|plan|"
    r"park|gränd|allé|backe|stig|plats|hus|gård|minne|stiftelse|fond|pris|institut)\b"
)


def _family_name_words(rest: str) -> list[str]:
    """The words after a first name up to the first one that is not part of a name."""
    words = []
    for word in rest.split():
        if word in _NOT_A_FAMILY_WORD or _NOT_A_FAMILY_NAME.search(word):
            break
        words.append(word)
    while words and not words[-1][0].isupper():  # never end on "von"
        words.pop()
    return words


def _find_names(text: str) -> list[tuple[str, int, int, str]]:
    found = []
    for match in _NAME.finditer(text):
        if _SAINT_BEFORE.search(text, max(0, match.start() - 8), match.start()):
            continue
        words = _family_name_words(match.group("rest"))
        end = match.start("rest")
        for word in words:
            end = text.index(word, end) + len(word)
        if not words or _PLACE_AFTER.match(text, end):
            continue
        found.append(("individual_case", match.start(), end, "name"))
    return found


# --- scan and mask -----------------------------------------------------------------------

_FINDERS = (
    _find_id_numbers, _find_emails, _find_phones, _find_addresses, _find_age_cases,
    _find_names,
)


def _resolve_overlaps(
    candidates: list[tuple[str, int, int, str]],
) -> list[tuple[str, int, int, str]]:
    """Keep the longest, then most specific, of overlapping candidates, in text order."""
    ranked = sorted(candidates, key=lambda c: (c[1] - c[2], _PRIORITY[c[0]], c[1]))
    kept: list[tuple[str, int, int, str]] = []
    for cand in ranked:
        if all(cand[2] <= k[1] or cand[1] >= k[2] for k in kept):
            kept.append(cand)
    return sorted(kept, key=lambda c: c[1])


def scan(text: str) -> list[Finding]:
    """Passages of `text` that may be personal data, sorted by start and non-overlapping.

    Offsets are Python str indices into `text` as given, so `text[f.start:f.end] == f.text`.
    """
    if not text:
        return []
    candidates = [c for finder in _FINDERS for c in finder(text)]
    findings = []
    for kind, start, end, reason in _resolve_overlaps(candidates):
        sv, en = _EXPLANATIONS[reason]
        findings.append(Finding(kind, start, end, text[start:end], sv, en))
    return findings


def _mask_label(finding: Finding) -> str:
    """The kind's Swedish label; an unknown kind still masks, as "personuppgift"."""
    return KIND_LABELS.get(finding.kind, {"sv": "personuppgift"})["sv"]


def mask(text: str, findings: list[Finding] | None = None) -> str:
    """`text` with each finding's passage replaced by "[borttaget: <label>]".

    Findings must come from this very text: one whose offsets do not point at its passage
    raises ValueError rather than mask the wrong characters and leak the right ones.
    Overlapping findings are masked as one passage, under the first one's label.
    """
    if findings is None:
        findings = scan(text)
    parts: list[str] = []
    pos = 0
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if text[finding.start:finding.end] != finding.text or finding.start >= finding.end:
            raise ValueError(f"finding {finding.text!r} does not match the text at "
                             f"{finding.start}:{finding.end}")
        if finding.start < pos:  # overlaps the passage already masked
            pos = max(pos, finding.end)
            continue
        parts.append(text[pos:finding.start])
        parts.append(f"[borttaget: {_mask_label(finding)}]")
        pos = finding.end
    parts.append(text[pos:])
    return "".join(parts)
