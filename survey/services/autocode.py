"""The one way answers get auto-coded and their codes stored: on submit, in the demo, and by
`lagesbild coding run`.

Coding is a suggestion, never a condition: callers on the submit path catch failures, so the
submission stands and `lagesbild coding run --round` can code the round later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import sqlite_utils

from coding.codebook import load_codebook
from coding.coder import Code
from coding.runner import RunSummary, code_items
from coding.training import TrainingExample
from survey import store
from survey.questionnaire.model import Questionnaire

#: (response_id, question, codebook, text) of one free-text answer
FreeText = tuple[int, str, str, str]


def models_root(config, instance_path: str) -> Path:
    """MODELS_DIR, else instance/models: where `lagesbild coding train` puts new versions."""
    return Path(config.get("MODELS_DIR") or Path(instance_path) / "models")


def code_and_store(db: sqlite_utils.Database, items: Iterable[FreeText],
                   models_dir: str | Path | None = None,
                   progress: Callable[[int], None] | None = None) -> RunSummary:
    """Code free-text answers and store their codes (decided codes are kept by the store)."""
    def keep(key, codebook: str, codes: list[Code], model_version: str | None) -> int:
        response_id, question = key
        return store.store_codes(db, response_id, question, codebook,
                                 [c.to_dict() for c in codes], model_version)

    keyed = (((response_id, question), codebook, text)
             for response_id, question, codebook, text in items)
    return code_items(keyed, keep, models_dir, progress)


def round_answers(db: sqlite_utils.Database, round_id: str,
                  submitted_only: bool = False) -> list[FreeText]:
    """Every answered auto-coded question of a round (optionally only of submitted responses)."""
    round_row = store.get_round(db, round_id)
    if round_row is None:
        raise LookupError(round_id)
    coded = store.round_questionnaire(db, round_row).coded_questions
    items = list(store.iter_free_text(db, round_id, coded))
    if submitted_only:
        submitted = {r["id"] for r in store.responses_for_round(db, round_id)
                     if r["status"] == store.SUBMITTED}
        items = [item for item in items if item[0] in submitted]
    return items


def code_response(db: sqlite_utils.Database, response_id: int, questionnaire: Questionnaire,
                  models_dir: str | Path | None = None) -> int:
    """Code one response's free texts; answers cleared or hidden since lose their auto-codes."""
    answers = store.answers(db, response_id)
    items = []
    for question, codebook in questionnaire.coded_questions.items():
        text = answers.get(question)
        if isinstance(text, str) and text.strip():
            items.append((response_id, question, codebook, text))
        else:  # cleared or hidden since last coded: its automatic themes must not count
            store.store_codes(db, response_id, question, codebook, [], None)
    return code_and_store(db, items, models_dir).codes


def verified_training_examples(db: sqlite_utils.Database, codebook: str
                               ) -> list[TrainingExample]:
    """Human-verified decisions as partial training examples (source 'human')."""
    themes = load_codebook(codebook).theme_ids
    return [TrainingExample(text, dict(cats), "human")
            for text, cats in store.verified_examples(db, codebook, themes) if cats]
