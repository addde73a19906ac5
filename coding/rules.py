"""Theme rules built from a codebook: lemma phrases, token patterns and compound affixes.

Phrases and token patterns run in spaCy's PhraseMatcher/Matcher on the compound-aware lemmas;
affix patterns ("any word containing missbruk", "starting with heder") are checked once per
distinct lemma and cached, so the per-token cost is one dict lookup. Each hit is then read
against the negation scopes and the pattern's negation mode.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.util import registry

from coding.codebook import Codebook, Pattern, load_codebook
from coding.lemmas import CompoundLemmatizer
from coding.negation import doc_scopes, is_negated

PRESENT = "present"
NEGATED = "negated"


@dataclass(frozen=True)
class RuleHit:
    """One rule match: theme, token span, and what it says (present or negated)."""

    theme: str
    status: str
    start: int
    end: int
    via_negation: bool  # present *because* negated (deficit/absence patterns)
    pattern_line: int


@registry.misc("lagesbild_rules.v1")
def codebook_rules(codebook: str) -> Codebook:
    """Config hook: the codebook whose patterns the rules component compiles."""
    return load_codebook(codebook)


if not Doc.has_extension("lagesbild_rule_hits"):
    Doc.set_extension("lagesbild_rule_hits", default=None)


class ThemeRules:
    """Pipeline component: finds theme mentions and stores them as `doc._.lagesbild_rule_hits`."""

    def __init__(self, nlp: Language, name: str, codebook: Codebook):
        self.nlp = nlp
        self.name = name
        self.codebook = codebook
        self._compiled = False
        self._patterns: dict[int, tuple[str, Pattern]] = {}
        self._affixes: list[tuple[int, str, str, Pattern]] = []  # (key, theme, kind, pattern)
        self._affix_cache: dict[int, tuple[int, ...]] = {}
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.matcher = Matcher(nlp.vocab)

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

    def _token_pattern(self, tokens: list[dict]) -> list[dict]:
        """Lemmatize LEMMA values so authors may write any inflected form."""
        fixed = []
        for token in tokens:
            token = dict(token)
            value = token.get("LEMMA")
            if isinstance(value, str):
                token["LEMMA"] = self._lemma(value)
            elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                token["LEMMA"] = {**value, "IN": [self._lemma(v) for v in value["IN"]]}
            fixed.append(token)
        return fixed

    def _compile(self) -> None:
        if self._compiled:
            return
        strings = self.nlp.vocab.strings
        for theme in self.codebook.themes:
            for index, pattern in enumerate(theme.patterns):
                name = f"{theme.id}#{index}"
                key = strings.add(name)
                self._patterns[key] = (theme.id, pattern)
                if pattern.kind == "phrase":
                    self.phrase_matcher.add(name, [self._lemmatize(pattern.value)])
                elif pattern.kind == "tokens":
                    self.matcher.add(name, [self._token_pattern(pattern.value)])
                else:
                    self._affixes.append((key, theme.id, pattern.kind, pattern))
        self._compiled = True

    def _affix_keys(self, lemma_id: int, lemma: str) -> tuple[int, ...]:
        keys = self._affix_cache.get(lemma_id)
        if keys is None:
            found = []
            for key, _theme, kind, pattern in self._affixes:
                value = pattern.value
                if ((kind == "prefix" and lemma.startswith(value))
                        or (kind == "suffix" and lemma.endswith(value))
                        or (kind == "contains" and value in lemma)):
                    found.append(key)
            keys = tuple(found)
            self._affix_cache[lemma_id] = keys
        return keys

    def matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(pattern key, start, end) for every phrase, token and affix match."""
        self._compile()
        found = list(self.phrase_matcher(doc))
        if len(self.matcher):
            found.extend(self.matcher(doc))
        if self._affixes:
            affix_keys = self._affix_keys
            for token in doc:
                keys = affix_keys(token.lemma, token.lemma_)
                for key in keys:
                    found.append((key, token.i, token.i + 1))
        return found

    def __call__(self, doc: Doc) -> Doc:
        scopes = doc._.lagesbild_negations
        if scopes is None:
            scopes = doc_scopes(doc)
        hits: list[RuleHit] = []
        for key, start, end in self.matches(doc):
            theme, pattern = self._patterns[key]
            if pattern.exceptions and any(t.lower_ in pattern.exceptions
                                          for t in doc[start:end]):
                continue
            negated = is_negated(scopes, start, end) if scopes else False
            if pattern.negation == "mention":
                status, via = (NEGATED, False) if negated else (PRESENT, False)
            elif pattern.negation == "deficit":
                status, via = PRESENT, negated
            elif negated:  # absence: only the negated form counts
                status, via = PRESENT, True
            else:
                continue
            hits.append(RuleHit(theme, status, start, end, via, pattern.line))
        hits.sort(key=lambda h: (h.start, h.end, h.theme))
        doc._.lagesbild_rule_hits = hits
        return doc


@Language.factory("lagesbild_theme_rules", default_config={
    "rules": {"@misc": "lagesbild_rules.v1", "codebook": "risks"}})
def make_theme_rules(nlp: Language, name: str, rules: Codebook) -> ThemeRules:
    return ThemeRules(nlp, name, rules)

