"""Scope factories for the programme routes (see ponleu/testing/scopes.py).

A group stands where its village, team and facilitator put it: the factory builds it with the
placement a person at that distance would have, with one member who is such a person (so the
group's pages name someone the leak scan watches). The matrix's group is a child labour
monitoring committee, so that its workplace-visit routes are open too. Its sessions, visits
and the children seen on them stand where it stands. An event stands where its village, team
and organiser put it. A project stands by its manager and team only (it covers provinces, not
a village): no project stands "in the member's area", so that scope is declined. Sensitive,
break-the-glass and shared scopes are declined: no programme record is sensitive, opened by a
grant or shared with another organisation.
"""

from __future__ import annotations

import datetime as dt

from ponleu.access.scopes import Relationship

from .scopes import (
    BREAK_GLASS_ACTIVE,
    BREAK_GLASS_EXPIRED,
    OTHER_ORG,
    OTHER_TEAM,
    OWN,
    SAME_AREA,
    SAME_ORG,
    SAME_TEAM,
    SENSITIVE,
    SHARED_CONSENT_WITHDRAWN,
    SHARED_WITH_US,
    MatrixWorld,
    ScopedObject,
    scope_factory,
)

VIEW = "programmes.view"
DECLINED = (SENSITIVE, BREAK_GLASS_ACTIVE, BREAK_GLASS_EXPIRED, SHARED_WITH_US, SHARED_CONSENT_WITHDRAWN)
STARTED = dt.date(2026, 1, 5)
HELD = dt.date(2026, 1, 10)


def _kind(organisation, base: str):
    from ponleu.programmes.models import GroupKind
    from ponleu.programmes.services.groups import group_kinds_seed

    group_kinds_seed(organisation_id=organisation.pk)
    return GroupKind.objects.get(organisation=organisation, base=base)


@scope_factory("group_id")
def group_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.programmes.choices import GroupBase
    from ponleu.programmes.models import Group, GroupMember

    placement = world.placement(member, scope) if scope not in DECLINED else None
    if placement is None:
        return None
    child = world.make_person(member=member, scope=scope, **placement)
    organisation = placement["organisation"]
    group = Group.objects.create(
        organisation=organisation,
        village_id=placement["village"],
        team=placement.get("team"),
        owner_id=placement.get("owner_id"),
        kind=_kind(organisation, GroupBase.LABOUR_COMMITTEE),
        name=world.token("Grp"),
        starts_on=STARTED,
    )
    GroupMember.objects.create(group=group, person=child.obj, joined_on=STARTED)
    return child.derive(kwargs={"group_id": group.pk}, obj=group, view_capability=VIEW)


@scope_factory("group_member_id", provides=("group_id",))
def group_member_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    """The member of the group at that distance (the adversarial pass's ``m-`` keys)."""
    from ponleu.programmes.models import GroupMember

    group = world.scoped("group_id", member, scope)
    if group is None:
        return None
    membership = GroupMember.objects.get(group=group.obj)
    return group.derive(kwargs={"group_id": group.obj.pk, "group_member_id": membership.pk}, obj=membership)


@scope_factory("session_id")
def session_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.programmes.models import Session

    group = world.scoped("group_id", member, scope)
    if group is None:
        return None
    session = Session.objects.create(
        group=group.obj, held_on=HELD, topic=world.token("Top"), attendance_taken=True
    )
    return group.derive(kwargs={"session_id": session.pk}, obj=session)


@scope_factory("visit_id")
def visit_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.programmes.models import MonitoringVisit

    group = world.scoped("group_id", member, scope)
    if group is None:
        return None
    visit = MonitoringVisit.objects.create(
        committee=group.obj, visited_on=HELD, workplace="brick_kiln", village_id=group.obj.village_id
    )
    return group.derive(kwargs={"visit_id": visit.pk}, obj=visit)


@scope_factory("seen_id")
def child_seen_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.programmes.models import ChildSeen

    visit = world.scoped("visit_id", member, scope)
    if visit is None:
        return None
    seen = ChildSeen.objects.create(visit=visit.obj, name=world.token("Seen"), sex="F", age=12)
    return visit.derive(kwargs={"seen_id": seen.pk}, obj=seen, identifying=(seen.name,))


@scope_factory("event_id")
def event_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.programmes.models import Event, EventHeadcount

    placement = world.placement(member, scope) if scope not in DECLINED else None
    if placement is None:
        return None
    # The relationship a person at this placement would have: the event stands the same way.
    anchor = world.make_person(member=member, scope=scope, **placement)
    event = Event.objects.create(
        organisation=placement["organisation"],
        village_id=placement["village"],
        team=placement.get("team"),
        owner_id=placement.get("owner_id"),
        kind="awareness",
        topic="trafficking",
        title=world.token("Evt"),
        audience="community",
        held_on=HELD,
    )
    EventHeadcount.objects.create(event=event, sex="F", age_band="18+", count=40)
    return ScopedObject(
        scope=scope,
        kwargs={"event_id": event.pk},
        obj=event,
        relationship=anchor.relationship,
        view_capability=VIEW,
    )


@scope_factory("project_id")
def project_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.programmes.models import Project

    if scope in DECLINED or scope == SAME_AREA:
        return None
    placement = world.placement(member, scope)
    if placement is None:
        return None
    relationship = {
        OWN: Relationship.OWN,
        SAME_TEAM: Relationship.TEAM,
        SAME_ORG: Relationship.ORG,
        OTHER_TEAM: Relationship.ORG,
    }.get(scope, Relationship.OUTSIDE)
    if scope == OTHER_ORG:
        relationship = Relationship.OUTSIDE
    code = world.token("P")[:20]
    project = Project.objects.create(
        organisation=placement["organisation"],
        team=placement.get("team"),
        manager_id=placement.get("owner_id"),
        name=world.token("Prj"),
        code=code,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    return ScopedObject(
        scope=scope,
        kwargs={"project_id": project.pk},
        obj=project,
        relationship=relationship,
        view_capability=VIEW,
    )


@scope_factory("out_of_school_id")
def out_of_school_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    """An out-of-school child stands where the child does (the person at that distance)."""
    from ponleu.programmes.models import OutOfSchool

    if scope in DECLINED:
        return None
    child = world.person(member, scope)
    if child is None:
        return None
    person = child.obj
    record = OutOfSchool.objects.create(
        organisation_id=person.organisation_id,
        team_id=person.team_id,
        owner_id=person.owner_id,
        person=person,
        identified_on=HELD,
        found_by="outreach",
        reason="work",
        plan="non_formal",
    )
    return child.derive(kwargs={"out_of_school_id": record.pk}, obj=record, view_capability=VIEW)
