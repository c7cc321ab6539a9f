"""Features at a cut-off date: only what was known on that day.

The contract (FORMAT.md, "What a backtest does"): attendance and behaviour dated on or before the
cut-off; assessments taken on or before it, with their scores, and assessments due on or before it
but not taken by then (missed so far); static facts known at enrolment. Outcomes, leaving dates and
anything recorded later never enter. A test alters every record dated after the cut-off and checks
that the frame does not change.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

import numpy as np

from .bitmaps import summarise
from .records import PROTECTED, StudentRecords

WINDOW_DAYS = 30  # "the 30 days ending on the cut-off date (that day included)"
RECENT_SCORE_DAYS = 45
FAILING_SHARE = 0.5

ATTENDANCE_FEATURES = (
    "days_recorded",
    "attendance_rate",
    "attendance_rate_30d",
    "absences",
    "absences_30d",
    "absences_prev_30d",
    "late_days",
    "excused_days",
    "longest_absence_run",
    "current_absence_run",
)
ASSESSMENT_FEATURES = (
    "assessments_taken",
    "assessments_missed",
    "mean_score_pct",
    "min_score_pct",
    "score_change",
    "failing_subjects",
)
BEHAVIOUR_FEATURES = ("incidents", "serious_incidents", "serious_incidents_30d", "max_severity")
STATIC_FEATURES = ("age_years", "overage_years", "late_enrolment_days")


@dataclass
class FeatureFrame:
    """Features of n students at one cut-off: a float matrix and a matrix of category labels."""

    keys: np.ndarray
    numeric_names: tuple[str, ...]
    numeric: np.ndarray  # (n, p) float64, NaN = unknown
    categorical_names: tuple[str, ...]
    categorical: np.ndarray  # (n, q) object, None = unknown
    available_at: np.ndarray  # datetime64[D] per student: the cut-off its features were built at

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def names(self) -> tuple[str, ...]:
        return self.numeric_names + self.categorical_names

    def column(self, name: str) -> np.ndarray:
        if name in self.numeric_names:
            return self.numeric[:, self.numeric_names.index(name)]
        return self.categorical[:, self.categorical_names.index(name)]

    def has(self, name: str) -> bool:
        return name in self.numeric_names or name in self.categorical_names

    def take(self, rows) -> FeatureFrame:
        return FeatureFrame(
            self.keys[rows],
            self.numeric_names,
            self.numeric[rows],
            self.categorical_names,
            self.categorical[rows],
            self.available_at[rows],
        )

    def with_column(self, name: str, values) -> FeatureFrame:
        """A copy with one column replaced (what-if analysis and explanations)."""
        numeric, categorical = self.numeric.copy(), self.categorical.copy()
        if name in self.numeric_names:
            numeric[:, self.numeric_names.index(name)] = values
        else:
            categorical[:, self.categorical_names.index(name)] = values
        return FeatureFrame(
            self.keys, self.numeric_names, numeric, self.categorical_names, categorical, self.available_at
        )

    @staticmethod
    def concat(frames: list[FeatureFrame]) -> FeatureFrame:
        first = frames[0]
        for f in frames[1:]:
            if f.numeric_names != first.numeric_names or f.categorical_names != first.categorical_names:
                raise ValueError("frames with different columns cannot be joined")
        return FeatureFrame(
            np.concatenate([f.keys for f in frames]),
            first.numeric_names,
            np.concatenate([f.numeric for f in frames]),
            first.categorical_names,
            np.concatenate([f.categorical for f in frames]),
            np.concatenate([f.available_at for f in frames]),
        )

    def same_as(self, other: FeatureFrame) -> bool:
        return (
            self.numeric_names == other.numeric_names
            and self.categorical_names == other.categorical_names
            and np.array_equal(self.keys, other.keys)
            and np.array_equal(self.numeric, other.numeric, equal_nan=True)
            and np.array_equal(self.categorical, other.categorical)
        )


def _ratio(num, den):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.maximum(den, 1e-300), np.nan)


def attendance_features(records: StudentRecords, cutoff: np.datetime64) -> dict[str, np.ndarray]:
    dates = records.slot_dates
    hi = int(np.searchsorted(dates, cutoff, side="right"))
    lo30 = int(np.searchsorted(dates, cutoff - np.timedelta64(WINDOW_DAYS - 1, "D"), side="left"))
    lo60 = int(np.searchsorted(dates, cutoff - np.timedelta64(2 * WINDOW_DAYS - 1, "D"), side="left"))
    s = summarise(records.planes, hi=hi, windows={"30d": (lo30, hi), "prev": (lo60, lo30)})
    return {
        "days_recorded": s.recorded.astype(float),
        "attendance_rate": s.attendance_rate(),
        "attendance_rate_30d": s.attendance_rate("30d"),
        "absences": s.absences.astype(float),
        "absences_30d": s.windows["30d"]["absences"].astype(float),
        "absences_prev_30d": s.windows["prev"]["absences"].astype(float),
        "late_days": s.late.astype(float),
        "excused_days": s.excused.astype(float),
        "longest_absence_run": s.longest_absence_run.astype(float),
        "current_absence_run": s.current_absence_run.astype(float),
    }


def assessment_features(records: StudentRecords, cutoff: np.datetime64) -> dict[str, np.ndarray]:
    n = len(records)
    a = records.assessments
    taken = a.taken <= cutoff  # NaT compares False: not taken
    missed = (a.due <= cutoff) & ~taken
    scored = taken & np.isfinite(a.score) & np.isfinite(a.max_score) & (a.max_score > 0)
    student = a.student[scored]
    pct = a.score[scored] / a.max_score[scored]
    count = np.bincount(student, minlength=n)
    total = np.bincount(student, weights=pct, minlength=n)
    lowest = np.full(n, np.inf)
    np.minimum.at(lowest, student, pct)
    recent = a.taken[scored] > cutoff - np.timedelta64(RECENT_SCORE_DAYS, "D")
    recent_mean = _ratio(
        np.bincount(student[recent], weights=pct[recent], minlength=n),
        np.bincount(student[recent], minlength=n),
    )
    earlier_mean = _ratio(
        np.bincount(student[~recent], weights=pct[~recent], minlength=n),
        np.bincount(student[~recent], minlength=n),
    )
    n_subjects = int(a.subject.max()) + 1 if a.subject.size else 1
    pair = student.astype(np.int64) * n_subjects + a.subject[scored]
    pair_mean = _ratio(
        np.bincount(pair, weights=pct, minlength=n * n_subjects), np.bincount(pair, minlength=n * n_subjects)
    ).reshape(n, n_subjects)
    return {
        "assessments_taken": np.bincount(a.student[taken], minlength=n).astype(float),
        "assessments_missed": np.bincount(a.student[missed], minlength=n).astype(float),
        "mean_score_pct": _ratio(total, count),
        "min_score_pct": np.where(count > 0, lowest, np.nan),
        "score_change": recent_mean - earlier_mean,
        "failing_subjects": (pair_mean < FAILING_SHARE).sum(axis=1).astype(float),
    }


def behaviour_features(records: StudentRecords, cutoff: np.datetime64) -> dict[str, np.ndarray]:
    n = len(records)
    b = records.behaviour
    known = b.date <= cutoff
    serious = known & (b.severity >= 2)
    recent = serious & (b.date > cutoff - np.timedelta64(WINDOW_DAYS, "D"))
    worst = np.zeros(n)
    np.maximum.at(worst, b.student[known], b.severity[known].astype(float))
    return {
        "incidents": np.bincount(b.student[known], minlength=n).astype(float),
        "serious_incidents": np.bincount(b.student[serious], minlength=n).astype(float),
        "serious_incidents_30d": np.bincount(b.student[recent], minlength=n).astype(float),
        "max_severity": worst,
    }


def _grade_number(grades: np.ndarray) -> np.ndarray:
    out = np.full(len(grades), np.nan)
    for i, g in enumerate(grades):
        if g is not None:
            with contextlib.suppress(ValueError):
                out[i] = float(g)
    return out


def static_features(records: StudentRecords, cutoff: np.datetime64) -> dict[str, np.ndarray]:
    days = np.timedelta64(1, "D")
    start = records.year_start
    from_birth = (cutoff - records.birth_date) / days / 365.25
    from_start = records.age_years + (cutoff - start) / days / 365.25
    age = np.where(np.isnat(records.birth_date), from_start, from_birth)
    age_at_start = age - (cutoff - start) / days / 365.25
    # Children start grade 1 at six, so grade g normally starts aged g + 5.
    overage = age_at_start - (_grade_number(records.grade) + 5)
    late = np.maximum((records.enrolled_on - start) / days, 0.0)
    return {"age_years": age, "overage_years": overage, "late_enrolment_days": late}


def compute_features(
    records: StudentRecords, cutoff: dt.date | np.datetime64, *, use_protected: bool = False
) -> FeatureFrame:
    """The feature frame of every student in ``records`` at ``cutoff`` (a date)."""
    cut = np.datetime64(cutoff, "D")
    numeric = {
        **attendance_features(records, cut),
        **assessment_features(records, cut),
        **behaviour_features(records, cut),
        **static_features(records, cut),
    }
    for name in sorted(records.numeric):
        numeric[name] = np.asarray(records.numeric[name], dtype=float)
    categorical = {"grade": records.grade}
    for name in sorted(records.categorical):
        categorical[name] = records.categorical[name]
    if use_protected:
        for name in PROTECTED:
            if name in records.protected:
                categorical[name] = records.protected[name]
    n = len(records)
    cat = np.empty((n, len(categorical)), dtype=object)
    for j, values in enumerate(categorical.values()):
        cat[:, j] = [None if v is None or v == "" else str(v) for v in values]
    return FeatureFrame(
        keys=records.keys,
        numeric_names=tuple(numeric),
        numeric=np.column_stack(list(numeric.values())) if numeric else np.zeros((n, 0)),
        categorical_names=tuple(categorical),
        categorical=cat,
        available_at=np.full(n, cut),
    )
