"""Training the text classifier from (partly) labelled answers, and tuning its thresholds.

An example's `cats` holds only the decisions someone made: accept = 1.0, reject = 0.0, and
an unreviewed theme is simply absent, which spaCy's textcat_multilabel leaves out of the
loss. Corpus rows are fully labelled (every theme decided). Human-verified examples are
repeated `human_weight` times so that a handful of corrections can outweigh the corpus.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.training import Example as SpacyExample
from spacy.util import fix_random_seed, minibatch
from thinc.api import Adam

from coding.classifier import ModelInfo
from coding.codebook import load_codebook
from coding.combine import Combination, decide
from coding.corpus import LabelledAnswer, load_corpus
from coding.metrics import binary_scores, macro_f1
from coding.pipeline import TEXTCAT, build_nlp, training_settings
from coding.rules import theme_status

THRESHOLD_GRID = [round(0.05 * i, 2) for i in range(1, 20)]
VETO_GRID = [0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3]
#: With human corrections in the training data the veto stays above 0, so a rule hit a
#: person rejected (and the model learned) is overruled even if dev prefers no veto.
MIN_VETO_WITH_CORRECTIONS = 0.02
ACCEPT_GRID = [0.5, 0.6, 0.7, 0.8, 0.9, 1.01]  # 1.01: the model never adds a theme alone
#: What a `confirm: model` rule hit needs from the model; 0 = such hits count like any other.
CONFIRM_GRID = [0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5]
MIN_DEV_POSITIVES = 3


@dataclass(frozen=True)
class TrainingExample:
    text: str
    cats: dict[str, float]  # only decided themes; absent = unreviewed
    source: str = "corpus"  # corpus, file, human


def full_cats(labels: Iterable[str], theme_ids: Sequence[str]) -> dict[str, float]:
    chosen = set(labels)
    return {theme: 1.0 if theme in chosen else 0.0 for theme in theme_ids}


def corpus_examples(codebook: str, splits: Iterable[str] = ("train",)) -> list[TrainingExample]:
    themes = load_codebook(codebook).theme_ids
    return [TrainingExample(row.text, full_cats(row.labels, themes), "corpus")
            for row in load_corpus(codebook, splits)]


def parse_training_line(line: str, theme_ids: Sequence[str]) -> TrainingExample:
    """A JSONL training row: partial {"text", "cats": {theme: 0/1}} (unknown themes absent)
    or fully labelled {"text", "labels": [...]} (every other theme counts as 0)."""
    row = json.loads(line)
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise ValueError("expected an object with a string 'text'")
    known = set(theme_ids)
    if "cats" in row:
        cats = row["cats"]
        if not isinstance(cats, dict):
            raise ValueError("'cats' must be an object {theme: 0 or 1}")
        unknown = set(cats) - known
        if unknown:
            raise ValueError(f"unknown theme(s): {', '.join(sorted(unknown))}")
        values = {}
        for theme, value in cats.items():
            if value not in (0, 1, True, False, 0.0, 1.0):
                raise ValueError(f"'cats.{theme}' must be 0 or 1")
            values[theme] = float(value)
        return TrainingExample(row["text"], values, "file")
    labels = row.get("labels")
    if not isinstance(labels, list):
        raise ValueError("expected 'cats' (partial) or 'labels' (full)")
    unknown = set(labels) - known
    if unknown:
        raise ValueError(f"unknown theme(s): {', '.join(sorted(unknown))}")
    return TrainingExample(row["text"], full_cats(labels, theme_ids), "file")


def examples_from_file(path: str | Path, codebook: str
                       ) -> tuple[list[TrainingExample], list[str]]:
    """Valid examples of a JSONL file, and 'FILE:LINE: message' for invalid lines."""
    themes = load_codebook(codebook).theme_ids
    examples: list[TrainingExample] = []
    errors: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                examples.append(parse_training_line(line, themes))
            except ValueError as exc:
                errors.append(f"{path}:{number}: {exc}")
    return examples, errors


def merge_examples(base: list[TrainingExample], extra: list[TrainingExample]
                   ) -> list[TrainingExample]:
    """Corpus plus human decisions; for the same text, a human's decision on a theme wins."""
    by_text: dict[str, dict[str, float]] = {}
    sources: dict[str, str] = {}
    for example in [*base, *extra]:
        merged = by_text.setdefault(example.text, {})
        merged.update(example.cats)
        if example.source != "corpus" or example.text not in sources:
            sources[example.text] = example.source
    return [TrainingExample(text, cats, sources[text]) for text, cats in by_text.items()]


def train(codebook: str, examples: list[TrainingExample],
          dev: list[LabelledAnswer] | None = None, seed: int = 0, human_weight: int = 3,
          epochs: int | None = None):
    """Train a classifier; returns (nlp, ModelInfo). Deterministic for a given seed."""
    settings = training_settings()
    epochs = epochs if epochs is not None else int(settings["epochs"])
    fix_random_seed(seed)
    book = load_codebook(codebook)
    nlp = build_nlp(codebook)
    textcat = nlp.get_pipe(TEXTCAT)
    usable = [e for e in examples if e.cats and e.text.strip()]
    if not usable:
        raise ValueError("no training examples with any decided theme")
    docs = list(nlp.pipe((e.text for e in usable), disable=[TEXTCAT]))
    spacy_examples = []
    for doc, example in zip(docs, usable, strict=True):
        copies = human_weight if example.source != "corpus" else 1
        spacy_examples.extend([SpacyExample.from_dict(doc, {"cats": example.cats})] * copies)
    textcat.initialize(lambda: spacy_examples, nlp=nlp, labels=book.theme_ids)
    optimizer = Adam(float(settings["learn_rate"]))
    rng = random.Random(seed)
    for _epoch in range(epochs):
        rng.shuffle(spacy_examples)
        for batch in minibatch(spacy_examples, size=int(settings["batch_size"])):
            textcat.update(batch, sgd=optimizer, drop=float(settings["dropout"]))
    corrected = any(e.source != "corpus" for e in usable)
    min_veto = MIN_VETO_WITH_CORRECTIONS if corrected else 0.0
    combination = (tune_combination(nlp, book.theme_ids, dev, min_veto) if dev
                   else Combination())
    info = ModelInfo(version="", codebook=codebook, labels=book.theme_ids,
                     combination=combination,
                     training={"examples": len(usable), "seed": seed, "epochs": epochs,
                               "human_weight": human_weight,
                               "sources": _count_sources(usable),
                               "dev_examples": len(dev or [])})
    return nlp, info


def _count_sources(examples: list[TrainingExample]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for example in examples:
        counts[example.source] = counts.get(example.source, 0) + 1
    return counts


def tune_combination(nlp, labels: list[str], dev: list[LabelledAnswer],
                     min_veto: float = 0.0) -> Combination:
    """Per-label model thresholds, then the global veto, accept floor and confirm level, on
    the dev split."""
    docs = list(nlp.pipe(row.text for row in dev))
    probs = [{label: float(doc.cats.get(label, 0.0)) for label in labels} for doc in docs]
    rules = [_rule_status(doc) for doc in docs]
    thresholds = {}
    for label in labels:
        gold = [label in row.labels for row in dev]
        if sum(gold) < MIN_DEV_POSITIVES:
            thresholds[label] = 0.5
            continue
        best = max(THRESHOLD_GRID, key=lambda t: (
            _rank(binary_scores([p[label] >= t for p in probs], gold).f1), -abs(t - 0.5)))
        thresholds[label] = best
    best_score, best_combo = -1.0, Combination(thresholds=thresholds)
    grid = [(veto, floor, confirm) for veto in VETO_GRID if veto >= min_veto
            for floor in ACCEPT_GRID for confirm in CONFIRM_GRID]
    for veto, floor, confirm in grid:
        combo = Combination(thresholds=thresholds, veto=veto, accept_floor=floor,
                            confirm=confirm)
        score = _macro_f1(labels, dev, [
            {label for label in labels
             if decide(label, rule.get(label), p[label], combo).present}
            for rule, p in zip(rules, probs, strict=True)])
        if score > best_score + 1e-9:
            best_score, best_combo = score, combo
    return best_combo


def _rule_status(doc) -> dict[str, str]:
    return theme_status(doc._.lagesbild_rule_hits or [])


def _rank(score: float | None) -> float:
    """A score to rank candidates by: an undefined one (coding.metrics: None) ranks as 0."""
    return 0.0 if score is None else score


def _macro_f1(labels: list[str], rows: list[LabelledAnswer], predicted: list[set[str]]
              ) -> float:
    """Macro-F1 over the labels present in the rows (coding.metrics), 0 to rank by."""
    return _rank(macro_f1(binary_scores([label in p for p in predicted],
                                        [label in row.labels for row in rows])
                          for label in labels))


def build_default_model(codebook: str, seed: int = 0):
    """The default model: corpus train split, thresholds tuned on dev, fixed seed."""
    examples = corpus_examples(codebook, ("train",))
    if not examples:
        raise ValueError(f"no corpus training rows for codebook '{codebook}'")
    dev = load_corpus(codebook, ("dev",))
    nlp, info = train(codebook, examples, dev=dev, seed=seed)
    info.training["default"] = True
    return nlp, info
