"""The demo schools: two years of records from the data-generating process, scores, a review queue."""

from __future__ import annotations

import datetime as dt

import pytest

from ponleu.common import clock
from ponleu.demo import education as demo_education
from ponleu.early_warning.models import Flag, Intervention, RiskScore
from ponleu.education.models import AcademicYear, Assessment, AttendanceMonth, Enrolment
from ponleu.organisations.choices import Role
from ponleu.registry.models import Household, HouseholdMember, Person

pytestmark = pytest.mark.django_db


def test_demo_schools_have_two_years_scores_and_a_review_queue(world):
    today = clock.today()
    for index in range(60):
        village, team = ("02010101", world.team_a) if index % 2 else ("02080101", world.team_b)
        person = Person.objects.create(
            organisation=world.org, village_id=village, team=team, family_name_latin="Demo",
            given_name_latin=f"Child{index}", date_of_birth=today - dt.timedelta(days=365 * (8 + index % 9) + 40),
        )  # fmt: skip
        household = Household.objects.create(organisation=world.org, village_id=village,
                                             idpoor_status=("level_1", "level_2", "not_poor")[index % 3])  # fmt: skip
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
