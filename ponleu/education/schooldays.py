"""Which dates are school days: inside a term, on a teaching weekday, and not a holiday or closure.

Pure functions over an academic year's settings, plus the public holidays of Cambodia from the
``holidays`` package. The package returns English names unless asked otherwise, so the language
is always passed (``km`` or ``en_US``). A sub-decree sets each year's list, and organisations
add closures and make-up days, so the computed holidays are only the starting point: they are
stored as calendar days that an administrator can change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import holidays

from .choices import CalendarDayKind

HOLIDAY_LANGUAGES = {"km": "km", "en": "en_US"}


def public_holidays(start: dt.date, end: dt.date) -> list[tuple[dt.date, str, str]]:
    """(date, Khmer name, English name) of Cambodian public holidays from ``start`` to ``end``."""
    years = range(start.year, end.year + 1)
    khmer = holidays.country_holidays("KH", years=years, language=HOLIDAY_LANGUAGES["km"])
    english = holidays.country_holidays("KH", years=years, language=HOLIDAY_LANGUAGES["en"])
    out = []
    for day in sorted(khmer):
        if start <= day <= end:
            out.append((day, khmer.get(day, "")[:300], english.get(day, "")[:300]))
    return out


@dataclass(frozen=True)
class SchoolCalendar:
    """Everything needed to decide whether a date is a school day, without the database."""

    starts_on: dt.date
    ends_on: dt.date
    weekdays: str
    terms: tuple[tuple[dt.date, dt.date], ...]
    special: dict[dt.date, str] = field(default_factory=dict)  # date -> CalendarDayKind

    def term_of(self, day: dt.date) -> int | None:
        for index, (first, last) in enumerate(self.terms):
            if first <= day <= last:
                return index
        return None

    def why_not(self, day: dt.date) -> str | None:
        """None for a school day, else the reason code: outside_year, outside_term, holiday,
        closure or weekend."""
        if not (self.starts_on <= day <= self.ends_on):
            return "outside_year"
        if self.term_of(day) is None:
            return "outside_term"
        kind = self.special.get(day)
        if kind == CalendarDayKind.SCHOOL_DAY:
            return None
        if kind == CalendarDayKind.PUBLIC_HOLIDAY:
            return "holiday"
        if kind == CalendarDayKind.CLOSURE:
            return "closure"
        if str(day.weekday()) not in self.weekdays:
            return "weekend"
        return None

    def is_school_day(self, day: dt.date) -> bool:
        return self.why_not(day) is None

    def school_days(self, until: dt.date | None = None) -> list[dt.date]:
        last = self.ends_on if until is None else min(until, self.ends_on)
        days = []
        for first, term_last in self.terms:
            day = max(first, self.starts_on)
            while day <= min(term_last, last):
                if self.is_school_day(day):
                    days.append(day)
                day += dt.timedelta(days=1)
        return sorted(set(days))

    def school_days_in_month(self, month: dt.date) -> list[dt.date]:
        first = month.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        days = []
        day = first
        while day < following:
            if self.is_school_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    month = month_start(first)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months
