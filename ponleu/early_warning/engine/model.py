"""Risk models trained on an organisation's own history, with calibrated probabilities.

``train_model`` compares gradient boosting (scikit-learn's HistGradientBoostingClassifier) with a
regularised logistic regression. Hyperparameters and the calibration method are chosen on a
validation slice of the training data only (the latest training cohort when there are several,
otherwise a grouped quarter of the students); the chosen model is then refitted on all training
data with cross-fitted calibration. With fewer than 50 dropouts in the training data it refuses
to train (``NotEnoughDropouts``): the rule index stays in use.

Sex and disability are inputs only when the frame was built with ``use_protected=True``.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import pickle
from dataclasses import dataclass, field

import numpy as np
import sklearn
from django.utils.translation import gettext_lazy as _
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from threadpoolctl import threadpool_limits

from . import metrics
from .features import FeatureFrame
from .records import PROTECTED

MIN_DROPOUTS = 50
MAX_CATEGORIES = 250  # gradient boosting takes at most 255 bins per categorical feature
MAGIC = b"PONLEU-EWS-MODEL 1\n"
# Below this many rows, OpenMP threads cost more than they save (and much more on a busy machine).
THREADED_FROM_ROWS = 50_000


class NotEnoughDropouts(ValueError):
    def __init__(self, dropouts: int, minimum: int):
        self.dropouts, self.minimum = dropouts, minimum
        super().__init__(
            str(
                _(
                    "The training data hold %(count)s dropouts; at least %(minimum)s are needed to train "
                    "a model. The rule index stays in use."
                )
                % {"count": dropouts, "minimum": minimum}
            )
        )


class ModelFormatError(ValueError):
    pass


@dataclass(frozen=True)
class TrainingSettings:
    min_dropouts: int = MIN_DROPOUTS
    families: tuple[str, ...] = ("gradient_boosting", "logistic")
    boosting_grid: tuple[dict, ...] = (
        {
            "learning_rate": 0.1,
            "max_iter": 100,
            "max_leaf_nodes": 7,
            "min_samples_leaf": 40,
            "l2_regularization": 1.0,
        },
        {
            "learning_rate": 0.05,
            "max_iter": 200,
            "max_leaf_nodes": 15,
            "min_samples_leaf": 80,
            "l2_regularization": 1.0,
        },
        {
            "learning_rate": 0.1,
            "max_iter": 150,
            "max_leaf_nodes": 31,
            "min_samples_leaf": 100,
            "l2_regularization": 0.0,
        },
    )
    logistic_grid: tuple[float, ...] = (0.01, 0.1, 1.0)
    calibration_methods: tuple[str, ...] = ("sigmoid", "isotonic")
    calibration_folds: int = 5
    validation_share: float = 0.25
    seed: int = 0


class Encoder:
    """Turns a FeatureFrame into a float matrix: numbers as they are, categories as integer codes
    learnt from the training data (unseen or rare values become missing)."""

    def __init__(self, frame: FeatureFrame):
        # A column with a single known value (e.g. scores at the first day of the year) says nothing.
        self.numeric_names = tuple(
            name
            for j, name in enumerate(frame.numeric_names)
            if np.unique(frame.numeric[:, j][np.isfinite(frame.numeric[:, j])]).size > 1
        )
        self.categorical_names = ()
        self.categories: list[dict[str, int]] = []
        for j, name in enumerate(frame.categorical_names):
            values, counts = np.unique(
                np.array([v for v in frame.categorical[:, j] if v is not None], dtype=str), return_counts=True
            )
            if values.size < 2:
                continue
            keep = values[np.argsort(-counts, kind="stable")][:MAX_CATEGORIES]
            self.categorical_names += (name,)
            self.categories.append({v: i for i, v in enumerate(sorted(keep))})

    @property
    def names(self) -> tuple[str, ...]:
        return self.numeric_names + self.categorical_names

    @property
    def categorical_mask(self) -> np.ndarray:
        return np.array([False] * len(self.numeric_names) + [True] * len(self.categorical_names))

    def matrix(self, frame: FeatureFrame) -> np.ndarray:
        missing = [n for n in self.names if not frame.has(n)]
        if missing:
            raise ValueError(f"the frame lacks the model's features {missing}")
        cols = [frame.column(n).astype(float) for n in self.numeric_names]
        for name, mapping in zip(self.categorical_names, self.categories, strict=True):
            cols.append(
                np.array([mapping.get(v, np.nan) if v is not None else np.nan for v in frame.column(name)])
            )
        return np.column_stack(cols) if cols else np.zeros((len(frame), 0))


class LinearInputs(TransformerMixin, BaseEstimator):
    """Inputs for the logistic regression: numbers with missing values set to the median plus a
    missing-value indicator, standardised; categories (integer codes) one-hot, unseen ones all zero.

    A few numpy operations, where a ColumnTransformer pipeline costs many times more per fit.
    """

    def __init__(self, categorical_mask=None):
        self.categorical_mask = categorical_mask

    def fit(self, x, y=None):
        mask = (
            np.zeros(x.shape[1], dtype=bool)
            if self.categorical_mask is None
            else np.asarray(self.categorical_mask)
        )
        self.numeric_ = np.flatnonzero(~mask)
        self.categorical_ = np.flatnonzero(mask)
        num = x[:, self.numeric_]
        with np.errstate(all="ignore"):
            medians = np.nanmedian(num, axis=0) if num.size else np.zeros(0)
        self.medians_ = np.where(np.isnan(medians), 0.0, medians)
        self.indicators_ = np.flatnonzero(np.isnan(num).any(axis=0))
        filled = np.where(np.isnan(num), self.medians_, num)
        self.means_ = filled.mean(axis=0) if len(filled) else np.zeros(len(self.numeric_))
        scale = filled.std(axis=0) if len(filled) else np.ones(len(self.numeric_))
        self.scales_ = np.where(scale > 0, scale, 1.0)
        self.levels_ = [np.unique(x[:, j][~np.isnan(x[:, j])]) for j in self.categorical_]
        return self

    def transform(self, x):
        num = x[:, self.numeric_]
        missing = np.isnan(num)
        parts = [
            (np.where(missing, self.medians_, num) - self.means_) / self.scales_,
            missing[:, self.indicators_],
        ]
        for j, levels in zip(self.categorical_, self.levels_, strict=True):
            parts.append(x[:, j][:, None] == levels[None, :])
        return np.hstack([p.astype(float) for p in parts])


def _estimator(family: str, params: dict, encoder: Encoder, seed: int):
    if family == "gradient_boosting":
        return HistGradientBoostingClassifier(
            categorical_features=encoder.categorical_mask, early_stopping=False, random_state=seed, **params
        )
    return make_pipeline(
        LinearInputs(encoder.categorical_mask), LogisticRegression(C=params["C"], max_iter=2000)
    )


def _candidates(settings: TrainingSettings):
    out = []
    if "gradient_boosting" in settings.families:
        out += [("gradient_boosting", dict(p)) for p in settings.boosting_grid]
    if "logistic" in settings.families:
        out += [("logistic", {"C": c}) for c in settings.logistic_grid]
    return out


def grouped_folds(
    y: np.ndarray, groups: np.ndarray, n_splits: int, seed: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified k-fold over groups: a child's rows stay in one fold; children with and without a
    dropout are shuffled (fixed seed) and dealt round the folds separately, so every fold gets its
    share of dropouts."""
    _, group_index = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    n_groups = group_index.max() + 1 if len(group_index) else 0
    positive = np.zeros(n_groups, dtype=bool)
    positive[group_index[np.asarray(y) == 1]] = True
    rng = np.random.default_rng(seed)
    fold_of_group = np.empty(n_groups, dtype=int)
    start = 0
    for stratum in (np.flatnonzero(positive), np.flatnonzero(~positive)):
        shuffled = rng.permutation(stratum)
        fold_of_group[shuffled] = (np.arange(shuffled.size) + start) % n_splits
        start += shuffled.size
    fold = fold_of_group[group_index]
    return [(np.flatnonzero(fold != k), np.flatnonzero(fold == k)) for k in range(n_splits)]


def _logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _calibration_brier(method: str, scores: np.ndarray, y: np.ndarray, seed: int) -> float:
    """Brier score of a calibrator fitted on one half of the validation slice and scored on the other."""
    rng = np.random.default_rng(seed)
    half = np.zeros(len(y), dtype=bool)
    for cls in (0, 1):
        idx = np.flatnonzero(y == cls)
        half[rng.permutation(idx)[: idx.size // 2]] = True
    losses = []
    for fit, test in ((half, ~half), (~half, half)):
        if len(set(y[fit])) < 2:
            return float("inf")
        if method == "isotonic":
            cal = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(scores[fit], y[fit])
            p = cal.predict(scores[test])
        else:
            cal = LogisticRegression(C=1e6).fit(_logit(scores[fit])[:, None], y[fit])
            p = cal.predict_proba(_logit(scores[test])[:, None])[:, 1]
        losses.append(np.mean((p - y[test]) ** 2))
    return float(np.mean(losses))


@dataclass
class TrainedModel:
    encoder: Encoder
    estimator: CalibratedClassifierCV
    family: str
    params: dict
    calibration: str
    protected_inputs: bool
    reference: dict  # typical values for explanations: feature -> median or most frequent category
    card: dict = field(default_factory=dict)

    @property
    def feature_names(self) -> tuple[str, ...]:
        return self.encoder.names

    def record_evaluation(self, block: dict, *, population: str) -> None:
        """Put an evaluation on the model card: ``backtest.evaluate``'s block (metrics with intervals,
        the rule-index comparison, the subgroup table) and which students it was measured on."""
        self.card["evaluation"] = {"population": population, **block}

    def predict_proba(self, frame: FeatureFrame) -> np.ndarray:
        with threadpool_limits(limits=None if len(frame) >= THREADED_FROM_ROWS else 1):
            return self.estimator.predict_proba(self.encoder.matrix(frame))[:, 1]


def _reference(frame: FeatureFrame) -> dict:
    ref = {}
    for j, name in enumerate(frame.numeric_names):
        col = frame.numeric[:, j]
        ref[name] = float(np.nanmedian(col)) if np.isfinite(col).any() else np.nan
    for j, name in enumerate(frame.categorical_names):
        values = [v for v in frame.categorical[:, j] if v is not None]
        if values:
            labels, counts = np.unique(np.array(values, dtype=str), return_counts=True)
            ref[name] = str(labels[np.argmax(counts)])
        else:
            ref[name] = None
    return ref


def train_model(
    frame: FeatureFrame,
    y: np.ndarray,
    *,
    groups: np.ndarray | None = None,
    validation: np.ndarray | None = None,
    settings: TrainingSettings | None = None,
    window: dict | None = None,
) -> TrainedModel:
    """Choose, calibrate and fit a model on ``frame`` (training students only).

    ``groups`` (the same child across cohorts) keep a child's rows on one side of every internal
    split. ``validation`` marks the tuning slice (e.g. the latest training cohort); without it a
    grouped, stratified quarter is held out. Only training rows are ever seen here.
    """
    settings = settings or TrainingSettings()
    with threadpool_limits(limits=None if len(frame) >= THREADED_FROM_ROWS else 1):
        return _train(frame, y, groups, validation, settings, window)


def _train(frame, y, groups, validation, settings, window) -> TrainedModel:
    y = np.asarray(y).astype(int)
    groups = np.asarray(frame.keys if groups is None else groups)
    dropouts = int(y.sum())
    if dropouts < settings.min_dropouts:
        raise NotEnoughDropouts(dropouts, settings.min_dropouts)
    protected = [n for n in frame.names if n in PROTECTED]
    if validation is None or y[validation].sum() < 5 or y[~validation].sum() < 5:
        n_splits = max(2, round(1 / settings.validation_share))
        fit_rows, val_rows = grouped_folds(y, groups, n_splits, settings.seed)[0]
        validation_method = "grouped random slice of the training students"
    else:
        fit_rows, val_rows = np.flatnonzero(~validation), np.flatnonzero(validation)
        validation_method = "latest training cohort"
    encoder = Encoder(frame)
    x = encoder.matrix(frame)
    tried = []
    for family, params in _candidates(settings):
        est = _estimator(family, params, encoder, settings.seed).fit(x[fit_rows], y[fit_rows])
        scores = est.predict_proba(x[val_rows])[:, 1]
        tried.append(
            {
                "family": family,
                "params": params,
                "roc_auc": metrics.roc_auc(y[val_rows], scores),
                "_scores": scores,
            }
        )
    best = max(tried, key=lambda t: -1 if t["roc_auc"] is None else t["roc_auc"])
    briers = {
        m: _calibration_brier(m, best["_scores"], y[val_rows], settings.seed)
        for m in settings.calibration_methods
    }
    method = min(briers, key=briers.get)
    final = CalibratedClassifierCV(
        _estimator(best["family"], best["params"], encoder, settings.seed),
        method=method,
        cv=grouped_folds(y, groups, settings.calibration_folds, settings.seed),
        ensemble=True,
    ).fit(x, y)
    card = {
        "family": best["family"],
        "hyperparameters": best["params"],
        "calibration": method,
        "protected_inputs": bool(protected),
        "features": list(encoder.names),
        "training": {"n": int(len(y)), "dropouts": dropouts, "base_rate": float(y.mean()), **(window or {})},
        "validation": {
            "method": validation_method,
            "n": int(len(val_rows)),
            "dropouts": int(y[val_rows].sum()),
            "candidates": [{k: v for k, v in t.items() if k != "_scores"} for t in tried],
            "calibration_brier": briers,
        },
        "software": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
    }
    return TrainedModel(
        encoder=encoder,
        estimator=final,
        family=best["family"],
        params=best["params"],
        calibration=method,
        protected_inputs=bool(protected),
        reference=_reference(frame),
        card=card,
    )


def dumps(model: TrainedModel, *, key: bytes | None = None) -> bytes:
    """Serialise with a SHA-256 digest, and an HMAC when a key is given (loads refuses tampering)."""
    body = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    header = {
        "sha256": hashlib.sha256(body).hexdigest(),
        "hmac": hmac.new(key, body, hashlib.sha256).hexdigest() if key else None,
        "scikit-learn": sklearn.__version__,
        "card": model.card,
    }
    return MAGIC + json.dumps(header, default=str).encode() + b"\n" + body


def read_card(data: bytes) -> dict:
    """The model card of a serialised model, without unpickling anything."""
    return _header(data)[0]["card"]


def _header(data: bytes):
    if not data.startswith(MAGIC):
        raise ModelFormatError("not a Ponleu early-warning model")
    stream = io.BytesIO(data[len(MAGIC) :])
    header = json.loads(stream.readline())
    return header, stream.read()


def loads(data: bytes, *, key: bytes | None = None) -> TrainedModel:
    header, body = _header(data)
    if hashlib.sha256(body).hexdigest() != header["sha256"]:
        raise ModelFormatError("the model is damaged (checksum mismatch)")
    if key is not None:
        expected = hmac.new(key, body, hashlib.sha256).hexdigest()
        if not header.get("hmac") or not hmac.compare_digest(expected, header["hmac"]):
            raise ModelFormatError("the model's signature does not match: refusing to load it")
    if header["scikit-learn"] != sklearn.__version__:
        raise ModelFormatError(
            f"the model was trained with scikit-learn {header['scikit-learn']}, this is {sklearn.__version__}: "
            "train it again"
        )
    return pickle.loads(body)  # noqa: S301 - checked above: written by Ponleu, digest (and signature) verified
