"""Scope factories for the case routes (see ponleu/testing/scopes.py).

Each (member, scope) gets one case of the person the matrix already placed at that distance,
with the person's organisation, village, team and owner (the caseworker), sensitive when the
person is, and one of each record that hangs off a case (goal, action, placement, follow-up,
note attachment). Nested routes name the case as their object: the case is what their pages
show and what their access event names. Case types are the organisation's configuration,
reached by organisation administrators over the whole organisation.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from ponleu.access.actors import system_actor
from ponleu.common import clock

from .scopes import (
    MatrixWorld,
    ScopedObject,
    route_parameter,
    scope_factory,
)

route_parameter("event", "start_intake")
route_parameter("instrument", "danger_factors")
route_parameter("form_number", 1)


def _case_type(world: MatrixWorld, organisation):
    from ponleu.cases.models import CaseType
    from ponleu.cases.services.configuration import configuration_seed

    key = ("case-types", organisation.pk)
    if key not in world._cache:
        configuration_seed(actor=system_actor(organisation.pk, name="matrix"), organisation=organisation)
        world._cache[key] = CaseType.objects.get(organisation=organisation, code="trafficking")
    return world._cache[key]


def _records(world: MatrixWorld, member: str, scope: str):
    """The case at this distance and the records hanging off it, built once."""
    from ponleu.cases.models import Action, Case, CaseNote, FollowUp, Goal, NoteAttachment, Placement

    key = ("case-records", member, scope)
    if key in world._cache:
        return world._cache[key]
    person = world.person(member, scope)
    if person is None:
        world._cache[key] = None
        return None
    child = person.obj
    today = clock.today()
    case = Case.objects.create(
        organisation_id=child.organisation_id,
        case_type=_case_type(world, child.organisation),
        person=child,
        area_code=child.area_code,
        team_id=child.team_id,
        owner_id=child.owner_id,
        is_sensitive=child.is_sensitive,
        status="implementation",
        source="police",
        identified_on=today - dt.timedelta(days=60),
        summary=world.token("Summary"),
        reintegrated_on=today - dt.timedelta(days=30),
    )
    goal = Goal.objects.create(case=case, domain="3A", description=world.token("Goal"))
    action = Action.objects.create(case=case, goal=goal, description="Visit", due_on=today)
    placement = Placement.objects.create(
        case=case,
        person=child,
        placement_type="kinship",
        carer="Aunt",
        started_on=today - dt.timedelta(days=50),
    )
    follow_up = FollowUp.objects.create(case=case, months=3, due_on=today)
    note = CaseNote.objects.create(
        case=case, interaction="home_visit", happened_on=today, observations="Visit"
    )
    attachment = NoteAttachment(note=note, name="visit.pdf", content_type="application/pdf", size=9)
    attachment.file.save("visit", ContentFile(b"%PDF-1.4 "), save=False)
    attachment.save(force_insert=True)
    records = {
        "case": (person, case),
        "goal_id": goal,
        "action_id": action,
        "placement_id": placement,
        "follow_up_id": follow_up,
        "attachment_id": attachment,
    }
    world._cache[key] = records
    return records


def _case_object(world, member, scope, leaf: str | None = None) -> ScopedObject | None:
    records = _records(world, member, scope)
    if records is None:
        return None
    person, case = records["case"]
    kwargs = {"case_id": case.pk}
    if leaf is not None:
        kwargs[leaf] = records[leaf].pk
    return person.derive(kwargs=kwargs, obj=case, identifying=(case.summary,), view_capability="cases.view")


@scope_factory("case_id")
def case_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    return _case_object(world, member, scope)


@scope_factory("case_id", provides=("goal_id",))
def goal_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    return _case_object(world, member, scope, "goal_id")


@scope_factory("case_id", provides=("action_id",))
def action_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    return _case_object(world, member, scope, "action_id")


@scope_factory("case_id", provides=("placement_id",))
def placement_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    return _case_object(world, member, scope, "placement_id")


@scope_factory("case_id", provides=("follow_up_id",))
def follow_up_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    return _case_object(world, member, scope, "follow_up_id")


@scope_factory("case_id", provides=("attachment_id",))
def attachment_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    return _case_object(world, member, scope, "attachment_id")


@scope_factory("case_type_id")
def case_type_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    """An organisation's case type: configuration, placed (like a school year) at the person's
    distance; only organisation-wide capabilities reach it, so the distance within it is moot."""
    person = world.person(member, scope)
    if person is None:
        return None
    case_type = _case_type(world, person.obj.organisation)
    return person.derive(
        kwargs={"case_type_id": case_type.pk}, obj=case_type, view_capability="organisation.manage"
    )
