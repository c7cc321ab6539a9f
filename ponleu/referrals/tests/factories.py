"""Builders for referral tests; they go through the services, as the app does."""

from __future__ import annotations

import uuid

from ponleu.access.actors import system_actor
from ponleu.referrals import services
from ponleu.referrals.choices import ProviderKind

KANTUEU = "020101"  # a Banan commune (team A's area)
OU_DAMBANG = "020801"  # a Sangkae commune
PUOK = "1707"  # the Siem Reap district of the other organisation


def provider(
    world,
    *,
    kind=ProviderKind.HEALTH_CENTRE,
    areas=(KANTUEU,),
    services_=(("primary_health", "free"),),
    admin="org_admin",
    **data,
):
    values = {
        "kind": kind,
        "name_km": "មណ្ឌលសុខភាពកន្ទឺ",
        "name_en": "Kantueu health centre",
        "areas": list(areas),
        "services": [{"service": s, "cost": c} for s, c in services_],
        "phone": "012 345 678",
    }
    values.update(data)
    return services.provider_save(actor=world.actor(admin), data=values)


def partner_provider(world, **data):
    """The other organisation on this installation, as a provider of shelter in Battambang."""
    return provider(
        world,
        kind=ProviderKind.NGO_PROGRAMME,
        name_km="កម្មវិធីជំរក",
        name_en="Other Org shelter",
        organisation=world.other_org.pk,
        areas=("02",),
        services_=(("shelter", "free"), ("counselling", "free")),
        **data,
    )


def share_consent(actor, person, **data):
    from ponleu.registry import services as registry_services

    values = {
        "purpose": "share",
        "given_by": "caregiver",
        "given_by_name": "Sok Sophea",
        "given_on": "2026-01-05",
        "method": "signed_form",
        "child_assent": "given",
    }
    values.update(data)
    return registry_services.consent_record(actor=actor, person=person, data=values)


def draft(actor, person, provider_, **data):
    values = {"service": "shelter", "reason": "Violence at home", "urgency": "urgent"}
    values.update(data)
    return services.referral_draft(actor=actor, person=person, provider=provider_, **values)


def send(actor, referral):
    return services.referral_send(
        actor=actor, referral=referral, version=referral.version, send_key=uuid.uuid4()
    )


def system(org):
    return system_actor(org.pk)
