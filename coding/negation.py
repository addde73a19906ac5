"""Swedish negation scopes (NegEx-style), computed on lowercase word forms, never lemmas.

A cue opens a scope forward to the next terminator or the end of the sentence. Swedish puts
the negation after the finite verb, so "Missbruket har inte ökat" and "Våld ser vi inte" negate
the clause's topic too: a cue right after a finite verb (optionally with a pronoun subject),
and the passive "saknas", also reach back to the start of the clause. Pseudo-cues ("inte
minst", "kan inte uteslutas") are not negations. Whether a negated mention means the theme is
absent or, for deficit themes ("inga sommarjobb"), present is decided by the codebook pattern.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

#: Single words that negate what follows them.
NEGATION_CUES = frozenset({
    "inte", "ej", "icke", "ingen", "inget", "inga", "ingenting", "aldrig", "varken",
    "utan", "saknar", "saknade", "saknat", "sakna", "saknas", "saknades", "avsaknad",
    "knappast", "ingalunda",
})

#: Cues that also negate what comes before them in the clause ("Sommarjobb saknas").
BACKWARD_CUES = frozenset({"saknas", "saknades"})

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
)

#: Words that end a scope ("Inget våld, men missbruket ökar").
TERMINATORS = frozenset({
    "men", "fast", "dock", "däremot", "utom", "förutom", "medan", "samtidigt", "trots",
    "eftersom", "emellertid", "tvärtom", "istället", ";", ":", "(", ")", "!", "?", "–", "—",
})

#: After a comma or "och", these start a new clause and end the scope.
CLAUSE_STARTERS = frozenset({
    "vi", "det", "man", "de", "den", "detta", "dessa", "jag", "samtidigt", "men", "däremot",
    "dock", "även", "också", "vilket", "som", "här", "där", "nu", "just", "många", "flera",
    "socialtjänsten", "polisen", "kommunen", "skolan",
})

#: Finite verbs after which a cue negates the clause's topic too (V2 word order).
FINITE_VERBS = frozenset({
    "är", "var", "har", "hade", "finns", "fanns", "ses", "sågs", "syns", "märks", "märktes",
    "förekommer", "förekom", "ser", "såg", "märker", "märkte", "noterar", "noterade",
    "upplever", "upplevde", "kan", "kunde", "verkar", "tycks", "blir", "blev", "ökar",
    "ökade", "rapporteras", "rapporterades", "uppfattas", "bedöms", "bedömer", "känner",
    "får", "fick", "vet",
})
SUBJECT_PRONOUNS = frozenset({"vi", "man", "de", "jag", "det", "den", "socialtjänsten"})

MAX_FORWARD = 15
MAX_BACKWARD = 10


@dataclass(frozen=True)
class Scope:
    """Tokens [start, end) negated by the cue at token `cue`."""

    start: int
    end: int
    cue: int


def _match_at(words: list[str], i: int, seq: tuple[str, ...]) -> bool:
    return tuple(words[i:i + len(seq)]) == seq


_PSEUDO_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _seq in PSEUDO_CUES:
    _PSEUDO_BY_FIRST.setdefault(_seq[0], []).append(_seq)
_PSEUDO_WORDS = frozenset(_PSEUDO_BY_FIRST)


def _pseudo_spans(words: list[str]) -> set[int]:
    """Token indices that belong to a pseudo-cue."""
    covered: set[int] = set()
    for i, word in enumerate(words):
        if word in _PSEUDO_WORDS:
            for seq in _PSEUDO_BY_FIRST[word]:
                if _match_at(words, i, seq):
                    covered.update(range(i, i + len(seq)))
    return covered


def _ends_scope(words: list[str], i: int, breaks: list[bool]) -> bool:
    word = words[i]
    if breaks[i] or word in TERMINATORS:
        return True
    return word in (",", "och") and i + 1 < len(words) and words[i + 1] in CLAUSE_STARTERS


def negation_scopes(words: list[str], breaks: list[bool]) -> list[Scope]:
    """Scopes for lowercase `words`; `breaks[i]` is True when token i starts a sentence or is
    a line break (both end any scope)."""
    scopes: list[Scope] = []
    if not NEGATION_CUES.intersection(words):
        return scopes
    pseudo = _pseudo_spans(words)
    n = len(words)
    for i, word in enumerate(words):
        if word not in NEGATION_CUES or i in pseudo:
            continue
        end = i + 1
        while end < n and end - i <= MAX_FORWARD and not _ends_scope(words, end, breaks):
            if words[end] == "utan" and end > i + 1:  # "inte X utan Y": Y is affirmed
                break
            end += 1
        start = i + 1
        if word in BACKWARD_CUES or _after_finite_verb(words, i, breaks):
            start = i
            while (start > 0 and i - start < MAX_BACKWARD and not breaks[start]
                   and not _ends_scope(words, start - 1, breaks)):
                start -= 1
        scopes.append(Scope(start, end, i))
    return scopes


def _after_finite_verb(words: list[str], i: int, breaks: list[bool]) -> bool:
    """Is the cue in the V2 slot: right after a finite verb, or verb + pronoun subject?"""
    if i >= 1 and words[i - 1] in FINITE_VERBS and not breaks[i]:
        return i >= 2 and not breaks[i - 1]  # a topic must precede the verb
    if (i >= 2 and words[i - 1] in SUBJECT_PRONOUNS and words[i - 2] in FINITE_VERBS
            and not breaks[i] and not breaks[i - 1]):
        return i >= 3 and not breaks[i - 2]
    return False


def doc_scopes(doc: Doc) -> list[Scope]:
    words = [t.lower_ for t in doc]
    breaks = [t.is_sent_start or "\n" in t.text for t in doc]
    if breaks:
        breaks[0] = False
    return negation_scopes(words, breaks)


if not Doc.has_extension("lagesbild_negations"):
    Doc.set_extension("lagesbild_negations", default=None)


@Language.component("lagesbild_negation")
def negation_component(doc: Doc) -> Doc:
    """Store the negation scopes in `doc._.lagesbild_negations` for the theme rules."""
    doc._.lagesbild_negations = doc_scopes(doc)
    return doc


def is_negated(scopes: list[Scope], start: int, end: int) -> bool:
    """Does any scope cover the first token of the span [start, end)?"""
    return any(s.start <= start < s.end and not (s.cue >= start and s.cue < end)
               for s in scopes)
