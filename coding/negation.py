"""Swedish negation scopes (NegEx-style), computed on lowercase word forms, never lemmas.

A cue opens a scope forward to the next terminator or the end of the sentence. Swedish puts
the negation after the finite verb, so "Missbruket har inte ökat" and "Våld ser vi inte" negate
the clause's topic too: a cue right after a finite verb (optionally with a pronoun subject),
and the passive "saknas", also reach back to the start of the clause. Pseudo-cues ("inte
minst", "kan inte uteslutas") are not negations. Whether a negated mention means the theme is
absent or, for deficit themes ("inga sommarjobb"), present is decided by the codebook pattern.
"""

from __future__ import annotations

from itertools import compress, count
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from coding.tokenview import doc_slot, view

#: Single words that negate what follows them.
NEGATION_CUES = frozenset({
    "inte", "ej", "icke", "ingen", "inget", "inga", "ingenting", "aldrig", "varken",
    "utan", "saknar", "saknade", "saknat", "sakna", "saknas", "saknades", "avsaknad",
    "knappast", "ingalunda",
})

#: Cues that also negate what comes before them in the clause ("Sommarjobb saknas").
BACKWARD_CUES = frozenset({"saknas", "saknades", "oförändrat", "oförändrad", "oförändrade"})

#: "No change" is how officials deny an increase ("Antalet orosanmälningar ligger på samma
#: nivå"): these sequences negate their whole clause, both ways.
STABLE_CUES: tuple[tuple[str, ...], ...] = (
    ("samma", "nivå"), ("oförändrat",), ("oförändrad",), ("oförändrade",),
    ("ingen", "förändring"), ("inte", "förändrats"), ("lika", "många", "som"),
    ("samma", "antal"), ("lugnare",), ("lugnt",), ("är", "normal"), ("är", "normala"),
    # the extent compared with before: "fått sommarjobb i lika stor utsträckning som i fjol"
    ("samma", "utsträckning"), ("samma", "omfattning"), ("lika", "stor", "utsträckning"),
    ("lika", "hög", "grad"),
)

#: Sequences that contain a cue but do not negate (checked before the cues).
PSEUDO_CUES: tuple[tuple[str, ...], ...] = (
    ("inte", "bara"), ("inte", "minst"), ("inte", "enbart"), ("inte", "endast"),
    ("inte", "heller", "minst"), ("utan", "tvekan"), ("utan", "tvivel"),
    ("inte", "minskat"), ("inte", "minskar"), ("inte", "minskade"), ("inte", "avtagit"),
    ("inte", "avtar"), ("inte", "upphört"), ("inte", "förbättrats"), ("inte", "blivit", "bättre"),
    ("inte", "bättre"), ("ingen", "minskning"), ("inga", "minskningar"), ("ingen", "förbättring"),
    ("kan", "inte", "uteslutas"), ("kan", "inte", "utesluta"), ("inte", "uteslutas"),
    ("inte", "utesluta"), ("går", "inte", "att", "utesluta"), ("vet", "inte"),
    ("vet", "vi", "inte"), ("inte", "vet"), ("inte", "säkert"), ("inte", "klart"),
    ("inte", "ovanligt"), ("inte", "sällan"), ("inte", "ovanliga"), ("ingen", "tvekan"),
    ("inte", "tillräckligt"), ("inte", "räcker"), ("räcker", "inte"), ("inte", "räckt"),
    ("räckt", "inte"), ("inte", "alltid"), ("ingen", "aning"),
    ("utan", "också"), ("utan", "även"), ("utan", "dessutom"),
    ("aldrig", "tidigare"), ("aldrig", "förr"),  # "aldrig tidigare så många": a record
)

#: Cues that "utan" later in the clause contrasts with: "inte bara X utan (också) Y".
CONTRAST_OPENERS = frozenset({"inte", "ej", "icke"})

#: Words that end a scope ("Inget våld, men missbruket ökar").
TERMINATORS = frozenset({
    "men", "fast", "dock", "däremot", "utom", "förutom", "medan", "samtidigt", "trots",
    "eftersom", "emellertid", "tvärtom", "istället", ";", ":", "(", ")", "!", "?", "–", "—",
})

#: After a comma or "och", these start a new clause and end the scope.
CLAUSE_STARTERS = frozenset({
    "och", "att", "för", "vi", "det", "man", "de", "den", "detta", "dessa", "jag", "samtidigt",
    "men", "däremot", "dock", "även", "också", "vilket", "som", "här", "där", "nu", "just",
    "många", "flera", "socialtjänsten", "polisen", "kommunen", "skolan",
    # a new predicate about something else: "inga sommarjobb och fler orosanmälningar"
    "fler", "mer", "mera", "ökat", "ökad", "ökade", "ökande", "allt",
    # "… saknat sysselsättning, med stök och skadegörelse som följd"
    "med",
})

#: Finite verbs after which a cue negates the clause's topic too (V2 word order).
FINITE_VERBS = frozenset({
    "är", "var", "har", "hade", "finns", "fanns", "ses", "sågs", "syns", "märks", "märktes",
    "förekommer", "förekom", "ser", "såg", "märker", "märkte", "noterar", "noterade",
    "upplever", "upplevde", "kan", "kunde", "verkar", "tycks", "blir", "blev", "ökar",
    "ökade", "rapporteras", "rapporterades", "uppfattas", "bedöms", "bedömer", "känner",
    "får", "fick", "vet",
})
#: Finite verbs that show a new clause after "och" + subject ("och ungdomarna hänger").
CLAUSE_VERBS = FINITE_VERBS | frozenset({
    "hänger", "ligger", "låg", "går", "gick", "kommer", "kom", "står", "gör", "gjorde", "tar",
    "söker", "sökte", "behöver", "vittnar", "larmar", "rapporterar", "uppger", "berättar",
    "minskar", "minskade", "fortsätter", "växer", "stiger", "steg", "sjunker", "drabbas",
    "mår", "saknar", "riskerar", "befaras", "ska", "skulle", "måste", "vill", "hör", "oroar",
})
#: How many words after "och" may hold the new subject and its verb.
CLAUSE_VERB_REACH = 3
#: A list goes on ("varken skolan, sommarjobben eller fritidsgårdarna finns"): no new clause.
LIST_WORDS = frozenset({",", "och", "eller", "samt", "respektive"})
SUBJECT_PRONOUNS = frozenset({"vi", "man", "de", "jag", "det", "den", "socialtjänsten"})
#: Adverbs that may stand between the finite verb and the cue ("har tyvärr inte kunnat").
SENTENCE_ADVERBS = frozenset({"tyvärr", "ännu", "fortfarande", "alltså", "dock", "heller",
                              "ju", "därför", "egentligen", "faktiskt", "i", "år"})

#: A measure or activity called off ("Nattvandringen har legat nere", "inställda läger")
#: is negated; these reach only the few words around them.
CANCEL_CUES: tuple[tuple[str, ...], ...] = (
    ("legat", "nere"), ("ligger", "nere"), ("låg", "nere"), ("ställdes", "in"),
    ("ställts", "in"), ("ställt", "in"), ("inställd",), ("inställda",), ("inställt",),
    ("pausat",), ("pausats",), ("pausades",), ("stängda",), ("stängd",), ("stängt",),
    ("stängdes",), ("uteblev",), ("uteblivit",),
)
CANCEL_REACH = 4

MAX_FORWARD = 12
MAX_BACKWARD = 8
#: A backward scope (the clause's topic) never reaches past these.
BACKWARD_STOPS = frozenset({",", "och"})


class Scope(NamedTuple):
    """Tokens [start, end) negated by the cue at token `cue` (a named tuple: cheap to
    build)."""

    start: int
    end: int
    cue: int


def _match_at(words: list[str], i: int, seq: tuple[str, ...]) -> bool:
    if len(seq) > 1 and (i + 1 >= len(words) or words[i + 1] != seq[1]):
        return False  # most tries fail on the second word: no slice built for them
    return tuple(words[i:i + len(seq)]) == seq


_PSEUDO_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _seq in PSEUDO_CUES:
    _PSEUDO_BY_FIRST.setdefault(_seq[0], []).append(_seq)
_PSEUDO_WORDS = frozenset(_PSEUDO_BY_FIRST)


def _pseudo_spans(words: list[str], positions: list[int] | None = None) -> set[int]:
    """Token indices that belong to a pseudo-cue (`positions`: where to look)."""
    covered: set[int] = set()
    for i in range(len(words)) if positions is None else positions:
        word = words[i]
        if word in _PSEUDO_WORDS:
            for seq in _PSEUDO_BY_FIRST[word]:
                if _match_at(words, i, seq):
                    covered.update(range(i, i + len(seq)))
    return covered


def _looks_definite(word: str) -> bool:
    """A definite noun ("orosanmälningarna", "våldet", "ungdomarna") can start a new clause;
    a bare indefinite one ("inget missbruk och våld har ...") is more often a second subject
    under the same negation."""
    return len(word) > 3 and word.isalpha() and not word.endswith("het") and (
        word.endswith(("na", "en", "et")))


def _new_clause_after(words: list[str], i: int, breaks: list[bool]) -> bool:
    """Does a subject and a finite verb follow the "och" or comma at i ("inga sommarjobb och
    orosanmälningarna har ökat")?"""
    if not _looks_definite(words[i + 1]):
        return False
    for j in range(i + 2, min(len(words), i + 2 + CLAUSE_VERB_REACH)):
        if breaks[j] or words[j] in TERMINATORS or words[j] in LIST_WORDS:
            return False
        if words[j] in CLAUSE_VERBS:
            return True
    return False


def _ends_scope(words: list[str], i: int, breaks: list[bool]) -> bool:
    word = words[i]
    if breaks[i] or word in TERMINATORS:
        return True
    return word in (",", "och") and i + 1 < len(words) and (
        words[i + 1] in CLAUSE_STARTERS or words[i + 1] in FINITE_VERBS
        or _new_clause_after(words, i, breaks))


_STABLE_FIRST = frozenset(seq[0] for seq in STABLE_CUES)
_CANCEL_FIRST = frozenset(seq[0] for seq in CANCEL_CUES)
_CANCEL_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _seq in CANCEL_CUES:
    _CANCEL_BY_FIRST.setdefault(_seq[0], []).append(_seq)
_ALL_FIRST = NEGATION_CUES | _STABLE_FIRST | _CANCEL_FIRST
_ANY_FIRST = _ALL_FIRST | _PSEUDO_WORDS


def _cancel_scopes(words: list[str], breaks: list[bool], positions: list[int]
                   ) -> list[Scope]:
    scopes = []
    for i in positions:
        if words[i] not in _CANCEL_FIRST:
            continue
        for seq in _CANCEL_BY_FIRST[words[i]]:  # in CANCEL_CUES order
            if _match_at(words, i, seq):
                start = i
                while (start > 0 and i - start < CANCEL_REACH and not breaks[start]
                       and words[start - 1] not in TERMINATORS and words[start - 1] != ","):
                    start -= 1
                end = i + len(seq)
                while (end < len(words) and end - i < CANCEL_REACH + len(seq)
                       and words[end] not in BACKWARD_STOPS
                       and not _ends_scope(words, end, breaks)):
                    end += 1
                scopes.append(Scope(start, end, i))
                break
    return scopes


_STABLE_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _seq in STABLE_CUES:
    _STABLE_BY_FIRST.setdefault(_seq[0], []).append(_seq)


def _is_stable(words: list[str], i: int) -> bool:
    candidates = _STABLE_BY_FIRST.get(words[i])
    return candidates is not None and any(_match_at(words, i, seq) for seq in candidates)


def negation_scopes(words: list[str], breaks: list[bool]) -> list[Scope]:
    """Scopes for lowercase `words`; `breaks[i]` is True when token i starts a sentence or is
    a line break (both end any scope)."""
    scopes: list[Scope] = []
    if _ALL_FIRST.isdisjoint(words):
        return scopes
    # only the few words that can open a cue or a pseudo-cue are looked at
    positions = list(compress(count(), map(_ANY_FIRST.__contains__, words)))  # C-level
    scopes.extend(_cancel_scopes(words, breaks, positions))
    pseudo = _pseudo_spans(words, positions)
    for i in positions:
        word = words[i]
        stable = _is_stable(words, i)
        if not _is_cue(words, i, breaks, stable, pseudo):
            continue
        start = i + 1
        if stable or word in BACKWARD_CUES or _after_finite_verb(words, i, breaks):
            start = _backward_start(words, i, breaks)
        scopes.append(Scope(start, _forward_end(words, i, breaks), i))
    return scopes


def _is_cue(words: list[str], i: int, breaks: list[bool], stable: bool,
            pseudo: set[int]) -> bool:
    """Does the word at i open a scope: a cue or stable sequence, not inside a pseudo-cue,
    and not the contrastive "utan" of "inte X utan Y"?"""
    word = words[i]
    if (word not in NEGATION_CUES and not stable) or i in pseudo:
        return False
    return not (word == "utan" and _contrastive_utan(words, i, breaks))


def _forward_end(words: list[str], i: int, breaks: list[bool]) -> int:
    """End of the scope the cue at i opens: the next terminator, at most MAX_FORWARD on;
    in a relative clause ("unga som inte fått sommarjobb har erbjudits …") also the main
    clause's verb after the relative clause's own verb."""
    end = i + 1
    relative = i > 0 and words[i - 1] in ("som", "vilka") and words[i] in ("inte", "aldrig")
    verb_seen = False
    while end < len(words) and end - i <= MAX_FORWARD and not _ends_scope(words, end, breaks):
        if words[end] == "utan" and end > i + 1:  # "inte X utan Y": Y is affirmed
            break
        if relative and end > i + 1 and words[end] in RELATIVE_END_VERBS:
            if verb_seen or words[end - 1] not in AUXILIARIES:
                break
        if relative and words[end] not in AUXILIARIES:
            verb_seen = True
        end += 1
    return end


#: Finite verbs that end a relative clause's negation when they come after its own verb.
AUXILIARIES = frozenset({"har", "hade", "kan", "kunde", "är", "var", "ska", "skulle", "får",
                         "fick", "vill", "ville", "behöver", "brukar"})
RELATIVE_END_VERBS = AUXILIARIES | frozenset({"finns", "fanns", "blir", "blev", "ses",
                                               "erbjuds", "erbjöds", "får", "behöver"})


def _backward_start(words: list[str], i: int, breaks: list[bool]) -> int:
    """Start of a scope reaching back from the cue at i to the start of its clause."""
    start = i
    while start > 0 and i - start < MAX_BACKWARD and not breaks[start]:
        previous = words[start - 1]
        if previous in BACKWARD_STOPS or previous in TERMINATORS:
            break
        start -= 1
    return start


def _contrastive_utan(words: list[str], i: int, breaks: list[bool]) -> bool:
    """Is the "utan" at i the "but" of "inte (bara) X utan Y", not "without"? Y is affirmed."""
    j = i - 1
    while j >= 0 and i - j <= MAX_FORWARD:
        if words[j] in CONTRAST_OPENERS:
            return True
        if breaks[j + 1] or words[j] in TERMINATORS:
            return False
        j -= 1
    return False


def _after_finite_verb(words: list[str], i: int, breaks: list[bool]) -> bool:
    """Is the cue in the V2 slot: right after a finite verb, or verb + pronoun subject
    (an adverb such as "tyvärr" may stand in between)?"""
    while i >= 2 and words[i - 1] in SENTENCE_ADVERBS and not breaks[i]:
        i -= 1
    if i >= 1 and words[i - 1] in FINITE_VERBS and not breaks[i]:
        # a topic must precede the verb, and a bare pronoun ("vi ser inga") is no topic
        return i >= 2 and not breaks[i - 1] and words[i - 2] not in SUBJECT_PRONOUNS
    if (i >= 2 and _inverted_subject(words[i - 1]) and words[i - 2] in FINITE_VERBS
            and not breaks[i] and not breaks[i - 1]):
        return i >= 3 and not breaks[i - 2]
    return False


def _inverted_subject(word: str) -> bool:
    """A subject after the verb in V2 order: a pronoun, or a definite noun, so a fronted
    object is negated whoever denies it ("Någon ökning av hyresskulderna har bostadsbolaget
    inte sett", as "… har vi inte sett")."""
    return word in SUBJECT_PRONOUNS or _looks_definite(word)


#: A sentence that says the true figures are hidden ("men mörkertalet är stort") does not
#: deny what it mentions: its negations are ignored.
HIDDEN_FIGURE_WORDS = frozenset({"mörkertal", "mörkertalet", "mörkertalen"})


def sentence_ids(sent_starts: list[int]) -> list[int]:
    """Sentence number of every token, from SENT_START values (1 = starts a sentence)."""
    ids, current = [], 0
    for i, start in enumerate(sent_starts):
        if start == 1 and i:
            current += 1
        ids.append(current)
    return ids


def doc_scopes(doc: Doc) -> list[Scope]:
    if not len(doc):
        return []
    tokens = view(doc)
    words = tokens.words
    if _ALL_FIRST.isdisjoint(words):
        return []
    scopes = negation_scopes(words, tokens.breaks)
    if scopes and not HIDDEN_FIGURE_WORDS.isdisjoint(words):
        sentence = tokens.sentence_ids()
        hidden = {sentence[i] for i, w in enumerate(words) if w in HIDDEN_FIGURE_WORDS}
        scopes = [s for s in scopes if sentence[s.cue] not in hidden]
    return scopes


#: Where `doc._.lagesbild_negations` keeps its value (written and read directly).
NEGATIONS_KEY = doc_slot("lagesbild_negations")


@Language.component("lagesbild_negation")
def negation_component(doc: Doc) -> Doc:
    """Store the negation scopes in `doc._.lagesbild_negations` for the theme rules."""
    doc.user_data[NEGATIONS_KEY] = doc_scopes(doc)
    return doc


def is_negated(scopes: list[Scope], start: int, end: int) -> bool:
    """Does any scope cover the first token of the span [start, end)?"""
    return any(s.start <= start < s.end and not (s.cue >= start and s.cue < end)
               for s in scopes)
