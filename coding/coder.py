"""The coder: text in, theme codes with evidence out.

`get_coder(codebook, model_dir)` returns a cached Coder. A missing or broken model never
stops coding: the coder logs a warning, keeps the reason in `model_error`, and codes with
the rules alone (`model_version` is then None).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from coding.classifier import ModelError, load_model, resolve_model_dir
from coding.codebook import Codebook, load_codebook
from coding.combine import Combination, decide
from coding.default_classifier import default_model
from coding.direction import (
    DECREASE,
    DENIED,
    INCREASE,
    NEGATED_DIRECTIONS,
    UNCHANGED,
    sentence_direction,
)
from coding.direction import PRESENT as PRESENT_DIR
from coding.gcpause import collector_paused
from coding.pipeline import TEXTCAT, build_nlp, span_scores
from coding.rules import (
    HITS_KEY,
    NEGATED,
    PRESENT,
    STATUS_RANK,
    WEAK,
    RuleHit,
    _words_and_breaks,
)
from coding.text import clean_text, evidence_span
from coding.tokenview import SPACE, view

log = logging.getLogger("coding")

SOURCES = ("rule", "model", "rule+model", "human")
#: spaCy's lookup lemmatizer stays in the pipeline as the owner of the lemma table, but the
#: compound lemmatizer sets every lemma from that same table, so running it is wasted time.
RUNTIME_DISABLED = ["lemmatizer"]
LOCAL_WINDOW = 15  # words either side of a rule match that the model re-reads before a veto


@dataclass(frozen=True)
class Code:
    """One theme found in one answer. `start`/`end` are character offsets of the evidence
    sentence in the answer text; `evidence` is that text with markup removed and whitespace
    collapsed. A negated code says the theme was mentioned only as absent, falling or
    unchanged; it is not a label. `direction` (coding.direction): increase, decrease,
    unchanged, present or denied; `negated` is true exactly for decrease, unchanged and
    denied."""

    code: str
    score: float
    negated: bool
    source: str
    start: int
    end: int
    evidence: str
    direction: str = "present"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Analysis:
    """Everything the coder saw in one answer: rules, model, and the final codes."""

    rule_status: dict[str, str]
    probabilities: dict[str, float] | None
    codes: list[Code]
    thresholds: dict[str, float]

    def labels(self, mode: str = "combined") -> set[str]:
        """Themes counted as present by 'rules', 'model' or 'combined'."""
        if mode == "rules":
            return {t for t, status in self.rule_status.items() if status in (PRESENT, WEAK)}
        if mode == "model":
            if self.probabilities is None:
                return set()
            return {t for t, p in self.probabilities.items() if p >= self.thresholds[t]}
        return {c.code for c in self.codes if not c.negated}

    def negated(self, mode: str = "combined") -> set[str]:
        if mode == "rules":
            return {t for t, status in self.rule_status.items() if status == NEGATED}
        if mode == "model":
            return set()
        return {c.code for c in self.codes if c.negated}


class Coder:
    def __init__(self, codebook: Codebook, nlp: Language, combination: Combination | None,
                 model_version: str | None, model_error: str | None = None):
        self.codebook = codebook
        self.nlp = nlp
        self.combination = combination or Combination()
        self.model_version = model_version
        self.model_error = model_error
        self.has_model = TEXTCAT in nlp.pipe_names

    # --- public API ---------------------------------------------------------------------------

    def code(self, text: str) -> list[Code]:
        return self.code_many([text])[0]

    def code_many(self, texts: Iterable[str], batch_size: int = 256) -> list[list[Code]]:
        return [analysis.codes for analysis in self.analyse_many(texts, batch_size)]

    def analyse_many(self, texts: Iterable[str], batch_size: int = 256) -> list[Analysis]:
        cleaned = [clean_text(text) for text in texts]
        results: list[Analysis] = []
        themes = self.codebook.theme_ids
        # per call, not per coder: training tunes the combination of a coder it evaluates
        limits = ({t: self.combination.threshold(t) for t in themes},
                  {t: self.combination.accept(t) for t in themes})
        for first in range(0, len(cleaned), batch_size):
            batch = cleaned[first:first + batch_size]
            # coding makes no cycles (coding.gcpause); the collector runs between batches,
            # so other threads never wait long for it
            with collector_paused():
                for text, doc in zip(batch, self._docs(batch), strict=True):
                    results.append(self._analyse(doc, text, limits))
        return results

    def _docs(self, texts: list[str]) -> list[Doc]:
        """The pipeline run by hand, one component over the whole batch at a time: the
        same docs as `nlp.pipe`, without its generator chain per component and doc."""
        nlp = self.nlp
        docs = [nlp.make_doc(text) for text in texts]
        for name, proc in nlp.pipeline:
            if name in RUNTIME_DISABLED:
                continue
            if name == TEXTCAT:
                _set_cats(docs, proc.labels, proc.predict(docs))
            else:
                docs = [proc(doc) for doc in docs]
        return docs

    # --- internals ----------------------------------------------------------------------------

    def _analyse(self, doc: Doc, text: str,
                 limits: tuple[dict[str, float], dict[str, float]]) -> Analysis:
        """`limits`: per theme the combination's threshold and its accept score."""
        status, first_hit, rising = _rule_readings(doc.user_data.get(HITS_KEY) or [])
        themes = self.codebook.theme_ids
        probs = {t: float(doc.cats.get(t, 0.0)) for t in themes} if self.has_model else None
        starts = view(doc).starts  # 1 where a sentence starts
        effective = dict(probs) if probs else {}
        if probs:
            self._recheck_vetoes(doc, starts, status, first_hit, effective)
        codes: list[Code] = []
        sentence_scores: list | None = None
        thresholds, accepts = limits
        for theme in themes:
            rule = status.get(theme)
            if rule is None and (not effective or effective[theme] < accepts[theme]):
                continue  # what `decide` says of a theme no rule and no model sees
            decision = decide(theme, rule, effective.get(theme), self.combination)
            if not (decision.present or decision.negated):
                continue
            hit = (first_hit.get((theme, PRESENT)) or first_hit.get((theme, WEAK))
                   if decision.present else first_hit.get((theme, NEGATED)))
            direction = _direction(decision, hit, theme in rising)
            if hit is not None:
                start, end = _hit_evidence(doc, text, starts, hit)
            else:
                if sentence_scores is None:
                    sentence_scores = self._sentence_scores(doc, starts)
                start, end, direction = self._model_evidence(doc, text, theme,
                                                             sentence_scores)
            codes.append(Code(theme, decision.score, decision.negated, decision.source,
                              start, end, " ".join(text[start:end].split()), direction))
        return Analysis(status, probs, codes, dict(thresholds))

    def _recheck_vetoes(self, doc: Doc, starts: list[int], status: dict[str, str],
                        first_hit: dict[tuple[str, str], RuleHit],
                        effective: dict[str, float]) -> None:
        """A long answer dilutes the whole-answer score: before the model overrules a rule,
        ask it about the words around the match, within the match's sentence."""
        doubtful = [t for t, s in status.items()
                    if s == PRESENT and effective[t] < self.combination.veto]
        if not doubtful:
            return
        ranges = []
        for theme in doubtful:
            hit = first_hit[(theme, PRESENT)]
            first, last = _sentence_bounds(starts, hit.start)
            ranges.append((max(first, hit.start - LOCAL_WINDOW),
                           min(last, hit.end + LOCAL_WINDOW)))
        textcat = self.nlp.get_pipe(TEXTCAT)
        scores = span_scores(textcat.model, doc, ranges)
        labels = list(textcat.labels)
        for row, theme in enumerate(doubtful):
            effective[theme] = max(effective[theme], float(scores[row][labels.index(theme)]))

    def _sentence_scores(self, doc: Doc, starts: list[int]):
        """(sentence token ranges without blank ones, model scores per sentence)."""
        spaces = [flag & SPACE for flag in view(doc).flags]
        bounds = [i for i, start in enumerate(starts) if start == 1 or i == 0] + [len(doc)]
        ranges = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False)
                  if not all(spaces[a:b])]
        if len(ranges) < 2:
            return ranges, None
        textcat = self.nlp.get_pipe(TEXTCAT)
        return ranges, span_scores(textcat.model, doc, ranges)

    def _model_evidence(self, doc: Doc, text: str, theme: str, sentence_scores
                        ) -> tuple[int, int, str]:
        """The sentence the model finds most about `theme` (the model scores whole answers),
        and its direction (increase or present: a model code is present)."""
        ranges, scores = sentence_scores
        if not ranges:
            return 0, 0, PRESENT_DIR
        best = 0
        if scores is not None:
            column = list(self.nlp.get_pipe(TEXTCAT).labels).index(theme)
            best = max(range(len(ranges)), key=lambda i: float(scores[i][column]))
        first, last = ranges[best]
        words, breaks = _words_and_breaks(doc)
        token_starts, token_ends = view(doc).offsets(doc)
        start, end = evidence_span(text, token_starts[first], token_ends[last - 1])
        return start, end, sentence_direction(words, breaks, first, last)


def _set_cats(docs: list[Doc], labels: tuple[str, ...], scores) -> None:
    """What `TextCategorizer.set_annotations` does, from one `tolist` of the scores instead
    of a numpy scalar per doc and label (the same floats)."""
    for doc, row in zip(docs, scores.tolist(), strict=True):
        doc.cats.update(zip(labels, row, strict=True))


def _sentence_bounds(starts: list[int], i: int) -> tuple[int, int]:
    """Token range [first, last) of the sentence holding token i (SENT_START values)."""
    try:  # C-level searches both ways: sentences run to some 20-40 tokens
        first = i - starts[i::-1].index(1)
    except ValueError:
        first = 0
    try:
        last = starts.index(1, i + 1)
    except ValueError:
        last = len(starts)
    return first, last


# --- factory and cache ------------------------------------------------------------------------

_CACHE: dict[tuple[str, str], Coder] = {}
_LOCK = threading.Lock()


def get_coder(codebook: str = "risks", model_dir: str | Path | None = None) -> Coder:
    """A coder for `codebook`, cached per (codebook, model dir).

    model_dir None: the default model. Otherwise a model version folder, a codebook's models
    folder with a `current` pointer (instance/models/<codebook>), or instance/models; without
    a current model there, the default model is used. A broken model means rules only.
    """
    book = load_codebook(codebook)  # raises CodebookError for unknown names
    key = (book.path, str(Path(model_dir).resolve()) if model_dir is not None else "")
    with _LOCK:
        coder = _CACHE.get(key)
        if coder is None:
            coder = _build_coder(book, model_dir)
            _CACHE[key] = coder
        return coder


def clear_cache() -> None:
    """Forget cached coders (after training a new model in the same process)."""
    with _LOCK:
        _CACHE.clear()


def _build_coder(book: Codebook, model_dir: str | Path | None) -> Coder:
    try:
        path = resolve_model_dir(model_dir, book.name) if model_dir is not None else None
        if path is None:
            nlp, info = default_model(book.name)
        else:
            nlp = build_nlp(book.name)
            info = load_model(nlp, path, book.theme_ids)
        return Coder(book, nlp, info.combination, info.version)
    except (ModelError, OSError, ValueError) as exc:
        message = f"model unusable, coding with rules only: {exc}"
        log.warning("%s: %s", book.name, message)
        return Coder(book, build_nlp(book.name, with_textcat=False), None, None, message)


def rules_only_coder(codebook: str) -> Coder:
    """A coder without a model (fast; used for evaluation of the rules alone)."""
    book = load_codebook(codebook)
    return Coder(book, build_nlp(book.name, with_textcat=False), None, None)


def coder_from_nlp(codebook: str, nlp: Language, combination: Combination,
                   version: str | None) -> Coder:
    """Wrap a freshly trained pipeline (used by training to evaluate before saving)."""
    return Coder(load_codebook(codebook), nlp, combination, version)


def _rule_readings(hits: list[RuleHit]) -> tuple[dict[str, str],
                                                  dict[tuple[str, str], RuleHit], set[str]]:
    """Per theme the rules' status (present wins), the first hit per status, and the themes
    a present hit says are rising."""
    status: dict[str, str] = {}
    first_hit: dict[tuple[str, str], RuleHit] = {}
    rising: set[str] = set()
    for hit in hits:
        if hit.theme not in status or STATUS_RANK[hit.status] > STATUS_RANK[status[hit.theme]]:
            status[hit.theme] = hit.status
        first_hit.setdefault((hit.theme, hit.status), hit)
        if hit.status == NEGATED and first_hit[(hit.theme, NEGATED)].direction == DENIED \
                and hit.direction in (DECREASE, UNCHANGED):
            first_hit[(hit.theme, NEGATED)] = hit  # a fall or a level says more than a denial
        if hit.status in (PRESENT, WEAK) and hit.direction == INCREASE:
            rising.add(hit.theme)
    return status, first_hit, rising


def _direction(decision, hit: RuleHit | None, rising: bool) -> str:
    if decision.present:
        return INCREASE if rising else PRESENT_DIR
    direction = hit.direction if hit is not None else DENIED
    return direction if direction in NEGATED_DIRECTIONS else DENIED


def _hit_evidence(doc: Doc, text: str, starts: list[int], hit: RuleHit) -> tuple[int, int]:
    """The match's sentence, in character offsets of the original text."""
    first, last = _sentence_bounds(starts, hit.start)
    token_starts, token_ends = view(doc).offsets(doc)
    return evidence_span(text, token_starts[first], token_ends[last - 1],
                         (token_starts[hit.start], token_ends[hit.end - 1]))
