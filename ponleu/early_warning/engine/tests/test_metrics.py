"""Metric definitions: the same numbers as the format's definitions and scikit-learn's."""

import math

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from ponleu.early_warning.engine import metrics


def sample(n, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.25).astype(int)
    p = np.round(np.clip(0.5 * rng.random(n) + 0.35 * y, 0, 1), 2)  # rounded: many ties
    keys = np.array([f"s{i:04d}" for i in rng.permutation(n)], dtype=object)
    return y, p, keys


@pytest.mark.parametrize("n", [20, 333])
def test_point_metrics_agree_with_scikit_learn(n):
    y, p, keys = sample(n)
    m = metrics.point_metrics(y, p, keys)
    assert m["roc_auc"] == pytest.approx(roc_auc_score(y, p))
    assert m["pr_auc"] == pytest.approx(average_precision_score(y, p))
    assert m["brier"] == pytest.approx(brier_score_loss(y, p))


def test_top_shares_round_up_and_break_ties_by_student_id():
    keys = np.array(["b", "a", "d", "c", "e", "f", "g", "h", "i", "j", "k"], dtype=object)
    p = np.array([0.9, 0.9, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
    y = np.array([0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    # ceil(0.10 * 11) = 2: a and b (tied, by id); ceil(0.20 * 11) = 3: then c, the first of the 0.5s by id.
    assert list(keys[metrics.top_share(p, keys, 0.10)]) == ["b", "a"]
    assert sorted(keys[metrics.top_share(p, keys, 0.20)]) == ["a", "b", "c"]
    m = metrics.point_metrics(y, p, keys)
    assert m["precision_at_10pct"] == 0.5
    assert m["recall_at_20pct"] == 0.5  # d (a dropout) is just outside


def test_expected_calibration_error_by_hand():
    p = np.array([0.05, 0.05, 0.15, 0.95, 1.0])
    y = np.array([0, 1, 0, 1, 1])
    # Bins: [0, .1): mean p .05, observed .5 (2 students); [.1, .2): .15 vs 0; [.9, 1]: .975 vs 1.
    expected = (2 * 0.45 + 1 * 0.15 + 2 * 0.025) / 5
    assert metrics.point_metrics(y, p, np.arange(5).astype(str))["ece"] == pytest.approx(expected)


def test_weighted_resamples_equal_repeated_rows():
    y, p, keys = sample(200, seed=2)
    s = metrics._Sorted(y, p, keys)
    w = np.random.default_rng(5).integers(0, 3, 200).astype(float)
    values = s.metrics(w[None, :], 7, 13)
    rep = np.repeat(s.order, w.astype(int))
    assert values["roc_auc"][0] == pytest.approx(roc_auc_score(y[rep], p[rep]))
    assert values["pr_auc"][0] == pytest.approx(average_precision_score(y[rep], p[rep]))
    order = np.lexsort((keys[rep].astype(str), -p[rep]))
    assert values["precision_at_10pct"][0] == pytest.approx(y[rep][order[:7]].mean())
    assert values["recall_at_20pct"][0] == pytest.approx(y[rep][order[:13]].sum() / y[rep].sum())


def test_bootstrap_intervals_are_stratified_fixed_and_bracket_the_estimate():
    y, p, keys = sample(300, seed=3)
    first = metrics.bootstrap(y, p, keys)
    assert first == metrics.bootstrap(y, p, keys)
    point = metrics.point_metrics(y, p, keys)
    for name in ("roc_auc", "pr_auc", "precision_at_10pct", "recall_at_20pct"):
        low, high = first[name]
        assert low <= point[name] <= high
        assert high - low < 0.4
    rng = np.random.default_rng(metrics.SEED)
    w = metrics._resample_weights(rng, np.sort(y), 4)
    assert (w[:, np.sort(y) == 1].sum(axis=1) == y.sum()).all()  # every resample keeps the dropouts' count


def test_uncomputable_metrics_are_null_never_made_up():
    keys = np.array(["a", "b", "c"], dtype=object)
    one_class = metrics.point_metrics(np.array([0, 0, 0]), np.array([0.1, 0.2, 0.3]), keys)
    assert one_class["roc_auc"] is None
    assert one_class["pr_auc"] is None
    assert one_class["recall_at_20pct"] is None
    nobody = metrics.flag_metrics(np.array([1, 0, 0]), np.array([False, False, False]))
    assert nobody["precision"] is None
    assert nobody["recall"] == 0
    table = metrics.subgroups(
        np.array([1, 0, 0, 1]),
        np.array([0.9, 0.2, 0.1, 0.8]),
        np.array(["a", "b", "c", "d"], dtype=object),
        {"sex": np.array(["F", "F", None, "M"], dtype=object)},
    )
    assert set(table["sex"]) == {"F", "M", "unknown"}
    assert table["sex"]["M"]["roc_auc"] is None
    assert table["sex"]["unknown"]["recall"] is None
    assert table["sex"]["unknown"]["precision"] is None  # nobody flagged in that group
    assert table["sex"]["F"]["n"] == 2
    assert table["sex"]["F"]["base_rate"] == 0.5
    assert math.isclose(table["sex"]["F"]["calibration_in_the_large"], 0.55 - 0.5)


def test_calibration_line_of_a_calibrated_score():
    rng = np.random.default_rng(9)
    p = rng.random(20_000)
    y = (rng.random(20_000) < p).astype(int)
    line = metrics.calibration_line(y, p)
    assert line["slope"] == pytest.approx(1, abs=0.1)
    assert line["intercept"] == pytest.approx(0, abs=0.1)
