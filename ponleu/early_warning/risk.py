"""Risk of each student at a cut-off, from loaded records: the rule index always, the model if any.

The rule index is computed for everyone (it is the fallback and the transparent reference); with
an active model, the model's calibrated probability decides the flag, and flagged students also
get the model's top factors (the explanation costs one prediction per feature group, so it is
spent where a reviewer will read it). Reasons and factors are stored as codes with values, and rendered in the reader's
language when shown (``texts``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .engine import explain as engine_explain
from .engine.features import FeatureFrame, compute_features
from .engine.model import TrainedModel
from .engine.rules import RuleIndexSettings, rule_index
from .rulebook import add_ponleu_features, display_values
from .sources import Loaded

TOP_FACTORS = 3


@dataclass
class RiskResult:
    frame: FeatureFrame
    index: np.ndarray
    rule_flagged: np.ndarray
    probability: np.ndarray | None
    flagged: np.ndarray
    factors: list[list[dict]]


def frame_at(loaded: Loaded, cutoff: dt.date) -> FeatureFrame:
    """The engine's features plus Ponleu's two, at ``cutoff``. Protected attributes are in the
    frame for the rule index (an organisation may weigh disability) and for auditing; a model
    uses only the features it was trained on."""
    frame = compute_features(loaded.records, cutoff, use_protected=True)
    return add_ponleu_features(frame, loaded.records, cutoff)


def model_frame(frame: FeatureFrame) -> FeatureFrame:
    """The frame without sex and disability: what a model is trained on by default."""
    keep = [j for j, name in enumerate(frame.categorical_names) if name not in ("sex", "disability")]
    return FeatureFrame(
        frame.keys,
        frame.numeric_names,
        frame.numeric,
        tuple(frame.categorical_names[j] for j in keep),
        frame.categorical[:, keep],
        frame.available_at,
    )


def _plain(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def rule_reasons(result, frame: FeatureFrame, i: int) -> list[dict]:
    out = []
    for j in np.flatnonzero(result.holds[i]):
        rule = result.rules[j]
        value, threshold = display_values(rule, _plain(frame.column(rule.feature)[i]))
        out.append(
            {
                "kind": "rule",
                "code": rule.code,
                "value": _plain(value),
                "threshold": _plain(threshold),
                "weight": float(rule.weight),
            }
        )
    return sorted(out, key=lambda r: -r["weight"])


def compute(
    loaded: Loaded,
    cutoff: dt.date,
    settings: RuleIndexSettings,
    trained: TrainedModel | None = None,
    threshold: float | None = None,
) -> RiskResult:
    frame = frame_at(loaded, cutoff)
    rules = rule_index(frame, settings)
    n = len(frame)
    reasons = [rule_reasons(rules, frame, i) for i in range(n)]
    if trained is None or n == 0:
        return RiskResult(frame, rules.score, rules.flagged, None, rules.flagged, reasons)
    features = model_frame(frame) if not trained.protected_inputs else frame
    p = trained.predict_proba(features)
    flagged = p >= (threshold if threshold is not None else 1.0)
    # The model's own factors for the flagged (what a reviewer reads); everyone keeps the rules'.
    chosen = np.flatnonzero(flagged)
    explained = (
        dict(
            zip(
                chosen,
                engine_explain.explain(trained, features.take(chosen), top=TOP_FACTORS, risk=p[chosen]),
                strict=True,
            )
        )
        if chosen.size
        else {}
    )
    factors = []
    for i in range(n):
        model_factors = []
        for f in explained.get(i, ()):
            values = {k: _plain(v) for k, v in f.values.items()}
            if f.code == "school" and "school" in values:
                values["school"] = loaded.school_names.get(str(values["school"]), values["school"])
            model_factors.append(
                {
                    "kind": "factor",
                    "code": f.code,
                    "text": f.text_code,
                    "values": values,
                    "weight": round(f.contribution, 4),
                }
            )
        factors.append(model_factors + reasons[i])
    return RiskResult(frame, rules.score, rules.flagged, p, flagged, factors)
