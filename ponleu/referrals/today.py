"""What referrals ask of the person today: children referred to their organisation waiting for
acknowledgement, and referrals whose next step is overdue, on either side.

Each item counts and lists ``selectors.referrals_filtered`` with the filters its link carries,
so the number on the home page is the number of referrals on the list behind it. A worker who
refers or receives only their own (a caseworker) gets their own; a supervisor, all in reach.
The short lists name the referral and the service, never the child.
"""

from __future__ import annotations

from dataclasses import replace

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ponleu.access.scopes import Scope
from ponleu.common import clock
from ponleu.common.today import Entry, Found, Item

from . import selectors
from .selectors import ReferralFilters


def _for(actor, filters: ReferralFilters, capability: str) -> ReferralFilters:
    """Their own for those whose reach is their own caseload."""
    return replace(filters, mine=actor.scope_for(capability) == Scope.OWN)


def _referrals_item(key, title, capability, urgency, filters: ReferralFilters) -> Item:
    def full_list(actor) -> str:
        return f"{reverse('referrals:referral_list')}?{_for(actor, filters, capability).query()}"

    def find(actor, limit) -> Found:
        referrals = selectors.referrals_filtered(actor=actor, filters=_for(actor, filters, capability))
        count = referrals.count()
        if not count:
            return Found(0)
        shown = list(referrals[:limit])
        today = clock.today()
        entries = [
            Entry(
                f"{referral.reference} · {referral.get_service_display()}",
                reverse("referrals:referral_detail", kwargs={"referral_id": referral.pk}),
                f"{referral.get_status_display()} · {referral.provider.name_km}",
                day=referral.due_on,
                late=bool(referral.due_on and referral.due_on < today),
            )
            for referral in shown
        ]
        return Found(count, entries, served=tuple(shown))

    return Item(key, title, capability, urgency, full_list, find, record=_record)


def _directory_list(actor) -> str:
    return f"{reverse('referrals:directory')}?check=1"


def _directory_to_check(actor, limit) -> Found:
    providers = selectors.providers_to_check(actor=actor)
    count = providers.count()
    if not count:
        return Found(0)
    entries = [
        Entry(
            provider.name_km,
            reverse("referrals:provider_edit", kwargs={"provider_id": provider.pk}),
            gettext("Reported wrong: %(note)s") % {"note": provider.flag_note}
            if provider.flagged_on
            else gettext("Not checked for a year"),
            day=provider.flagged_on or provider.verified_on,
        )
        for provider in providers[:limit]
    ]
    return Found(count, entries)


def _record(actor, referrals) -> None:
    """One read for every referral the page's items showed."""
    unique = list({referral.pk: referral for referral in referrals}.values())
    selectors.referrals_served(actor=actor, referrals=unique)


ITEMS = [
    _referrals_item(
        "referrals.to_acknowledge",
        _("Children referred to us, waiting for acknowledgement"),
        "referrals.accept",
        12,
        ReferralFilters(received=True, awaiting=True),
    ),
    _referrals_item(
        "referrals.received_overdue",
        _("Referrals to us with an overdue step"),
        "referrals.accept",
        24,
        ReferralFilters(received=True, overdue=True),
    ),
    _referrals_item(
        "referrals.sent_overdue",
        _("Referrals we sent with an overdue step"),
        "referrals.send",
        26,
        ReferralFilters(received=False, overdue=True),
    ),
    # Declined by the receiver: the child still needs the service, from someone else.
    _referrals_item(
        "referrals.declined",
        _("Referrals we sent that were declined: find another service, then close them"),
        "referrals.send",
        22,
        ReferralFilters(received=False, declined=True),
    ),
    Item(
        "referrals.directory_to_check",
        _("Directory entries to check: reported wrong, or not checked for a year"),
        "directory.manage",
        70,
        _directory_list,
        _directory_to_check,
    ),
]
