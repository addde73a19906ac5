"""Precision, recall and F1 per theme for the rules alone, the model alone and the
combination, plus negation accuracy.

Negation accuracy: of the (answer, theme) pairs the gold standard marks as negated, the
share the coder does not count as present. For rules and combination the negation flag is
also scored: flag recall (gold-negated pairs reported with negated=true) and flag
precision (reported negated codes that are not gold-present).

The scores come from ``coding.metrics``: an undefined score (precision of a theme never
predicted, recall of a theme with nothing to find) is None in the JSON and "–" in the table,
the same convention as the review workspace's agreement page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from coding import metrics
from coding.coder import Analysis, Coder
from coding.corpus import LabelledAnswer
from coding.metrics import BinaryScores, format_score, rounded

MODES = ("rules", "model", "combined")


@dataclass
class ModeReport:
    mode: str
    themes: dict[str, BinaryScores] = field(default_factory=dict)
    negation_total: int = 0
    negation_kept_out: int = 0
    flag_hits: int = 0  # gold-negated pairs reported as negated
    flags: int = 0  # negated codes reported
    flags_wrong: int = 0  # negated codes on gold-present themes

    @property
    def micro_f1(self) -> float | None:
        return metrics.micro(self.themes.values()).f1

    @property
    def macro_f1(self) -> float | None:
        return metrics.macro_f1(self.themes.values())

    @property
    def negation_accuracy(self) -> float | None:
        return (self.negation_kept_out / self.negation_total) if self.negation_total else None

    def to_dict(self) -> dict:
        return {
            "mode": self.mode, "micro_f1": rounded(self.micro_f1),
            "macro_f1": rounded(self.macro_f1),
            "negation_accuracy": rounded(self.negation_accuracy),
            "negation_flag_recall": (round(self.flag_hits / self.negation_total, 4)
                                     if self.negation_total and self.mode != "model" else None),
            "negation_flag_precision": (round(1 - self.flags_wrong / self.flags, 4)
                                        if self.flags else None),
            "themes": {t: {"precision": rounded(s.precision), "recall": rounded(s.recall),
                           "f1": rounded(s.f1), "support": s.support}
                       for t, s in self.themes.items()},
        }


def score(theme_ids: Sequence[str], rows: Sequence[LabelledAnswer],
          analyses: Sequence[Analysis], modes: Sequence[str] = MODES) -> dict[str, ModeReport]:
    reports = {mode: ModeReport(mode) for mode in modes}
    cells = {mode: {t: [0, 0, 0, 0] for t in theme_ids} for mode in modes}  # tp fp fn tn
    for row, analysis in zip(rows, analyses, strict=True):
        for mode, report in reports.items():
            predicted = analysis.labels(mode)
            for theme in theme_ids:
                gold, pred = theme in row.labels, theme in predicted
                cells[mode][theme][0 if gold and pred else 1 if pred else 2 if gold else 3] += 1
            _count_negation(report, row, theme_ids, predicted, analysis.negated(mode))
    for mode, report in reports.items():
        report.themes = {t: BinaryScores(*c) for t, c in cells[mode].items()}
    return reports


def _count_negation(report: ModeReport, row: LabelledAnswer, theme_ids: Sequence[str],
                    predicted: set[str], flagged: set[str]) -> None:
    for theme in row.negated & set(theme_ids):
        report.negation_total += 1
        report.negation_kept_out += theme not in predicted
        report.flag_hits += theme in flagged
    report.flags += len(flagged)
    report.flags_wrong += len(flagged & row.labels)


def evaluate(coder: Coder, rows: Sequence[LabelledAnswer]) -> dict[str, ModeReport]:
    """Score a coder on labelled rows; the model modes only when the coder has a model."""
    analyses = coder.analyse_many([row.text for row in rows])
    modes = MODES if coder.has_model else ("rules",)
    return score(coder.codebook.theme_ids, rows, analyses, modes)


def format_report(reports: dict[str, ModeReport], title: str = "") -> str:
    """A plain-text table per mode, then a summary line per mode."""
    lines = [title] if title else []
    for report in reports.values():
        lines.append(f"\n[{report.mode}]")
        lines.append(f"{'theme':<22}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}")
        for theme, cell in report.themes.items():
            lines.append(f"{theme:<22}{format_score(cell.precision, 3):>7}"
                         f"{format_score(cell.recall, 3):>7}{format_score(cell.f1, 3):>7}"
                         f"{cell.support:>6}")
        data = report.to_dict()
        neg = data["negation_accuracy"]
        extra = ""
        if data["negation_flag_recall"] is not None:
            extra = f"  negation flag recall {data['negation_flag_recall']:.3f}"
        if data["negation_flag_precision"] is not None:
            extra += f"  flag precision {data['negation_flag_precision']:.3f}"
        lines.append(f"micro-F1 {format_score(report.micro_f1, 3)}  "
                     f"macro-F1 {format_score(report.macro_f1, 3)}  "
                     f"negation accuracy {'n/a' if neg is None else f'{neg:.3f}'}{extra}")
    lines.append("\nsummary: " + "  ".join(
        f"{r.mode} macro-F1 {format_score(r.macro_f1, 3)} "
        f"micro-F1 {format_score(r.micro_f1, 3)}"
        for r in reports.values()))
    return "\n".join(lines)
