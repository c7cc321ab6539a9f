"""Reads: the directory (not personal data: no access events) and referrals (through
``visible_to``, which also reaches what another organisation shared with the actor's)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import F, OuterRef, Q, QuerySet
from django.db.models.functions import Length

from ponleu.audit import services as audit
from ponleu.cases.services.base import add_months
from ponleu.common import clock
from ponleu.registry.models import Person

from .choices import SHARING_STATUSES, ReferralStatus
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
    wanted = set(_ancestors(area_code[:6]))
    return any(area.unit_id in wanted for area in provider.areas.all())


def provider_get(provider_id) -> Provider:
    return Provider.objects.prefetch_related("services", "areas__unit").get(pk=provider_id)


# An entry not checked for this long is asked about again: phones, hours and services change.
CHECK_AFTER_MONTHS = 12


def providers_to_check(*, actor) -> QuerySet:
    """Active providers a user reported wrong, or not checked for ``CHECK_AFTER_MONTHS``
    months (never checked counts as not checked), reported ones first, then the oldest check;
    for an administrator of some areas, those located in them. The directory is not personal
    data: no access event."""
    stale = add_months(clock.today(), -CHECK_AFTER_MONTHS)
    providers = (
        Provider.objects.manageable_by(actor)
        .filter(is_active=True)
        .filter(Q(flagged_on__isnull=False) | Q(verified_on__isnull=True) | Q(verified_on__lt=stale))
    )
    return providers.order_by(
        F("flagged_on").desc(nulls_last=True), F("verified_on").asc(nulls_first=True), "name_km", "pk"
    )


@dataclass(frozen=True)
class ReferralFilters:
    """The filters of the referral list, as its links carry them (``?received=1&overdue=1``)."""

    received: bool | None = None  # True: referred to us; False: sent by us; None: both
    overdue: bool = False  # open, and the next step's due date has passed
    awaiting: bool = False  # sent, not yet acknowledged
    mine: bool = False  # the actor's own: they referred it, or it was given to them to work
    declined: bool = False  # the receiver declined it and the referrer has not closed it yet

    @classmethod
    def from_params(cls, params) -> ReferralFilters:
        received = params.get("received")
        return cls(
            received=True if received == "1" else False if received == "0" else None,
            overdue=params.get("overdue") == "1",
            awaiting=params.get("awaiting") == "1",
            mine=params.get("mine") == "1",
            declined=params.get("declined") == "1",
        )

    @property
    def active(self) -> bool:
        return self != ReferralFilters()

    def query(self) -> str:
        values = {
            "received": None if self.received is None else ("1" if self.received else "0"),
            "overdue": "1" if self.overdue else None,
            "awaiting": "1" if self.awaiting else None,
            "mine": "1" if self.mine else None,
            "declined": "1" if self.declined else None,
        }
        return urlencode({k: v for k, v in values.items() if v is not None})


def referrals_filtered(*, actor, filters: ReferralFilters = ReferralFilters(), person=None) -> QuerySet:
    """The referrals in the actor's reach (both sides) that ``filters`` keep, next due first.
    One queryset for the list page, its count on the caseload and the "Today" items."""
    referrals = Referral.objects.visible_to(actor).select_related("provider", "receiver", "person")
    if filters.received is True:
        referrals = referrals.filter(receiver_id=actor.organisation_id)
    elif filters.received is False:
        referrals = referrals.filter(organisation_id=actor.organisation_id)
    if filters.awaiting:
        referrals = referrals.filter(status=ReferralStatus.SENT)
    if filters.overdue:
        referrals = referrals.open().filter(due_on__lt=clock.today())
    if filters.declined:
        referrals = referrals.filter(status=ReferralStatus.DECLINED)
    if filters.mine:
        referrals = referrals.filter(Q(owner_id=actor.user_id) | Q(receiver_owner_id=actor.user_id))
    if person is not None:
        referrals = referrals.filter(person_id__in=Person.objects.merge_group_ids(person))
    return referrals.order_by(F("due_on").asc(nulls_last=True), "-created_at", "pk")


def referrals_served(*, actor, referrals) -> None:
    """The access event of the referrals a page or an answer showed."""
    audit.record_access(
        actor=actor, action="referral.listed", target_type=TARGET, target_ids=[r.pk for r in referrals]
    )


def referral_list(*, actor, overdue: bool = False, received: bool | None = None, person=None):
    filters = ReferralFilters(received=received, overdue=overdue)
    rows = list(referrals_filtered(actor=actor, filters=filters, person=person)[:200])
    referrals_served(actor=actor, referrals=rows)
    return rows


def surviving_record(person: Person) -> Person:
    """The record a referred child now is: the person, or the record they were merged into
    (merges chain). A referral follows the surviving record without being moved, so undoing
    the merge gives it back its own child."""
    seen = {person.pk}
    while person.merged_into_id is not None and person.merged_into_id not in seen:
        person = Person.objects.select_related("village").get(pk=person.merged_into_id)
        seen.add(person.pk)
    return person


def consent_ended(referral: Referral):
    """The day the consent a sent referral rested on ended (it expired): the receiving side
    no longer sees it, though nobody withdrew it. None while it stands, or when no consent
    was needed (an approved legal exception)."""
    consent = referral.consent
    if (
        consent is None
        or referral.exception_approved_at is not None
        or referral.status not in SHARING_STATUSES
        or referral.sharing_ended_at is not None
        or consent.valid_until is None
        or consent.valid_until >= clock.today()
    ):
        return None
    return consent.valid_until


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
