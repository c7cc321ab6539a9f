"""Scope factories for the scholarship routes (see ponleu/testing/scopes.py).

A scheme stands where its project stands: by the project's manager and team, or the whole
organisation (a project covers provinces, not a village, so "in the member's area" is
declined, as for projects). Applications, awards and payments stand where their scheme
stands; each names one child placed at the same distance (the leak scan watches the name).
Sensitive, break-the-glass and shared scopes are declined: no scholarship record is sensitive,
opened by a grant or shared with another organisation.
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

VIEW = "scholarships.view"
DECLINED = (
    SENSITIVE,
    BREAK_GLASS_ACTIVE,
    BREAK_GLASS_EXPIRED,
    SHARED_WITH_US,
    SHARED_CONSENT_WITHDRAWN,
    SAME_AREA,
)
OPENS = dt.date(2026, 1, 1)
CLOSES = dt.date(2027, 12, 31)


def _relationship(scope: str) -> Relationship:
    return {
        OWN: Relationship.OWN,
        SAME_TEAM: Relationship.TEAM,
        SAME_ORG: Relationship.ORG,
        OTHER_TEAM: Relationship.ORG,
        OTHER_ORG: Relationship.OUTSIDE,
    }.get(scope, Relationship.OUTSIDE)


@scope_factory("scheme_id")
def scheme_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.programmes.models import Project
    from ponleu.scholarships.models import Scheme

    if scope in DECLINED:
        return None
    placement = world.placement(member, scope)
    if placement is None:
        return None
    organisation = placement["organisation"]
    project = Project.objects.create(
        organisation=organisation,
        team=placement.get("team"),
        manager_id=placement.get("owner_id"),
        name=world.token("Prj"),
        code=world.token("S")[:20],
        starts_on=OPENS,
        ends_on=CLOSES,
    )
    scheme = Scheme.objects.create(
        organisation=organisation,
        project=project,
        name=world.token("Sch"),
        kind="cash",
        currency="KHR",
        amount=60000,
        schedule="termly",
        budget=6000000,
        opens_on=OPENS,
        closes_on=CLOSES,
        min_attendance_percent=80,
    )
    return ScopedObject(
        scope=scope,
        kwargs={"scheme_id": scheme.pk},
        obj=scheme,
        relationship=_relationship(scope),
        view_capability=VIEW,
    )


def _holder(world: MatrixWorld, member: str, scope: str):
    """The scheme at that distance and a child at the same distance, with an approved
    application and an active award."""
    from ponleu.scholarships.models import Application, Award

    scheme = world.scoped("scheme_id", member, scope)
    if scheme is None:
        return None
    placement = world.placement(member, scope)
    child = world.make_person(member=member, scope=scope, **placement)
    application = Application.objects.create(
        scheme=scheme.obj, person=child.obj, source="nomination", eligibility={}
    )
    award = Award.objects.create(scheme=scheme.obj, person=child.obj, starts_on=OPENS, ends_on=CLOSES)
    return scheme, child, application, award


def _at(scheme: ScopedObject, child: ScopedObject, kwargs: dict, obj) -> ScopedObject:
    return ScopedObject(
        scope=scheme.scope,
        kwargs=kwargs,
        obj=obj,
        relationship=scheme.relationship,
        identifying=child.identifying,
        person_ids=child.person_ids,
        view_capability=VIEW,
    )


@scope_factory("application_id")
def application_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    found = _holder(world, member, scope)
    if found is None:
        return None
    scheme, child, application, _award = found
    return _at(scheme, child, {"application_id": application.pk}, application)


@scope_factory("award_id")
def award_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    found = _holder(world, member, scope)
    if found is None:
        return None
    scheme, child, _application, award = found
    return _at(scheme, child, {"award_id": award.pk}, award)


@scope_factory("payment_id")
def payment_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    """A withheld payment (the override route's subject) of an award at that distance."""
    from ponleu.education.models import AcademicYear
    from ponleu.scholarships.models import Payment

    found = _holder(world, member, scope)
    if found is None:
        return None
    scheme, child, _application, award = found
    year, _ = AcademicYear.objects.get_or_create(
        organisation=scheme.obj.organisation,
        name="Scholarship matrix year",
        defaults={"starts_on": dt.date(2026, 11, 2), "ends_on": dt.date(2027, 8, 27)},
    )
    payment = Payment.objects.create(
        award=award,
        year=year,
        period_start=dt.date(2026, 11, 2),
        period_end=dt.date(2027, 3, 12),
        period_label="Semester 1",
        amount=60000,
        currency="KHR",
        status="withheld",
        condition="fail",
    )
    return _at(scheme, child, {"payment_id": payment.pk}, payment)
