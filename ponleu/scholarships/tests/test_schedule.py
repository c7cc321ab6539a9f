"""The periods a scheme pays, read from the school calendar (terms, weekends, holidays), and
amounts in riel and dollars without floats."""

import datetime as dt

import pytest

from ponleu.education.schooldays import SchoolCalendar
from ponleu.scholarships.choices import Schedule
from ponleu.scholarships.money import display_amount, parse_amount
from ponleu.scholarships.schedule import TermDates, periods, periods_of_term

TERMS = [
    TermDates("Semester 1", dt.date(2025, 11, 3), dt.date(2026, 3, 13)),
    TermDates("Semester 2", dt.date(2026, 3, 23), dt.date(2026, 8, 28)),
]
# Khmer New Year closes schools from 14 to 16 April; say the organisation closed all of April.
APRIL = {dt.date(2026, 4, d): "closure" for d in range(1, 31)}


def calendar(special=None):
    return SchoolCalendar(
        dt.date(2025, 11, 3),
        dt.date(2026, 8, 28),
        "01234",
        tuple((t.starts_on, t.ends_on) for t in TERMS),
        special or {},
    )


def test_termly_periods_are_the_terms():
    found = periods(calendar(), TERMS, Schedule.TERMLY)
    assert [(p.starts_on, p.ends_on, p.label) for p in found] == [
        (dt.date(2025, 11, 3), dt.date(2026, 3, 13), "Semester 1"),
        (dt.date(2026, 3, 23), dt.date(2026, 8, 28), "Semester 2"),
    ]
    assert [p.term for p in found] == [0, 1]


def test_monthly_periods_run_from_first_to_last_school_day_and_skip_closed_months():
    found = periods(calendar(APRIL), TERMS, Schedule.MONTHLY)
    labels = [p.label for p in found]
    # November to August, without April (closed throughout).
    assert labels == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
    ]
    march = found[4]
    # March is cut by the term break: one payment, for the school days on both sides.
    assert (march.starts_on, march.ends_on) == (dt.date(2026, 3, 2), dt.date(2026, 3, 31))
    assert march.school_days == 10 + 7  # 2–13 March and 23–31 March, weekdays only
    assert march.term == 0
    november = found[0]
    assert november.school_days == 20  # 3–28 November, Monday to Friday
    assert [p.label for p in periods_of_term(found, 1)] == ["2026-05", "2026-06", "2026-07", "2026-08"]


def test_a_holiday_is_not_a_school_day_and_a_make_up_day_is():
    special = {dt.date(2025, 11, 10): "public_holiday", dt.date(2025, 11, 8): "school_day"}
    november = periods(calendar(special), TERMS, Schedule.MONTHLY)[0]
    assert november.school_days == 20  # one weekday lost, one Saturday gained


@pytest.mark.parametrize(
    ("typed", "currency", "stored"),
    [
        ("60000", "KHR", 60000),
        ("60,000", "KHR", 60000),
        ("15.50", "USD", 1550),
        ("15", "USD", 1500),
        ("$0.05", "USD", 5),
    ],
)
def test_amounts_are_whole_numbers_of_riel_or_cents(typed, currency, stored):
    assert parse_amount(typed, currency) == stored


@pytest.mark.parametrize(
    ("typed", "currency"),
    [("60000.5", "KHR"), ("15.505", "USD"), ("-1", "KHR"), ("abc", "USD"), ("nan", "USD")],
)
def test_amounts_that_are_not_money_are_refused(typed, currency):
    assert parse_amount(typed, currency) is None


def test_amounts_display_in_their_currency():
    assert display_amount(60000, "KHR") == "60,000 ៛"
    assert display_amount(1550, "USD") == "$15.50"
    assert display_amount(5, "USD") == "$0.05"
