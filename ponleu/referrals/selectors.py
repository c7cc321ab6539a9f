"""Reads: the directory (not personal data: no access events) and referrals (through
``visible_to``, which also reaches what another organisation shared with the actor's)."""

from __future__ import annotations

from django.db.models import OuterRef
from django.db.models.functions import Length

from ponleu.audit import services as audit
from ponleu.common import clock

from .models import Provider, ProviderArea, ProviderService, Referral, SharedRecord

TARGET = "referrals.referral"
DIRECTORY_LIMIT = 50


def _ancestors(code: str) -> list[str]:
    return [code[:n] for n in range(2, len(code) + 1, 2)]


def provider_search(
    *, service: str = "", commune: str = "", cost: str = "", kind: str = "", limit: int = DIRECTORY_LIMIT
) -> list[Provider]:
    """Active providers offering ``service`` (at ``cost``) to ``commune``: a provider serves a
    commune when it names it, its district or its province. Providers that name the narrowest
    unit come first (the commune's own health centre before the provincial hospital)."""
    providers = Provider.objects.filter(is_active=True)
    if kind:
        providers = providers.filter(kind=kind)
    # The offers and the areas served pick the providers (``pk IN``, from their indexes), rather
    # than a scan of every provider testing each: SQLite plans an EXISTS that way.
    if service or cost:
        offered = ProviderService.objects.all()
        if service:
            offered = offered.filter(service=service)
        if cost:
            offered = offered.filter(cost=cost)
        providers = providers.filter(pk__in=offered.values("provider_id"))
    if commune:
        units = _ancestors(commune)
        served = ProviderArea.objects.filter(unit_id__in=units)
        nearest = (
            served.filter(provider=OuterRef("pk"))
            .annotate(depth=Length("unit_id"))
            .order_by("-depth")
            .values("depth")[:1]
        )
        providers = (
            providers.filter(pk__in=served.values("provider_id"))
            .annotate(depth=nearest)
            .order_by("-depth", "name_km", "id")
        )
    else:
        providers = providers.order_by("name_km", "id")
    return list(providers.select_related("location")[:limit])


def provider_serves(provider: Provider, area_code: str) -> bool:
    """Does the provider serve the place (a village or commune code)? A referral outside it is
    allowed but warned about."""
    if not area_code:
        return True
    return provider.areas.filter(unit_id__in=_ancestors(area_code[:6])).exists()


def provider_get(provider_id) -> Provider:
    return Provider.objects.prefetch_related("services", "areas__unit").get(pk=provider_id)


def referral_list(*, actor, overdue: bool = False, received: bool | None = None, person=None):
    referrals = Referral.objects.visible_to(actor).select_related("provider", "receiver")
    if received is True:
        referrals = referrals.filter(receiver_id=actor.organisation_id)
    elif received is False:
        referrals = referrals.filter(organisation_id=actor.organisation_id)
    if person is not None:
        referrals = referrals.filter(person=person)
    if overdue:
        referrals = referrals.open().filter(due_on__lt=clock.today())
    rows = list(referrals.order_by("due_on", "-created_at")[:200])
    audit.record_access(
        actor=actor, action="referral.listed", target_type=TARGET, target_ids=[r.pk for r in rows]
    )
    return rows


def referral_get(*, actor, referral_id) -> Referral:
    """The referral, or DoesNotExist for a missing, malformed or out-of-reach id alike."""
    referral = (
        Referral.objects.visible_to(actor)
        .select_related("provider", "receiver", "person")
        .get(pk=referral_id)
    )
    audit.record_access(actor=actor, action="referral.viewed", target_type=TARGET, target_ids=[referral.pk])
    return referral


def shared_record(*, actor, referral: Referral) -> SharedRecord | None:
    """What the receiving side sees of the child, through the same scope."""
    return SharedRecord.objects.visible_to(actor).filter(referral=referral).select_related("village").first()


def is_receiver(actor, referral: Referral) -> bool:
    return referral.receiver_id is not None and referral.receiver_id == actor.organisation_id
