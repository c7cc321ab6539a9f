"""Scope factories for the referral and directory routes (see ponleu/testing/scopes.py).

A referral stands where its child stands, on the referring side; it is sent, to an
organisation that is not the member's (a third one when the child is another organisation's),
so "other_org" stays out of reach. The two shared scopes turn it round: another organisation
referred a child to the member's, which reaches it through "shared with us" (with
``referrals.receive`` at the organisation's distance: nobody on the receiving side owns it
yet), and nobody does once the consent it rested on is withdrawn. The child referred there is
not one of the matrix's tokened people: the receiving side legitimately sees the shared name.

A directory provider is shared by the installation: it stands at the member's organisation's
distance (every member with ``directory.view`` reaches it) and nowhere else. A directory import
job stands as the registry's import jobs do: the member's own, a colleague's, or one of another
organisation.
"""

from __future__ import annotations

import datetime as dt

from ponleu.access.scopes import Relationship
from ponleu.common import clock

from .scopes import (
    OTHER_ORG,
    OWN,
    SAME_ORG,
    SHARED_CONSENT_WITHDRAWN,
    SHARED_WITH_US,
    MatrixWorld,
    ScopedObject,
    route_parameter,
    scope_factory,
)


def _third_org(world: MatrixWorld):
    from ponleu.organisations.models import Organisation

    key = ("referrals-third-org",)
    if key not in world._cache:
        world._cache[key] = Organisation.objects.create(
            name_km="អង្គការទីបី", name_en="Third Org", short_name="third-org"
        )
    return world._cache[key]


def _provider(world: MatrixWorld, organisation):
    from ponleu.referrals.models import Provider, ProviderArea, ProviderService

    key = ("referrals-provider", organisation.pk if organisation else None)
    if key not in world._cache:
        provider = Provider.objects.create(
            kind="ngo_programme", name_km="កម្មវិធី" + world.token("P"), organisation=organisation
        )
        ProviderService.objects.create(provider=provider, service="shelter", cost="free")
        ProviderArea.objects.create(provider=provider, unit_id="02")
        world._cache[key] = provider
    return world._cache[key]


def _referral(world: MatrixWorld, *, person, receiver, consent=None, exception: bool = True):
    from ponleu.referrals.choices import DEFAULT_SHARED_FIELDS
    from ponleu.referrals.models import Referral, SharedRecord

    referral = Referral.objects.create(
        organisation_id=person.organisation_id,
        team_id=person.team_id,
        owner_id=person.owner_id,
        reference=world.token("R")[:20],
        person=person,
        origin="registry",
        provider=_provider(world, receiver),
        service="shelter",
        receiver=receiver,
        status="sent",
        reason="Matrix referral",
        shared_fields=list(DEFAULT_SHARED_FIELDS),
        consent=consent,
        sent_at=clock.now(),
        exception_approved_at=clock.now() if exception else None,
        legal_exception="imminent_danger" if exception else "",
    )
    SharedRecord.objects.create(referral=referral, name="សុខ ចំណែក", sex="F", age=9, village_id="02010101")
    return referral


def _shared_with(world: MatrixWorld, member: str, scope: str) -> ScopedObject:
    """A child of the other organisation, referred to the member's."""
    from ponleu.registry.models import Consent, Person

    own_org = world.world.members[member].organisation
    other = world.world.other_org if own_org == world.world.org else world.world.org
    person = Person.objects.create(
        organisation=other, village_id="02010101", family_name_km="សុខ", given_name_km="ចំណែក", sex="F"
    )
    consent = Consent.objects.create(
        person=person,
        organisation=other,
        purpose="share",
        recipient=own_org,
        given_by="caregiver",
        given_by_name="Caregiver",
        given_on=dt.date(2026, 1, 5),
        method="signed_form",
    )
    referral = _referral(world, person=person, receiver=own_org, consent=consent, exception=False)
    if scope == SHARED_CONSENT_WITHDRAWN:
        Consent.objects.filter(pk=consent.pk).update(withdrawn_at=clock.now(), withdrawn_on=clock.today())
    return ScopedObject(
        scope=scope,
        kwargs={"referral_id": referral.pk},
        obj=referral,
        relationship=Relationship.ORG if scope == SHARED_WITH_US else Relationship.OUTSIDE,
        view_capability="referrals.view",
        reach_as={"referrals.view": "referrals.receive"},
    )


@scope_factory("referral_id")
def referral_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    if scope in (SHARED_WITH_US, SHARED_CONSENT_WITHDRAWN):
        return _shared_with(world, member, scope)
    person = world.person(member, scope)
    if person is None:
        return None
    own_org = world.world.members[member].organisation
    if person.obj.organisation_id == own_org.pk:
        receiver = world.world.other_org if own_org == world.world.org else world.world.org
    else:
        receiver = _third_org(world)
    referral = _referral(world, person=person.obj, receiver=receiver)
    return person.derive(kwargs={"referral_id": referral.pk}, obj=referral, view_capability="referrals.view")


@scope_factory("provider_id")
def provider_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    if scope != SAME_ORG:
        return None
    provider = _provider(world, None)
    return ScopedObject(
        scope=scope,
        kwargs={"provider_id": provider.pk},
        obj=provider,
        relationship=Relationship.ORG,
        view_capability="directory.view",
    )


@scope_factory("consent_id")
def consent_alone_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    """A consent named by itself (its withdrawal): it stands where its person stands."""
    from ponleu.registry.models import Consent

    person = world.person(member, scope)
    if person is None:
        return None
    consent = Consent.objects.create(
        person=person.obj,
        organisation_id=person.obj.organisation_id,
        purpose="share",
        recipient_name="Matrix partner",
        given_by="caregiver",
        given_by_name="Caregiver",
        given_on=dt.date(2026, 1, 5),
        method="signed_form",
    )
    return person.derive(kwargs={"consent_id": consent.pk}, obj=consent)


@scope_factory("directory_job_id")
def directory_import_job_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    """A queued directory import: the member's own, a colleague's, or another organisation's."""
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
        return None
    job = Job.objects.create(
        kind="referrals.directory_import",
        capability="directory.manage",
        owner_id=owner_id,
        organisation_id=organisation_id,
        total=1,
        result={"file": "", "rows": 1},
    )
    return ScopedObject(
        scope=scope,
        kwargs={"directory_job_id": job.pk},
        obj=job,
        relationship=relationship,
        view_capability="directory.manage",
    )


route_parameter("referral_event", "acknowledge")
