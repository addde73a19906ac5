"""Auto-code a response's free-text answers when it is submitted.

Coding is a suggestion, never a condition: if the coder fails, the submission still stands,
the failure is logged, and `lagesbild coding run --round` can code the round later.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from survey import db as store
from survey import db_codes
from survey.model import Questionnaire


def coded_questions(questionnaire: Questionnaire) -> dict[str, str]:
    """Question name -> codebook, for the questions whose answers are auto-coded."""
    return {q.name: q.code_with for q in questionnaire.questions if q.code_with}


def models_root(config, instance_path: str) -> Path:
    """MODELS_DIR, else instance/models: where `lagesbild coding train` puts new versions."""
    return Path(config.get("MODELS_DIR") or Path(instance_path) / "models")


def model_dir(root: Path, codebook: str) -> Path | None:
    """The retrained model in use, or None for the default model."""
    folder = root / codebook
    return folder if (folder / "current").exists() else None


def code_response(db, response_id: int, questionnaire: Questionnaire, root: Path) -> int:
    from coding import get_coder

    stored = 0
    wanted = coded_questions(questionnaire)
    answers = store.answers(db, response_id)
    by_codebook: dict[str, list[tuple[str, str]]] = {}
    for question, codebook in wanted.items():
        text = answers.get(question)
        if isinstance(text, str) and text.strip():
            by_codebook.setdefault(codebook, []).append((question, text))
        else:  # cleared or hidden since last coded: its automatic themes must not count
            db_codes.store_codes(db, response_id, question, codebook, [], None)
    for codebook, items in by_codebook.items():
        coder = get_coder(codebook, model_dir(root, codebook))
        results = coder.code_many([text for _, text in items])
        for (question, _text), codes in zip(items, results, strict=True):
            stored += db_codes.store_codes(db, response_id, question, codebook,
                                           [c.to_dict() for c in codes], coder.model_version)
    return stored


def _on_submit(db, round_row: dict, response_id: int, questionnaire: Questionnaire) -> None:
    if not current_app.config.get("AUTOCODE_ON_SUBMIT", True):
        return
    try:
        code_response(db, response_id, questionnaire,
                      models_root(current_app.config, current_app.instance_path))
    except Exception:  # coding must never undo or block a submission
        current_app.logger.exception("auto-coding response %s failed", response_id)


def register(app: Flask) -> None:
    app.extensions.setdefault("lagesbild_on_submit", []).append(_on_submit)
