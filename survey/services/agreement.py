"""How far the auto-coder and the coordinators agree, per theme.

Two questions with two statistics:

- *Does the auto-coder code like a person?* Cohen's kappa between the coder's output
  (a theme reported present, not negated) and the primary review's decision, on every answer
  a person judged; and precision, recall and F1 with the person as the gold standard.
- *Do people code alike?* Krippendorff's alpha (nominal) between the primary review and the
  blind second coders on double-coded answers. Human-human agreement is the ceiling for any
  auto-coder, so the two are shown side by side.

The statistics themselves live in ``coding.metrics`` (one implementation for the corpus
evaluation, the threshold tuning, retraining and this page, with one empty-case convention:
undefined is None, shown as "–"); this module loads the decisions from the database and
applies them per theme.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from coding import load_codebook
from coding.metrics import (
    BinaryScores,
    binary_scores,
    cohen_kappa,
    format_score,
    krippendorff_alpha_nominal,
    mean,
    micro,
)
from survey import store


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
        return mean(t.kappa for t in self.themes)

    @property
    def mean_alpha(self) -> float | None:
        return mean(t.alpha for t in self.themes)

    @property
    def micro(self) -> BinaryScores:
        return micro(t.scores for t in self.themes)


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


format_number = format_score  # the name the review page and the CLI use


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
