"""The labelled development corpus.

Three sources per codebook:

- ``coding/corpus/<codebook>*.jsonl``: the first corpus (train / dev / test), style "corpus".
- ``coding/corpus/register/<codebook>.jsonl``: answers written in the real register
  (train / dev / pool), style "register", with a gold ``direction`` per theme. Register
  train and dev rows count as train and dev; ``pool`` rows are held apart (the learning
  curve draws its corrections from them).
- ``coding/corpus/independent/<codebook>.jsonl``: an independent tuning set written from
  REGISTER.md by someone who writes no rules (style "independent"): its ``dev`` rows join the
  dev split (thresholds, model choice), its ``train`` rows the training split.
- ``coding/corpus/blind/<codebook>.jsonl``: the adjudicated blind split. It is read only when
  the ``blind`` split is asked for by name (the evaluation command, ``--split blind``):
  nothing in training or tuning may ask for it, nor for ``test``.

Rows: {"id", "text", "labels", "negated", "split", ("direction", "style")}. `splits` is
explicit everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

CORPUS_DIR = Path(__file__).parent / "corpus"
REGISTER_DIR = CORPUS_DIR / "register"
INDEPENDENT_DIR = CORPUS_DIR / "independent"
BLIND_DIR = CORPUS_DIR / "blind"
SPLITS = ("train", "dev", "test", "pool", "blind")
#: What the default model is trained and tuned on.
TRAINING_SPLITS = ("train", "dev")
DIRECTIONS = ("increase", "decrease", "unchanged", "present", "denied")
#: Directions that say the theme is not present (the corpus lists these themes as negated).
NEGATED_DIRECTIONS = frozenset({"decrease", "unchanged", "denied"})


@dataclass(frozen=True)
class LabelledAnswer:
    id: str
    text: str
    labels: frozenset[str]
    negated: frozenset[str] = field(default_factory=frozenset)
    split: str = ""
    direction: dict[str, str] = field(default_factory=dict)  # gold, where the row has it
    style: str = "corpus"


def corpus_files(codebook: str) -> list[Path]:
    """The first corpus's files (train / dev / test)."""
    return sorted(CORPUS_DIR.glob(f"{codebook}*.jsonl"))


def register_files(codebook: str) -> list[Path]:
    """The register corpus (train / dev / pool)."""
    return sorted(REGISTER_DIR.glob(f"{codebook}*.jsonl"))


def independent_files(codebook: str) -> list[Path]:
    """The independent tuning set (train / dev); absent until it is written."""
    return sorted(INDEPENDENT_DIR.glob(f"{codebook}*.jsonl"))


def blind_file(codebook: str) -> Path:
    return BLIND_DIR / f"{codebook}.jsonl"


def parse_labelled(line: str, default_split: str = "") -> LabelledAnswer:
    """One JSONL row; raises ValueError with a readable message."""
    row = json.loads(line)
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise ValueError("expected an object with a string 'text'")
    labels = row.get("labels", [])
    negated = row.get("negated", []) or []
    if not isinstance(labels, list) or not isinstance(negated, list):
        raise ValueError("'labels' and 'negated' must be lists")
    direction = row.get("direction") or {}
    if not isinstance(direction, dict) or any(
            value not in DIRECTIONS for value in direction.values()):
        raise ValueError(f"'direction' must map themes to one of {', '.join(DIRECTIONS)}")
    return LabelledAnswer(id=str(row.get("id", "")), text=row["text"],
                          labels=frozenset(map(str, labels)),
                          negated=frozenset(map(str, negated)),
                          split=str(row.get("split") or default_split),
                          direction={str(k): str(v) for k, v in direction.items()},
                          style=str(row.get("style") or "corpus"))


def read_labelled(path: Path, default_split: str = ""
                  ) -> tuple[list[LabelledAnswer], list[str]]:
    """All valid rows of a file, and 'FILE:LINE: message' for the invalid ones."""
    rows: list[LabelledAnswer] = []
    errors: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                rows.append(parse_labelled(line, default_split))
            except ValueError as exc:  # JSONDecodeError is a ValueError
                errors.append(f"{path}:{number}: {exc}")
    return rows, errors


def load_corpus(codebook: str, splits: Iterable[str],
                styles: Iterable[str] | None = None) -> list[LabelledAnswer]:
    """The shipped corpus rows of the given splits (first corpus, register, independent, then
    blind if asked for by name), in file order; `styles` ("corpus", "register",
    "independent") narrows them."""
    wanted = set(splits)
    unknown = wanted - set(SPLITS)
    if unknown:
        raise ValueError(f"unknown split(s): {', '.join(sorted(unknown))}")
    paths = [*corpus_files(codebook), *register_files(codebook),
             *independent_files(codebook)]
    if "blind" in wanted:
        blind = blind_file(codebook)
        if not blind.is_file():
            raise ValueError(f"no blind split for codebook '{codebook}' ({blind})")
        paths.append(blind)
    chosen = set(styles) if styles is not None else None
    rows: list[LabelledAnswer] = []
    for path in paths:
        found, errors = read_labelled(path, "blind" if path.parent == BLIND_DIR else "")
        if errors:
            raise ValueError("; ".join(errors[:3]))
        rows.extend(row for row in found if row.split in wanted
                    and (chosen is None or row.style in chosen))
    return rows


def corpus_fingerprint(codebook: str) -> str:
    """Digest of the train and dev rows (what a default model is built from)."""
    import hashlib

    digest = hashlib.sha256()
    for row in load_corpus(codebook, TRAINING_SPLITS):
        digest.update(json.dumps([row.id, row.text, sorted(row.labels), row.split],
                                 ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()
