"""Precision, recall and F1 per theme for the rules alone, the model alone and the
combination, plus negation accuracy.

Negation accuracy: of the (answer, theme) pairs the gold standard marks as negated, the
share the coder does not count as present. For rules and combination the negation flag is
also scored: flag recall (gold-negated pairs reported with negated=true) and flag
precision (reported negated codes that are not gold-present).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from coding.coder import Analysis, Coder
from coding.corpus import LabelledAnswer

MODES = ("rules", "model", "combined")


@dataclass
class ThemeScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0


@dataclass
class ModeReport:
    mode: str
    themes: dict[str, ThemeScore] = field(default_factory=dict)
    negation_total: int = 0
    negation_kept_out: int = 0
    flag_hits: int = 0  # gold-negated pairs reported as negated
    flags: int = 0  # negated codes reported
    flags_wrong: int = 0  # negated codes on gold-present themes

    @property
    def micro_f1(self) -> float:
        total = ThemeScore(sum(s.tp for s in self.themes.values()),
                           sum(s.fp for s in self.themes.values()),
                           sum(s.fn for s in self.themes.values()))
        return total.f1

    @property
    def macro_f1(self) -> float:
        scored = [s.f1 for s in self.themes.values() if s.support]
        return sum(scored) / len(scored) if scored else 0.0

    @property
    def negation_accuracy(self) -> float | None:
        return (self.negation_kept_out / self.negation_total) if self.negation_total else None

    def to_dict(self) -> dict:
        return {
            "mode": self.mode, "micro_f1": round(self.micro_f1, 4),
            "macro_f1": round(self.macro_f1, 4),
            "negation_accuracy": (round(self.negation_accuracy, 4)
                                  if self.negation_accuracy is not None else None),
            "negation_flag_recall": (round(self.flag_hits / self.negation_total, 4)
                                     if self.negation_total and self.mode != "model" else None),
            "negation_flag_precision": (round(1 - self.flags_wrong / self.flags, 4)
                                        if self.flags else None),
            "themes": {t: {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
                           "f1": round(s.f1, 4), "support": s.support}
                       for t, s in self.themes.items()},
        }


def score(theme_ids: Sequence[str], rows: Sequence[LabelledAnswer],
          analyses: Sequence[Analysis], modes: Sequence[str] = MODES) -> dict[str, ModeReport]:
    reports = {mode: ModeReport(mode, {t: ThemeScore() for t in theme_ids}) for mode in modes}
    for row, analysis in zip(rows, analyses, strict=True):
        for mode, report in reports.items():
            predicted = analysis.labels(mode)
            flagged = analysis.negated(mode)
            for theme in theme_ids:
                gold, pred = theme in row.labels, theme in predicted
                cell = report.themes[theme]
                cell.tp += gold and pred
                cell.fp += pred and not gold
                cell.fn += gold and not pred
            for theme in row.negated & set(theme_ids):
                report.negation_total += 1
                report.negation_kept_out += theme not in predicted
                report.flag_hits += theme in flagged
            report.flags += len(flagged)
            report.flags_wrong += len(flagged & row.labels)
    return reports


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
            lines.append(f"{theme:<22}{cell.precision:>7.3f}{cell.recall:>7.3f}"
                         f"{cell.f1:>7.3f}{cell.support:>6}")
        data = report.to_dict()
        neg = data["negation_accuracy"]
        extra = ""
        if data["negation_flag_recall"] is not None:
            extra = f"  negation flag recall {data['negation_flag_recall']:.3f}"
        if data["negation_flag_precision"] is not None:
            extra += f"  flag precision {data['negation_flag_precision']:.3f}"
        lines.append(f"micro-F1 {report.micro_f1:.3f}  macro-F1 {report.macro_f1:.3f}  "
                     f"negation accuracy {'n/a' if neg is None else f'{neg:.3f}'}{extra}")
    lines.append("\nsummary: " + "  ".join(
        f"{r.mode} macro-F1 {r.macro_f1:.3f} micro-F1 {r.micro_f1:.3f}"
        for r in reports.values()))
    return "\n".join(lines)
