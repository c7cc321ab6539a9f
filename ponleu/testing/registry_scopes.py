"""Scope factories for the registry routes (see ponleu/testing/scopes.py).

Records that hang off a person (a phone, a document, a consent) or a household (a member)
are named in the URL together with their owner; the page shows and audits the person or the
household, so that is the object. Import jobs belong to the member who uploaded the file and
are seen through ``registry.import``: one's own, or any of the organisation's for those who
import for all of it. ``fmt`` is the export format.
"""

from __future__ import annotations

import datetime as dt

from ponleu.access.scopes import Relationship

from .scopes import (
    OTHER_ORG,
    OWN,
    SAME_ORG,
    MatrixWorld,
    ScopedObject,
    route_parameter,
    scope_factory,
)

route_parameter("fmt", "csv")


def _person_record(world: MatrixWorld, member: str, scope: str, kwarg: str, make) -> ScopedObject | None:
    key = ("registry-record", kwarg, member, scope)
    if key not in world._cache:
        person = world.person(member, scope)
        world._cache[key] = None if person is None else (person, make(person.obj))
    found = world._cache[key]
    if found is None:
        return None
    person, record = found
    return person.derive(kwargs={**person.kwargs, kwarg: record.pk}, obj=person.obj)


@scope_factory("person_id", provides=("phone_id",))
def phone_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.registry.models import PersonPhone

    return _person_record(
        world,
        member,
        scope,
        "phone_id",
        lambda p: PersonPhone.objects.create(person=p, number="+85512345678", owner="self"),
    )


@scope_factory("person_id", provides=("identifier_id",))
def identifier_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.registry.models import Identifier

    def make(person):
        return Identifier.objects.create(
            person=person,
            organisation_id=person.organisation_id,
            type="birth_certificate",
            value=world.token("BC"),
        )

    return _person_record(world, member, scope, "identifier_id", make)


@scope_factory("person_id", provides=("consent_id",))
def consent_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.registry.models import Consent

    def make(person):
        return Consent.objects.create(
            person=person,
            organisation_id=person.organisation_id,
            purpose="services",
            given_by="caregiver",
            given_on=dt.date(2026, 1, 5),
            method="signed_form",
        )

    return _person_record(world, member, scope, "consent_id", make)


@scope_factory("household_id", provides=("member_id",))
def member_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    household = world.scoped("household_id", member, scope)
    if household is None:
        return None
    membership = household.obj.members.order_by("created_at").first()
    return household.derive(kwargs={**household.kwargs, "member_id": membership.pk}, obj=household.obj)


@scope_factory("job_id")
def import_job_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    """A queued import job: the member's own, a colleague's, or another organisation's."""
    from ponleu.jobs.models import Job

    facts = world.members[member]
    membership = world.world.members[member]
    if scope == OWN:
        owner_id, organisation_id, relationship = facts.user_id, facts.organisation_id, Relationship.OWN
    elif scope == SAME_ORG:
        colleague = next(
            m
            for k, m in world.world.members.items()
            if k != member and m.organisation_id == membership.organisation_id
        )
        owner_id, organisation_id, relationship = colleague.user_id, facts.organisation_id, Relationship.ORG
    elif scope == OTHER_ORG:
        other = world.world.other_org if membership.organisation == world.world.org else world.world.org
        owner_id, organisation_id, relationship = facts.user_id, other.pk, Relationship.OUTSIDE
    else:
        return None  # jobs have no team, area, sensitivity or break-the-glass
    job = Job.objects.create(
        kind="registry.import",
        capability="registry.import",
        owner_id=owner_id,
        organisation_id=organisation_id,
        total=1,
        result={"file": "", "rows": 1, "households": 0},
    )
    return ScopedObject(
        scope=scope,
        kwargs={"job_id": job.pk},
        obj=job,
        relationship=relationship,
        view_capability="registry.import",
    )
