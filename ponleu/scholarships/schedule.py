"""The periods a scheme pays for, read from the school calendar the education app holds.

Pure functions over ``SchoolCalendar`` (terms, weekdays, holidays, closures, make-up days):

- every term: one period per term, from its first to its last day;
- every month: one period per calendar month that has at least one school day, from its first
  to its last school day. A month spent entirely in the holidays between terms makes nothing
  due; a month cut by a term break pays once, for the school days on both sides.

A period is keyed by its first day, which is what the database's one-payment-per-period rule
uses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ponleu.education.schooldays import SchoolCalendar

from .choices import Schedule


@dataclass(frozen=True)
class Period:
    starts_on: dt.date
    ends_on: dt.date
    label: str
    school_days: int
    term: int  # the index of the term it falls in (its first school day's term)


@dataclass(frozen=True)
class TermDates:
    name: str
    starts_on: dt.date
    ends_on: dt.date


def periods(calendar: SchoolCalendar, terms: list[TermDates], schedule: str) -> list[Period]:
    if schedule == Schedule.TERMLY:
        out = []
        for index, term in enumerate(terms):
            days = [d for d in calendar.school_days(term.ends_on) if term.starts_on <= d <= term.ends_on]
            if days:
                out.append(Period(term.starts_on, term.ends_on, term.name, len(days), index))
        return out
    if schedule != Schedule.MONTHLY:
        raise ValueError(f"unknown schedule {schedule!r}")
    by_month: dict[tuple[int, int], list[dt.date]] = {}
    for day in calendar.school_days():
        by_month.setdefault((day.year, day.month), []).append(day)
    return [
        Period(days[0], days[-1], f"{year:04d}-{month:02d}", len(days), calendar.term_of(days[0]) or 0)
        for (year, month), days in sorted(by_month.items())
    ]


def periods_of_term(all_periods: list[Period], term_index: int) -> list[Period]:
    return [period for period in all_periods if period.term == term_index]
