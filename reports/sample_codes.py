"""Theme codes for demo and benchmark databases, taken from the corpus labels.

The demo answers are corpus texts, whose themes a person labelled; storing those labels as
codes lets a demo report show themes, quotes and verified/automatic counts before the
auto-coder has run. Never used on real answers: a text not in the corpus gets no codes.
"""

from __future__ import annotations

import hashlib
import json

import sqlite_utils

from coding.corpus import CORPUS_DIR, REGISTER_DIR
from survey import store

SOURCE = "corpus"


def corpus_labels() -> dict[str, tuple[list[str], list[str]]]:
    """Corpus text -> (labels, negated labels)."""
    labels: dict[str, tuple[list[str], list[str]]] = {}
    for path in sorted(CORPUS_DIR.glob("*.jsonl")) + sorted(REGISTER_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                labels[row["text"]] = (row.get("labels") or [], row.get("negated") or [])
    return labels


PREFIX = 40


def _pieces(text: str, starts: dict[str, tuple[list[str], list[str]]]
            ) -> tuple[list[str], list[str]]:
    """Labels of a demo text made of corpus texts (joined, or with a municipality's name
    changed): the union over the corpus texts whose beginning it contains."""
    found: list[str] = []
    negated: list[str] = []
    for start, (labels, negations) in starts.items():
        if start in text:
            found += [c for c in labels if c not in found]
            negated += [c for c in negations if c not in negated]
    return found, negated


def _status(response_id: int, question: str, code: str, verified_share: float) -> str:
    """A stable pseudo-random review status, so a demo has both kinds of codes."""
    digest = hashlib.sha256(f"{response_id}/{question}/{code}".encode()).digest()
    fraction = digest[0] / 256
    if fraction < verified_share:
        return store.ACCEPTED
    return store.AUTO_ACCEPTED if fraction < 0.85 else store.TO_REVIEW


def store_corpus_codes(db: sqlite_utils.Database, round_id: str,
                       verified_share: float = 0.3) -> int:
    """Store a code per corpus label for every free-text answer of a round; returns the
    number of codes stored."""
    questionnaire = store.round_questionnaire(db, store.get_round(db, round_id))
    coded = questionnaire.coded_questions
    labels = corpus_labels()
    starts = {text[:PREFIX]: value for text, value in labels.items() if len(text) >= PREFIX}
    stored = 0
    for response_id, question, codebook, text in list(
            store.iter_free_text(db, round_id, coded)):
        found, negated = labels.get(text) or _pieces(text, starts)
        codes = [{"code": c, "score": 1.0, "source": SOURCE, "negated": False}
                 for c in found]
        codes += [{"code": c, "score": 1.0, "source": SOURCE, "negated": True}
                  for c in negated if c not in found]
        if codes:
            stored += store.store_codes(
                db, response_id, question, codebook, codes, f"{SOURCE}-labels",
                status_for=lambda c, r=response_id, q=question: _status(
                    r, q, c["code"], verified_share))
    return stored
