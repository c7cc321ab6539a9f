"""Internship and job offers by employers of the directory. An offer names no one; a worker who
manages youth employment records it for the whole organisation."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.employment.choices import EmploymentAction, OfferKind
from ponleu.employment.models import Offer
from ponleu.geography.models import AdminUnit
from ponleu.programmes.services.base import choice, date, required_text
from ponleu.referrals.models import Provider

from .base import MANAGE, money, skills

MAX_PLACES = 500


def _uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def employer(value, *, field: str = "employer") -> Provider:
    """An active employer of the directory."""
    pk = _uuid(value)
    found = Provider.objects.filter(pk=pk, is_employer=True, is_active=True).first() if pk else None
    if found is None:
        raise ValidationFailed(_("Choose an employer from the directory."), field=field)
    return found


def place(code, *, field: str = "place") -> AdminUnit:
    unit = AdminUnit.objects.filter(pk=str(code or ""), is_active=True).first() if code else None
    if unit is None:
        raise ValidationFailed(_("Choose a place from the list."), field=field)
    return unit


def _places(value) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Enter a whole number."), field="places") from None
    if not 1 <= count <= MAX_PLACES:
        raise ValidationFailed(_("Enter a number between 1 and 500."), field="places")
    return count


@transaction.atomic
def offer_create(
    *,
    actor,
    employer_id,
    kind,
    title,
    skill_codes=(),
    place_code,
    wage,
    currency,
    starts_on,
    ends_on=None,
    places=1,
) -> Offer:
    if not actor.can(MANAGE) or actor.organisation_id is None:
        raise PermissionDenied()
    amount, currency = money(wage, currency)
    starts = date(starts_on, field="starts_on")
    ends = date(ends_on, field="ends_on", required=False)
    if ends is not None and ends < starts:
        raise ValidationFailed(_("The end comes before the start."), field="ends_on")
    offer = Offer(
        organisation_id=actor.organisation_id,
        employer=employer(employer_id),
        kind=choice(kind, OfferKind, field="kind"),
        title=required_text(title, field="title"),
        skills=skills(skill_codes),
        place=place(place_code),
        wage=amount,
        currency=currency,
        starts_on=starts,
        ends_on=ends,
        places=_places(places),
    )
    offer.save(force_insert=True)
    audit.record(
        actor=actor,
        action=EmploymentAction.OFFER_CREATED,
        target=offer,
        changes={
            "employer": [None, str(offer.employer_id)],
            "kind": [None, offer.kind],
            "place": [None, offer.place_id],
            "wage": [None, f"{amount} {currency}"],
            "places": [None, offer.places],
        },
    )
    return offer


@transaction.atomic
def offer_close(*, actor, offer: Offer, version) -> Offer:
    if not actor.can(MANAGE) or offer.organisation_id != actor.organisation_id:
        raise PermissionDenied()
    claim_version(offer, version)
    offer.is_open = False
    offer.save(update_fields=["is_open", "version", "updated_at"])
    audit.record(
        actor=actor, action=EmploymentAction.OFFER_CLOSED, target=offer, changes={"is_open": [True, False]}
    )
    return offer
