"""How far the auto-coder and the coordinators agree, per theme.

Two questions with two statistics:

- *Does the auto-coder code like a person?* Cohen's kappa between the coder's output
  (a theme reported present, not negated) and the primary review's decision, on every answer
  a person judged; and precision, recall and F1 with the person as the gold standard.
- *Do people code alike?* Krippendorff's alpha (nominal) between the primary review and the
  blind second coders on double-coded answers. Human-human agreement is the ceiling for any
  auto-coder, so the two are shown side by side.

Both statistics are computed here (no scikit-learn) and tested against values worked out by
hand; an undefined value (one category only, nothing to compare) is None, never a made-up 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import permutations
from typing import Any

import sqlite_utils

from coding import load_codebook
from survey import store


def cohen_kappa(first: Sequence[Any], second: Sequence[Any]) -> float | None:
    """Cohen's kappa of two raters on the same units: (p_o - p_e) / (1 - p_e).

    None when it is undefined: no units, or both raters used one and the same category
    (p_e = 1).
    """
    if len(first) != len(second):
        raise ValueError("both raters must judge the same units")
    n = len(first)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    counts_a, counts_b = Counter(first), Counter(second)
    expected = sum(counts_a[c] * counts_b[c] for c in counts_a) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha_nominal(units: Iterable[Sequence[Any]]) -> float | None:
    """Krippendorff's alpha for nominal data; each unit lists the values the coders gave it
    (missing judgments simply left out). Units with fewer than two values cannot be paired
    and do not count.

    alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k, with the coincidence
    matrix o_ck = sum over units of (pairs c-k in the unit) / (m_u - 1).
    None when undefined (no pairable values, or every value the same).
    """
    coincidences: Counter = Counter()
    for values in units:
        m = len(values)
        if m < 2:
            continue
        for a, b in permutations(values, 2):
            coincidences[(a, b)] += 1.0 / (m - 1)
    totals: Counter = Counter()
    for (a, _b), weight in coincidences.items():
        totals[a] += weight
    n = sum(totals.values())
    disagreement = sum(w for (a, b), w in coincidences.items() if a != b)
    expected = sum(totals[a] * totals[b] for a in totals for b in totals if a != b)
    if n <= 1 or expected == 0:
        return None
    return 1.0 - (n - 1) * disagreement / expected


@dataclass(frozen=True)
class BinaryScores:
    """The auto-coder (prediction) against a person (gold) on one theme."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None


def binary_scores(predicted: Sequence[int], gold: Sequence[int]) -> BinaryScores:
    pairs = list(zip(predicted, gold, strict=True))
    return BinaryScores(tp=sum(1 for p, g in pairs if p and g),
                        fp=sum(1 for p, g in pairs if p and not g),
                        fn=sum(1 for p, g in pairs if g and not p),
                        tn=sum(1 for p, g in pairs if not p and not g))


@dataclass(frozen=True)
class ThemeAgreement:
    theme: str
    label: str
    scores: BinaryScores  # auto-coder against the primary review
    kappa: float | None
    alpha: float | None  # between people, on double-coded answers
    double_coded: int  # answers with at least two people's judgments on this theme


@dataclass(frozen=True)
class CodebookAgreement:
    codebook: str
    themes: list[ThemeAgreement]
    judged_answers: int
    double_coded_answers: int
    coders: int  # distinct people in the double coding, the primary review counted once

    @property
    def mean_kappa(self) -> float | None:
        return _mean(t.kappa for t in self.themes)

    @property
    def mean_alpha(self) -> float | None:
        return _mean(t.alpha for t in self.themes)

    @property
    def micro(self) -> BinaryScores:
        return BinaryScores(*(sum(getattr(t.scores, f) for t in self.themes)
                              for f in ("tp", "fp", "fn", "tn")))


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def theme_agreement(answers: list[store.AnswerLabels], theme: str, label: str
                    ) -> ThemeAgreement:
    judged = [a for a in answers if theme in a.human]
    predicted = [int(theme in a.auto) for a in judged]
    gold = [a.human[theme] for a in judged]
    units = []
    for answer in answers:
        values = [coder[theme] for coder in answer.blind.values() if theme in coder]
        if theme in answer.human and values:
            values.append(answer.human[theme])
        if len(values) >= 2:
            units.append(values)
    return ThemeAgreement(theme, label, binary_scores(predicted, gold),
                          cohen_kappa(predicted, gold), krippendorff_alpha_nominal(units),
                          len(units))


def codebook_agreement(db: sqlite_utils.Database, round_id: str, codebook: str,
                       county_code: str | None = None, lang: str = "sv") -> CodebookAgreement:
    """Agreement for every theme of a codebook in a round (within a county, if given)."""

    book = load_codebook(codebook)
    answers = store.review_labels(db, round_id, codebook, book.theme_ids, county_code)
    themes = [theme_agreement(answers, t.id, t.label_for(lang)) for t in book.themes]
    double = [a for a in answers if a.blind and a.human]
    coders = {name for a in double for name in a.blind}
    return CodebookAgreement(codebook, themes, sum(1 for a in answers if a.human),
                             len(double), len(coders) + (1 if double else 0))


def round_agreement(db: sqlite_utils.Database, round_id: str, codebooks: Iterable[str],
                    county_code: str | None = None, lang: str = "sv"
                    ) -> list[CodebookAgreement]:
    return [codebook_agreement(db, round_id, name, county_code, lang)
            for name in dict.fromkeys(codebooks)]


def format_number(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def format_table(report: CodebookAgreement) -> str:
    """Plain text for the CLI: one line per theme, then the means."""
    lines = [f"[{report.codebook}] {report.judged_answers} answers judged, "
             f"{report.double_coded_answers} double-coded"]
    lines.append(f"{'theme':<22}{'n':>5}{'kappa':>8}{'P':>7}{'R':>7}{'F1':>7}"
                 f"{'alpha':>8}{'n2':>5}")
    for t in report.themes:
        s = t.scores
        lines.append(f"{t.theme:<22}{s.n:>5}{format_number(t.kappa):>8}"
                     f"{format_number(s.precision):>7}{format_number(s.recall):>7}"
                     f"{format_number(s.f1):>7}{format_number(t.alpha):>8}{t.double_coded:>5}")
    micro = report.micro
    lines.append(f"mean kappa {format_number(report.mean_kappa)}  micro-F1 "
                 f"{format_number(micro.f1)}  mean alpha {format_number(report.mean_alpha)}")
    return "\n".join(lines)
