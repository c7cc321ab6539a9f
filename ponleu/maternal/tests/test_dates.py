"""Pregnancy dates without the database: Naegele's rule both ways, the gestational age on any
day, the antenatal schedule and the postnatal windows."""

import datetime as dt

import pytest

from ponleu.maternal import services
from ponleu.maternal.models import Pregnancy, weeks_between


def test_the_due_date_is_280_days_after_the_last_period_and_back():
    lmp = dt.date(2026, 5, 4)
    assert services.due_date(lmp) == dt.date(2027, 2, 8)
    assert services.last_period(dt.date(2027, 2, 8)) == lmp
    # Across a leap day: 2028-02-29 lies between.
    assert services.due_date(dt.date(2027, 6, 1)) == dt.date(2028, 3, 7)


@pytest.mark.parametrize(
    ("day", "weeks"),
    [
        (dt.date(2026, 5, 4), 0),
        (dt.date(2026, 5, 10), 0),
        (dt.date(2026, 5, 11), 1),
        (dt.date(2026, 11, 21), 28),
        (dt.date(2027, 2, 8), 40),
    ],
)
def test_gestational_age_counts_completed_weeks(day, weeks):
    assert weeks_between(dt.date(2026, 5, 4), day) == weeks


def test_gestational_age_stops_at_the_birth():
    pregnancy = Pregnancy(last_period_on=dt.date(2026, 5, 4), born_on=dt.date(2027, 1, 25))
    assert pregnancy.weeks_on(dt.date(2027, 3, 1)) == 38


def test_the_first_four_antenatal_visits_fall_due_by_16_28_32_and_36_weeks():
    lmp = dt.date(2026, 5, 4)
    due = [services.next_anc_due(lmp, done) for done in range(5)]
    assert due == [
        lmp + dt.timedelta(weeks=16),
        lmp + dt.timedelta(weeks=28),
        lmp + dt.timedelta(weeks=32),
        lmp + dt.timedelta(weeks=36),
        None,
    ]


@pytest.mark.parametrize(
    ("days", "window"),
    [
        (0, "first_48_hours"),
        (2, "first_48_hours"),
        (3, "days_3_7"),
        (7, "days_3_7"),
        (8, "other"),
        (35, "week_6"),
        (42, "week_6"),
        (56, "week_6"),
        (57, "other"),
    ],
)
def test_postnatal_windows_are_counted_from_the_birth(days, window):
    born = dt.date(2027, 1, 25)
    assert services.postnatal_window(born, born + dt.timedelta(days=days)) == window
