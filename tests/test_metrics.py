"""coding.metrics: Cohen's kappa, Krippendorff's alpha, precision, recall and F1 against
values worked out by hand, and the one empty-case convention (undefined is None, shown as
"–") that the corpus evaluation, threshold tuning, retraining and the review page share."""

from __future__ import annotations

import pytest

from coding import metrics
from coding.corpus import LabelledAnswer
from coding.evaluate import ModeReport, format_report, score
from coding.metrics import BinaryScores

# ---------------------------------------------------------------- kappa


def test_kappa_two_categories_by_hand():
    # units: (1,1) (0,0) (1,0) (0,0)
    # p_o = 3/4; rater A says 1 in 2/4, rater B in 1/4
    # p_e = 2/4 * 1/4 + 2/4 * 3/4 = 1/8 + 3/8 = 1/2; kappa = (3/4 - 1/2) / (1 - 1/2) = 1/2
    assert metrics.cohen_kappa([1, 0, 1, 0], [1, 0, 0, 0]) == pytest.approx(0.5)


def test_kappa_three_categories_by_hand():
    # A: a a b c c c   B: a b b c c a   agree on units 1, 3, 4, 5: p_o = 4/6
    # A: a 2, b 1, c 3; B: a 2, b 2, c 2: p_e = (2*2 + 1*2 + 3*2) / 36 = 1/3
    # kappa = (2/3 - 1/3) / (2/3) = 1/2
    assert metrics.cohen_kappa(list("aabccc"), list("abbcca")) == pytest.approx(0.5)


def test_kappa_worse_than_chance_is_negative():
    # always opposite: p_o = 0, p_e = 1/2 -> kappa = -1
    assert metrics.cohen_kappa([1, 0, 1, 0], [0, 1, 0, 1]) == pytest.approx(-1.0)


def test_kappa_perfect_and_undefined():
    assert metrics.cohen_kappa([1, 0, 0, 1], [1, 0, 0, 1]) == pytest.approx(1.0)
    # both raters use one category only: p_e = 1, kappa undefined (not a made-up 1)
    assert metrics.cohen_kappa([0, 0, 0], [0, 0, 0]) is None
    assert metrics.cohen_kappa([], []) is None
    with pytest.raises(ValueError):
        metrics.cohen_kappa([1], [1, 0])


# ---------------------------------------------------------------- alpha


def test_alpha_two_coders_by_hand():
    # units (1,1) (0,0) (1,0) (0,0); each unit has m = 2 values, pairs weigh 1/(m-1) = 1
    # coincidences: o_00 = 2 + 2 = 4, o_11 = 2, o_01 = o_10 = 1
    # n_0 = 5, n_1 = 3, n = 8
    # alpha = 1 - (n - 1) * (o_01 + o_10) / (n_0 n_1 + n_1 n_0) = 1 - 7 * 2 / 30 = 8/15
    assert metrics.krippendorff_alpha_nominal([[1, 1], [0, 0], [1, 0], [0, 0]]) == \
        pytest.approx(8 / 15)


def test_alpha_with_three_coders_and_a_missing_value_by_hand():
    # unit 1: (a, a, b): m = 3, each ordered pair weighs 1/2: o_aa += 2 * 1/2 = 1,
    #         o_ab += 2 * 1/2 = 1, o_ba += 1
    # unit 2: (b, b) [third coder missing]: o_bb += 2
    # unit 3: (a, a, a): o_aa += 6 * 1/2 = 3
    # unit 4: (b,) alone: not pairable, left out
    # n_a = o_aa + o_ab = 4 + 1 = 5, n_b = o_ba + o_bb = 1 + 2 = 3, n = 8
    # alpha = 1 - (8 - 1) * (1 + 1) / (5 * 3 + 3 * 5) = 1 - 14/30 = 8/15
    units = [["a", "a", "b"], ["b", "b"], ["a", "a", "a"], ["b"]]
    assert metrics.krippendorff_alpha_nominal(units) == pytest.approx(8 / 15)


def test_alpha_matches_krippendorffs_published_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal data with
    # missing values: four observers, twelve units; published alpha = 0.743
    n = None
    observers = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    units = [[v for v in column if v is not None] for column in zip(*observers, strict=True)]
    assert round(metrics.krippendorff_alpha_nominal(units), 3) == 0.743


def test_alpha_perfect_and_undefined():
    assert metrics.krippendorff_alpha_nominal([[1, 1], [0, 0, 0]]) == pytest.approx(1.0)
    assert metrics.krippendorff_alpha_nominal([[1, 1], [1, 1]]) is None  # no variation
    assert metrics.krippendorff_alpha_nominal([[1], [0]]) is None  # nothing pairable
    assert metrics.krippendorff_alpha_nominal([]) is None


def test_binary_scores_by_hand():
    scores = metrics.binary_scores([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])
    assert (scores.tp, scores.fp, scores.fn, scores.tn) == (2, 1, 1, 1)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))
    empty = metrics.binary_scores([0, 0], [0, 0])
    assert empty.precision is None and empty.recall is None and empty.f1 is None


# ---------------------------------------------------------------- the empty-case convention


def test_undefined_scores_are_none_not_a_made_up_number():
    # nothing to find and nothing found: precision, recall and F1 all undefined
    assert metrics.precision(0, 0) is None
    assert metrics.recall(0, 0) is None
    assert metrics.f1(0, 0, 0) is None
    # something predicted, nothing to find: precision 0, recall undefined, F1 a real 0
    assert metrics.precision(0, 3) == 0.0
    assert metrics.f1(0, 3, 0) == 0.0
    # something to find, nothing predicted: precision undefined, recall 0, F1 a real 0
    assert metrics.recall(0, 2) == 0.0
    assert metrics.f1(0, 0, 2) == 0.0


def test_f1_by_hand():
    # tp 3, fp 1, fn 2: P = 3/4, R = 3/5, F1 = 2PR/(P+R) = 2*3 / (2*3 + 1 + 2) = 2/3
    assert metrics.f1(3, 1, 2) == pytest.approx(2 / 3)
    p, r = metrics.precision(3, 1), metrics.recall(3, 2)
    assert metrics.f1(3, 1, 2) == pytest.approx(2 * p * r / (p + r))


def test_macro_leaves_out_themes_with_nothing_to_find():
    perfect = BinaryScores(tp=2, fp=0, fn=0, tn=3)
    missed = BinaryScores(tp=0, fp=0, fn=1, tn=4)  # F1 0: counts
    silent = BinaryScores(tp=0, fp=0, fn=0, tn=5)  # F1 undefined: left out, not 0 or 1
    false_alarm = BinaryScores(tp=0, fp=2, fn=0, tn=3)  # nothing to find: left out of macro
    assert metrics.macro_f1([perfect, missed, silent, false_alarm]) == pytest.approx(0.5)
    assert metrics.macro_f1([silent, false_alarm]) is None
    assert metrics.macro_f1([]) is None
    # micro sums the cells: tp 2, fp 2, fn 1 -> 4 / 7
    total = metrics.micro([perfect, missed, silent, false_alarm])
    assert (total.tp, total.fp, total.fn, total.tn) == (2, 2, 1, 15)
    assert total.f1 == pytest.approx(4 / 7)
    assert metrics.micro([silent]).f1 is None


def test_mean_of_defined_values_only():
    assert metrics.mean([0.5, None, 1.0]) == pytest.approx(0.75)
    assert metrics.mean([None, None]) is None


def test_undefined_is_a_dash_in_text_and_null_in_json():
    assert metrics.format_score(None) == "–"
    assert metrics.format_score(0.5) == "0.50"
    assert metrics.format_score(2 / 3, 3) == "0.667"
    assert metrics.rounded(None) is None
    assert metrics.rounded(2 / 3) == 0.6667


class _Analysis:
    """Just enough of coding.coder.Analysis for coding.evaluate.score."""

    def __init__(self, labels: set[str]):
        self._labels = labels

    def labels(self, mode: str = "combined") -> set[str]:
        return self._labels

    def negated(self, mode: str = "combined") -> set[str]:
        return set()


def test_corpus_evaluation_uses_the_same_convention():
    rows = [LabelledAnswer(id="1", text="x", labels=frozenset({"a"})),
            LabelledAnswer(id="2", text="y", labels=frozenset())]
    reports = score(["a", "b"], rows, [_Analysis({"a"}), _Analysis(set())], ("rules",))
    report: ModeReport = reports["rules"]
    assert report.themes["a"].f1 == 1.0
    # theme b: never predicted, never gold -> undefined everywhere, left out of macro-F1
    data = report.to_dict()
    assert data["themes"]["b"] == {"precision": None, "recall": None, "f1": None,
                                   "support": 0}
    assert data["macro_f1"] == 1.0 and data["micro_f1"] == 1.0
    line = next(x for x in format_report(reports).splitlines() if x.startswith("b "))
    assert line == f"{'b':<22}{'–':>7}{'–':>7}{'–':>7}{0:>6}"
