"""An organisation's rule index: the engine's rules with Ponleu's default thresholds and weights.

The engine (``engine.rules``) evaluates rules and keeps each flag's reasons; this module holds
what an organisation can change (thresholds, weights, the flag level), the defaults a new
organisation starts with, and two rules that need Ponleu's own data: attendance over the last
30 *school* days (the calendar knows which days were school days) and a falling average.

Defaults follow the published indexes (ABC flags, SDPP in Cambodia): attendance under 80 % in
the last 30 school days, absent 3 school days running, 15 running at any time this year (the
SDPP dropouts' tell-tale), a failing subject, a falling or low average, a missed test, a serious
behaviour incident. Household facts (IDPoor, parents away, over-age, a repeated grade,
disability) weigh a quarter each: on their own they rarely flag a child, but they order the list.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from django.utils.translation import gettext_lazy as _

from .engine.bitmaps import summarise
from .engine.features import FeatureFrame
from .engine.records import StudentRecords
from .engine.rules import REASONS, Rule, RuleIndexSettings

SCHOOL_DAYS_WINDOW = 30

# Features Ponleu adds to the engine's frame, and the rules that read them.
EXTRA_REASONS = {
    "low_attendance_30_school_days": _(
        "Attended %(value)s%% of the last 30 school days (below %(threshold)s%%)"
    ),
    "falling_average": _("Average score fell by %(value)s points in recent tests"),
}
REASON_TEXTS = {**REASONS, **EXTRA_REASONS}
PERCENT_FEATURES = {"attendance_rate_30_school_days"}
POINTS_FEATURES = {"score_drop_pct"}

DEFAULT_RULES = (
    Rule("low_attendance_30_school_days", "attendance_rate_30_school_days", "<", 0.8, 1.0),
    Rule("absent_in_a_row", "current_absence_run", ">=", 3, 1.0),
    Rule("long_absence", "longest_absence_run", ">=", 15, 1.0),
    Rule("failing_subject", "failing_subjects", ">=", 1, 0.5),
    Rule("falling_average", "score_drop_pct", ">=", 10, 0.5),
    Rule("low_mean_score", "mean_score_pct", "<", 0.4, 1.0),
    Rule("missed_assessment", "assessments_missed", ">=", 1, 0.5),
    Rule("serious_incident_30d", "serious_incidents_30d", ">=", 1, 1.0),
    Rule("idpoor", "poverty_level", "in", ("1", "2"), 0.25),
    Rule("parents_away", "x_parents_away", "==", "yes", 0.25),
    Rule("overage", "overage_years", ">=", 2, 0.25),
    Rule("repeated_grade", "x_repeated_grade", "==", "yes", 0.25),
    Rule("disability", "disability", "==", "yes", 0.25),
    # In the catalogue, off by default.
    Rule("low_attendance_30d", "attendance_rate_30d", "<", 0.8, 0.0),
    Rule("many_absences_30d", "absences_30d", ">=", 3, 0.0),
)
DEFAULT_FLAG_AT = 1.0
RULE_LABELS = {
    "low_attendance_30_school_days": _("Attendance over the last 30 school days below"),
    "absent_in_a_row": _("Absent school days in a row, up to today, at least"),
    "long_absence": _("Longest run of absent school days this year at least"),
    "failing_subject": _("Subjects failed on average (below half marks) at least"),
    "falling_average": _("Recent average fallen by at least (points)"),
    "low_mean_score": _("Average score below"),
    "missed_assessment": _("Tests or exams missed at least"),
    "serious_incident_30d": _("Serious behaviour incidents in the last 30 days at least"),
    "idpoor": _("Household on the IDPoor list (levels)"),
    "parents_away": _("Parents work away from home"),
    "overage": _("Years older than usual for the grade at least"),
    "repeated_grade": _("Repeating the grade"),
    "disability": _("Has a functional difficulty or disability"),
    "low_attendance_30d": _("Attendance over the last 30 calendar days below"),
    "many_absences_30d": _("Absences in the last 30 days at least"),
}
# Thresholds a person edits as a number, and their allowed range.
NUMERIC_RANGES = {
    "low_attendance_30_school_days": (0.0, 1.0),
    "absent_in_a_row": (1, 60),
    "long_absence": (1, 120),
    "failing_subject": (1, 15),
    "falling_average": (1, 100),
    "low_mean_score": (0.0, 1.0),
    "missed_assessment": (1, 30),
    "serious_incident_30d": (1, 10),
    "overage": (1, 8),
    "low_attendance_30d": (0.0, 1.0),
    "many_absences_30d": (1, 30),
}


def default_settings() -> RuleIndexSettings:
    return RuleIndexSettings(rules=DEFAULT_RULES, flag_at=DEFAULT_FLAG_AT)


def to_dict(settings: RuleIndexSettings) -> dict:
    return settings.to_dict()


def from_dict(data: dict | None) -> RuleIndexSettings:
    """Stored settings over the defaults: a rule missing from storage keeps its default."""
    if not data:
        return default_settings()
    stored = {item["code"]: item for item in data.get("rules", []) if item.get("code") in REASON_TEXTS}
    rules = []
    for rule in DEFAULT_RULES:
        item = stored.get(rule.code)
        if item is None:
            rules.append(rule)
            continue
        threshold = item.get("threshold", rule.threshold)
        rules.append(
            replace(
                rule,
                threshold=tuple(threshold) if isinstance(threshold, list) else threshold,
                weight=float(item.get("weight", rule.weight)),
            )
        )
    return RuleIndexSettings(rules=tuple(rules), flag_at=float(data.get("flag_at", DEFAULT_FLAG_AT)))


def reason_text(code: str, value, threshold) -> str:
    return str(REASON_TEXTS[code] % {"value": value, "threshold": threshold})


def display_values(rule: Rule, value):
    """The student's value and the threshold as a person reads them (percentages, whole numbers)."""
    threshold = rule.threshold
    if rule.feature in PERCENT_FEATURES or rule.feature in ("attendance_rate_30d", "mean_score_pct"):
        return round(100 * float(value)), round(100 * float(threshold))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float):
        value = round(value, 1)
    if isinstance(threshold, float) and threshold.is_integer():
        threshold = int(threshold)
    if isinstance(threshold, tuple):
        threshold = ", ".join(str(t) for t in threshold)
    return value, threshold


def add_ponleu_features(frame: FeatureFrame, records: StudentRecords, cutoff) -> FeatureFrame:
    """Append attendance over the last 30 school days and the fall of the recent average.

    Slots are school days (``sources`` builds them from the calendar), so the last 30 slots
    up to the cut-off are the last 30 school days; both use only records dated by the cut-off.
    """
    cut = np.datetime64(cutoff, "D")
    hi = int(np.searchsorted(records.slot_dates, cut, side="right"))
    summary = summarise(records.planes, hi=hi, windows={"school30": (max(0, hi - SCHOOL_DAYS_WINDOW), hi)})
    rate = summary.attendance_rate("school30")
    change = frame.column("score_change") if frame.has("score_change") else np.full(len(frame), np.nan)
    drop = np.where(np.isfinite(change), np.maximum(-change, 0.0) * 100.0, np.nan)
    return FeatureFrame(
        frame.keys,
        (*frame.numeric_names, "attendance_rate_30_school_days", "score_drop_pct"),
        np.column_stack([frame.numeric, rate, drop]),
        frame.categorical_names,
        frame.categorical,
        frame.available_at,
    )
