"""Placing a young person in an offer, and following them up 3 and 6 months after they start.

A placement takes one of the offer's places: the offer row is locked while the places taken are
counted, so two workers cannot fill its last place twice."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ponleu.access.policies import can_see_identity
from ponleu.audit import services as audit
from ponleu.cases.services.base import add_months
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.employment.choices import FOLLOW_UP_MONTHS, EmploymentAction, PlacementStatus, Satisfaction
from ponleu.employment.models import FollowUp, Offer, Placement, YouthProfile
from ponleu.programmes.services.base import acting, choice, date, past, text

from .base import RECORD, money

# A follow-up may be made up to two weeks before its day (the worker is in the village then).
EARLY = dt.timedelta(days=14)


def follow_up_day(placement: Placement, months: int) -> dt.date:
    return placement.follow_up_3_on if months == 3 else placement.follow_up_6_on


@transaction.atomic
def placement_create(
    *, actor, profile: YouthProfile, offer_id, starts_on, wage=None, currency=None
) -> Placement:
    """The young person starts in the offer, at the offer's wage unless another is agreed."""
    profile = acting(actor, YouthProfile.objects, profile, RECORD)
    if not can_see_identity(actor, profile.person):
        # Placing someone is arranging work with an employer in their name: only a worker who
        # may know who they are does it.
        raise PermissionDenied(_("Only a worker who may see who this young person is can place them."))
    try:
        pk = offer_id if isinstance(offer_id, uuid.UUID) else uuid.UUID(str(offer_id))
    except (TypeError, ValueError, AttributeError):
        pk = None
    offer = (
        Offer.objects.select_for_update().filter(pk=pk, organisation_id=actor.organisation_id).first()
        if pk
        else None
    )
    if offer is None:
        raise ValidationFailed(_("Choose an offer from the list."), field="offer")
    starts = date(starts_on, field="starts_on")
    if not offer.is_open or starts < offer.starts_on or (offer.ends_on and starts > offer.ends_on):
        raise ValidationFailed(_("This offer is not open on this day."), field="starts_on")
    if starts > clock.today() + dt.timedelta(days=90):
        raise ValidationFailed(_("Give a start within the next three months."), field="starts_on")
    amount, currency = money(
        offer.wage if wage in (None, "") else wage, currency or offer.currency, field="wage"
    )
    if Placement.objects.filter(offer=offer, person_id=profile.person_id).working().exists():
        raise ValidationFailed(_("This young person is already placed in this offer."), field="offer")
    if Placement.objects.filter(offer=offer).working().count() >= offer.places:
        raise ValidationFailed(_("Every place of this offer is taken."), field="offer")
    placement = Placement(
        organisation_id=actor.organisation_id,
        team_id=profile.team_id,
        owner_id=actor.user_id,
        profile=profile,
        person_id=profile.person_id,
        offer=offer,
        starts_on=starts,
        wage=amount,
        currency=currency,
        follow_up_3_on=add_months(starts, 3),
        follow_up_6_on=add_months(starts, 6),
    )
    try:
        with transaction.atomic():
            placement.save(force_insert=True)
    except IntegrityError:
        raise ValidationFailed(
            _("This young person is already placed in this offer."), field="offer"
        ) from None
    audit.record(
        actor=actor,
        action=EmploymentAction.PLACED,
        target=placement,
        changes={
            "person": [None, str(profile.person_id)],
            "offer": [None, str(offer.pk)],
            "starts_on": [None, starts.isoformat()],
            "wage": [None, f"{amount} {currency}"],
        },
    )
    return placement


@transaction.atomic
def placement_end(*, actor, placement: Placement, ended_on, version) -> Placement:
    placement = acting(actor, Placement.objects, placement, RECORD)
    claim_version(placement, version)
    ended = past(ended_on, field="ended_on")
    if placement.status != PlacementStatus.WORKING:
        raise ValidationFailed(_("This placement has already ended."), field="ended_on")
    if ended < placement.starts_on:
        raise ValidationFailed(_("A placement cannot end before it starts."), field="ended_on")
    _end(placement, ended)
    audit.record(
        actor=actor,
        action=EmploymentAction.PLACEMENT_ENDED,
        target=placement,
        changes={
            "status": [PlacementStatus.WORKING, PlacementStatus.ENDED],
            "ended_on": [None, ended.isoformat()],
        },
    )
    return placement


def _end(placement: Placement, day) -> None:
    placement.status, placement.ends_on = PlacementStatus.ENDED, day
    placement.save(update_fields=["status", "ends_on", "version", "updated_at"])


@transaction.atomic
def follow_up_record(
    *,
    actor,
    placement: Placement,
    months,
    followed_on,
    still_working,
    satisfaction,
    wage=None,
    currency=None,
    note="",
) -> FollowUp:
    """The 3- or 6-month follow-up: still working (and the wage now) or not, and how satisfied.
    Someone no longer working ends the placement on the day of the follow-up."""
    placement = acting(actor, Placement.objects, placement, RECORD)
    try:
        months = int(months)
    except (TypeError, ValueError):
        months = None
    if months not in FOLLOW_UP_MONTHS:
        raise ValidationFailed(_("Choose the 3- or 6-month follow-up."), field="months")
    day = past(followed_on, field="followed_on")
    due = follow_up_day(placement, months)
    if day < due - EARLY:
        raise ValidationFailed(
            _("This follow-up is due on %(day)s: record it from two weeks before.")
            % {"day": due.isoformat()},
            field="followed_on",
        )
    if placement.status != PlacementStatus.WORKING and placement.ends_on and placement.ends_on < due - EARLY:
        raise ValidationFailed(_("This placement had ended before this follow-up."), field="months")
    working = still_working in (True, "true", "on", "1", 1, "yes")
    amount, money_currency = None, ""
    if working:
        if wage in (None, ""):
            raise ValidationFailed(_("Give the wage now."), field="wage")
        amount, money_currency = money(wage, currency or placement.currency)
    if FollowUp.objects.filter(placement=placement, months=months).exists():
        raise ValidationFailed(_("This follow-up is already recorded."), field="months")
    follow_up = FollowUp(
        placement=placement,
        months=months,
        followed_on=day,
        still_working=working,
        wage=amount,
        currency=money_currency,
        satisfaction=choice(satisfaction, Satisfaction, field="satisfaction"),
        note=text(note, 500),
        recorded_by_id=actor.user_id,
    )
    try:
        with transaction.atomic():
            follow_up.save(force_insert=True)
    except IntegrityError:
        raise ValidationFailed(_("This follow-up is already recorded."), field="months") from None
    if not working and placement.status == PlacementStatus.WORKING:
        _end(placement, day)
    audit.record(
        actor=actor,
        action=EmploymentAction.FOLLOWED_UP,
        target=placement,
        changes={
            "months": [None, months],
            "still_working": [None, working],
            "wage": [None, f"{amount} {money_currency}" if amount is not None else None],
        },
    )
    return follow_up
