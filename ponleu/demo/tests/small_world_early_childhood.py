"""The demo's early childhood work: the browser tests' small world holds both nurseries with a
term of attendance, development checks with some children due, and factories on both sides of
the Labour Law's line."""

from __future__ import annotations

from ponleu.access.actors import actor_for_membership
from ponleu.early_childhood import selectors
from ponleu.early_childhood.models import Check, Factory, Instrument, Nursery
from ponleu.organisations.models import Membership
from ponleu.programmes.models import Attendance, Session


def the_small_world_has_two_nurseries_with_a_term_checks_and_factories():
    assert sorted(Nursery.objects.values_list("kind", flat=True)) == ["factory", "preschool"]
    for nursery in Nursery.objects.all():
        assert nursery.group.members.count() >= 8
        days = Session.objects.filter(group=nursery.group)
        assert days.count() == 60
        assert 0 < Attendance.objects.filter(session__in=days).count() < 60 * nursery.group.members.count()
    assert Nursery.objects.get(kind="factory").factory.childcare == "on_site"
    assert Nursery.objects.get(kind="preschool").parents_group is not None
    assert Instrument.objects.filter(is_active=True).count() == 1
    assert Check.objects.count() > 0
    short = Factory.objects.filter(women_workers__gte=100, childcare="none")
    assert short.count() == 2
    assert Factory.objects.filter(women_workers__lt=100).exists()
    worker = Membership.objects.get(user__username="supervisor.angkor-light")
    due = selectors.checks_due(actor=actor_for_membership(worker, is_verified=True))
    assert due
