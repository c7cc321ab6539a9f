"""The engine's input (``StudentRecords``) filled from Ponleu's own tables, in a handful of queries.

One call reads a set of classes of one academic year: their enrolments with the pupils' facts,
the monthly attendance strings, the classes' test sheets and the behaviour incidents. Attendance
slots are the year's school days, so a run of absences continues across weekends and holidays
and "the last 30 school days" is the last 30 slots. A school of a thousand students is about ten
thousand short monthly rows and a few thousand test sheets: no per-day or per-score rows are read.

Household facts come from the registry: IDPoor level, parents working away, and whether the
child has a functional difficulty (kept as a protected attribute, not a model input).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import CharField
from django.db.models.functions import Cast

from ponleu.education.choices import EnrolmentStatus, Subject
from ponleu.education.models import (
    AcademicYear,
    Assessment,
    AttendanceMonth,
    BehaviourIncident,
    Enrolment,
    School,
)
from ponleu.education.selectors import calendar_for
from ponleu.registry.choices import IDPoorStatus, MigrationDestination, Relationship
from ponleu.registry.models import HouseholdMember

from .engine.bitmaps import STATUS_LETTERS, StatusPlanes
from .engine.records import NAT, Assessments, Behaviour, StudentRecords

POVERTY_LEVELS = {IDPoorStatus.LEVEL_1: "1", IDPoorStatus.LEVEL_2: "2", IDPoorStatus.NOT_POOR: "0"}
SUBJECT_CODES = {code: i for i, code in enumerate(Subject.values)}
_MISSING = object()
_LETTER_CODES = np.zeros(256, dtype=np.uint8)
for _code, _letter in enumerate(STATUS_LETTERS):
    _LETTER_CODES[ord(_letter)] = _code


@dataclass
class Loaded:
    """The records plus what the app needs to write results back."""

    records: StudentRecords
    enrolment_ids: list  # aligned with records rows
    class_ids: list
    school_ids: list
    person_ids: list
    status: list
    left_on: list
    school_names: dict  # school id (str) -> name, for plain-language factors


def _enrolment_rows(year: AcademicYear, class_ids, enrolment_ids):
    rows = Enrolment.objects.filter(school_class__year=year)
    if class_ids is not None:
        rows = rows.filter(school_class_id__in=list(class_ids))
    if enrolment_ids is not None:
        rows = rows.filter(pk__in=list(enrolment_ids))
    return list(
        rows.order_by("pk").values_list(
            "pk",
            "person_id",
            "school_class_id",
            "school_class__school_id",
            "school_class__grade",
            "school_class__area_code",
            "enrolled_on",
            "left_on",
            "status",
            "is_repeating",
            "person__date_of_birth",
            "person__sex",
            "person__has_functional_difficulty",
        )
    )


def _households(person_ids) -> dict:
    """Person -> (IDPoor status, parents away); a child's own household first."""
    found: dict = {}
    rows = (
        HouseholdMember.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "created_at")
        .values_list("person_id", "relationship", "household__idpoor_status", "household__parents_away")
    )
    for person_id, relationship, idpoor, away in rows:
        if person_id not in found or relationship == Relationship.CHILD:
            found[person_id] = (idpoor, away)
    return found


def _id_text(value) -> str:
    """An enrolment id as 32 hex digits, however the database returned it as text."""
    return value.replace("-", "")


def _attendance(enrolment_ids, index, slot_dates: np.ndarray, class_ids) -> np.ndarray:
    n, n_slots = len(enrolment_ids), len(slot_dates)
    codes = np.zeros((n, n_slots), dtype=np.uint8)
    if n == 0 or n_slots == 0:
        return codes
    by_hex = {key.hex: row for key, row in index.items()}
    # Ids read as text: turning ten thousand strings into UUID objects costs more than the rest.
    query = (
        AttendanceMonth.objects.filter(enrolment__school_class_id__in=list(class_ids))
        .annotate(key=Cast("enrolment_id", output_field=CharField()))
        .values_list("key", "month", "statuses")
    )
    by_month: dict[dt.date, tuple[list, list]] = {}
    for key, month, statuses in query:
        row = by_hex.get(_id_text(key))
        if row is None:
            continue
        rows, texts = by_month.setdefault(month, ([], []))
        rows.append(row)
        texts.append(statuses.ljust(31, "."))
    slot_of = {d: i for i, d in enumerate(slot_dates.astype(object))}
    for month, (rows, texts) in by_month.items():
        days = [(d - 1, slot_of.get(month.replace(day=d))) for d in range(1, 32) if _valid(month, d)]
        days = [(d, s) for d, s in days if s is not None]
        if not days:
            continue
        day_idx = np.array([d for d, _ in days])
        slot_idx = np.array([s for _, s in days])
        raw = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8).reshape(len(texts), 31)
        codes[np.array(rows)[:, None], slot_idx[None, :]] = _LETTER_CODES[raw[:, day_idx]]
    return codes


def _valid(month: dt.date, day: int) -> bool:
    try:
        month.replace(day=day)
    except ValueError:
        return False
    return True


def _assessments(index, class_ids, enrolled, left) -> Assessments:
    """One row per (test, pupil in the class that day): taken with its score, or missed."""
    members: dict = {}
    for key, (row, class_id) in index.items():
        members.setdefault(class_id, ([], []))
        members[class_id][0].append(str(key))
        members[class_id][1].append(row)
    members = {c: (keys, np.array(rows)) for c, (keys, rows) in members.items()}
    parts = []
    for class_id, subject, held_on, max_score, sheet in Assessment.objects.filter(
        school_class_id__in=list(class_ids)
    ).values_list("school_class_id", "subject", "held_on", "max_score", "scores"):
        keys, rows = members.get(class_id, ((), None))
        if rows is None:
            continue
        day = np.datetime64(held_on, "D")
        # Not in the class that day (enrolled later, or already gone): neither taken nor missed.
        present = (enrolled[rows] <= day) & (np.isnat(left[rows]) | (left[rows] > day))
        values = [sheet.get(k, _MISSING) for k in keys]
        score = np.array([np.nan if v is None or v is _MISSING else float(v) for v in values])
        sat = np.array([v is not _MISSING for v in values])
        parts.append(
            (
                rows[present],
                SUBJECT_CODES.get(subject, len(SUBJECT_CODES)),
                day,
                sat[present],
                score[present],
                float(max_score),
            )
        )
    if not parts:
        return Assessments.empty()
    sizes = [len(p[0]) for p in parts]
    days = np.repeat(np.array([p[2] for p in parts], dtype="datetime64[D]"), sizes)
    sat = np.concatenate([p[3] for p in parts])
    return Assessments(
        student=np.concatenate([p[0] for p in parts]).astype(np.int32),
        subject=np.repeat(np.array([p[1] for p in parts], dtype=np.int32), sizes),
        due=days,
        taken=np.where(sat, days, NAT),
        score=np.concatenate([p[4] for p in parts]),
        max_score=np.repeat(np.array([p[5] for p in parts]), sizes),
    )


def _behaviour(index, class_ids) -> Behaviour:
    rows = BehaviourIncident.objects.filter(enrolment__school_class_id__in=list(class_ids)).values_list(
        "enrolment_id", "occurred_on", "severity"
    )
    students, dates, severities = [], [], []
    for enrolment_id, day, severity in rows:
        row = index.get(enrolment_id)
        if row is not None:
            students.append(row[0])
            dates.append(np.datetime64(day, "D"))
            severities.append(severity)
    if not students:
        return Behaviour.empty()
    return Behaviour(
        np.array(students, np.int32), np.array(dates, "datetime64[D]"), np.array(severities, np.int8)
    )


def load(
    year: AcademicYear,
    *,
    class_ids=None,
    enrolment_ids=None,
    enrolled_at: dt.date | None = None,
) -> Loaded:
    """Records of the enrolments of ``year`` (optionally only some classes or enrolments).

    With ``enrolled_at``, only students enrolled on that day and not yet left: the population a
    score at that cut-off is about (ews-evaluation, section 3).
    """
    rows = _enrolment_rows(year, class_ids, enrolment_ids)
    if enrolled_at is not None:
        rows = [r for r in rows if r[6] <= enrolled_at and (r[7] is None or r[7] > enrolled_at)]
    calendar = calendar_for(year)
    slot_dates = np.array(calendar.school_days(), dtype="datetime64[D]")
    keys = [r[0] for r in rows]
    index = {r[0]: (i, r[2]) for i, r in enumerate(rows)}
    classes = sorted({r[2] for r in rows}, key=str)
    households = _households([r[1] for r in rows])
    enrolled = np.array([r[6] for r in rows], dtype="datetime64[D]")
    left = np.array([r[7] if r[7] else None for r in rows], dtype="datetime64[D]")
    codes = _attendance(keys, {k: v[0] for k, v in index.items()}, slot_dates, classes)
    poverty, away = [], []
    for r in rows:
        idpoor, parents = households.get(r[1], (None, None))
        poverty.append(POVERTY_LEVELS.get(idpoor))
        away.append(None if parents is None else ("no" if parents == MigrationDestination.NONE else "yes"))
    records = StudentRecords(
        keys=np.array([str(k) for k in keys], dtype=object),
        year_start=np.datetime64(year.starts_on, "D"),
        slot_dates=slot_dates,
        planes=StatusPlanes.from_codes(codes),
        enrolled_on=enrolled,
        assessments=_assessments(index, classes, enrolled, left),
        behaviour=_behaviour(index, classes),
        birth_date=np.array([r[10] for r in rows], dtype="datetime64[D]"),
        grade=np.array([str(r[4]) for r in rows], dtype=object),
        categorical={
            "school_id": np.array([str(r[3]) for r in rows], dtype=object),
            "poverty_level": np.array(poverty, dtype=object),
            "province_code": np.array([(r[5] or "")[:2] or None for r in rows], dtype=object),
            "x_parents_away": np.array(away, dtype=object),
            "x_repeated_grade": np.array(["yes" if r[9] else "no" for r in rows], dtype=object),
        },
        protected={
            "sex": np.array([r[11] if r[11] in ("F", "M") else None for r in rows], dtype=object),
            "disability": np.array(
                [None if r[12] is None else ("yes" if r[12] else "no") for r in rows], dtype=object
            ),
        },
    )
    return Loaded(
        records=records,
        enrolment_ids=keys,
        class_ids=[r[2] for r in rows],
        school_ids=[r[3] for r in rows],
        person_ids=[r[1] for r in rows],
        status=[r[8] for r in rows],
        left_on=[r[7] for r in rows],
        school_names={
            str(pk): en or km
            for pk, en, km in School.objects.filter(pk__in={r[3] for r in rows}).values_list(
                "pk", "name_en", "name_km"
            )
        },
    )


def dropped_between(loaded: Loaded, first: dt.date, last: dt.date) -> np.ndarray:
    """1 for students who dropped out after ``first`` and on or before ``last``: the label."""
    return np.array(
        [
            1 if s == EnrolmentStatus.DROPPED_OUT and d is not None and first < d <= last else 0
            for s, d in zip(loaded.status, loaded.left_on, strict=True)
        ],
        dtype=int,
    )
