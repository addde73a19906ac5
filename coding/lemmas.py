"""Lemmas that work for Swedish compounds and homographs.

spaCy's Swedish lookup table is case-sensitive ("Ungdomar" stays), has no domain compounds
("spelmissbruket") and picks the wrong reading of some homographs ("drog" -> "droga", "har" ->
"hare"). This component lowercases, looks the word up, falls back to the longest suffix that
the table knows ("spelmissbruket" -> "spel" + "missbruk"), and lets a curated override list win
over both, for whole words and for compound heads alike.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy
from spacy.attrs import IS_SPACE, LEMMA
from spacy.language import Language
from spacy.lookups import Lookups, load_lookups
from spacy.tokens import Doc

from coding.lemma_overrides import LEMMA_OVERRIDES
from coding.tokenview import view

#: Longer "words" (URLs, base64, runs of letters) are not split into compounds: every cut
#: slices the word, so splitting is quadratic in its length.
MAX_COMPOUND_CHARS = 40

_SHARED_LOOKUPS: dict[str, Lookups] = {}
_LEMMA_SETS: dict[int, frozenset[str]] = {}


def shared_lookups(lang: str = "sv") -> Lookups:
    """The lookup tables, loaded once per process (loading takes about a second)."""
    if lang not in _SHARED_LOOKUPS:
        _SHARED_LOOKUPS[lang] = load_lookups(lang, ["lemma_lookup"])
    return _SHARED_LOOKUPS[lang]


def lemma_set(table: Mapping[str, str]) -> frozenset[str]:
    """Every lemma the table produces: a word that is some word's lemma is a base form."""
    key = id(table)
    if key not in _LEMMA_SETS:
        _LEMMA_SETS[key] = frozenset(value.lower() for _key, value in table.items())
    return _LEMMA_SETS[key]


def compound_lemma(word: str, table: Mapping[str, str], overrides: Mapping[str, str],
                   lemmas: frozenset[str] = frozenset(), min_head: int = 5,
                   min_modifier: int = 2) -> str:
    """Lemma of one word: override, base form, table, then the longest known compound head.

    A word that is itself a lemma of other forms stays as it is: the table maps the base
    forms "brist" to "brista" and "aktivitet" to nonsense, while "bristen" -> "brist", and
    rules must see the same lemma for both. `min_head` keeps short, ambiguous heads out
    ("rott", "skap", "kan" give nonsense).
    """
    low = word.lower()
    if low in overrides:
        return overrides[low]
    if low in lemmas:
        return low
    found = table.get(low)
    if found is not None:
        return found.lower()
    if len(low) > MAX_COMPOUND_CHARS:  # not a word: splitting it costs O(length²)
        return low
    for cut in range(min_modifier, len(low) - min_head + 1):
        head = low[cut:]
        if head in overrides:
            return low[:cut] + overrides[head]
        if head in lemmas:
            return low
        found = table.get(head)
        if found is not None:
            return low[:cut] + found.lower()
    return low


class CompoundLemmatizer:
    """Sets `token.lemma_` to the lowercased, compound-aware lemma (cached per word form)."""

    def __init__(self, nlp: Language, name: str, overrides: dict[str, str], min_head: int,
                 min_modifier: int):
        self.nlp = nlp
        self.name = name
        self.overrides = {k.lower(): v.lower() for k, v in {**LEMMA_OVERRIDES,
                                                             **overrides}.items()}
        self.min_head = min_head
        self.min_modifier = min_modifier
        self._table: Mapping[str, str] | None = None
        self._cache: dict[int, int] = {}

    def initialize(self, get_examples=None, *, nlp: Language | None = None) -> None:
        self._table = None
        self._cache.clear()

    @property
    def table(self) -> Mapping[str, str]:
        if self._table is None:
            lookups = None
            if "lemmatizer" in self.nlp.component_names:
                lookups = self.nlp.get_pipe("lemmatizer").lookups
            if lookups is None or not lookups.has_table("lemma_lookup"):
                lookups = shared_lookups(self.nlp.lang)
            self._table = lookups.get_table("lemma_lookup")
        return self._table

    def lemma(self, word: str) -> str:
        table = self.table
        return compound_lemma(word, table, self.overrides, lemma_set(table), self.min_head,
                              self.min_modifier)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        tokens = view(doc)
        cache = self._cache
        try:  # ints, no Token objects; after warm-up nearly every form is cached
            lemmas = list(map(cache.__getitem__, tokens.orths))
        except KeyError:
            strings = doc.vocab.strings
            for orth in tokens.orths:
                if orth not in cache:
                    cache[orth] = strings.add(self.lemma(strings[orth]))
            lemmas = [cache[orth] for orth in tokens.orths]
        doc.from_array([LEMMA], numpy.asarray(lemmas, dtype="uint64").reshape(-1, 1))
        tokens.lemmas = lemmas
        return doc


@Language.factory(
    "lagesbild_compound_lemmatizer",
    default_config={"overrides": {}, "min_head": 5, "min_modifier": 2},
)
def make_compound_lemmatizer(nlp: Language, name: str, overrides: dict[str, str],
                             min_head: int, min_modifier: int) -> CompoundLemmatizer:
    return CompoundLemmatizer(nlp, name, overrides, min_head, min_modifier)


@Language.component("lagesbild_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a new sentence after a line break: answers are often bullet lists without
    full stops, and negation scope and evidence must not run across bullets. (The coding
    pipeline now does this in `lagesbild_sentences`; kept for pipelines built before.)"""
    if not len(doc):
        return doc
    spaces = doc.to_array(IS_SPACE)
    if not spaces.any():  # newlines only ever appear as whitespace tokens
        return doc
    after_break = False
    for i in spaces.nonzero()[0].tolist():
        if "\n" in doc[i].text:
            after_break = True
        if after_break and i + 1 < len(doc) and not spaces[i + 1]:
            doc[i + 1].is_sent_start = True
            after_break = False
    return doc
