"""Auto-coding on submit: the respond blueprint calls its on-submit hooks after a response is
submitted; this one codes the free texts and never blocks or undoes the submission."""

from __future__ import annotations

from flask import Flask, current_app

from survey.questionnaire.model import Questionnaire
from survey.services import autocode


def _on_submit(db, round_row: dict, response_id: int, questionnaire: Questionnaire) -> None:
    if not current_app.config.get("AUTOCODE_ON_SUBMIT", True):
        return
    try:
        autocode.code_response(db, response_id, questionnaire,
                               autocode.models_root(current_app.config,
                                                    current_app.instance_path))
    except Exception:  # coding must never undo or block a submission
        current_app.logger.exception("auto-coding response %s failed", response_id)


def register(app: Flask) -> None:
    app.extensions.setdefault("lagesbild_on_submit", []).append(_on_submit)
