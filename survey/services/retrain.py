"""Retrain the auto-coder from the coordinators' decisions, and keep it only if not worse.

The verified answers (accepted, rejected and added themes; an answer marked done counts as
complete) are split by a hash of their text: four fifths train a new classifier together
with the corpus' training split, one fifth is held out. The model in use and the candidate
are both scored on the held-out answers, only on the themes a person decided (partial
labels), and the candidate replaces the model in use only when its macro-F1 there is at
least as high. Both are also scored on the corpus' dev split, for information.

Training uses the auto-coder's own API (``coding.training.train``, ``coding.classifier``) and
writes versions under ``<instance>/models/<codebook>``, where ``survey.autocode`` and
``lagesbild coding run`` look for the current model.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from coding import clear_cache, get_coder, load_codebook, metrics
from coding.classifier import save_model
from coding.coder import coder_from_nlp
from coding.corpus import load_corpus
from coding.evaluate import evaluate
from coding.metrics import BinaryScores
from coding.training import TrainingExample, corpus_examples, merge_examples, train
from survey import store

MIN_VERIFIED = 10  # fewer verified answers give no meaningful held-out comparison
HOLD_OUT_EVERY = 5  # one answer in five (by text hash) is kept out of training
_LOCK = threading.Lock()


class RetrainError(Exception):
    """Retraining cannot start; the message is Swedish, for the coordinator."""


@dataclass
class Evaluation:
    """A coder scored on verified answers: per theme against what people decided."""

    examples: int
    themes: dict[str, BinaryScores]

    @property
    def macro_f1(self) -> float | None:
        return metrics.macro_f1(self.themes.values())

    @property
    def micro_f1(self) -> float | None:
        return metrics.micro(self.themes.values()).f1


@dataclass
class RetrainResult:
    codebook: str
    old_version: str | None
    new_version: str | None  # None when the candidate was not kept
    replaced: bool
    before: Evaluation
    after: Evaluation
    dev_before: float | None  # corpus dev split macro-F1, for information
    dev_after: float | None
    trained_on: int  # verified answers used for training
    details: dict = field(default_factory=dict)


def held_out(text: str) -> bool:
    """Stable split: the same answer is always on the same side."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return digest[0] % HOLD_OUT_EVERY == 0


def split_examples(examples: list[tuple[str, dict[str, float]]]
                   ) -> tuple[list[tuple[str, dict[str, float]]],
                              list[tuple[str, dict[str, float]]]]:
    train = [e for e in examples if not held_out(e[0])]
    test = [e for e in examples if held_out(e[0])]
    return train, test


def evaluate_partial(coder, examples: list[tuple[str, dict[str, float]]]) -> Evaluation:
    """Score a coder where people decided: an undecided theme is not counted at all."""
    analyses = coder.analyse_many([text for text, _cats in examples])
    cells: dict[str, list[int]] = {t: [0, 0, 0, 0] for t in coder.codebook.theme_ids}
    for (_text, cats), analysis in zip(examples, analyses, strict=True):
        predicted = analysis.labels("combined")
        for theme, value in cats.items():
            if theme not in cells:
                continue
            gold, pred = value >= 0.5, theme in predicted
            index = 0 if gold and pred else 1 if pred else 2 if gold else 3
            cells[theme][index] += 1
    return Evaluation(len(examples), {t: BinaryScores(*c) for t, c in cells.items()})


def not_worse(before: Evaluation, after: Evaluation) -> bool:
    """The candidate may replace the model in use: macro-F1 on held-out verified answers at
    least as high (then micro-F1 as the tie-breaker is not needed: equal is not worse)."""
    old, new = before.macro_f1, after.macro_f1
    if old is None or new is None:
        return (after.micro_f1 or 0.0) >= (before.micro_f1 or 0.0) - 1e-9
    return new >= old - 1e-9


def _dev_macro_f1(coder) -> float | None:

    rows = load_corpus(coder.codebook.name, ("dev",))
    if not rows:
        return None
    reports = evaluate(coder, rows)
    return reports["combined" if "combined" in reports else "rules"].macro_f1


#: The steps of a retraining, in order, as `progress` hears them (a job page shows them).
COLLECTING, TRAINING, EVALUATING, SAVING = "collecting", "training", "evaluating", "saving"


def retrain(db: sqlite_utils.Database, codebook: str, models_root: str | Path,
            seed: int = 0, progress: Callable[[str], None] | None = None) -> RetrainResult:
    """Train a candidate from the verified answers; make it current only if not worse.
    `progress` is told each step as it starts, so a background job can show where it is."""
    if not _LOCK.acquire(blocking=False):
        raise RetrainError("En träning pågår redan. Vänta tills den är klar.")
    try:
        return _retrain(db, codebook, Path(models_root), seed, progress or (lambda _step: None))
    finally:
        _LOCK.release()


def _retrain(db: sqlite_utils.Database, codebook: str, models_root: Path,
             seed: int, progress: Callable[[str], None]) -> RetrainResult:
    progress(COLLECTING)
    themes = load_codebook(codebook).theme_ids
    verified = store.verified_examples(db, codebook, themes)
    if len(verified) < MIN_VERIFIED:
        raise RetrainError(f"Minst {MIN_VERIFIED} granskade svar behövs för att träna om "
                           f"({len(verified)} finns nu).")
    train_part, test_part = split_examples(verified)
    if not test_part:
        train_part, test_part = verified[1:], verified[:1]
    folder = models_root / codebook
    current = folder if (folder / "current").exists() else None
    old = get_coder(codebook, current)
    human = [TrainingExample(text, cats, "human") for text, cats in train_part]
    progress(TRAINING)
    nlp, info = train(codebook, merge_examples(corpus_examples(codebook, ("train",)), human),
                      dev=load_corpus(codebook, ("dev",)), seed=seed)
    progress(EVALUATING)
    candidate = coder_from_nlp(codebook, nlp, info.combination, "candidate")
    before, after = evaluate_partial(old, test_part), evaluate_partial(candidate, test_part)
    replaced = not_worse(before, after)
    result = RetrainResult(codebook, old.model_version, None, replaced, before, after,
                           _dev_macro_f1(old), _dev_macro_f1(candidate), len(train_part))
    if replaced:
        progress(SAVING)
        info.evaluation = {"verified_held_out": {
            "examples": after.examples, "macro_f1_before": before.macro_f1,
            "macro_f1_after": after.macro_f1, "previous_version": old.model_version},
            "dev_macro_f1": result.dev_after}
        info.training["verified_answers"] = len(train_part)
        path = save_model(nlp, info, folder, make_current=True)
        result.new_version = path.name
        clear_cache()
    return result
