"""Scoring students now: risk, rule-index flags and reasons, top factors, in one call.

With no trained model (a new organisation, or one whose history holds fewer than 50 dropouts)
only the rule index is used; ``risk`` and ``factors`` are then None.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import metrics
from .explain import Factor, explain
from .features import FeatureFrame
from .model import TrainedModel
from .rules import Reason, RuleIndexResult, RuleIndexSettings, rule_index


@dataclass
class Scores:
    keys: np.ndarray
    risk: np.ndarray | None  # calibrated probability of dropping out by the end of the year
    rules: RuleIndexResult
    factors: list[list[Factor]] | None

    def reasons(self, i: int) -> list[Reason]:
        return self.rules.reasons(i)

    def ranking(self) -> np.ndarray:
        """Row order for a risk list: highest risk first (rule-index score without a model),
        ties by student id."""
        value = self.risk if self.risk is not None else self.rules.score
        return metrics.ranking(value, self.keys)

    def top(self, capacity: int) -> np.ndarray:
        """The ``capacity`` students to review first (e.g. 30 per school)."""
        return self.ranking()[:capacity]


def score(
    frame: FeatureFrame,
    *,
    model: TrainedModel | None = None,
    rules: RuleIndexSettings | None = None,
    top_factors: int = 3,
) -> Scores:
    flags = rule_index(frame, rules)
    if model is None:
        return Scores(frame.keys, None, flags, None)
    risk = model.predict_proba(frame)
    factors = explain(model, frame, top=top_factors, risk=risk) if top_factors else None
    return Scores(frame.keys, risk, flags, factors)
