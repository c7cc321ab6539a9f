"""Today's roll call, on whatever day the suite runs: `make test` runs it again on the first day of a
school year, Khmer New Year, the long holidays, 29 February before dawn and a Sunday 31 December."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ponleu.education.models import AttendanceMonth
from ponleu.education.selectors import calendar_for

from .factories import enrol, make_class, make_pupil, make_school, make_year, school_year_of

pytestmark = pytest.mark.django_db

# What the calendar says on the days `make test` visits (Makefile, DATED_DAYS).
KNOWN = {
    dt.date(2027, 11, 1): None,  # the first day of the 2027–2028 year, a Monday
    dt.date(2028, 2, 29): None,  # a Tuesday of the first semester
    dt.date(2027, 4, 14): "holiday",  # Khmer New Year
    dt.date(2027, 8, 31): "outside_year",  # the long holidays: the year ended on Friday the 27th
    dt.date(2028, 12, 31): "weekend",  # a Sunday
}
WORDS = {
    "outside_year": "outside the school year",
    "outside_term": "not in a term",
    "holiday": "public holiday",
    "weekend": "not a teaching day",
}


def test_the_school_year_of_the_visited_days():
    assert school_year_of(dt.date(2027, 11, 1))[:2] == (dt.date(2027, 11, 1), dt.date(2028, 8, 25))
    assert school_year_of(dt.date(2027, 8, 31))[:2] == (dt.date(2026, 11, 2), dt.date(2027, 8, 27))
    assert school_year_of(dt.date(2028, 12, 31))[:2] == (dt.date(2028, 11, 6), dt.date(2029, 8, 31))


@pytest.mark.dated
def test_todays_roll_call_is_saved_on_a_school_day_and_refused_with_the_reason_on_any_other(
    world, login_as, today
):
    start, end, terms = school_year_of(today)
    year = make_year(world.org, start=start, end=end, terms=terms)
    school_class = make_class(make_school(world.org), year, teacher=world.members["teacher"])
    pupils = [
        enrol(school_class, make_pupil(world.org, born=today - dt.timedelta(days=4400)), on=start)
        for _ in range(2)
    ]
    reason = calendar_for(year).why_not(today)
    if today in KNOWN:
        assert reason == KNOWN[today]
    client = login_as(world.user("teacher"))
    url = reverse("education:class_roll_call", kwargs={"class_id": school_class.pk})

    page = client.get(url)  # no date: the roll call of today
    assert page.status_code == 200
    assert f'value="{today.isoformat()}"' in page.content.decode()
    response = client.post(url, {"date": today.isoformat(), f"s-{pupils[1].pk}": "A"})
    if reason is None:
        assert response.status_code == 302
        assert AttendanceMonth.objects.get(enrolment=pupils[1]).statuses[today.day - 1] == "A"
        assert AttendanceMonth.objects.get(enrolment=pupils[0]).statuses[today.day - 1] == "P"
    else:
        assert response.status_code == 400
        assert WORDS[reason] in page.content.decode()
        assert WORDS[reason] in response.content.decode()
        assert not AttendanceMonth.objects.exists()
