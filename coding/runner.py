"""Coding a whole round, and training examples from the database.

The database belongs to the survey package; the coder needs only four things from it,
reached through `survey.db_codes` and `survey.versions`:

- the free-text answers of a round and their codebooks:
  `db_codes.iter_free_text(db, round_id, coded_questions)` -> (response_id, question,
  codebook, text), with `coded_questions` = {question name: codebook} from the round's
  questionnaire (`versions.for_round`);
- a place for the codes and the model version that made them:
  `db_codes.store_codes(db, response_id, question, codebook, codes, model_version)`;
- the human-verified decisions: `db_codes.verified_examples(db, codebook, theme_ids)` ->
  [(text, {theme: 1.0 accepted/added, 0.0 rejected})], undecided themes absent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from coding.codebook import load_codebook
from coding.coder import get_coder
from coding.training import TrainingExample

BATCH = 256


def models_dir_for(models_root: str | Path | None, codebook: str) -> Path | None:
    """The codebook's folder under the instance models folder, if it has a current model."""
    if models_root is None:
        return None
    folder = Path(models_root) / codebook
    return folder if (folder / "current").is_file() else None


def round_answers(db, round_id: str) -> list[tuple[int, str, str, str]]:
    """(response_id, question, codebook, text) of every answered auto-coded question."""
    from survey import db as store
    from survey import db_codes, versions

    round_row = store.get_round(db, round_id)
    if round_row is None:
        raise LookupError(round_id)
    questionnaire = versions.for_round(db, round_row)
    coded = {q.name: q.code_with for q in questionnaire.questions if q.code_with}
    return list(db_codes.iter_free_text(db, round_id, coded))


@dataclass
class RunSummary:
    answers: int = 0
    codes: int = 0
    model_versions: dict[str, str | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def code_answers(db, items: list[tuple[int, str, str, str]],
                 models_root: str | Path | None = None,
                 progress: Callable[[int], None] | None = None) -> RunSummary:
    """Code (response_id, question, codebook, text) items and store the codes, batch by
    batch, grouped per codebook; `progress(n)` is told how many answers each batch held."""
    from survey import db_codes

    summary = RunSummary()
    by_codebook: dict[str, list[tuple[int, str, str]]] = {}
    for response_id, question, codebook, text in items:
        by_codebook.setdefault(codebook, []).append((response_id, question, text))
    for codebook, rows in by_codebook.items():
        coder = get_coder(codebook, models_dir_for(models_root, codebook))
        summary.model_versions[codebook] = coder.model_version
        if coder.model_error:
            summary.warnings.append(f"{codebook}: {coder.model_error}")
        for start in range(0, len(rows), BATCH):
            batch = rows[start:start + BATCH]
            results = coder.code_many([text for _, _, text in batch])
            for (response_id, question, _text), codes in zip(batch, results, strict=True):
                summary.codes += db_codes.store_codes(
                    db, response_id, question, codebook, [c.to_dict() for c in codes],
                    coder.model_version)
            summary.answers += len(batch)
            if progress is not None:
                progress(len(batch))
    return summary


def train_examples_from_db(db, codebook: str) -> list[TrainingExample]:
    """Human-verified decisions as partial training examples (source 'human')."""
    from survey import db_codes

    themes = load_codebook(codebook).theme_ids
    return [TrainingExample(text, dict(cats), "human")
            for text, cats in db_codes.verified_examples(db, codebook, themes) if cats]


def count_by_codebook(items: Iterable[tuple[int, str, str, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _response_id, _question, codebook, _text in items:
        counts[codebook] = counts.get(codebook, 0) + 1
    return counts
