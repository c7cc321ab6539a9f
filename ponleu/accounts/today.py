"""What accounts ask of the organisation's administrator today: members whose phone (the second
factor) is not set up yet, so who cannot work until their first login is finished, and device
tokens issued long ago that still work (a phone that changed hands keeps syncing)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ponleu.common.today import Entry, Found, Item

from . import selectors


def _full_list(actor) -> str:
    return f"{reverse('accounts:users')}?setup=1"


def _to_set_up(actor, limit) -> Found:
    members = selectors.members_with_second_factor(actor, to_set_up=True)
    count = members.count()
    if not count:
        return Found(0)
    url = _full_list(actor)
    entries = [Entry(m.user.display_name, url, m.user.username) for m in members[:limit]]
    return Found(count, entries)


def _devices_list(actor) -> str:
    return f"{reverse('accounts:organisation_devices')}?old=1"


def _devices_to_revoke(actor, limit) -> Found:
    tokens = selectors.organisation_tokens(actor, old=True)
    count = tokens.count()
    if not count:
        return Found(0)
    url = _devices_list(actor)
    entries = [
        Entry(
            f"{token.name} · {token.user.display_name}",
            url,
            token.user.username,
            day=timezone.localdate(token.created_at),
        )
        for token in tokens[:limit]
    ]
    return Found(count, entries)


ITEMS = [
    Item(
        "accounts.to_set_up",
        _("Members who have not set up their phone yet"),
        "users.manage",
        60,
        _full_list,
        _to_set_up,
    ),
    Item(
        "accounts.devices",
        _("Device tokens issued more than 90 days ago that still work: revoke or renew"),
        "users.manage",
        65,
        _devices_list,
        _devices_to_revoke,
    ),
]
