"""The demo schools: two years of records from the data-generating process, scores, a review queue."""

from __future__ import annotations

import datetime as dt

import pytest

from ponleu.demo import education as demo_education
from ponleu.early_warning.models import Flag, Intervention, RiskScore, week_of
from ponleu.education.models import AcademicYear, Assessment, AttendanceMonth, Enrolment, SchoolClass
from ponleu.organisations.choices import Role
from ponleu.registry.models import Household, HouseholdMember, Person, PersonSearchKey

pytestmark = pytest.mark.django_db


@pytest.mark.dated
def test_demo_schools_have_two_years_scores_and_a_review_queue(world, today):
    for index in range(60):
        village, team = ("02010101", world.team_a) if index % 2 else ("02080101", world.team_b)
        person = Person.objects.create(
            organisation=world.org,
            village_id=village,
            team=team,
            family_name_latin="Demo",
            given_name_latin=f"Child{index}",
            date_of_birth=today - dt.timedelta(days=365 * (8 + index % 9) + 40),
        )
        household = Household.objects.create(
            organisation=world.org,
            village_id=village,
            idpoor_status=("level_1", "level_2", "not_poor")[index % 3],
        )
        HouseholdMember.objects.create(household=household, person=person, relationship="child")
    members = {
        Role.TEACHER: [world.members["teacher"]],
        Role.CASEWORKER: [world.members["caseworker_a"], world.members["caseworker_b"]],
    }
    counts = demo_education.populate(
        organisation=world.org,
        teams=[(world.team_a, "0201"), (world.team_b, "0208")],
        members=members,
        seed=5,
    )
    assert AcademicYear.objects.filter(organisation=world.org).count() == 2
    assert counts["previous_year"]["enrolments"] > 50
    assert Enrolment.objects.filter(school_class__year__ends_on__gte=today).count() > 40
    assert AttendanceMonth.objects.exists()
    assert Assessment.objects.exists()
    # Sixty children cannot give fifty dropouts: the demo says so and keeps the rule index.
    assert "at least 50 are needed" in counts["model"]
    assert RiskScore.objects.values("period").distinct().count() == counts["scores"]["weeks"]
    assert Flag.objects.exists()
    assert counts["review"]["decided"] == Flag.objects.exclude(status="awaiting").count()
    assert Intervention.objects.count() == counts["review"]["served"]


def test_the_teachers_class_is_a_full_class_of_45_with_marks_for_everyone(world, today):
    members = {
        Role.TEACHER: [world.members["teacher"]],
        Role.CASEWORKER: [world.members["caseworker_a"], world.members["caseworker_b"]],
    }
    counts = demo_education.populate(
        organisation=world.org,
        teams=[(world.team_a, "0201"), (world.team_b, "0208")],
        members=members,
        seed=7,
    )
    school_class = SchoolClass.objects.get(homeroom_teacher=world.members["teacher"])
    on_roll = Enrolment.objects.filter(school_class=school_class, status="enrolled")
    assert on_roll.count() == demo_education.CLASS_SIZE
    assert counts["newcomers"] >= demo_education.CLASS_SIZE
    # Newcomers are registry children of the district, in a household, findable by search.
    newcomer = on_roll.first().person
    assert newcomer.area_code.startswith("0201") or newcomer.area_code.startswith("0208")
    assert HouseholdMember.objects.filter(person=newcomer).exists()
    assert PersonSearchKey.objects.filter(person=newcomer).exists()
    # One sheet per class, subject and test day, holding the marks of everyone who sat it.
    sheets = Assessment.objects.filter(school_class=school_class)
    marked = {pk for sheet in sheets for pk in sheet.scores}
    assert {str(pk) for pk in on_roll.values_list("pk", flat=True)} - marked == set()


def test_the_demo_scores_each_week_once_up_to_yesterday_whatever_the_day():
    """On Monday 7 December 2026 the demo scored Friday the 4th and Sunday the 6th: one week twice."""
    start = dt.date(2026, 6, 29)
    for offset in range(120, 300):
        today = start + dt.timedelta(days=offset)
        days = demo_education._scoring_days(start, today)
        weeks = [week_of(d) for d in days]
        assert weeks == sorted(set(weeks)), today
        assert days[-1] == today - dt.timedelta(days=1), today
        assert all(b - a <= dt.timedelta(days=14) for a, b in zip(weeks, weeks[1:], strict=False)), today
