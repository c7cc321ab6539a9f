"""The demo's youth employment centre: a year from courses to jobs, with a follow-up due today."""

from __future__ import annotations

from ponleu.access.actors import actor_for_membership
from ponleu.common import clock
from ponleu.employment import selectors
from ponleu.employment.models import CourseResult, FollowUp, Offer, Placement, YouthProfile
from ponleu.organisations.models import Membership
from ponleu.programmes.choices import GroupBase
from ponleu.programmes.models import Group, Session
from ponleu.referrals.models import Provider


def the_small_world_has_a_youth_employment_centres_year():
    courses = Group.objects.filter(kind__base=GroupBase.VOCATIONAL_COURSE)
    assert courses.count() == 2
    assert Session.objects.filter(group__in=courses).count() == 8
    assert YouthProfile.objects.count() == 12
    assert CourseResult.objects.filter(outcome="completed").exclude(certificate_number="").count() == 10
    assert CourseResult.objects.filter(outcome="dropped_out").count() == 2
    employers = Provider.objects.filter(is_employer=True)
    assert employers.count() == 3
    assert all(e.name_km.endswith("(demo)") for e in employers)
    assert set(Offer.objects.values_list("currency", flat=True)) == {"KHR", "USD"}
    assert Placement.objects.count() == 8
    assert Placement.objects.filter(status="ended").count() == 1
    assert FollowUp.objects.filter(months=3).count() == 6
    assert FollowUp.objects.filter(months=6, still_working=True).count() == 5
    # The youth worker has the recent placements' 3-month follow-ups to record today, and two
    # graduates to place (the browser journey does both, once at each screen size).
    worker = Membership.objects.get(user__username="youth.sabay")
    actor = actor_for_membership(worker, is_verified=True)
    due = list(selectors.follow_ups_due(actor=actor))
    assert len(due) == 2
    assert [selectors.due_months(p, clock.today()) for p in due] == [3, 3]
    waiting = [
        row
        for row, _name in selectors.profile_list(actor=actor)
        if row.has_completed and not row.has_placement
    ]
    assert len(waiting) == 2
    report = selectors.indicators(actor=actor)
    assert report.total.profiles == 12
    assert report.total.completed == 10
    assert report.total.placed == 8
    assert report.total.employed_6 == 5
