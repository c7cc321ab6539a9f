"""Scope factories for the education and early-warning routes (see ponleu/testing/scopes.py).

Each (member, scope) gets one chain built around the person the matrix already placed at that
distance: a school in the person's village, a class whose homeroom teacher is the member when
the person is the member's own (so the class is "own" exactly when the person is), the person
enrolled in it, a flagged risk score this week, a flag awaiting review and an intervention.
Schools and classes have no team, so "same team" has no such object (the person factory
returns None there too). The school year covers today and every day is a school day, so the
matrix's requests (sent on any real date) land on a school day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ponleu.common import clock

from .scopes import SAME_TEAM, MatrixWorld, ScopedObject, scope_factory


@dataclass
class Chain:
    person: ScopedObject
    school: object
    school_class: object
    enrolment: object
    flag: object
    intervention: object


def _year(world: MatrixWorld, organisation):
    from ponleu.education.models import AcademicYear, Term

    key = ("education-year", organisation.pk)
    if key not in world._cache:
        today = clock.today()
        year = AcademicYear.objects.create(
            organisation=organisation,
            name=f"Matrix {today.year}",
            starts_on=today - dt.timedelta(days=200),
            ends_on=today + dt.timedelta(days=160),
            weekdays="0123456",
        )
        Term.objects.create(
            year=year, number=1, name="Whole year", starts_on=year.starts_on, ends_on=year.ends_on
        )
        world._cache[key] = year
    return world._cache[key]


def chain(world: MatrixWorld, member: str, scope: str) -> Chain | None:
    from ponleu.early_warning.models import Flag, Intervention, RiskScore, week_of
    from ponleu.education.models import Enrolment, School, SchoolClass

    key = ("education-chain", member, scope)
    if key in world._cache:
        return world._cache[key]
    person = None if scope == SAME_TEAM else world.person(member, scope)
    if person is None:
        world._cache[key] = None
        return None
    obj = person.obj
    organisation = obj.organisation
    facts = world.members[member]
    teacher = world.world.members[member] if obj.owner_id == facts.user_id else None
    year = _year(world, organisation)
    school = School.objects.create(
        organisation=organisation,
        emis_code=world.token("E")[:20],
        name_km="សាលា",
        name_en=world.token("School"),
        level="secondary",
        village_id=obj.village_id,
    )
    school_class = SchoolClass(school=school, year=year, grade=7, section="A", homeroom_teacher=teacher)
    school_class.save()
    enrolment = Enrolment.objects.create(
        organisation=organisation, person=obj, school_class=school_class, enrolled_on=year.starts_on
    )
    today = clock.today()
    factors = [{"kind": "rule", "code": "absent_in_a_row", "value": 4, "threshold": 3, "weight": 1.0}]
    RiskScore.objects.create(
        organisation=organisation,
        enrolment=enrolment,
        school_class=school_class,
        period=week_of(today),
        scored_on=today,
        method="rule_index",
        index_score=1.0,
        flagged=True,
        factors=factors,
    )
    flag = Flag.objects.create(
        organisation=organisation,
        enrolment=enrolment,
        school_class=school_class,
        opened_on=today,
        method="rule_index",
        index_score=1.0,
        factors=factors,
    )
    intervention = Intervention.objects.create(
        organisation=organisation,
        enrolment=enrolment,
        school_class=school_class,
        type="home_visit",
        starts_on=today,
    )
    found = Chain(person, school, school_class, enrolment, flag, intervention)
    world._cache[key] = found
    return found


# What makes each object visible (acting on an object needs it too). Schools, years and classes
# are the organisation's own facts, seen by every member; the children on their pages are guarded
# by the identity rules (initials without registry.view). A student's risk record is seen with
# ews.view_scores.
VIEW_CAPABILITY = {
    "school": "web.use",
    "school_class": "web.use",
    "enrolment": "ews.view_scores",
    "flag": "ews.view_scores",
    "intervention": "ews.view_scores",
}


def _derive(world, member, scope, name):
    found = chain(world, member, scope)
    if found is None:
        return None
    obj = getattr(found, name)
    kwarg = "class_id" if name == "school_class" else f"{name}_id"
    return found.person.derive(kwargs={kwarg: obj.pk}, obj=obj, view_capability=VIEW_CAPABILITY[name])


@scope_factory("school_id")
def school_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    return _derive(world, member, scope, "school")


@scope_factory("class_id")
def class_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    return _derive(world, member, scope, "school_class")


@scope_factory("enrolment_id")
def enrolment_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    return _derive(world, member, scope, "enrolment")


@scope_factory("flag_id")
def flag_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    return _derive(world, member, scope, "flag")


@scope_factory("intervention_id")
def intervention_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    return _derive(world, member, scope, "intervention")


@scope_factory("year_id")
def year_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    person = None if scope == SAME_TEAM else world.person(member, scope)
    if person is None:
        return None
    year = _year(world, person.obj.organisation)
    return person.derive(kwargs={"year_id": year.pk}, obj=year, view_capability="web.use")


@scope_factory("model_id")
def model_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.early_warning.models import RiskModel

    person = None if scope == SAME_TEAM else world.person(member, scope)
    if person is None:
        return None
    organisation = person.obj.organisation
    facts = world.members[member]
    number = RiskModel.objects.filter(organisation=organisation).count() + 1
    model = RiskModel.objects.create(
        organisation=organisation,
        number=number,
        family="logistic",
        threshold=0.5,
        trained_at=clock.now(),
        trained_by_id=facts.user_id if person.obj.owner_id == facts.user_id else None,
        artefact=b"",
        digest="",
    )
    return person.derive(kwargs={"model_id": model.pk}, obj=model, view_capability="web.use")
