"""Build the coding pipeline from coding/pipeline.cfg for one codebook.

The config names every component; this module registers the one architecture the config
needs (a bag-of-lemmas text classifier) and initializes the components that need data
(lookup tables, compiled rules) without running spaCy's full `nlp.initialize`, which would
re-read the 660,000-entry lemma table for every pipeline.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, TypeVar

import numpy
from spacy import util
from spacy.attrs import LEMMA
from spacy.language import Language
from spacy.ml.extract_ngrams import extract_ngrams
from spacy.strings import hash_string
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain

import coding.negation  # noqa: F401 - registers lagesbild_negation
from coding.codebook import load_codebook
from coding.lemmas import CompoundLemmatizer, shared_lookups
from coding.rules import ThemeRules
from coding.tokenview import lemma_ids

PIPELINE_CONFIG = Path(__file__).with_name("pipeline.cfg")
TEXTCAT = "textcat_multilabel"
T = TypeVar("T")


@registry.architectures("lagesbild.TextCatLemmaBOW.v1")
def build_lemma_bow(exclusive_classes: bool, ngram_size: int, no_output_layer: bool,
                    length: int = 65536, nO: int | None = None, affix_length: int = 0,
                    char_ngrams: int = 0) -> Model:
    """spaCy's TextCatBOW, but on our compound-aware lemmas instead of case-sensitive ORTH,
    so "Missbruket", "missbruk" and "spelmissbruket" share features; with `affix_length`,
    long lemmas also contribute their first and last letters as features, so unseen
    compounds ("spelskulder") share weights with seen ones ("hyresskulder"); with
    `char_ngrams` n, every lemma also gives its character n-grams of length n (measured on
    dev in coding/README.md)."""
    length = 2 ** (length - 1).bit_length()
    features = (lemma_features(ngram_size, affix_length, char_ngrams)
                if affix_length or char_ngrams else extract_ngrams(ngram_size, attr=LEMMA))
    layers: list[Model] = [features, SparseLinear_v2(nO=nO, length=length)]
    if not no_output_layer:
        layers.append(Logistic())
    model = chain(*layers)
    model.attrs["multi_label"] = not exclusive_classes
    return model


def lemma_features(ngram_size: int, affix_length: int, char_ngrams: int = 0) -> Model:
    """Hashed lemma n-grams plus lemma prefix/suffix features, with counts (BOW input)."""
    return Model("lagesbild_lemma_features", _features_forward,
                 attrs={"ngram_size": ngram_size, "affix_length": affix_length,
                        "char_ngrams": char_ngrams, "cache": {}})


#: (affix_length, char_ngrams) -> lemma id -> the lemma's feature keys (itself, then its
#: affixes): a property of the lemma, cached once per process and never saved with a model.
_LEMMA_KEYS: dict[tuple[int, int], dict[int, tuple[int, ...]]] = {}


def _lemma_keys(lemma_id: int, lemma: str, size: int, chars: int = 0) -> tuple[int, ...]:
    keys: tuple[int, ...] = (lemma_id,)
    if size and len(lemma) >= 2 * size and lemma.isalpha():
        keys = keys + (hash_string("<" + lemma[:size]), hash_string(lemma[-size:] + ">"))
    if chars and len(lemma) > chars and lemma.isalpha():
        padded = f"<{lemma}>"
        keys = keys + tuple(hash_string("#" + padded[i:i + chars])
                            for i in range(len(padded) - chars + 1))
    return keys


def _batch_features(arrays: list) -> tuple:
    """(keys, counts, lengths) of several texts' feature keys: per text its distinct keys in
    ascending order with their counts, as `numpy.unique` gives them, in one sort for the
    whole batch instead of one call per text."""
    lengths = numpy.asarray([len(a) for a in arrays], dtype="int64")
    keys = numpy.concatenate(arrays) if arrays else numpy.zeros((0,), dtype="uint64")
    if not len(keys):
        return keys, numpy.zeros((0,), dtype="int64"), numpy.zeros(len(arrays), dtype="int64")
    owners = numpy.repeat(numpy.arange(len(arrays)), lengths)
    order = numpy.lexsort((keys, owners))
    keys, owners = keys[order], owners[order]
    first = numpy.ones(len(keys), dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])
    starts = numpy.flatnonzero(first)
    counts = numpy.diff(numpy.append(starts, len(keys)))
    return keys[first], counts, numpy.bincount(owners[first], minlength=len(arrays))


def _doc_keys(model: Model, unigrams: list[int], strings):
    """Every feature key of one text given its lemma ids, repeats included."""
    size = model.attrs["affix_length"]
    chars = model.attrs.get("char_ngrams", 0)
    cache = _LEMMA_KEYS.setdefault((size, chars), {})
    try:  # C-level lookups and flattening
        per_lemma = list(map(cache.__getitem__, unigrams))
    except KeyError:
        for lemma_id in unigrams:
            if lemma_id not in cache:
                cache[lemma_id] = _lemma_keys(lemma_id, strings[lemma_id], size, chars)
        per_lemma = list(map(cache.__getitem__, unigrams))
    array = numpy.array(list(itertools.chain.from_iterable(per_lemma)), dtype="uint64")
    if model.attrs["ngram_size"] > 1:
        lemmas = numpy.asarray(unigrams, dtype="uint64")
        array = numpy.concatenate([array] + [model.ops.ngrams(n, lemmas) for n in range(
            2, model.attrs["ngram_size"] + 1)])
    return array


def span_scores(textcat_model: Model, doc, ranges: list[tuple[int, int]]):
    """Model probabilities for token ranges of a doc (e.g. its sentences), computed from the
    lemma arrays without building a Doc per range. Rows follow `ranges`."""
    features = textcat_model.layers[0]
    lemmas = lemma_ids(doc)
    keys, counts, lengths = _batch_features(
        [_doc_keys(features, lemmas[start:end], doc.vocab.strings) for start, end in ranges])
    inputs = (keys, counts.astype("float32"), features.ops.asarray1i(lengths.tolist()))
    output = inputs
    for layer in textcat_model.layers[1:]:
        output = layer.predict(output)
    return output


def _features_forward(model: Model, docs, is_train: bool):
    ops = model.ops
    keys, counts, lengths = _batch_features(
        [_doc_keys(model, lemma_ids(doc), doc.vocab.strings) for doc in docs])
    lengths = ops.asarray1i(lengths.tolist())
    vals = counts.astype("float32")

    def backprop(d_output):
        return []

    return (keys, vals, lengths), backprop


#: Config overrides applied by every build_nlp (the classifier comparison sets these).
CONFIG_OVERRIDES: dict[str, Any] = {}


def load_config(codebook: str) -> util.Config:
    return util.load_config(PIPELINE_CONFIG, overrides={
        **CONFIG_OVERRIDES, "components.theme_rules.rules.codebook": codebook})


def training_settings() -> dict[str, Any]:
    return dict(util.load_config(PIPELINE_CONFIG)["lagesbild_training"])


def component(nlp: Language, kind: type[T]) -> T:
    for _name, pipe in nlp.components:
        if isinstance(pipe, kind):
            return pipe
    raise LookupError(kind.__name__)


def build_nlp(codebook: str, with_textcat: bool = True) -> Language:
    """A ready pipeline for `codebook`; the text classifier is added but not trained."""
    book = load_codebook(codebook)
    config = load_config(codebook)
    if not with_textcat:
        config["nlp"]["pipeline"] = [p for p in config["nlp"]["pipeline"] if p != TEXTCAT]
        del config["components"][TEXTCAT]
    nlp = util.load_model_from_config(config, auto_fill=True, validate=True)
    nlp.get_pipe("lemmatizer").initialize(lookups=shared_lookups(nlp.lang))
    component(nlp, CompoundLemmatizer).initialize()
    component(nlp, ThemeRules).initialize()
    if with_textcat:
        textcat = nlp.get_pipe(TEXTCAT)
        for theme_id in book.theme_ids:
            textcat.add_label(theme_id)
    return nlp
