"""The labelled development corpus in coding/corpus/<codebook>*.jsonl.

Rows: {"id", "text", "labels", "negated", "split"}. The test split is for the final
numbers only: nothing in training or tuning may read it (`splits` is explicit everywhere).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

CORPUS_DIR = Path(__file__).parent / "corpus"
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class LabelledAnswer:
    id: str
    text: str
    labels: frozenset[str]
    negated: frozenset[str] = field(default_factory=frozenset)
    split: str = ""


def corpus_files(codebook: str) -> list[Path]:
    return sorted(CORPUS_DIR.glob(f"{codebook}*.jsonl"))


def parse_labelled(line: str) -> LabelledAnswer:
    """One JSONL row; raises ValueError with a readable message."""
    row = json.loads(line)
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise ValueError("expected an object with a string 'text'")
    labels = row.get("labels", [])
    negated = row.get("negated", []) or []
    if not isinstance(labels, list) or not isinstance(negated, list):
        raise ValueError("'labels' and 'negated' must be lists")
    return LabelledAnswer(id=str(row.get("id", "")), text=row["text"],
                          labels=frozenset(map(str, labels)),
                          negated=frozenset(map(str, negated)),
                          split=str(row.get("split", "")))


def read_labelled(path: Path) -> tuple[list[LabelledAnswer], list[str]]:
    """All valid rows of a file, and 'FILE:LINE: message' for the invalid ones."""
    rows: list[LabelledAnswer] = []
    errors: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                rows.append(parse_labelled(line))
            except ValueError as exc:  # JSONDecodeError is a ValueError
                errors.append(f"{path}:{number}: {exc}")
    return rows, errors


def load_corpus(codebook: str, splits: Iterable[str]) -> list[LabelledAnswer]:
    """The shipped corpus rows of the given splits, in file order."""
    wanted = set(splits)
    unknown = wanted - set(SPLITS)
    if unknown:
        raise ValueError(f"unknown split(s): {', '.join(sorted(unknown))}")
    rows: list[LabelledAnswer] = []
    for path in corpus_files(codebook):
        found, errors = read_labelled(path)
        if errors:
            raise ValueError("; ".join(errors[:3]))
        rows.extend(row for row in found if row.split in wanted)
    return rows


def corpus_fingerprint(codebook: str) -> str:
    """Digest of the train and dev rows (what a default model is built from)."""
    import hashlib

    digest = hashlib.sha256()
    for row in load_corpus(codebook, ("train", "dev")):
        digest.update(json.dumps([row.id, row.text, sorted(row.labels), row.split],
                                 ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()
