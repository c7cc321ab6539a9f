"""The demo's programme work: the browser tests' small world holds every story."""

from __future__ import annotations

from django.db.models import Count

from ponleu.cases.models import Case
from ponleu.programmes.choices import GroupBase, OutOfSchoolStatus
from ponleu.programmes.models import (
    ChildSeen,
    Distribution,
    Donor,
    Event,
    Group,
    OutOfSchool,
    Project,
    Session,
    StockMovement,
)
from ponleu.programmes.selectors import _children_of_projects


def the_small_world_has_programme_work_of_every_kind():
    assert Project.objects.count() == 3
    assert Donor.objects.values("name").distinct().count() == 3
    assert all(d.name.endswith("(demo)") for d in Donor.objects.all())
    # Every kind of group in every organisation, each with a year of sessions.
    # (Vocational courses are the youth employment centre's: see test_employment.)
    for base in set(GroupBase.values) - {GroupBase.OTHER, GroupBase.VOCATIONAL_COURSE}:
        assert Group.objects.filter(kind__base=base).count() == 3, base
    assert Session.objects.filter(group__kind__base=GroupBase.CHILD_CLUB).count() == 3 * 12
    # (a nursery's days are sessions too: see test_early_childhood.py)
    groups = Session.objects.exclude(
        group__kind__base__in=[GroupBase.CHILD_CLUB, GroupBase.VOCATIONAL_COURSE]
    ).filter(group__nursery__isnull=True)
    assert groups.count() == 3 * 6 * 4
    club = Group.objects.filter(kind__base=GroupBase.CHILD_CLUB).first()
    assert club.members.filter(left_on__isnull=True).count() == 45
    # A crowd, stock never below zero, a repeat distribution, a visit that became a case.
    assert Event.objects.filter(headcounts__count__gt=0).exists()
    for project in Project.objects.all():
        assert sum(StockMovement.objects.filter(project=project).values_list("quantity", flat=True)) >= 0
    repeated = Distribution.objects.values("person").order_by().annotate(n=Count("id"))
    assert any(row["n"] > 1 for row in repeated)
    seen = ChildSeen.objects.filter(case__isnull=False)
    assert seen.count() == 3
    assert set(Case.objects.filter(pk__in=seen.values("case")).values_list("case_type__code", flat=True)) == {
        "child_labour"
    }
    assert OutOfSchool.objects.filter(status=OutOfSchoolStatus.RETURNED).count() == 3 * 2
    assert OutOfSchool.objects.filter(follow_ups__isnull=False).exists()
    # A child of Sabay's club is counted by both of its projects.
    sabay = list(Project.objects.filter(organisation__short_name="sabay").values_list("pk", flat=True))
    counted = _children_of_projects(sabay)
    assert counted[sabay[0]] & counted[sabay[1]]
