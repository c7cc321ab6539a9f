"""Seeding a school year's calendar with Cambodia's public holidays: the one place it is done."""

from __future__ import annotations

from ponleu.education import schooldays
from ponleu.education.choices import CalendarDayKind, CalendarDaySource
from ponleu.education.models import AcademicYear, CalendarDay


def holidays_seed(year: AcademicYear) -> list[CalendarDay]:
    """The public holidays inside ``year`` become its calendar days (a year just created, whose
    creation is audited by its caller; an administrator edits them afterwards)."""
    return CalendarDay.objects.bulk_create(
        [
            CalendarDay(
                year=year,
                date=day,
                kind=CalendarDayKind.PUBLIC_HOLIDAY,
                name_km=km,
                name_en=en,
                source=CalendarDaySource.HOLIDAYS,
            )
            for day, km, en in schooldays.public_holidays(year.starts_on, year.ends_on)
        ]
    )
