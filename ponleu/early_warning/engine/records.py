"""What the engine knows about a group of students of one school year, in compact form.

``StudentRecords`` is the single input of feature computation, filled either from a school-history
folder (``from_history``) or by the application from its own tables (attendance bitmaps per
enrolment, assessments, behaviour incidents, household facts). Every dated record keeps its date,
so that features at a cut-off can see exactly what was known on that day and nothing later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .bitmaps import StatusPlanes

NAT = np.datetime64("NaT", "D")
PROTECTED = ("sex", "disability")


def _dates(values) -> np.ndarray:
    return np.asarray(values, dtype="datetime64[D]")


@dataclass
class Assessments:
    """One row per assessment of a student. ``taken`` NaT: not taken; ``score`` NaN: unknown."""

    student: np.ndarray  # int index into StudentRecords rows
    subject: np.ndarray  # int code
    due: np.ndarray  # datetime64[D], NaT when unknown
    taken: np.ndarray  # datetime64[D], NaT when not taken
    score: np.ndarray  # float
    max_score: np.ndarray  # float

    @classmethod
    def empty(cls) -> Assessments:
        return cls(
            np.zeros(0, np.int32), np.zeros(0, np.int32), _dates([]), _dates([]), np.zeros(0), np.zeros(0)
        )


@dataclass
class Behaviour:
    student: np.ndarray
    date: np.ndarray  # datetime64[D]
    severity: np.ndarray  # 1 minor, 2 serious, 3 grave

    @classmethod
    def empty(cls) -> Behaviour:
        return cls(np.zeros(0, np.int32), _dates([]), np.zeros(0, np.int8))


@dataclass
class StudentRecords:
    """n students of one school year.

    ``slot_dates`` are the dates of the attendance slots (sorted): the school days of the year, or
    every date on which the group has a record. ``categorical`` holds static facts known at
    enrolment used as categories (school, grade, IDPoor level, province, parents away, ...),
    ``numeric`` static numbers (distance to school, ...); ``protected`` (sex, disability) are kept
    for auditing and are model inputs only when an organisation opts in.
    """

    keys: np.ndarray  # student identifiers (str); ties in rankings are broken by them
    year_start: np.datetime64
    slot_dates: np.ndarray
    planes: StatusPlanes
    enrolled_on: np.ndarray
    assessments: Assessments = field(default_factory=Assessments.empty)
    behaviour: Behaviour = field(default_factory=Behaviour.empty)
    birth_date: np.ndarray | None = None
    age_years: np.ndarray | None = None  # age at the start of the year, when no birth date
    grade: np.ndarray | None = None
    categorical: dict = field(default_factory=dict)
    numeric: dict = field(default_factory=dict)
    protected: dict = field(default_factory=dict)

    def __post_init__(self):
        n = len(self.keys)
        self.keys = np.asarray(self.keys, dtype=object)
        self.year_start = np.datetime64(self.year_start, "D")
        self.slot_dates = _dates(self.slot_dates)
        self.enrolled_on = _dates(self.enrolled_on)
        if self.birth_date is None:
            self.birth_date = np.full(n, NAT)
        if self.age_years is None:
            self.age_years = np.full(n, np.nan)
        if self.grade is None:
            self.grade = np.full(n, None, dtype=object)
        if self.planes.n_students != n or self.planes.n_slots != len(self.slot_dates):
            raise ValueError("attendance planes must have one row per student and one slot per date")
        if len(self.slot_dates) > 1 and np.any(np.diff(self.slot_dates).astype(int) <= 0):
            raise ValueError("slot dates must be strictly increasing")
        for name in PROTECTED:
            if name in self.categorical or name in self.numeric:
                raise ValueError(f"{name} is a protected attribute: pass it in `protected`")

    def __len__(self) -> int:
        return len(self.keys)


def from_history(history, cohort: int) -> tuple[StudentRecords, np.ndarray]:
    """The records of one cohort of a validated history, and the history rows they come from.

    The attendance slots are the dates on which anyone in the cohort has a record, so a run of
    absences is counted in school days, across weekends and holidays.
    """
    students = history.students
    rows = np.flatnonzero(students.cohort == cohort)
    local = np.full(history.n_students, -1, dtype=np.int64)
    local[rows] = np.arange(rows.size)
    c = history.cohorts[cohort]

    att = history.attendance
    mine = local[att.student] >= 0 if att.student.size else np.zeros(0, bool)
    att_student = local[att.student[mine]]
    att_date = att.arrays["date"][mine]
    slot_dates = np.unique(att_date)
    planes = StatusPlanes.from_records(
        att_student,
        np.searchsorted(slot_dates, att_date),
        att.arrays["status"][mine],
        rows.size,
        slot_dates.size,
    )

    ass = history.assessments
    keep = local[ass.student] >= 0 if ass.student.size else np.zeros(0, bool)
    assessments = Assessments(
        student=local[ass.student[keep]],
        subject=ass.arrays["subject"][keep],
        due=ass.arrays["due"][keep],
        taken=ass.arrays["taken"][keep],
        score=ass.arrays["score"][keep],
        max_score=ass.arrays["max_score"][keep],
    )
    beh = history.behaviour
    keep = local[beh.student] >= 0 if beh.student.size else np.zeros(0, bool)
    behaviour = Behaviour(
        student=local[beh.student[keep]], date=beh.arrays["date"][keep], severity=beh.arrays["severity"][keep]
    )
    categorical = {
        "school_id": students.school[rows],
        "poverty_level": students.poverty_level[rows],
        "province_code": students.province_code[rows],
    }
    numeric = {}
    for name, values in students.extras.items():
        if name in students.extras_numeric:
            numeric[name] = students.extras_numeric[name][rows]
        else:
            categorical[name] = values[rows]
    records = StudentRecords(
        keys=students.ids[rows],
        year_start=np.datetime64(c.start),
        slot_dates=slot_dates,
        planes=planes,
        enrolled_on=students.enrolled_on[rows],
        assessments=assessments,
        behaviour=behaviour,
        birth_date=students.birth_date[rows],
        age_years=students.age_years[rows],
        grade=students.grade[rows],
        categorical=categorical,
        numeric=numeric,
        protected={"sex": students.sex[rows], "disability": students.disability[rows]},
    )
    return records, rows
