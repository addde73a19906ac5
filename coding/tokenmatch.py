"""A small token-sequence matcher indexed by the first word.

spaCy's Matcher tries every pattern at every token and calls back into Python for each
`IN` set test; with a few hundred codebook patterns that cost more than the rest of the
pipeline together. These patterns are simple (LOWER/LEMMA values and sets, a few flags,
optional tokens), so they are compiled here to integer sets and only tried where the first
word can match. The codebook is still validated with spaCy's own pattern schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress, count

from spacy.attrs import LEMMA
from spacy.strings import hash_string
from spacy.tokens import Doc

from coding.tokenview import view

#: Token attributes the matcher reads, in the order of its per-doc columns.
COLUMNS = {"LOWER": 0, "LEMMA": 1, "ORTH": 2, "TEXT": 2, "IS_PUNCT": 3, "IS_DIGIT": 4,
           "LIKE_NUM": 5}
MAX_MATCH_LENGTH = 20


@dataclass(frozen=True)
class Step:
    """One token of a pattern: every test must pass; `optional` = OP '?'."""

    tests: tuple[tuple[int, frozenset[int] | None, frozenset[int] | None], ...]
    optional: bool = False

    def accepts(self, lexeme: tuple[int, ...], lemma: int) -> bool:
        """`lexeme`: the token's form attributes by column (`_lexeme`), `lemma` its lemma."""
        for column, allowed, forbidden in self.tests:
            value = lemma if column == 1 else lexeme[column]
            if (allowed is not None and value not in allowed) or (
                    forbidden is not None and value in forbidden):
                return False
        return True


def _values(value: object, convert: Callable[[str], int]) -> frozenset[int]:
    items = value if isinstance(value, list) else [value]
    return frozenset(convert(str(v)) for v in items)


def compile_step(token: dict, lemma: Callable[[str], str]) -> Step:
    """Turn one spaCy-style token pattern into a Step (values become string hashes)."""
    tests = []
    for key, value in token.items():
        if key == "OP":
            continue
        column = COLUMNS[key]
        if key in ("IS_PUNCT", "IS_DIGIT", "LIKE_NUM"):
            tests.append((column, frozenset({int(bool(value))}), None))
            continue
        def convert(text: str, key: str = key) -> int:
            text = lemma(text) if key == "LEMMA" else text.lower() if key == "LOWER" else text
            return hash_string(text)
        if isinstance(value, dict):
            allowed = _values(value["IN"], convert) if "IN" in value else None
            forbidden = _values(value["NOT_IN"], convert) if "NOT_IN" in value else None
            tests.append((column, allowed, forbidden))
        else:
            tests.append((column, _values(value, convert), None))
    return Step(tuple(tests), optional=token.get("OP") == "?")


class TokenMatcher:
    """Match compiled patterns; `__call__` returns (key, start, end) like spaCy's Matcher,
    with the longest match per pattern and start."""

    def __init__(self) -> None:
        #: per pattern: key, steps, whether a step is optional, and the (column, allowed)
        #: test its second token must pass (a cheap early reject for fixed sequences)
        self._patterns: list[tuple[int, tuple[Step, ...], bool,
                                   tuple[int, frozenset[int]] | None]] = []
        self._index: tuple[dict[int, list[int]], dict[int, list[int]]] = ({}, {})
        self._anywhere: list[int] = []
        self._by_orth: dict[int, tuple[int, ...]] = {}  # orth -> patterns by its LOWER
        #: orth -> its attributes by column (`_lexeme`): a pattern reads only the tokens it
        #: is tried at, so no per-doc column is built
        self._lexemes: dict[int, tuple[int, ...]] = {}

    def __len__(self) -> int:
        return len(self._patterns)

    def add(self, key: int, tokens: list[dict], lemma: Callable[[str], str]) -> None:
        steps = tuple(compile_step(token, lemma) for token in tokens)
        self._by_orth.clear()
        number = len(self._patterns)
        optional = any(step.optional for step in steps)
        self._patterns.append((key, steps, optional,
                               _second_test(steps) if not optional else None))
        firsts = []
        for step in steps:  # the steps a match can start with
            firsts.append(step)
            if not step.optional:
                break
        if not all(_first_test(step) for step in firsts):
            self._anywhere.append(number)
            return
        for step in firsts:
            column, allowed = _first_test(step)
            for value in allowed:
                bucket = self._index[column].setdefault(value, [])
                if number not in bucket:
                    bucket.append(number)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        if not self._patterns or not len(doc):
            return []
        tokens = view(doc)
        orths = tokens.orths
        lemmas = tokens.lemmas if tokens.lemmas is not None else doc.to_array(LEMMA).tolist()
        # the patterns that can start at a token: by its form's LOWER (cached per form, looked
        # up by a C-level map, no key tuple per token), by its LEMMA, and anywhere
        try:
            by_lower = list(map(self._by_orth.__getitem__, orths))
        except KeyError:  # a new form; this also caches its LOWER and flags
            by_lower = [self._by_orth.get(orth) or self._orth_candidates(doc, orth)
                        for orth in orths]
        by_lemma = self._by_lemma(lemmas)
        anywhere = tuple(self._anywhere)
        if anywhere:
            starts: list[int] = list(range(len(orths)))
        else:  # C-level: the few tokens with candidates
            starts = list(compress(count(), by_lower))
            if by_lemma:
                starts = sorted({*starts, *by_lemma})
        found: list[tuple[int, int, int]] = []
        length = len(orths)
        lexemes = self._lexemes
        patterns = self._patterns
        for i in starts:
            candidates = by_lower[i]
            if anywhere or i in by_lemma:
                candidates = tuple(dict.fromkeys(candidates + by_lemma.get(i, ()) + anywhere))
            for number in candidates:  # inlined: a call per start costs more than the tests
                key, steps, optional, second = patterns[number]
                if second is not None:  # most candidates fail on their second token
                    if i + 1 >= length:
                        continue
                    column = second[0]
                    value = lemmas[i + 1] if column == 1 else lexemes[orths[i + 1]][column]
                    if value not in second[1]:
                        continue
                end = _longest(steps, orths, lemmas, lexemes, i, optional)
                if end is not None and end > i:
                    found.append((key, i, end))
        return found

    def _by_lemma(self, lemmas: list[int]) -> dict[int, tuple[int, ...]]:
        """Token position -> the patterns indexed by its LEMMA (few patterns are)."""
        index = self._index[1]
        if not index or index.keys().isdisjoint(lemmas):
            return {}
        return {i: tuple(index[lemmas[i]])
                for i in compress(count(), map(index.__contains__, lemmas))}

    def _orth_candidates(self, doc: Doc, orth: int) -> tuple[int, ...]:
        lexeme = doc.vocab[orth]
        self._lexemes[orth] = _lexeme(orth, lexeme.lower, lexeme.is_punct, lexeme.is_digit,
                                      lexeme.like_num)
        found = self._by_orth[orth] = tuple(self._index[0].get(lexeme.lower, ()))
        return found


def _lexeme(orth: int, lower: int, is_punct: bool, is_digit: bool, like_num: bool
            ) -> tuple[int, ...]:
    """A form's attributes laid out by column (COLUMNS), so a test reads `lexeme[column]`;
    the LEMMA slot is empty: a lemma belongs to the token, not to the form."""
    return (lower, 0, orth, int(is_punct), int(is_digit), int(like_num))


def _first_test(step: Step) -> tuple[int, frozenset[int]] | None:
    """The LOWER or LEMMA value set a step requires (what the index is keyed by), if any."""
    return next(((column, allowed) for column, allowed, _f in step.tests
                 if column in (0, 1) and allowed is not None), None)


def _second_test(steps: tuple[Step, ...]) -> tuple[int, frozenset[int]] | None:
    """A value set the second token of a fixed sequence must be in: a cheap early reject."""
    if len(steps) < 2:
        return None
    return next(((column, allowed) for column, allowed, _f in steps[1].tests
                 if column <= 2 and allowed is not None), None)


def _longest(steps: tuple[Step, ...], orths: list[int], lemmas: list[int],
             lexemes: dict[int, tuple[int, ...]], start: int,
             optional: bool = True) -> int | None:
    """End of the longest match of `steps` at `start`, or None (small backtracking)."""
    length = len(orths)
    if not optional:  # the common case: a fixed sequence
        if start + len(steps) > length:
            return None
        for offset, step in enumerate(steps):
            i = start + offset
            if not step.accepts(lexemes[orths[i]], lemmas[i]):
                return None
        return start + len(steps)
    best: int | None = None
    stack = [(0, start)]
    while stack:
        s, i = stack.pop()
        if s == len(steps):
            best = i if best is None or i > best else best
            continue
        if i - start > MAX_MATCH_LENGTH:
            continue
        step = steps[s]
        if step.optional:
            stack.append((s + 1, i))
        if i < length and step.accepts(lexemes[orths[i]], lemmas[i]):
            stack.append((s + 1, i + 1))
    return best
