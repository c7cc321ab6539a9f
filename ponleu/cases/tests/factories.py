"""Children and cases for the cases tests, built through the services where it matters."""

from __future__ import annotations

import datetime as dt
import itertools

from ponleu.cases.choices import CaseEvent
from ponleu.cases.services import cases as case_services
from ponleu.cases.services import work
from ponleu.registry.choices import Relationship, Sex
from ponleu.registry.models import Household, HouseholdMember, Person

_counter = itertools.count(1)
DANGER_ANSWERS = {"parents_migrated": True, "out_of_school": True}
ALL_CSI = dict.fromkeys(("1A", "1B", "2A", "2B", "3A", "3B", "4A", "4B", "5A", "5B", "6A", "6B"), 3)


def make_child(world, *, village="02010101", team=None, owner=None, family_km="សុខ", given_km="ដារ៉ា", **extra):
    n = next(_counter)
    return Person.objects.create(
        organisation=extra.pop("organisation", world.org),
        village_id=village,
        team=team if team is not None else world.team_a,
        owner=owner,
        family_name_km=family_km,
        given_name_km=given_km,
        family_name_latin=extra.pop("family_latin", "Sok"),
        given_name_latin=extra.pop("given_latin", f"Dara{n}"),
        sex=extra.pop("sex", Sex.FEMALE),
        date_of_birth=extra.pop("date_of_birth", dt.date(2012, 5, 1)),
        **extra,
    )


def make_siblings(world, count=2, **kwargs):
    household = Household.objects.create(organisation=world.org, village_id="02010101", team=world.team_a)
    children = [make_child(world, **kwargs) for _ in range(count)]
    for child in children:
        HouseholdMember.objects.create(household=household, person=child, relationship=Relationship.CHILD)
    return children


def open_case(world, *, worker="caseworker_a", type_code="child_protection", child=None, **kwargs):
    child = child or make_child(world)
    kwargs.setdefault("identified_on", dt.date(2025, 1, 6))
    kwargs.setdefault("source", "volunteer")
    return case_services.case_open(
        actor=world.actor(worker), person=child, case_type_code=type_code, **kwargs
    )


def move(world, case, event, worker="caseworker_a", **kwargs):
    case.refresh_from_db()
    return case_services.case_transition(
        actor=world.actor(worker), case=case, event=event, expected_version=case.version, **kwargs
    )


def to_implementation(world, case, *, worker="caseworker_a", approver="supervisor", on=dt.date(2025, 1, 10)):
    """Walk a case from identification to implementation with the minimum the guards ask."""
    actor = world.actor(worker)
    move(world, case, CaseEvent.START_INTAKE, worker)
    move(world, case, CaseEvent.COMPLETE_SCREENING, worker)
    if case.case_type.requires_safety_plan:
        case_services.safety_plan_save(
            actor=actor, case=case, data={"dangers": "d", "safe_place": "s", "steps": "t"}
        )
    work.assessment_record(
        actor=actor, case=case, instrument_code="danger_factors", assessed_on=on, answers=DANGER_ANSWERS
    )
    move(world, case, CaseEvent.COMPLETE_ASSESSMENT, worker)
    goal = work.goal_add(actor=actor, case=case, domain="2B", description="Stable care at home")
    work.action_add(
        actor=actor, case=case, goal=goal, description="Visit the family", due_on=on + dt.timedelta(days=30)
    )
    move(world, case, CaseEvent.SUBMIT_PLAN, worker)
    move(world, case, CaseEvent.APPROVE_PLAN, approver)
    case.refresh_from_db()
    return case
