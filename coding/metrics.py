"""Agreement and accuracy metrics, written once: precision, recall and F1, Cohen's kappa and
Krippendorff's alpha (nominal).

The corpus evaluation (``coding.evaluate``), threshold tuning (``coding.training``), the
review statistics (``survey.services.agreement``) and the retraining rule
(``survey.services.retrain``) all score with these functions, so a number means the same
wherever it is shown.

Empty-case convention: a statistic whose denominator is zero is *undefined* and is returned
as ``None`` — never a made-up 0 or 1 — and shown as "–" (``format_score``). So precision is
None when nothing was predicted, recall when there was nothing to find, and F1 when there was
nothing to find and nothing was found (tp = fp = fn = 0); kappa and alpha are None with a
single category or nothing to compare. The reason: 1.0 (scikit-learn's ``zero_division=1``)
would let a theme nobody mentioned look perfect and lift a mean, and 0.0 would punish it for
something it could not get wrong; either way an average over themes would move because of
themes that say nothing about the coder. Averages therefore leave undefined values out
(``macro_f1`` averages over themes with something to find, where F1 is always defined).
Callers that need a number to rank candidates by (threshold tuning) say so explicitly with
``or 0.0``. F1 with something to find or something found but no hit is a real 0.0.

Computed here without scikit-learn, and tested against values worked out by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import permutations
from typing import Any

UNDEFINED = "–"  # how an undefined (None) statistic is printed


def precision(tp: int, fp: int) -> float | None:
    """Share of the predicted that are right; None when nothing was predicted."""
    return tp / (tp + fp) if tp + fp else None


def recall(tp: int, fn: int) -> float | None:
    """Share of the gold found; None when there was nothing to find."""
    return tp / (tp + fn) if tp + fn else None


def f1(tp: int, fp: int, fn: int) -> float | None:
    """2tp / (2tp + fp + fn); None only when there was nothing to find and nothing found."""
    denominator = 2 * tp + fp + fn
    return 2 * tp / denominator if denominator else None


@dataclass(frozen=True)
class BinaryScores:
    """A prediction against a gold standard on one theme: the four cells of the table."""

    tp: int
    fp: int
    fn: int
    tn: int = 0

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def support(self) -> int:
        """Gold positives: how much there was to find."""
        return self.tp + self.fn

    @property
    def precision(self) -> float | None:
        return precision(self.tp, self.fp)

    @property
    def recall(self) -> float | None:
        return recall(self.tp, self.fn)

    @property
    def f1(self) -> float | None:
        return f1(self.tp, self.fp, self.fn)


def binary_scores(predicted: Sequence[Any], gold: Sequence[Any]) -> BinaryScores:
    """Count the cells of two parallel sequences of truthy/falsy judgments."""
    pairs = list(zip(predicted, gold, strict=True))
    return BinaryScores(tp=sum(1 for p, g in pairs if p and g),
                        fp=sum(1 for p, g in pairs if p and not g),
                        fn=sum(1 for p, g in pairs if g and not p),
                        tn=sum(1 for p, g in pairs if not p and not g))


def micro(scores: Iterable[BinaryScores]) -> BinaryScores:
    """The cells summed over themes (micro-averaging)."""
    cells = list(scores)
    return BinaryScores(*(sum(getattr(s, f) for s in cells) for f in ("tp", "fp", "fn", "tn")))


def macro_f1(scores: Iterable[BinaryScores]) -> float | None:
    """Mean F1 over the themes with something to find; None when no theme has any."""
    return mean(s.f1 for s in scores if s.support)


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the defined values; None when none is defined."""
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


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


def format_score(value: float | None, digits: int = 2) -> str:
    """A statistic for plain text: fixed decimals, "–" when undefined."""
    return UNDEFINED if value is None else f"{value:.{digits}f}"


def rounded(value: float | None, digits: int = 4) -> float | None:
    """A statistic for JSON: rounded, None (null) when undefined."""
    return None if value is None else round(value, digits)
