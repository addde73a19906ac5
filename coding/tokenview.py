"""The words of a doc, read once and shared by every component of the coding pipeline.

Each component used to call `doc.to_array` and look its strings up again, and spaCy's
sentencizer walks the doc as Token objects: together more time than the tokenizer itself.
Everything a component needs about a token except its lemma is a property of the word form
(lexeme), so it is cached per form; the sentence component below reads the doc's ORTH column
once, sets sentence starts exactly as spaCy's sentencizer plus our line-break rule would, and
keeps the per-token lists in `doc._.lagesbild_view` for the components after it.
"""

from __future__ import annotations

from itertools import accumulate, compress, count

import numpy
from spacy.attrs import IDX, LEMMA, LENGTH, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

#: spaCy's sentence-final characters (what the sentencizer splits on by default).
PUNCT_CHARS = frozenset(Sentencizer.default_punct_chars)

# Per word form flags.
SENT_PUNCT = 1  # one of PUNCT_CHARS
PUNCT = 2  # IS_PUNCT
SPACE = 4  # IS_SPACE
NEWLINE = 8  # whitespace holding a line break

#: orth id -> (lowercase form, flags); ids are string hashes, the same in every vocab.
_FORMS: dict[int, tuple[str, int]] = {}
#: The same, one dict per field: a doc's words and flags are then two C-level maps.
_WORDS: dict[int, str] = {}
_FLAGS: dict[int, int] = {}


#: The word forms seen so far that hold a line break (none: no need to look for them).
NEWLINE_FORMS: set[int] = set()


def _form(doc: Doc, orth: int) -> tuple[str, int]:
    lexeme = doc.vocab[orth]
    text = lexeme.orth_
    flags = ((SENT_PUNCT if text in PUNCT_CHARS else 0) | (PUNCT if lexeme.is_punct else 0)
             | (SPACE if lexeme.is_space else 0)
             | (NEWLINE if lexeme.is_space and "\n" in text else 0))
    if flags & NEWLINE:
        NEWLINE_FORMS.add(orth)
    info = _FORMS[orth] = (lexeme.lower_, flags)
    _WORDS[orth], _FLAGS[orth] = info
    return info


class TokenView:
    """Per token: `orths` (ids), `words` (lowercase forms), `flags`, `starts` (1 where a
    sentence starts), `breaks` (a sentence start or a line break, never token 0), and
    `lemmas` (ids, set by the compound lemmatizer)."""

    __slots__ = ("orths", "words", "flags", "starts", "breaks", "lemmas", "_sentences",
                 "_offsets", "_columns")

    def __init__(self, orths: list[int], words: list[str], flags: list[int],
                 starts: list[int]):
        self.orths = orths
        self.words = words
        self.flags = flags
        self.starts = starts
        breaks = [start == 1 for start in starts]
        if not NEWLINE_FORMS.isdisjoint(orths):  # a form with a line break
            for i in [i for i, flag in enumerate(flags) if flag & NEWLINE]:
                breaks[i] = True
        if breaks:
            breaks[0] = False
        self.breaks = breaks
        self.lemmas: list[int] | None = None
        self._sentences: list[int] | None = None
        self._offsets: tuple[list[int], list[int]] | None = None
        #: the doc's ORTH, IDX and LENGTH columns when the sentence component read them
        self._columns: numpy.ndarray | None = None

    def offsets(self, doc: Doc) -> tuple[list[int], list[int]]:
        """Character offsets where each token starts and ends (no Token objects)."""
        if self._offsets is None:
            if not len(doc):
                self._offsets = ([], [])
            else:  # flat columns: no list per token
                array = (self._columns[:, 1:] if self._columns is not None
                         else doc.to_array([IDX, LENGTH]))
                self._offsets = (array[:, 0].tolist(), (array[:, 0] + array[:, 1]).tolist())
        return self._offsets

    def sentence_ids(self) -> list[int]:
        """Sentence number of every token."""
        if self._sentences is None:
            starts = self.starts
            self._sentences = list(accumulate(
                [0] + [1 if start == 1 else 0 for start in starts[1:]])) if starts else []
        return self._sentences


def _forms(doc: Doc, orths: list[int]) -> tuple[list[str], list[int]]:
    """The lowercase forms and the flags of `orths` (two C-level maps once every form is
    known)."""
    try:
        words = list(map(_WORDS.__getitem__, orths))
    except KeyError:  # a new form
        for orth in orths:
            if orth not in _FORMS:
                _form(doc, orth)
        words = list(map(_WORDS.__getitem__, orths))
    return words, list(map(_FLAGS.__getitem__, orths))


def sentence_starts(flags: list[int], line_breaks: bool = True) -> list[int]:
    """1 where a sentence starts, else -1: spaCy's sentencizer (a token after sentence-final
    punctuation that is no punctuation itself starts a sentence), then a line break starts
    one at the next token that is not whitespace (answers are often lists without full
    stops, and negation and evidence must not run across bullets). `line_breaks` False:
    the caller knows that no token holds one."""
    starts = [-1] * len(flags)
    if not flags:
        return starts
    starts[0] = 1
    after = -1  # only the tokens after sentence-final punctuation are looked at
    for period in compress(count(), map(SENT_PUNCT.__and__, flags)):  # C-level scan
        if period < after:
            continue
        after = period + 1
        while after < len(flags) and flags[after] & (SENT_PUNCT | PUNCT):
            after += 1
        if after < len(flags):
            starts[after] = 1
    if line_breaks and NEWLINE_FORMS and any(map(NEWLINE.__and__, flags)):
        after_break = False
        last = len(flags) - 1
        for i, flag in enumerate(flags):
            if not flag & SPACE:
                continue
            if flag & NEWLINE:
                after_break = True
            if after_break and i < last and not flags[i + 1] & SPACE:
                starts[i + 1] = 1
                after_break = False
    return starts


def doc_slot(name: str) -> tuple:
    """Register the Doc extension `doc._.<name>` and return the `doc.user_data` key spaCy
    keeps its value under: components read and write that key directly, one dict lookup
    instead of an Underscore object per access (spaCy's key format lives here only)."""
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=None)
    return ("._.", name, None, None)


_KEY = doc_slot("lagesbild_view")


@Language.component("lagesbild_sentences")
def sentences_component(doc: Doc) -> Doc:
    """Sentence starts (sentencizer + line breaks) and the doc's TokenView."""
    # one read of the columns: the character offsets are wanted for nearly every answer
    # (evidence), and a second `to_array` costs as much as the first
    columns = doc.to_array([ORTH, IDX, LENGTH]) if len(doc) else None
    orths = columns[:, 0].tolist() if columns is not None else []
    words, flags = _forms(doc, orths)
    starts = sentence_starts(flags, not NEWLINE_FORMS.isdisjoint(orths))
    if starts:
        doc.from_array([SENT_START], numpy.asarray(starts, dtype="int64").astype(
            "uint64").reshape(-1, 1))
    tokens = TokenView(orths, words, flags, starts)
    tokens._columns = columns
    doc.user_data[_KEY] = tokens
    return doc


def view(doc: Doc) -> TokenView:
    """The doc's TokenView; built from the doc's own annotation when the sentence
    component did not run (a doc from another pipeline, or edited since)."""
    found = doc.user_data.get(_KEY)
    if found is not None and len(found.orths) == len(doc):
        return found
    orths = doc.to_array(ORTH).tolist() if len(doc) else []
    words, flags = _forms(doc, orths)
    starts = [1 if s == 1 else -1 for s in doc.to_array(SENT_START).tolist()] if orths else []
    result = TokenView(orths, words, flags, starts)
    doc.user_data[_KEY] = result
    return result



def lemma_ids(doc: Doc) -> list[int]:
    """The doc's lemma ids, as the compound lemmatizer set them."""
    tokens = doc.user_data.get(_KEY)
    if tokens is not None and tokens.lemmas is not None and len(tokens.lemmas) == len(doc):
        return tokens.lemmas
    return doc.to_array(LEMMA).tolist() if len(doc) else []
