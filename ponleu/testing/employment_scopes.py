"""Scope factories for the youth employment routes (see ponleu/testing/scopes.py).

A young person's profile and a placement stand where their person stands (the person at that
distance, whose names the leak scan watches). A course is a vocational group standing where its
village, team and trainer put it, with one participant at that distance. An offer names no one
and is the organisation's: it is "in reach" of everyone of the organisation of the person at
that distance. Break-the-glass and shared scopes are declined: no youth employment route opens
a record through a grant or another organisation's sharing.
"""

from __future__ import annotations

import datetime as dt

from .scopes import (
    BREAK_GLASS_ACTIVE,
    BREAK_GLASS_EXPIRED,
    SHARED_CONSENT_WITHDRAWN,
    SHARED_WITH_US,
    MatrixWorld,
    ScopedObject,
    route_parameter,
    scope_factory,
)

VIEW = "employment.view"
DECLINED = (BREAK_GLASS_ACTIVE, BREAK_GLASS_EXPIRED, SHARED_WITH_US, SHARED_CONSENT_WITHDRAWN)
STARTED = dt.date(2026, 1, 5)

# Which follow-up of a placement a route records: 3 or 6 months, not an object.
route_parameter("months", 3)


def _profile(world: MatrixWorld, member: str, scope: str):
    from ponleu.employment.models import YouthProfile

    if scope in DECLINED:
        return None, None
    person = world.person(member, scope)
    if person is None:
        return None, None
    p = person.obj
    profile = YouthProfile.objects.create(
        organisation_id=p.organisation_id,
        team_id=p.team_id,
        owner_id=p.owner_id,
        person=p,
        education="lower_secondary",
        skills=["sewing"],
        consent_on=STARTED,
    )
    return person, profile


def _offer(world: MatrixWorld, organisation_id):
    from ponleu.employment.models import Offer
    from ponleu.referrals.models import Provider

    employer = Provider.objects.create(kind="other", name_km=world.token("Emp"), is_employer=True)
    return Offer.objects.create(
        organisation_id=organisation_id,
        employer=employer,
        kind="job",
        title=world.token("Job"),
        skills=["sewing"],
        place_id="02",
        wage=200,
        currency="USD",
        starts_on=STARTED,
        places=5,
    )


@scope_factory("profile_id")
def profile_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    person, profile = _profile(world, member, scope)
    if profile is None:
        return None
    return person.derive(kwargs={"profile_id": profile.pk}, obj=profile, view_capability=VIEW)


@scope_factory("offer_id")
def offer_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    """An offer of the organisation of the person at that distance (an organisation's fact)."""
    if scope in DECLINED:
        return None
    person = world.person(member, scope)
    if person is None:
        return None
    offer = _offer(world, person.obj.organisation_id)
    return person.derive(kwargs={"offer_id": offer.pk}, obj=offer, view_capability=VIEW)


@scope_factory("job_placement_id")
def placement_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.employment.models import Placement

    profile = world.scoped("profile_id", member, scope)
    if profile is None:
        return None
    p = profile.obj
    offer = _offer(world, p.organisation_id)
    placement = Placement.objects.create(
        organisation_id=p.organisation_id,
        team_id=p.team_id,
        owner_id=p.owner_id,
        profile=p,
        person=p.person,
        offer=offer,
        starts_on=STARTED,
        wage=200,
        currency="USD",
        follow_up_3_on=dt.date(2026, 4, 5),
        follow_up_6_on=dt.date(2026, 7, 5),
    )
    return profile.derive(kwargs={"job_placement_id": placement.pk}, obj=placement)


@scope_factory("course_id")
def course_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.employment.services.courses import course_kind
    from ponleu.programmes.models import Group, GroupMember

    placement = world.placement(member, scope) if scope not in DECLINED else None
    if placement is None:
        return None
    child = world.make_person(member=member, scope=scope, **placement)
    organisation = placement["organisation"]
    course = Group.objects.create(
        organisation=organisation,
        village_id=placement["village"],
        team=placement.get("team"),
        owner_id=placement.get("owner_id"),
        kind=course_kind(organisation_id=organisation.pk),
        name=world.token("Crs"),
        starts_on=STARTED,
    )
    GroupMember.objects.create(group=course, person=child.obj, joined_on=STARTED)
    return child.derive(kwargs={"course_id": course.pk}, obj=course, view_capability=VIEW)
