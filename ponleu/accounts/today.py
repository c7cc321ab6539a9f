"""What accounts ask of the organisation's administrator today: members whose phone (the second
factor) is not set up yet, so who cannot work until their first login is finished."""

from __future__ import annotations

from django.urls import reverse
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


ITEMS = [
    Item(
        "accounts.to_set_up",
        _("Members who have not set up their phone yet"),
        "users.manage",
        60,
        _full_list,
        _to_set_up,
    ),
]
