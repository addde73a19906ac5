"""Questionnaire files into the database: validated first, stored all or nothing.

Reading a round's pinned version back is the store's job (``store.round_questionnaire``).
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from survey import store
from survey.questionnaire import loader
from survey.questionnaire.model import Questionnaire

PACKAGED_DIR = Path(__file__).resolve().parents[2] / "questionnaires"


def import_file(db: sqlite_utils.Database, path: str | Path) -> Questionnaire:
    """Validate and store one questionnaire file; raises loader.QuestionnaireError."""
    questionnaire = loader.load(path)
    store.store_questionnaire(db, questionnaire.id, questionnaire.version,
                              questionnaire.source, questionnaire.hash)
    return questionnaire


def import_directory(db: sqlite_utils.Database, directory: str | Path | None = None
                     ) -> list[Questionnaire]:
    """Validate every file first and store only when all are valid: all or nothing."""
    directory = Path(directory or PACKAGED_DIR)
    loaded, problems = [], []
    for path in sorted(directory.glob("*.yaml")):
        try:
            loaded.append(loader.load(path))
        except loader.QuestionnaireError as error:
            problems += error.problems
    if problems:
        raise loader.QuestionnaireError(problems)
    for questionnaire in loaded:
        store.store_questionnaire(db, questionnaire.id, questionnaire.version,
                                  questionnaire.source, questionnaire.hash)
        return loaded
