"""The attendance condition of a period, computed from the roll calls in a few aggregate queries.

Each pupil's register is one ``AttendanceMonth`` row per month: a string with one letter per
day (see education/registers.py). For a period from day a of its first month to day b of its
last, the database cuts each month's string to the days inside the period and counts the
letters there (length minus the length with the letter removed), summed per person, over all
their enrolments. One query reads every register the period touches, for every holder at once;
nothing is read per award.

Present counts present and late; excused days count neither way; the percentage is present
over (present + absent). With nothing recorded the result is "no data", never a pass or fail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, IntegerField, Sum, Value, When
from django.db.models.functions import Length, Replace, Substr

from ponleu.education.models import AttendanceMonth
from ponleu.education.schooldays import month_start

from .choices import ConditionResult


@dataclass(frozen=True)
class Attendance:
    present: int = 0  # present or late
    absent: int = 0
    excused: int = 0

    @property
    def recorded(self) -> int:
        return self.present + self.absent + self.excused

    @property
    def percent(self) -> Decimal | None:
        counted = self.present + self.absent
        if not counted:
            return None
        return (Decimal(100 * self.present) / counted).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def verdict(attendance: Attendance, min_percent: int | None) -> str:
    if min_percent is None:
        return ConditionResult.NONE
    percent = attendance.percent
    if percent is None:
        return ConditionResult.NO_DATA
    return ConditionResult.PASS if percent >= min_percent else ConditionResult.FAIL


def _letters(window, *letters: str):
    """How many of ``letters`` the window holds: its length minus its length without them."""
    stripped = window
    for letter in letters:
        stripped = Replace(stripped, Value(letter), Value(""))
    return Length(window) - Length(stripped)


def attendance_by_person(person_ids, starts_on: dt.date, ends_on: dt.date) -> tuple[dict, int]:
    """{person_id: Attendance} for the people in ``person_ids`` (a list or a values() queryset)
    between two days, and how many register rows (pupil-months) the query read."""
    first, last = month_start(starts_on), month_start(ends_on)
    start = Case(When(month=first, then=Value(starts_on.day)), default=Value(1), output_field=IntegerField())
    stop = Case(When(month=last, then=Value(ends_on.day)), default=Value(31), output_field=IntegerField())
    window = Substr("statuses", start, stop - start + Value(1))
    rows = (
        AttendanceMonth.objects.filter(enrolment__person_id__in=person_ids, month__gte=first, month__lte=last)
        .annotate(window=window)
        .values("enrolment__person_id")
        .annotate(
            present=Sum(_letters(window, "P", "L")),
            absent=Sum(_letters(window, "A")),
            excused=Sum(_letters(window, "E")),
            months=Count("month"),
        )
        .order_by()
    )
    out, read = {}, 0
    for row in rows:
        out[row["enrolment__person_id"]] = Attendance(
            row["present"] or 0, row["absent"] or 0, row["excused"] or 0
        )
        read += row["months"]
    return out, read
