"""Theme rules built from a codebook: lemma phrases, token patterns and compound affixes.

Phrases and token patterns run in spaCy's PhraseMatcher/Matcher on the compound-aware lemmas;
affix patterns ("any word containing missbruk", "starting with heder") are checked once per
distinct lemma and cached, so the per-token cost is one dict lookup. Each hit is then read
against the negation scopes and the pattern's negation mode.
"""

from __future__ import annotations

from itertools import compress, count
from operator import attrgetter
from typing import NamedTuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import registry

from coding.codebook import Codebook, Pattern, load_codebook
from coding.direction import (
    DENIED,
    NEGATED_DIRECTIONS,
    UNCHANGED,
    DirectionIndex,
    mention_direction,
    settle_hits,
)
from coding.direction import PRESENT as PRESENT_DIRECTION
from coding.lemmas import CompoundLemmatizer
from coding.negation import NEGATIONS_KEY, doc_scopes, is_negated
from coding.tokenmatch import TokenMatcher
from coding.tokenview import doc_slot, lemma_ids, view

PRESENT = "present"
NEGATED = "negated"
#: A present hit of a `confirm: model` pattern: it needs the model's agreement.
WEAK = "weak"
#: Per theme the strongest hit decides: present over weak over negated.
STATUS_RANK = {PRESENT: 2, WEAK: 1, NEGATED: 0}


class RuleHit(NamedTuple):
    """One rule match: theme, token span, and what it says (present or negated). A named
    tuple: a doc has several, and a frozen dataclass costs more to build than the match."""

    theme: str
    status: str
    start: int
    end: int
    via_negation: bool  # present *because* negated (deficit/absence patterns)
    pattern_line: int
    direction: str = "present"  # coding.direction: increase, decrease, unchanged, ...


@registry.misc("lagesbild_rules.v1")
def codebook_rules(codebook: str) -> Codebook:
    """Config hook: the codebook whose patterns the rules component compiles."""
    return load_codebook(codebook)


_HIT_ORDER = attrgetter("start", "end", "theme")

#: Where `doc._.lagesbild_rule_hits` keeps its value (read and written directly).
HITS_KEY = doc_slot("lagesbild_rule_hits")


class ThemeRules:
    """Pipeline component: finds theme mentions and stores them as `doc._.lagesbild_rule_hits`."""

    def __init__(self, nlp: Language, name: str, codebook: Codebook):
        self.nlp = nlp
        self.name = name
        self.codebook = codebook
        self._compiled = False
        self._patterns: dict[int, tuple[str, Pattern]] = {}
        # one-word terms: (pattern key, kind, value, near role or None)
        self._terms: list[tuple[int, str, str, int | None]] = []
        self._term_cache: dict[int, tuple[tuple[int, int | None], ...]] = {}
        #: pattern key -> its `context` as (exact lemmas, lemma prefixes)
        self._contexts: dict[int, tuple[frozenset[str], tuple[str, ...]]] = {}
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.matcher = TokenMatcher()
        # measures are called off ("har lagts ned"); risks are not (a closed youth centre is
        # the youth_idleness risk itself)
        self._measures = codebook.name == "measures"

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        self._compile()

    def _lemmatizer(self) -> CompoundLemmatizer:
        for _name, component in self.nlp.components:
            if isinstance(component, CompoundLemmatizer):
                return component
        raise ValueError("the theme rules need the lagesbild_compound_lemmatizer component")

    def _lemmatize(self, text: str) -> Doc:
        return self._lemmatizer()(self.nlp.make_doc(text))

    def _lemma(self, word: str) -> str:
        return self._lemmatizer().lemma(word)

    def _compile(self) -> None:
        if self._compiled:
            return
        strings = self.nlp.vocab.strings
        for theme in self.codebook.themes:
            for index, pattern in enumerate(theme.patterns):
                name = f"{theme.id}#{index}"
                key = strings.add(name)
                self._patterns[key] = (theme.id, pattern)
                if pattern.context is not None:
                    exact, prefixes = pattern.context
                    self._contexts[key] = (frozenset(map(self._lemma, exact)), prefixes)
                if pattern.kind == "phrase":
                    self.phrase_matcher.add(name, [self._lemmatize(pattern.value)])
                elif pattern.kind == "tokens":
                    self.matcher.add(key, pattern.value, self._lemma)
                elif pattern.kind == "near":
                    for role, group in enumerate(pattern.value):
                        for word in group:
                            if word.endswith("*"):
                                self._terms.append((key, "prefix", word.rstrip("*"), role))
                            else:
                                self._terms.append((key, "exact", self._lemma(word), role))
                else:
                    self._terms.append((key, pattern.kind, pattern.value, None))
        self._compiled = True

    def _term_keys(self, lemma_id: int, lemma: str) -> tuple[tuple[int, int | None], ...]:
        """(pattern key, near role or None) of every one-word term this lemma satisfies."""
        keys = self._term_cache.get(lemma_id)
        if keys is None:
            found = []
            for key, kind, value, role in self._terms:
                if ((kind == "prefix" and lemma.startswith(value))
                        or (kind == "suffix" and lemma.endswith(value))
                        or (kind == "contains" and value in lemma)
                        or (kind == "exact" and lemma == value)):
                    found.append((key, role))
            keys = tuple(found)
            self._term_cache[lemma_id] = keys
        return keys

    def matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(pattern key, start, end) for every phrase, token, affix and near match."""
        self._compile()
        found = list(self.phrase_matcher(doc))
        if len(self.matcher):
            found.extend(self.matcher(doc))
        if not self._terms or not len(doc):
            return found
        near: dict[int, tuple[list[int], list[int]]] = {}
        cache = self._term_cache
        strings = doc.vocab.strings
        lemmas = lemma_ids(doc)
        try:  # after warm-up every lemma is cached
            per_token = list(map(cache.__getitem__, lemmas))
        except KeyError:
            per_token = [self._term_keys(lemma_id, strings[lemma_id]) for lemma_id in lemmas]
        for i in compress(count(), per_token):  # C-level: most tokens have no term
            for key, role in per_token[i]:
                if role is None:
                    found.append((key, i, i + 1))
                else:
                    near.setdefault(key, ([], []))[role].append(i)
        sentence: list[int] | None = None
        for key, (firsts, seconds) in near.items():
            if firsts and seconds:
                if sentence is None:
                    sentence = view(doc).sentence_ids()
                found.extend(self._near_hits(sentence, key, firsts, seconds))
        return found

    def _near_hits(self, sentence: list[int], key: int, firsts: list[int], seconds: list[int]
                   ) -> list[tuple[int, int, int]]:
        window = self._patterns[key][1].window
        hits = []
        for a in firsts:
            for b in seconds:
                lo, hi = min(a, b), max(a, b)
                if 0 < hi - lo <= window and sentence[lo] == sentence[hi]:
                    hits.append((key, lo, hi + 1))
                    break
        return hits

    def __call__(self, doc: Doc) -> Doc:
        scopes = doc.user_data.get(NEGATIONS_KEY)
        if scopes is None:
            scopes = doc_scopes(doc)
        text = _LazyWords(doc)
        raw = self._raw_matches(doc, text)
        # A mention-mode match says how to read the words it covers: "brist på sommarjobb
        # ser vi inte" is a negated shortage, not a present one via "sommarjobb" alone.
        mentions = [(theme, start, end) for theme, pattern, start, end in raw
                    if pattern.negation == "mention"]
        hits: list[RuleHit] = []
        for theme, pattern, start, end in raw:
            if pattern.negation != "mention" and any(
                    t == theme and s < end and start < e for t, s, e in mentions):
                continue
            reading = self._read(pattern, scopes, text, start, end)
            if reading is not None:
                status, via, direction = reading
                if status == PRESENT and pattern.weak:
                    status = WEAK
                hits.append(RuleHit(theme, status, start, end, via, pattern.line, direction))
        if any(hit.status == NEGATED for hit in hits):
            hits = settle_hits(hits, text.index, NEGATED)
        hits.sort(key=_HIT_ORDER)
        doc.user_data[HITS_KEY] = hits
        return doc

    def _raw_matches(self, doc: Doc, text: _LazyWords) -> list[tuple[str, Pattern, int, int]]:
        raw = []
        for key, start, end in set(self.matches(doc)):  # expanded patterns may repeat
            theme, pattern = self._patterns[key]
            if pattern.exceptions and any(w in pattern.exceptions
                                          for w in text.words[start:end]):
                continue
            if key in self._contexts and not self._in_context(doc, key, start):
                continue
            raw.append((theme, pattern, start, end))
        return raw

    def _in_context(self, doc: Doc, key: int, start: int) -> bool:
        """Does the sentence of token `start` hold a lemma of the pattern's `context`?"""
        exact, prefixes = self._contexts[key]
        tokens = view(doc)
        sentence = tokens.sentence_ids()
        first = last = start
        while first > 0 and sentence[first - 1] == sentence[start]:
            first -= 1
        while last < len(sentence) and sentence[last] == sentence[start]:
            last += 1
        strings = doc.vocab.strings
        for lemma_id in lemma_ids(doc)[first:last]:
            lemma = strings[lemma_id]
            if lemma in exact or (prefixes and lemma.startswith(prefixes)):
                return True
        return False

    def _read(self, pattern: Pattern, scopes, text: _LazyWords, start: int, end: int
              ) -> tuple[str, bool, str] | None:
        """(status, via negation, direction) of one match, or None when it does not count."""
        negated = is_negated(scopes, start, end) if scopes else False
        words, breaks, index = text.words, text.breaks, text.index
        if pattern.negation == "mention":
            direction = mention_direction(words, breaks, start, end, negated,
                                          _stable(scopes, words, start, end),
                                          cancel=self._measures, index=index)
            return (NEGATED if direction in NEGATED_DIRECTIONS else PRESENT), False, direction
        if negated and _stable(scopes, words, start, end):
            # "fritidsgårdarna har samma antal besökare": no change is no deficit
            return NEGATED, False, UNCHANGED
        if index.statement_denied(start, end):
            # "vi ser inte att ungdomarna saknar något att göra": the shortage is denied
            return NEGATED, False, DENIED
        if pattern.negation == "deficit":
            direction = PRESENT_DIRECTION if negated else mention_direction(
                words, breaks, start, end, index=index)
            if direction in NEGATED_DIRECTIONS:  # "färre sommarjobb": a deficit
                direction = PRESENT_DIRECTION
            return PRESENT, negated, direction
        if negated:  # absence: only the negated form counts
            return PRESENT, True, PRESENT_DIRECTION
        return None


class _LazyWords:
    """The document's words, sentence breaks and direction index, built on first use (most
    answers need none of them)."""

    def __init__(self, doc: Doc):
        self._doc = doc
        self._words: list[str] | None = None
        self._breaks: list[bool] = []
        self._index: DirectionIndex | None = None

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words, self._breaks = _words_and_breaks(self._doc)
        return self._words

    @property
    def breaks(self) -> list[bool]:
        self.words  # noqa: B018 - builds both
        return self._breaks

    @property
    def index(self) -> DirectionIndex:
        if self._index is None:
            self._index = DirectionIndex(self.words, self.breaks)
        return self._index


STABLE_CUE_WORDS = frozenset({"samma", "oförändrat", "oförändrad", "oförändrade", "ingen",
                              "lika", "lugnare", "lugnt", "är"})


def theme_status(hits: list[RuleHit]) -> dict[str, str]:
    """Per theme the status of its strongest hit (STATUS_RANK)."""
    status: dict[str, str] = {}
    for hit in hits:
        if hit.theme not in status or STATUS_RANK[hit.status] > STATUS_RANK[status[hit.theme]]:
            status[hit.theme] = hit.status
    return status


def _stable(scopes, words: list[str], start: int, end: int) -> bool:
    """Is the negation covering [start, end) a "no change" phrase (samma nivå, oförändrat)?"""
    for scope in scopes or ():
        if scope.start <= start < scope.end and not start <= scope.cue < end:
            cue = words[scope.cue]
            if cue in STABLE_CUE_WORDS and cue != "ingen" or (
                    cue == "ingen" and scope.cue + 1 < len(words)
                    and words[scope.cue + 1] == "förändring"):
                return True
    return False


def _words_and_breaks(doc: Doc) -> tuple[list[str], list[bool]]:
    """Lowercase forms, and whether each token starts a sentence or is a line break."""
    tokens = view(doc)
    return tokens.words, tokens.breaks


@Language.factory("lagesbild_theme_rules", default_config={
    "rules": {"@misc": "lagesbild_rules.v1", "codebook": "risks"}})
def make_theme_rules(nlp: Language, name: str, rules: Codebook) -> ThemeRules:
    return ThemeRules(nlp, name, rules)

