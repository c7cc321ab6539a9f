"""What the audit trail asks of the data-protection officer today: the emergency accesses of
the last week, each one a person's reason to read (the officer was told of each in the inbox),
and the members whose reading of people's records was unusual this week
(``selectors.unusual_readers``, whose rule is written beside it)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ponleu.common import clock
from ponleu.common.today import Entry, Found, Item

from . import selectors
from .choices import AuditAction

REVIEW_DAYS = 7


def _since() -> dt.date:
    return clock.today() - dt.timedelta(days=REVIEW_DAYS - 1)


def _full_list(actor) -> str:
    query = urlencode({"action": AuditAction.BREAK_GLASS_OPENED.value, "since": _since().isoformat()})
    return f"{reverse('audit:event_list')}?{query}"


def _break_glass(actor, limit) -> Found:
    events = selectors.break_glass_since(actor=actor, since=_since())
    count = events.count()
    if not count:
        return Found(0)
    entries = []
    for event in events[:limit]:
        if event.target_type == selectors.PERSON_LABEL and event.target_id:
            url = reverse("audit:person_access", kwargs={"person_id": event.target_id})
        else:
            url = _full_list(actor)
        entries.append(Entry(event.actor_username, url, day=timezone.localdate(event.occurred_at)))
    return Found(count, entries)


ITEMS = [
    Item(
        "audit.break_glass",
        _("Emergency accesses of the last 7 days to review"),
        "audit.view",
        20,
        _full_list,
        _break_glass,
    ),
]


def _unusual_list(actor) -> str:
    return reverse("audit:unusual_access")


def _unusual(actor, limit) -> Found:
    readers = selectors.unusual_readers(actor=actor, today=clock.today())
    if not readers:
        return Found(0)
    url = _unusual_list(actor)
    entries = [
        Entry(
            reader.username,
            url,
            gettext("%(people)s people in a day") % {"people": formats.localize(reader.people)},
            day=reader.day,
        )
        for reader in readers[:limit]
    ]
    return Found(len(readers), entries)


ITEMS.append(
    Item(
        "audit.unusual_access",
        _("Members whose reading of records was unusual this week"),
        "audit.view",
        22,
        _unusual_list,
        _unusual,
    )
)
