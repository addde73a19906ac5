"""Trained text classifiers on disk: versioned, with a `current` pointer, and the default.

Layout under the instance folder:

    instance/models/<codebook>/<version>/textcat/...   spaCy component files
    instance/models/<codebook>/<version>/model.json    labels, thresholds, training summary
    instance/models/<codebook>/current                 one line: the version in use

Only the classifier is saved (about 2 MB), not the pipeline: the lemma tables and rules
come from the package, so a model never carries stale rules. A version is UTC timestamp +
short hash of the weights, e.g. 20201002T101500Z-3fa2c1d9.

The default model (trained on the corpus train split, fixed seed) is not shipped but built
reproducibly the first time it is needed, into a folder named after a fingerprint of
everything it depends on; see `default_model_dir`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from spacy.language import Language

from coding.combine import Combination
from coding.pipeline import TEXTCAT

log = logging.getLogger("coding")

META_FILE = "model.json"
CURRENT_FILE = "current"
FORMAT = 1


class ModelError(Exception):
    """A saved model that cannot be used (missing, corrupt, or for another codebook)."""


@dataclass
class ModelInfo:
    version: str
    codebook: str
    labels: list[str]
    combination: Combination = field(default_factory=Combination)
    created: str = ""
    training: dict = field(default_factory=dict)
    evaluation: dict = field(default_factory=dict)
    format: int = FORMAT

    def to_json(self) -> str:
        data = asdict(self)
        data["combination"] = self.combination.to_dict()
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ModelInfo:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("unknown model.json format")
        return cls(version=str(data["version"]), codebook=str(data["codebook"]),
                   labels=[str(label) for label in data["labels"]],
                   combination=Combination.from_dict(data.get("combination", {})),
                   created=str(data.get("created", "")), training=data.get("training", {}),
                   evaluation=data.get("evaluation", {}))


def new_version(weights: bytes, when: datetime | None = None) -> str:
    stamp = (when or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{hashlib.sha256(weights).hexdigest()[:8]}"


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def save_model(nlp: Language, info: ModelInfo, models_root: Path, version: str | None = None,
               make_current: bool = True) -> Path:
    """Write the classifier and its info as a new version under `models_root`."""
    textcat = nlp.get_pipe(TEXTCAT)
    weights = textcat.to_bytes()
    info.version = version or new_version(weights)
    info.created = info.created or datetime.now(UTC).isoformat(timespec="seconds")
    models_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=models_root, prefix=".staging-"))
    try:
        textcat.to_disk(staging / "textcat")
        (staging / META_FILE).write_text(info.to_json(), encoding="utf-8")
        target = models_root / info.version
        if target.exists():  # same weights, same second: nothing new to store
            shutil.rmtree(staging)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if make_current:
        set_current(models_root, info.version)
    return models_root / info.version


def set_current(models_root: Path, version: str) -> None:
    if not (models_root / version / META_FILE).is_file():
        raise ModelError(f"no model version {version} in {models_root}")
    _write_atomic(models_root / CURRENT_FILE, version + "\n")


def list_versions(models_root: Path) -> list[str]:
    if not models_root.is_dir():
        return []
    return sorted(p.name for p in models_root.iterdir()
                  if p.is_dir() and (p / META_FILE).is_file())


def resolve_model_dir(model_dir: str | Path, codebook: str) -> Path | None:
    """The version folder meant by `model_dir`: a version folder itself, a codebook's models
    folder with a `current` pointer, or the instance `models` folder above it. None when it
    holds no current model (a fresh instance)."""
    path = Path(model_dir)
    for root in (path, path / codebook):
        if (root / META_FILE).is_file():
            return root
        pointer = root / CURRENT_FILE
        if pointer.is_file():
            version = pointer.read_text(encoding="utf-8").strip()
            if not version or "/" in version or version.startswith("."):
                raise ModelError(f"{pointer}: invalid version pointer {version!r}")
            return root / version
    return None


def load_model(nlp: Language, path: Path, labels: list[str]) -> ModelInfo:
    """Load a saved classifier into `nlp` (which must have an untrained textcat)."""
    meta = path / META_FILE
    try:
        info = ModelInfo.from_json(meta.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelError(f"{meta}: missing") from exc
    except OSError as exc:
        raise ModelError(f"{meta}: unreadable ({exc})") from exc
    except Exception as exc:  # a hand-edited file can fail anywhere in parsing
        raise ModelError(f"{meta}: corrupt ({type(exc).__name__}: {exc})") from exc
    if info.labels != labels:
        raise ModelError(f"{path}: model labels {info.labels} do not match the codebook "
                         f"themes {labels}")
    try:
        nlp.get_pipe(TEXTCAT).from_disk(path / "textcat")
    except Exception as exc:  # msgpack/thinc raise many types for damaged files
        raise ModelError(f"{path / 'textcat'}: corrupt or unreadable model "
                         f"({type(exc).__name__}: {exc})") from exc
    return info
