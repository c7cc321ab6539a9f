"""Per-student top factors, in plain language.

A factor's weight is how much the student's risk falls when one group of related features (recent
attendance, scores, household poverty, ...) is replaced by the training data's typical values,
everything else kept. Only factors that raise the risk are shown, largest first. All groups are
evaluated in one prediction call over a stacked frame, so a school of a thousand students costs
one pass per group.

Messages are lazy translations with named values, rendered in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .features import FeatureFrame

if TYPE_CHECKING:  # scikit-learn stays unimported until a model is trained or loaded
    from .model import TrainedModel

MIN_CONTRIBUTION = 0.005  # half a percentage point

GROUPS = {
    "attendance_recent": ("attendance_rate_30d", "absences_30d", "absences_prev_30d"),
    "attendance_year": ("attendance_rate", "absences", "days_recorded", "late_days", "excused_days"),
    "absence_runs": ("longest_absence_run", "current_absence_run"),
    "scores": ("mean_score_pct", "min_score_pct", "score_change", "failing_subjects"),
    "missed_assessments": ("assessments_missed", "assessments_taken"),
    "behaviour": ("incidents", "serious_incidents", "serious_incidents_30d", "max_severity"),
    "poverty": ("poverty_level",),
    "age": ("age_years", "overage_years"),
    "grade": ("grade",),
    "school": ("school_id",),
    "province": ("province_code",),
    "enrolment": ("late_enrolment_days",),
    "sex": ("sex",),
    "disability": ("disability",),
}

TEXT = {
    "attendance_recent": _("Attended %(rate)s%% of school days in the last 30 days (%(absences)s absences)"),
    "attendance_recent_none": _("No attendance recorded in the last 30 days"),
    "attendance_year": _("Attended %(rate)s%% of school days so far this year"),
    "absent_now": _("Absent %(days)s school days in a row up to now"),
    "longest_run": _("Was absent %(days)s school days in a row this year"),
    "scores": _("Average score %(pct)s%%"),
    "scores_falling": _("Scores falling: recent tests average %(change)s points lower"),
    "scores_none": _("No test score recorded yet"),
    "missed_assessments": ngettext_lazy(
        "Missed %(count)s test or exam so far", "Missed %(count)s tests or exams so far", "count"
    ),
    "behaviour": ngettext_lazy(
        "%(count)s behaviour incident so far (%(serious)s serious)",
        "%(count)s behaviour incidents so far (%(serious)s serious)",
        "count",
    ),
    "poverty_1": _("Household is IDPoor level 1 (very poor)"),
    "poverty_2": _("Household is IDPoor level 2 (poor)"),
    "poverty_0": _("Household is not on the IDPoor list"),
    "poverty_unknown": _("Household poverty level is not known"),
    "overage": _("%(years)s years older than usual for the grade"),
    "age": _("Aged %(age)s"),
    "grade": _("In grade %(grade)s"),
    "school": _("Attends school %(school)s, where more students leave"),
    "province": _("School in province %(province)s"),
    "enrolment": _("Enrolled %(days)s days after the school year started"),
    "sex": _("Sex: %(value)s"),
    "disability": _("Disability: %(value)s"),
    "fact": _("%(name)s: %(value)s"),
}


@dataclass(frozen=True)
class Factor:
    code: str
    contribution: float  # probability points this group adds to the student's risk
    text_code: str
    values: dict

    def __str__(self) -> str:
        return str(TEXT[self.text_code] % self.values)


def _num(frame, name, i):
    return float(frame.column(name)[i]) if frame.has(name) else np.nan


def _pct(x):
    return int(round(100 * x))


def _int(x):
    return int(round(x)) if np.isfinite(x) else 0


def _message(group: str, frame: FeatureFrame, i: int) -> tuple[str, dict]:
    if group == "attendance_recent":
        rate = _num(frame, "attendance_rate_30d", i)
        if np.isnan(rate):
            return "attendance_recent_none", {}
        return "attendance_recent", {"rate": _pct(rate), "absences": _int(_num(frame, "absences_30d", i))}
    if group == "attendance_year":
        rate = _num(frame, "attendance_rate", i)
        return "attendance_year", {"rate": _pct(rate) if np.isfinite(rate) else "–"}
    if group == "absence_runs":
        now = _num(frame, "current_absence_run", i)
        if now >= 2:
            return "absent_now", {"days": _int(now)}
        return "longest_run", {"days": _int(_num(frame, "longest_absence_run", i))}
    if group == "scores":
        change = _num(frame, "score_change", i)
        if np.isfinite(change) and change <= -0.05:
            return "scores_falling", {"change": _pct(-change)}
        mean = _num(frame, "mean_score_pct", i)
        return ("scores", {"pct": _pct(mean)}) if np.isfinite(mean) else ("scores_none", {})
    if group == "missed_assessments":
        return "missed_assessments", {"count": _int(_num(frame, "assessments_missed", i))}
    if group == "behaviour":
        return "behaviour", {
            "count": _int(_num(frame, "incidents", i)),
            "serious": _int(_num(frame, "serious_incidents", i)),
        }
    if group == "poverty":
        level = frame.column("poverty_level")[i]
        return (f"poverty_{level}" if level in ("0", "1", "2") else "poverty_unknown"), {}
    if group == "age":
        over = _num(frame, "overage_years", i)
        if np.isfinite(over) and over >= 1:
            return "overage", {"years": _int(over)}
        return "age", {"age": _int(_num(frame, "age_years", i))}
    if group in ("grade", "school", "province"):
        column = {"grade": "grade", "school": "school_id", "province": "province_code"}[group]
        return group, {group: frame.column(column)[i] or "?"}
    if group == "enrolment":
        return "enrolment", {"days": _int(_num(frame, "late_enrolment_days", i))}
    if group in ("sex", "disability"):
        return group, {"value": frame.column(group)[i] or "?"}
    value = frame.column(group)[i]
    if isinstance(value, float):
        value = f"{value:g}"
    return "fact", {
        "name": group.removeprefix("x_").replace("_", " "),
        "value": value if value is not None else "?",
    }


def feature_groups(model: TrainedModel) -> dict[str, tuple[str, ...]]:
    names = set(model.feature_names)
    groups = {}
    for group, members in GROUPS.items():
        present = tuple(m for m in members if m in names)
        if present:
            groups[group] = present
    grouped = {m for members in groups.values() for m in members}
    for name in model.feature_names:
        if name not in grouped:
            groups[name] = (name,)
    return groups


def explain(
    model: TrainedModel, frame: FeatureFrame, *, top: int = 3, risk: np.ndarray | None = None
) -> list[list[Factor]]:
    """The ``top`` factors that raise each student's risk the most, largest first."""
    n = len(frame)
    if n == 0:
        return []
    groups = feature_groups(model)
    variants = [frame]
    for members in groups.values():
        variant = frame
        for name in members:
            variant = variant.with_column(name, model.reference.get(name))
        variants.append(variant)
    p = model.predict_proba(FeatureFrame.concat(variants)).reshape(len(variants), n)
    base = p[0] if risk is None else risk
    contributions = base[None, :] - p[1:]
    codes = list(groups)
    out = []
    for i in range(n):
        order = np.argsort(-contributions[:, i], kind="stable")
        factors = []
        for g in order[:top]:
            if contributions[g, i] < MIN_CONTRIBUTION:
                break
            text_code, values = _message(codes[g], frame, i)
            factors.append(Factor(codes[g], float(contributions[g, i]), text_code, values))
        out.append(factors)
    return out
