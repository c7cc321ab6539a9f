"""Evaluation metrics with the exact definitions of the history format.

- Rankings are by predicted risk, highest first; ties are broken by student id in ascending order.
- ``precision_at_10pct`` flags the ceil(0.10 n) highest, ``recall_at_20pct`` the ceil(0.20 n) highest.
- ``pr_auc`` is average precision; ``ece`` uses 10 equal-width bins weighted by their counts.
- 95 % intervals are the 2.5th-97.5th percentiles over 1,000 bootstrap resamples stratified by
  outcome, with a fixed seed.
- A metric that cannot be computed (one class only, nobody flagged, an empty group) is None;
  recall when nobody is flagged is 0.

A bootstrap resample is a vector of multiplicities over the students, so every metric is computed
for a block of resamples at once from one sort: a thousand resamples cost a few matrix operations,
not a thousand calls.
"""

from __future__ import annotations

import math

import numpy as np

RESAMPLES = 1000
SEED = 20_240_601
BINS = 10
TOP_PRECISION = 0.10
TOP_RECALL = 0.20


def _none(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def ranking(p: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Indices from the highest risk to the lowest; equal risks in ascending student id."""
    _, key_rank = np.unique(np.asarray(keys, dtype=str), return_inverse=True)
    return np.lexsort((key_rank, -np.asarray(p, dtype=float)))


def top_k(p: np.ndarray, keys: np.ndarray, k: int) -> np.ndarray:
    flags = np.zeros(len(p), dtype=bool)
    flags[ranking(p, keys)[: max(0, int(k))]] = True
    return flags


def top_share(p: np.ndarray, keys: np.ndarray, share: float) -> np.ndarray:
    return top_k(p, keys, math.ceil(share * len(p)))


class _Sorted:
    """Predictions in ranking order, with the boundaries of equal-risk groups."""

    def __init__(self, y, p, keys):
        self.order = ranking(p, keys)
        self.y = np.asarray(y, dtype=float)[self.order]
        self.p = np.asarray(p, dtype=float)[self.order]
        self.n = len(self.y)
        change = np.flatnonzero(np.diff(self.p) != 0) + 1
        self.starts = np.concatenate([[0], change]).astype(np.intp) if self.n else np.zeros(0, np.intp)
        self.bins = np.minimum((self.p * BINS).astype(int), BINS - 1)
        self.onehot = np.zeros((self.n, BINS))
        self.onehot[np.arange(self.n), self.bins] = 1.0

    def metrics(self, w: np.ndarray, k10: int, k20: int, *, auc_only: bool = False) -> dict[str, np.ndarray]:
        """Every metric for each row of multiplicities ``w`` (resamples x students, ranking order)."""
        y, p = self.y, self.p
        wy, wn = w * y, w * (1 - y)
        pos, neg = wy.sum(axis=1), wn.sum(axis=1)
        tp_g = np.add.reduceat(wy, self.starts, axis=1)
        fp_g = np.add.reduceat(wn, self.starts, axis=1)
        cum_fp = np.cumsum(fp_g, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            auc = (tp_g * (neg[:, None] - cum_fp + 0.5 * fp_g)).sum(axis=1) / (pos * neg)
            auc[(pos == 0) | (neg == 0)] = np.nan
            if auc_only:
                return {"roc_auc": auc}
            cum_tp = np.cumsum(tp_g, axis=1)
            precision_g = np.where(cum_tp + cum_fp > 0, cum_tp / (cum_tp + cum_fp), 0.0)
            ap = (tp_g * precision_g).sum(axis=1) / pos
            ap[pos == 0] = np.nan
            before = np.cumsum(w, axis=1) - w
            in10 = np.clip(k10 - before, 0, w)
            in20 = np.clip(k20 - before, 0, w)
            total = w.sum(axis=1)
            prec10 = np.where(k10 > 0, (in10 * y).sum(axis=1) / max(k10, 1), np.nan)
            rec20 = np.where(pos > 0, (in20 * y).sum(axis=1) / pos, np.nan)
            ece = np.abs((w * (p - y)) @ self.onehot).sum(axis=1) / total
            brier = (w * (p - y) ** 2).sum(axis=1) / total
        return {
            "roc_auc": auc,
            "pr_auc": ap,
            "precision_at_10pct": prec10,
            "recall_at_20pct": rec20,
            "ece": ece,
            "brier": brier,
        }

    def at_flag_count(self, w: np.ndarray, k: np.ndarray) -> np.ndarray:
        """True positives among the top k (per resample) in ranking order."""
        before = np.cumsum(w, axis=1) - w
        included = np.clip(k[:, None] - before, 0, w)
        return (included * self.y).sum(axis=1)


def point_metrics(y: np.ndarray, p: np.ndarray, keys: np.ndarray) -> dict[str, float | None]:
    n = len(y)
    if n == 0:
        return dict.fromkeys(("roc_auc", "pr_auc", "precision_at_10pct", "recall_at_20pct", "ece", "brier"))
    s = _Sorted(y, p, keys)
    values = s.metrics(np.ones((1, n)), math.ceil(TOP_PRECISION * n), math.ceil(TOP_RECALL * n))
    return {name: _none(v[0]) for name, v in values.items()}


def _resample_weights(rng, y_sorted: np.ndarray, rows: int) -> np.ndarray:
    """Multiplicities of ``rows`` resamples, each drawing the positives and the negatives separately."""
    n = len(y_sorted)
    w = np.zeros(rows * n)
    offsets = (np.arange(rows) * n)[:, None]
    for members in (np.flatnonzero(y_sorted == 1), np.flatnonzero(y_sorted == 0)):
        if members.size:
            draws = members[rng.integers(0, members.size, (rows, members.size))] + offsets
            w += np.bincount(draws.ravel(), minlength=rows * n)
    return w.reshape(rows, n)


def bootstrap(
    y: np.ndarray,
    p: np.ndarray,
    keys: np.ndarray,
    *,
    rule_flags: np.ndarray | None = None,
    resamples: int = RESAMPLES,
    seed: int = SEED,
    auc_only: bool = False,
) -> dict[str, list[float] | None]:
    """95 % intervals of every metric (and of the model-minus-rule differences when flags are given)."""
    n = len(y)
    if n == 0:
        return {}
    s = _Sorted(y, p, keys)
    flags = None if rule_flags is None else np.asarray(rule_flags, dtype=float)[s.order]
    rng = np.random.default_rng(seed)
    k10, k20 = math.ceil(TOP_PRECISION * n), math.ceil(TOP_RECALL * n)
    block = max(1, min(resamples, 4_000_000 // max(n, 1)))
    collected: dict[str, list] = {}
    done = 0
    while done < resamples:
        rows = min(block, resamples - done)
        w = _resample_weights(rng, s.y, rows)
        for name, values in s.metrics(w, k10, k20, auc_only=auc_only).items():
            collected.setdefault(name, []).append(values)
        if flags is not None:
            k = w @ flags
            tp_rule = w @ (flags * s.y)
            tp_model = s.at_flag_count(w, k)
            pos = w @ s.y
            with np.errstate(invalid="ignore", divide="ignore"):
                collected.setdefault("precision_difference", []).append(
                    np.where(k > 0, (tp_model - tp_rule) / k, np.nan)
                )
                collected.setdefault("recall_difference", []).append(
                    np.where(pos > 0, (tp_model - tp_rule) / pos, np.nan)
                )
        done += rows
    out = {}
    for name, parts in collected.items():
        values = np.concatenate(parts)
        values = values[~np.isnan(values)]
        out[name] = (
            [float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))] if values.size else None
        )
    return out


def flag_metrics(y: np.ndarray, flags: np.ndarray) -> dict[str, float | None]:
    y = np.asarray(y, dtype=bool)
    flags = np.asarray(flags, dtype=bool)
    n, pos, neg, flagged = len(y), int(y.sum()), int((~y).sum()), int(flags.sum())
    tp, fp = int((y & flags).sum()), int((~y & flags).sum())
    return {
        "flag_rate": flagged / n if n else None,
        "precision": tp / flagged if flagged else None,
        "recall": tp / pos if pos else None,
        "fpr": fp / neg if neg else None,
    }


def roc_auc(y, p) -> float | None:
    y = np.asarray(y)
    if len(y) == 0 or y.min() == y.max():
        return None
    keys = np.arange(len(y)).astype(str)
    return point_metrics(y, p, keys)["roc_auc"]


def reliability(y: np.ndarray, p: np.ndarray) -> list[dict]:
    """The reliability plot's points: per equal-width bin, count, mean prediction, observed rate."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    bins = np.minimum((p * BINS).astype(int), BINS - 1)
    out = []
    for b in range(BINS):
        sel = bins == b
        count = int(sel.sum())
        out.append(
            {
                "bin": [b / BINS, (b + 1) / BINS],
                "n": count,
                "mean_predicted": float(p[sel].mean()) if count else None,
                "observed": float(y[sel].mean()) if count else None,
            }
        )
    return out


def calibration_line(y: np.ndarray, p: np.ndarray) -> dict[str, float | None]:
    """Calibration intercept and slope: logistic regression of the outcome on logit(p)."""
    y = np.asarray(y, dtype=float)
    if len(y) < 3 or y.min() == y.max():
        return {"intercept": None, "slope": None}
    x = np.log(np.clip(p, 1e-6, 1 - 1e-6) / (1 - np.clip(p, 1e-6, 1 - 1e-6)))
    design = np.column_stack([np.ones_like(x), x])
    beta = np.zeros(2)
    for _ in range(50):  # Newton steps; converges in a handful
        mu = 1 / (1 + np.exp(-(design @ beta)))
        grad = design.T @ (y - mu)
        hess = design.T @ (design * (mu * (1 - mu))[:, None]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    return {"intercept": float(beta[0]), "slope": float(beta[1])}


def subgroups(
    y: np.ndarray,
    p: np.ndarray,
    keys: np.ndarray,
    attributes: dict[str, np.ndarray],
    *,
    flags: np.ndarray | None = None,
    intervals: bool = True,
    seed: int = SEED,
) -> dict:
    """Per attribute and value: n, base rate, ROC-AUC, and the top-20 % flag's rate, recall, FPR,
    precision; plus calibration-in-the-large (mean predicted minus observed) and an AUC interval."""
    y = np.asarray(y, dtype=bool)
    p = np.asarray(p, dtype=float)
    flags = top_share(p, keys, TOP_RECALL) if flags is None else flags
    table = {}
    for attribute, raw in attributes.items():
        values = np.array(["unknown" if v is None or v == "" else str(v) for v in raw], dtype=object)
        groups = {}
        for value in sorted(set(values)):
            sel = values == value
            gy, gp = y[sel], p[sel]
            row = {
                "n": int(sel.sum()),
                "base_rate": float(gy.mean()),
                "roc_auc": roc_auc(gy, gp),
                **flag_metrics(gy, flags[sel]),
                "calibration_in_the_large": float(gp.mean() - gy.mean()),
            }
            if intervals:
                ci = (
                    bootstrap(gy.astype(int), gp, np.asarray(keys)[sel], seed=seed, auc_only=True)
                    if row["roc_auc"] is not None
                    else {}
                )
                row["roc_auc_ci95"] = ci.get("roc_auc")
            groups[value] = row
        table[attribute] = groups
    return table


def largest_gaps(table: dict) -> dict:
    """Per attribute, the widest between-group gaps in AUC, recall and calibration-in-the-large."""
    out = {}
    for attribute, groups in table.items():
        gaps = {}
        for metric in ("roc_auc", "recall", "calibration_in_the_large"):
            values = {k: v[metric] for k, v in groups.items() if v[metric] is not None and k != "unknown"}
            if len(values) >= 2:
                low, high = min(values, key=values.get), max(values, key=values.get)
                gaps[metric] = {"gap": values[high] - values[low], "low": low, "high": high}
        out[attribute] = gaps
    return out
