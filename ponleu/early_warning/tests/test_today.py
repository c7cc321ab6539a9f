"""The nightly scoring on whatever day the suite runs (`make test` runs it again on the first day of
a school year, Khmer New Year, the long holidays, 29 February before dawn and a Sunday 31 December)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from ponleu.early_warning.models import Flag, RiskScore, week_of
from ponleu.education.tests.factories import (
    enrol,
    fill_register,
    make_class,
    make_pupil,
    make_school,
    make_year,
    school_days,
    school_year_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


def test_the_nightly_scoring_scores_the_week_of_todays_cut_off_and_flags_three_absences_running(
    world, today, capsys
):
    start, end, terms = school_year_of(today)
    year = make_year(world.org, start=start, end=end, terms=terms)
    school_class = make_class(make_school(world.org), year)
    steady, absent = [
        enrol(school_class, make_pupil(world.org, born=today - dt.timedelta(days=4400)), on=start)
        for _ in range(2)
    ]
    cutoff = min(today, end)  # in the long holidays, the last day of the year that ended
    days = school_days(year, start, cutoff)
    fill_register(steady, dict.fromkeys(days, "P"))
    away = days[-3:] if len(days) >= 6 else []
    fill_register(absent, {d: ("A" if d in away else "P") for d in days})

    call_command("ews", "score", "--organisation", world.org.short_name)

    assert f"{year.name}: 2 students in 1 schools scored" in capsys.readouterr().out
    assert set(RiskScore.objects.values_list("enrolment_id", "period", "scored_on")) == {
        (steady.pk, week_of(cutoff), cutoff),
        (absent.pk, week_of(cutoff), cutoff),
    }
    flagged = set(RiskScore.objects.filter(flagged=True).values_list("enrolment_id", flat=True))
    assert flagged == ({absent.pk} if away else set())
    assert set(Flag.objects.values_list("enrolment_id", "opened_on")) == (
        {(absent.pk, cutoff)} if away else set()
    )
