"""The fresh held-out check set (coding/corpus/fresh/) stays well formed and out of training."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from coding.codebook import load_codebook
from coding.corpus import CORPUS_DIR, load_corpus, read_labelled
from coding.direction import NEGATED_DIRECTIONS

FRESH = CORPUS_DIR / "fresh"


@pytest.mark.parametrize(("codebook", "rows_expected"), [("risks", 180), ("measures", 120)])
def test_fresh_set_is_well_formed(codebook, rows_expected):
    rows, errors = read_labelled(FRESH / f"{codebook}.jsonl")
    assert not errors
    assert len(rows) == rows_expected
    themes = set(load_codebook(codebook).theme_ids)
    assert len({row.id for row in rows}) == len(rows)
    assert len({row.text.strip().lower() for row in rows}) == len(rows)
    positives: Counter[str] = Counter()
    for row in rows:
        assert row.labels | row.negated <= themes, row.id
        assert not row.labels & row.negated, row.id
        assert set(row.direction) == row.labels | row.negated, row.id
        assert all(row.direction[t] in ("increase", "present") for t in row.labels), row.id
        assert all(row.direction[t] in NEGATED_DIRECTIONS for t in row.negated), row.id
        positives.update(row.labels)
    assert min(positives[t] for t in themes) >= 25


def test_fresh_set_is_never_training_data():
    fresh_ids = {row.id for codebook in ("risks", "measures")
                 for row in read_labelled(FRESH / f"{codebook}.jsonl")[0]}
    for codebook in ("risks", "measures"):
        every_split = load_corpus(codebook, ("train", "dev", "test", "pool"))
        assert fresh_ids.isdisjoint(row.id for row in every_split)
    assert Path(FRESH / "README.md").is_file()
