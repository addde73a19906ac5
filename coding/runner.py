"""Coding many answers in batches, one codebook at a time.

The coder knows no database: answers come in as an iterable of (key, codebook, text) and
each answer's codes go out through a callback, so the survey's store (or a file, or a test)
decides where codes are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from coding.coder import Code, get_coder

BATCH = 256

#: Called once per answer: (key, codebook, codes, model_version) -> codes stored
StoreCodes = Callable[[Hashable, str, list[Code], str | None], int]


def models_dir_for(models_root: str | Path | None, codebook: str) -> Path | None:
    """The codebook's folder under a models folder, if it has a current retrained model."""
    if models_root is None:
        return None
    folder = Path(models_root) / codebook
    return folder if (folder / "current").is_file() else None


@dataclass
class RunSummary:
    answers: int = 0
    codes: int = 0
    model_versions: dict[str, str | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    by_codebook: dict[str, int] = field(default_factory=dict)


def code_items(items: Iterable[tuple[Hashable, str, str]], store_codes: StoreCodes,
               models_root: str | Path | None = None,
               progress: Callable[[int], None] | None = None) -> RunSummary:
    """Code (key, codebook, text) items batch by batch, grouped per codebook; hand each
    answer's codes to ``store_codes``; ``progress(n)`` is told the size of each batch."""
    summary = RunSummary()
    by_codebook: dict[str, list[tuple[Hashable, str]]] = {}
    for key, codebook, text in items:
        by_codebook.setdefault(codebook, []).append((key, text))
    for codebook, rows in by_codebook.items():
        coder = get_coder(codebook, models_dir_for(models_root, codebook))
        summary.model_versions[codebook] = coder.model_version
        summary.by_codebook[codebook] = len(rows)
        if coder.model_error:
            summary.warnings.append(f"{codebook}: {coder.model_error}")
        for start in range(0, len(rows), BATCH):
            batch = rows[start:start + BATCH]
            results = coder.code_many([text for _, text in batch])
            for (key, _text), codes in zip(batch, results, strict=True):
                summary.codes += store_codes(key, codebook, codes, coder.model_version)
            summary.answers += len(batch)
            if progress is not None:
                progress(len(batch))
    return summary
