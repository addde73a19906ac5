"""The default classifier of each codebook: trained from the corpus on first use, then cached.

Training is deterministic (fixed seed), so the cache key is a fingerprint of everything that
decides the model: recipe, spaCy version, codebook, corpus and pipeline config.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path

import spacy
from spacy.language import Language

from coding.classifier import META_FILE, ModelError, ModelInfo, load_model, save_model
from coding.codebook import load_codebook
from coding.corpus import corpus_fingerprint, load_corpus
from coding.pipeline import PIPELINE_CONFIG, TEXTCAT, build_nlp
from coding.training import build_default_model

log = logging.getLogger(__name__)

RECIPE_VERSION = "8"  # bump when training or tuning code changes what a default model is


def cache_root() -> Path:
    """Where default models are built: $LAGESBILD_CACHE_DIR, else $XDG_CACHE_HOME/lagesbild,
    else ~/.cache/lagesbild."""
    explicit = os.environ.get("LAGESBILD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lagesbild"


def default_fingerprint(codebook: str) -> str:
    digest = hashlib.sha256()
    for part in (RECIPE_VERSION, spacy.__version__, load_codebook(codebook).digest,
                 corpus_fingerprint(codebook), PIPELINE_CONFIG.read_text(encoding="utf-8")):
        digest.update(part.encode("utf-8"))
    return digest.hexdigest()[:12]


def default_model(codebook: str, root: Path | None = None) -> tuple[Language, ModelInfo]:
    """The default model as (pipeline, info): loaded from the cache folder, or trained now
    (a few seconds) and cached there. An unwritable cache only costs the retraining."""

    models_root = (root or cache_root() / "default_model") / codebook
    version = f"default-{default_fingerprint(codebook)}"
    path = models_root / version
    if (path / META_FILE).is_file():
        try:
            nlp = build_nlp(codebook)
            return nlp, load_model(nlp, path, list(nlp.get_pipe(TEXTCAT).labels))
        except ModelError as exc:  # a damaged cache is rebuilt, not trusted
            log.warning("cached default model unusable, rebuilding: %s", exc)
            shutil.rmtree(path, ignore_errors=True)
    log.info("building the default %s model (first use; takes a few seconds)", codebook)
    nlp, info = build_default_model(codebook)
    info.combination = calibrated(codebook, nlp, info)
    try:
        save_model(nlp, info, models_root, version=version, make_current=False)
        for stale in models_root.glob("default-*"):  # built from an older corpus or recipe
            if stale.name != version:
                shutil.rmtree(stale, ignore_errors=True)
    except OSError as exc:
        log.warning("default model not cached (%s); it will be rebuilt next time", exc)
        info.version = version
    return nlp, info


def calibrated(codebook: str, nlp: Language, info: ModelInfo):
    """The combination with `auto_accept` calibrated on the dev split (coding.reliability):
    the lowest score from which dev codes are at least 95 % precise."""
    from dataclasses import replace

    from coding.coder import coder_from_nlp
    from coding.reliability import calibrate_accept

    dev = load_corpus(codebook, ("dev",))
    coder = coder_from_nlp(codebook, nlp, info.combination, None)
    analyses = coder.analyse_many([row.text for row in dev])
    return replace(info.combination, auto_accept=calibrate_accept(dev, analyses))
