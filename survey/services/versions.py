"""Questionnaire versions: import YAML into the database and get the exact version a round pinned.

A round keeps the YAML text it was opened with (and its hash), so editing the file later never
reinterprets old answers; this module is the only way the app obtains a questionnaire.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from survey import store
from survey.questionnaire import loader
from survey.questionnaire.model import Questionnaire

PACKAGED_DIR = Path(__file__).resolve().parents[2] / "questionnaires"
_BY_HASH: dict[str, Questionnaire] = {}


def import_file(db: sqlite_utils.Database, path: str | Path) -> Questionnaire:
    """Validate and store one questionnaire file; raises loader.QuestionnaireError."""
    questionnaire = loader.load(path)
    store.store_questionnaire(db, questionnaire.id, questionnaire.version,
                              questionnaire.source, questionnaire.hash)
    _BY_HASH[questionnaire.hash] = questionnaire
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
        _BY_HASH[questionnaire.hash] = questionnaire
    return loaded


def by_hash(db: sqlite_utils.Database, digest: str) -> Questionnaire:
    if digest not in _BY_HASH:
        row = store.questionnaire_source(db, digest)
        if row is None:
            raise KeyError(digest)
        _BY_HASH[digest] = loader.loads(
            row["source"], f"{row['questionnaire_id']} {row['version']} (stored)")
    return _BY_HASH[digest]


def for_round(db: sqlite_utils.Database, round_row: dict) -> Questionnaire:
    return by_hash(db, round_row["questionnaire_hash"])


def latest(db: sqlite_utils.Database, questionnaire_id: str) -> Questionnaire | None:
    row = store.latest_questionnaire(db, questionnaire_id)
    return by_hash(db, row["hash"]) if row else None
