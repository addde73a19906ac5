"""Direction of change of a theme mention: increase, decrease, unchanged, present or denied.

Computed on lowercase word forms (never lemmas: "minskad" and "ökad" must not meet in one
lemma table entry) for a theme mention at tokens [start, end).

1. The mention's *clause*: its sentence cut at contrast connectors (men, samtidigt, däremot,
   medan, dock, fast, trots, även om, ";"), at a line break, and at a comma followed by a
   new clause ("…, och vi har inte …", "…, vilket …").
2. Trend cues in that clause (see REGISTER.md, "Trend expressions"): increase (ökat, ökning,
   fler, stigande, högre än, fördubblats …), decrease (minskat, sjönk, färre, nedgång,
   lägsta sedan …), unchanged (oförändrat, stabilt, på samma nivå, i stort sett densamma,
   inga större förändringar …) and denial (inte ökat, ingen ökning, inte sett någon
   ökning, "inte … skulle ha ökat"). A negated increase is a denial; a negated decrease
   ("har inte minskat") is no decrease at all; "inte ökat … snarare minskat" is a decrease.
   The trend verb often stands 8–15 words after its subject ("antalet anmälningar om våld i
   hemmet har minskat"), so the whole clause counts; the cue nearest to the mention wins.
3. Without a trend cue, a mention the negation scopes cover is `denied` (or `unchanged`
   when the negation is a "no change" phrase).
4. A contrast turns a decrease, an unchanged level or a denial into `present`: the hidden
   figure ("men mörkertalet oroar", "vi tror att det finns ett mörkertal"), a suspicion in
   a later contrast clause ("minskat … men vi anar att våldet ökar"), or "vilket inte
   betyder att …". A rise after "men" alone is not enough: "inget ökat missbruk, men
   våldet ökar" is about another theme.

`negated` in a code is true exactly for decrease, unchanged and denied.
"""

from __future__ import annotations

INCREASE = "increase"
DECREASE = "decrease"
UNCHANGED = "unchanged"
PRESENT = "present"
DENIED = "denied"
DIRECTIONS = (INCREASE, DECREASE, UNCHANGED, PRESENT, DENIED)
NEGATED_DIRECTIONS = frozenset({DECREASE, UNCHANGED, DENIED})

INCREASE_WORDS = frozenset({
    "ökat", "ökar", "ökade", "ökats", "ökning", "ökningen", "ökningar", "ökad", "ökande",
    "öka", "stiger", "steg", "stigit", "stigande", "stiga", "vuxit", "växer", "växande",
    "fördubblats", "fördubblades", "fördubblas", "fördubbling", "tredubblats",
    "tredubblades", "förvärrats", "förvärrades", "förvärras", "försämrats", "försämrades",
    "försämras", "eskalerat", "eskalerade", "eskalerar", "fler", "högre",
    "uppgång", "uppgången", "rekordhög", "rekordhögt", "rekordhöga", "grövre", "ökningstakt",
    "blivit_fler", "tilltagit", "tilltar", "tog_fart", "tagit_fart", "mer_än_dubbelt",
})
DECREASE_WORDS = frozenset({
    "minskat", "minskar", "minskade", "minskats", "minskning", "minskningen", "minskningar",
    "minskad", "minska", "sjönk", "sjunkit", "sjunker", "sjunkande", "sjunka", "halverats",
    "halverades", "halveras", "halvering", "dämpats", "dämpades", "dämpas", "avtagit",
    "avtar", "avtog", "färre", "lägre", "nedgång", "nedgången", "rekordlåg", "rekordlågt",
    "rekordlåga", "lägsta", "planat", "gått_ner", "gick_ner", "gått_ned", "gick_ned",
    "tystare", "hälften_så", "backat", "backade", "snarare_minskat", "lugnare",
})
UNCHANGED_SEQUENCES: tuple[tuple[str, ...], ...] = (
    ("samma", "nivå"), ("oförändrad",), ("oförändrat",), ("oförändrade",), ("stabil",),
    ("stabilt",), ("stabila",), ("densamma",), ("detsamma",), ("desamma",),
    ("ingen", "förändring"), ("inga", "förändringar"), ("inga", "större", "förändringar"),
    ("någon", "förändring"), ("några", "förändringar"), ("några", "större", "förändringar"),
    ("i", "linje", "med"), ("lika", "många"), ("lika", "mycket"), ("lika", "stor"),
    ("varken", "mer", "eller", "mindre"), ("ligger", "kvar"), ("legat", "kvar"),
    ("låg", "kvar"), ("små", "förändringar"), ("inte", "förändrats"), ("samma", "antal"),
)
#: A measure called off or never started ("kunde inte genomföras", "har lagts ned"):
#: denied, for codebooks of measures (a closed youth centre is a risk, not a denial).
CANCEL_SEQUENCES: tuple[tuple[str, ...], ...] = (
    ("inte", "genomföras"), ("inte", "genomförts"), ("inte", "kommit", "igång"),
    ("inte", "startat"), ("inte", "kunnat", "genomföras"), ("lagts", "ned"),
    ("lagts", "ner"), ("lades", "ned"), ("lades", "ner"), ("uteblivit",), ("uteblev",),
    ("ställts", "in"), ("ställdes", "in"), ("ställt", "in"), ("inställd",), ("inställda",),
    ("inställt",), ("pausat",), ("pausats",), ("pausades",), ("avbrutits",), ("avbröts",),
    ("legat", "nere"), ("ligger", "nere"),
)
NEGATORS = frozenset({"inte", "ej", "icke", "ingen", "inget", "inga", "aldrig", "knappast",
                      "varken"})
#: "ingen ökning" / "inte sett någon ökning": a negator this many words before an increase.
NEGATOR_REACH = 6
CONTRASTS = frozenset({"men", "samtidigt", "däremot", "medan", "dock", "fast", "trots",
                       "emellertid", ";", "–", "—"})
CLAUSE_OPENERS = frozenset({"och", "vilket", "vilka", "där", "eftersom", "samt", "men"})
HIDDEN_FIGURE = frozenset({"mörkertal", "mörkertalet", "mörkertalen", "mörkertalets"})
#: "… vilket vi inte tolkar som att färre barn far illa": the decrease is not the risk's.
NOT_READ_AS = (("inte", "tolkar"), ("tolkar", "inte"), ("inte", "betyder"),
               ("betyder", "inte"), ("inte", "innebär"), ("innebär", "inte"),
               ("inte", "speglar"), ("speglar", "inte"), ("inte", "säger"))
#: A worry or a rising risk in a contrast clause ("men oron är stor").
WORRY_WORDS = frozenset({"oroar", "befarar", "anar", "misstänker", "farhågor", "dolt",
                         "dolda", "döljer", "insynen"})
MAX_DISTANCE = 20


def _joined(words: list[str], i: int) -> set[str]:
    """The word at i and the two-word forms it starts ("gått_ner")."""
    forms = {words[i]}
    if i + 1 < len(words):
        forms.add(f"{words[i]}_{words[i + 1]}")
        if i + 2 < len(words):
            forms.add(f"{words[i]}_{words[i + 1]}_{words[i + 2]}")
    return forms


_FIRST_WORDS: dict[int, frozenset[str]] = {}


def _sequence_at(words: list[str], i: int, sequences) -> int:
    first = _FIRST_WORDS.get(id(sequences))
    if first is None:
        first = _FIRST_WORDS[id(sequences)] = frozenset(seq[0] for seq in sequences)
    if words[i] not in first:
        return 0
    for seq in sequences:
        if tuple(words[i:i + len(seq)]) == seq:
            return len(seq)
    return 0


def clause_bounds(words: list[str], breaks: list[bool], start: int, end: int
                  ) -> tuple[int, int]:
    """The clause around tokens [start, end): cut at sentence starts, line breaks, contrast
    connectors and a comma opening a new clause."""
    lo = start
    while lo > 0 and not breaks[lo] and not _cuts_before(words, lo):
        lo -= 1
    hi = end
    while hi < len(words) and not breaks[hi] and not _cuts_before(words, hi):
        hi += 1
    return lo, hi


def _cuts_before(words: list[str], i: int) -> bool:
    """Does a new clause start at token i (so tokens before i belong to another clause)?"""
    word = words[i]
    if word in CONTRASTS:
        return True
    if word == "även" and i + 1 < len(words) and words[i + 1] == "om":
        return True
    return word == "," and i + 1 < len(words) and words[i + 1] in CLAUSE_OPENERS


def _cues(words: list[str], lo: int, hi: int) -> list[tuple[int, str]]:
    """(position, kind) of every trend cue in [lo, hi)."""
    cues: list[tuple[int, str]] = []
    i = lo
    while i < hi:
        length = _sequence_at(words, i, UNCHANGED_SEQUENCES)
        if length:
            cues.append((i, UNCHANGED))
            i += length
            continue
        forms = _joined(words, i)
        if words[i] == "snarare" and i + 1 < hi and words[i + 1] in DECREASE_WORDS:
            cues.append((i + 1, "strong_decrease"))
            i += 2
            continue
        if forms & DECREASE_WORDS:
            kind = DECREASE
            if _negated_before(words, lo, i):  # "har inte minskat": no decrease
                kind = ""
            if words[i] == "lägre" and i + 1 < hi and words[i + 1] == "än" and _negated_before(
                    words, lo, i):
                kind = ""
            if kind:
                cues.append((i, kind))
        elif forms & INCREASE_WORDS:
            kind = DENIED if _negated_before(words, lo, i) else INCREASE
            cues.append((i, kind))
        i += 1
    return cues


def _negated_before(words: list[str], lo: int, i: int) -> bool:
    """A negator shortly before the trend word, in the same clause ("inte ökat", "ingen
    ökning", "inte sett någon ökning", "inte märkt att … skulle ha ökat")."""
    j = i - 1
    while j >= lo and i - j <= NEGATOR_REACH:
        if words[j] in NEGATORS:
            return not (j + 1 < len(words) and words[j + 1] in ("bara", "minst", "enbart"))
        j -= 1
    return False


def _contrast_present(words: list[str], breaks: list[bool], lo: int, hi: int,
                      sentence: tuple[int, int]) -> bool:
    """Is a fall or a denial in [lo, hi) contradicted: a hidden figure anywhere in the
    sentence, "inte tolkar som att", or a later contrast clause with a rise or a worry?"""
    first, last = sentence
    if any(w in HIDDEN_FIGURE for w in words[first:last]):
        return True
    if any(_sequence_at(words, k, NOT_READ_AS) for k in range(lo, min(hi + 8, last))):
        return True
    k = hi
    while k < last:
        if words[k] in CONTRASTS or (words[k] == "även" and k + 1 < last
                                     and words[k + 1] == "om"):
            c_lo, c_hi = clause_bounds(words, breaks, k + 1, k + 1)
            clause = words[k + 1:c_hi]
            if any(w in WORRY_WORDS for w in clause):
                return True
            k = max(c_hi, k + 1)
            continue
        k += 1
    return False


def sentence_bounds(breaks: list[bool], i: int) -> tuple[int, int]:
    first = i
    while first > 0 and not breaks[first]:
        first -= 1
    last = i + 1
    while last < len(breaks) and not breaks[last]:
        last += 1
    return first, last


#: Words that can start a trend cue: clauses without any are skipped.
_CUE_WORDS = frozenset(
    {w.split("_")[0] for w in INCREASE_WORDS | DECREASE_WORDS}
    | {seq[0] for seq in UNCHANGED_SEQUENCES} | {seq[0] for seq in CANCEL_SEQUENCES})


class DirectionIndex:
    """The clauses of one doc and the trend cues of each, computed once per doc (a doc has
    many mentions, and most clauses have no trend word at all)."""

    def __init__(self, words: list[str], breaks: list[bool]):
        self.words = words
        self.breaks = breaks
        self.bounds: list[tuple[int, int]] = []
        self.clause: list[int] = []
        start = 0
        for i in range(len(words)):
            if i and (breaks[i] or _cuts_before(words, i)):
                self.bounds.append((start, i))
                start = i
            self.clause.append(len(self.bounds))
        self.bounds.append((start, len(words)))
        self._cues: dict[int, list[tuple[int, str]]] = {}
        self._cancel: dict[int, bool] = {}

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.bounds[self.clause[start]][0], self.bounds[self.clause[end - 1]][1]

    def cues(self, start: int, end: int) -> tuple[int, int, list[tuple[int, str]]]:
        """The clause bounds around [start, end) and the trend cues in them."""
        first, last = self.clause[start], self.clause[end - 1]
        found: list[tuple[int, str]] = []
        for number in range(first, last + 1):
            cues = self._cues.get(number)
            if cues is None:
                lo, hi = self.bounds[number]
                cues = (_cues(self.words, lo, hi)
                        if not _CUE_WORDS.isdisjoint(self.words[lo:hi]) else [])
                self._cues[number] = cues
            found.extend(cues)
        lo, hi = self.span(start, end)
        return lo, hi, found

    def cancelled(self, start: int, end: int) -> bool:
        number = self.clause[start]
        value = self._cancel.get(number)
        if value is None:
            lo, hi = self.bounds[number]
            value = any(_sequence_at(self.words, k, CANCEL_SEQUENCES) for k in range(lo, hi))
            self._cancel[number] = value
        return value


def mention_direction(words: list[str], breaks: list[bool], start: int, end: int,
                      negated: bool = False, stable: bool = False,
                      cancel: bool = False, index: DirectionIndex | None = None) -> str:
    """The direction of the theme mention at [start, end). `negated`: a negation scope
    covers it; `stable`: that negation is a "no change" phrase; `cancel`: a measure called
    off in the clause is denied. `index` (DirectionIndex of the doc) saves recomputing the
    clauses for every mention."""
    index = index or DirectionIndex(words, breaks)
    if cancel and index.cancelled(start, end):
        return DENIED
    lo, hi, found = index.cues(start, end)
    cues = [(pos, kind, start - pos if pos < start else pos - end + 1)
            for pos, kind in found if not start <= pos < end]
    cues = [(pos, kind) for pos, kind, distance in sorted(cues, key=lambda c: (c[2], c[0] < start))
            if distance <= MAX_DISTANCE]
    direction = PRESENT
    if any(kind == "strong_decrease" for _pos, kind in cues):
        direction = DECREASE
    elif cues:
        direction = cues[0][1]  # the nearest to the mention; after it on a tie
    if negated and direction in (PRESENT, INCREASE):
        direction = UNCHANGED if stable else DENIED
    if direction in NEGATED_DIRECTIONS and _contrast_present(
            words, breaks, lo, hi, sentence_bounds(breaks, start)):
        return PRESENT
    return direction


def sentence_direction(words: list[str], breaks: list[bool], first: int, last: int) -> str:
    """A sentence's direction without a known mention (model-only codes): an increase if it
    states one and no fall, else present. A model code is present by construction."""
    kinds = {kind for _pos, kind in _cues(words, first, last)}
    return INCREASE if INCREASE in kinds and not kinds & {DECREASE, UNCHANGED, DENIED} \
        else PRESENT
