"""The rule index: transparent flags with thresholds, weights and reasons.

A rule compares one feature with a threshold; a student's index is the sum of the weights of the
rules that hold, and the student is flagged when the index reaches ``flag_at``. Every flag carries
its reasons. The default settings are the history format's rule index (an ABC-style index): over
the 30 days ending on the cut-off date the attendance rate is below 0.8 or an incident of severity
2 or more was recorded; an assessment due by the cut-off was not taken; the mean score so far is
below 40 % of the maximum. Further rules (absences in a row, household facts) are in the catalogue
with weight 0 so an organisation can switch them on.
"""

from __future__ import annotations

import operator
from dataclasses import asdict, dataclass, field, replace

import numpy as np
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .features import FeatureFrame

OPERATORS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "in": None,
}


@dataclass(frozen=True)
class Rule:
    code: str
    feature: str
    op: str
    threshold: float | str | tuple
    weight: float = 1.0

    def holds(self, frame: FeatureFrame) -> np.ndarray:
        if not frame.has(self.feature):
            return np.zeros(len(frame), dtype=bool)
        values = frame.column(self.feature)
        if self.op == "in":
            allowed = {str(v) for v in self.threshold}
            return np.array([v is not None and str(v) in allowed for v in values], dtype=bool)
        if self.feature in frame.categorical_names:
            return np.array(
                [v is not None and OPERATORS[self.op](str(v), str(self.threshold)) for v in values],
                dtype=bool,
            )
        values = values.astype(float)
        with np.errstate(invalid="ignore"):
            return ~np.isnan(values) & OPERATORS[self.op](values, float(self.threshold))


# Plain-language reasons, per rule code. %(value)s is the student's value, %(threshold)s the rule's.
REASONS = {
    "low_attendance_30d": _(
        "Attended %(value)s%% of school days in the last 30 days (below %(threshold)s%%)"
    ),
    "serious_incident_30d": ngettext_lazy(
        "%(value)s serious behaviour incident in the last 30 days",
        "%(value)s serious behaviour incidents in the last 30 days",
        "value",
    ),
    "missed_assessment": ngettext_lazy(
        "Missed %(value)s test or exam so far", "Missed %(value)s tests or exams so far", "value"
    ),
    "low_mean_score": _("Average score %(value)s%% (below %(threshold)s%%)"),
    "absent_in_a_row": _("Absent %(value)s school days in a row up to now"),
    "long_absence": _("Was absent %(value)s school days in a row this year"),
    "many_absences_30d": _("Absent %(value)s days in the last 30 days"),
    "failing_subject": ngettext_lazy(
        "Failing %(value)s subject on average", "Failing %(value)s subjects on average", "value"
    ),
    "idpoor": _("Household holds an IDPoor card (level %(value)s)"),
    "overage": _("%(value)s years older than usual for the grade"),
    "parents_away": _("Parents work away from home"),
    "repeated_grade": _("Repeated a grade"),
    "disability": _("Has a disability"),
}
PERCENT_FEATURES = {"attendance_rate_30d", "mean_score_pct"}

DEFAULT_RULES = (
    Rule("low_attendance_30d", "attendance_rate_30d", "<", 0.8, 1.0),
    Rule("serious_incident_30d", "serious_incidents_30d", ">=", 1, 1.0),
    Rule("missed_assessment", "assessments_missed", ">=", 1, 1.0),
    Rule("low_mean_score", "mean_score_pct", "<", 0.4, 1.0),
    # Catalogue, off by default: an organisation sets a weight to use them.
    Rule("absent_in_a_row", "current_absence_run", ">=", 3, 0.0),
    Rule("long_absence", "longest_absence_run", ">=", 10, 0.0),
    Rule("many_absences_30d", "absences_30d", ">=", 3, 0.0),
    Rule("failing_subject", "failing_subjects", ">=", 1, 0.0),
    Rule("idpoor", "poverty_level", "in", ("1", "2"), 0.0),
    Rule("overage", "overage_years", ">=", 2, 0.0),
    Rule("parents_away", "x_parents_away", "==", "yes", 0.0),
    Rule("repeated_grade", "x_repeated_grade", "==", "yes", 0.0),
    Rule("disability", "disability", "==", "yes", 0.0),
)


@dataclass(frozen=True)
class RuleIndexSettings:
    rules: tuple[Rule, ...] = DEFAULT_RULES
    flag_at: float = 1.0

    def to_dict(self) -> dict:
        return {"flag_at": self.flag_at, "rules": [asdict(r) for r in self.rules]}

    @classmethod
    def from_dict(cls, data: dict) -> RuleIndexSettings:
        """Settings stored per organisation; unknown rule codes or operators are refused."""
        rules = []
        for item in data.get("rules", []):
            if item.get("op") not in OPERATORS:
                raise ValueError(f"unknown operator {item.get('op')!r}")
            if item.get("code") not in REASONS:
                raise ValueError(f"unknown rule {item.get('code')!r}")
            threshold = item["threshold"]
            rules.append(
                Rule(
                    code=item["code"],
                    feature=item["feature"],
                    op=item["op"],
                    threshold=tuple(threshold) if isinstance(threshold, list) else threshold,
                    weight=float(item.get("weight", 1.0)),
                )
            )
        return cls(rules=tuple(rules) or DEFAULT_RULES, flag_at=float(data.get("flag_at", 1.0)))

    def with_weights(self, **weights: float) -> RuleIndexSettings:
        unknown = set(weights) - {r.code for r in self.rules}
        if unknown:
            raise ValueError(f"unknown rules: {sorted(unknown)}")
        return replace(
            self, rules=tuple(replace(r, weight=weights.get(r.code, r.weight)) for r in self.rules)
        )


@dataclass(frozen=True)
class Reason:
    code: str
    value: object
    threshold: object
    weight: float

    def __str__(self) -> str:
        return str(REASONS[self.code] % {"value": self.value, "threshold": self.threshold})


def _display(rule: Rule, value):
    if rule.feature in PERCENT_FEATURES:
        return round(100 * float(value)), round(100 * float(rule.threshold))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    threshold = rule.threshold
    if isinstance(threshold, float) and threshold.is_integer():
        threshold = int(threshold)
    return value, threshold


@dataclass
class RuleIndexResult:
    score: np.ndarray
    flagged: np.ndarray
    holds: np.ndarray  # (n, rules) booleans
    rules: tuple[Rule, ...]
    frame: FeatureFrame = field(repr=False)

    def reasons(self, i: int) -> list[Reason]:
        """Why student i scored what it did, heaviest rule first."""
        out = []
        for j in np.flatnonzero(self.holds[i]):
            rule = self.rules[j]
            value, threshold = _display(rule, self.frame.column(rule.feature)[i])
            out.append(Reason(rule.code, value, threshold, rule.weight))
        return sorted(out, key=lambda r: -r.weight)


def rule_index(frame: FeatureFrame, settings: RuleIndexSettings | None = None) -> RuleIndexResult:
    settings = settings or RuleIndexSettings()
    active = tuple(r for r in settings.rules if r.weight != 0)
    holds = (
        np.column_stack([r.holds(frame) for r in active]) if active else np.zeros((len(frame), 0), dtype=bool)
    )
    weights = np.array([r.weight for r in active], dtype=float)
    score = holds @ weights if active else np.zeros(len(frame))
    return RuleIndexResult(score, score >= settings.flag_at, holds, active, frame)
