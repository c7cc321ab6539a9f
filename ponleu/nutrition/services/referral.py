"""The referral of a child with severe acute malnutrition: the nearest health service in the
directory that treats it, by the gazetteer (the child's commune, then district, then
province), and the referral made through the referrals app's own service the same day."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.nutrition.choices import AlertStatus, NutritionAction
from ponleu.nutrition.models import NUTRITION_RECORD, SamAlert
from ponleu.referrals.choices import ReferralOrigin, ServiceType, Urgency
from ponleu.referrals.models import Provider
from ponleu.referrals.services import referrals as referrals_service
from ponleu.registry.models import Person

# Services that treat severe acute malnutrition, the most specific first: a nutrition
# (therapeutic feeding) service, then a health centre, then a hospital.
TREATING = (ServiceType.NUTRITION, ServiceType.PRIMARY_HEALTH, ServiceType.HOSPITAL_CARE)
# Gazetteer code lengths: commune, district, province (NCDD codes nest by prefix).
NEAR = ((6, "commune"), (4, "district"), (2, "province"))


@dataclass(frozen=True)
class Proposal:
    provider: Provider
    service: str
    near: str  # "commune", "district" or "province"


def _service_of(provider: Provider) -> str:
    offered = {s.service for s in provider.services.all()}
    return next(service for service in TREATING if service in offered)


def providers_near(*, actor, person: Person, limit: int = 5) -> list[Proposal]:
    """Active providers treating it, nearest first; never the actor's own organisation (one
    refers to others; one's own work is a case)."""
    code = person.area_code or ""
    candidates = (
        Provider.objects.filter(is_active=True, services__service__in=TREATING)
        .exclude(Q(organisation_id=actor.organisation_id) & Q(organisation__isnull=False))
        .select_related("location")
        .prefetch_related("services", "areas__unit")
        .distinct()
    )
    ranked = []
    for provider in candidates:
        places = [provider.location_id or ""] + [area.unit_id for area in provider.areas.all()]
        for rank, (length, near) in enumerate(NEAR):
            prefix = code[:length]
            if len(prefix) == length and any(
                p.startswith(prefix) or (p and prefix.startswith(p) and len(p) >= length) for p in places
            ):
                service = _service_of(provider)
                ranked.append(
                    (
                        rank,
                        TREATING.index(service),
                        provider.name_km,
                        str(provider.pk),
                        Proposal(provider, service, near),
                    )
                )
                break
    ranked.sort(key=lambda row: row[:4])
    return [row[-1] for row in ranked[:limit]]


def nearest_provider(*, actor, person: Person) -> Proposal | None:
    found = providers_near(actor=actor, person=person, limit=1)
    return found[0] if found else None


@transaction.atomic
def sam_refer(*, actor, alert: SamAlert, version, provider_id, reason: str = "") -> SamAlert:
    """Refer the child to ``provider_id`` (one of ``providers_near``) as an emergency; the
    referral is a draft of the referrals app, sent from its page once consent is recorded."""
    found = (
        SamAlert.objects.visible_to(actor)
        .actionable_by(actor, NUTRITION_RECORD)
        .select_for_update()
        .filter(pk=alert.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied()
    claim_version(found, version)
    if found.status != AlertStatus.OPEN:
        raise ValidationFailed(_("This child is already referred."), field="provider")
    person = Person.objects.get(pk=found.person_id)
    choices = {str(p.provider.pk): p for p in providers_near(actor=actor, person=person, limit=50)}
    proposal = choices.get(str(provider_id or ""))
    if proposal is None:
        raise ValidationFailed(
            _("Choose a health service that treats severe malnutrition."), field="provider"
        )
    measurement = found.measurement
    referral = referrals_service.referral_draft(
        actor=actor,
        person=person,
        provider=proposal.provider,
        service=proposal.service,
        reason=str(reason or "").strip()
        or _("Severe acute malnutrition found at growth monitoring on %(day)s.")
        % {"day": measurement.measured_on.isoformat()},
        urgency=Urgency.EMERGENCY,
        origin=ReferralOrigin.REGISTRY,
    )
    found.status = AlertStatus.REFERRED
    found.referral = referral
    found.referred_on = clock.today()
    found.save()
    audit.record(
        actor=actor,
        action=NutritionAction.SAM_REFERRED,
        target=found,
        changes={"status": [AlertStatus.OPEN, AlertStatus.REFERRED], "referral": [None, str(referral.pk)]},
    )
    return found
