"""What programme work asks of a worker today: children back in school whose schooling is due
for its follow-up. The count and the short list come from ``selectors.out_of_school_queryset``
with the filter the item's link carries, so the number is the number of rows behind it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.access.policies import identity_label
from ponleu.common import clock
from ponleu.common.today import Entry, Found, Item

from . import selectors


def _full_list(actor) -> str:
    return f"{reverse('programmes:out_of_school_list')}?overdue=1"


def _follow_ups(actor, limit) -> Found:
    records = selectors.out_of_school_queryset(actor=actor, overdue=True)
    count = records.count()
    if not count:
        return Found(0)
    shown = list(records[:limit])
    today = clock.today()
    entries = [
        Entry(
            identity_label(actor, record.person),
            _full_list(actor),
            _("Back in school since %(day)s") % {"day": record.returned_on.isoformat()},
            day=record.next_follow_up_on,
            late=record.next_follow_up_on < today,
        )
        for record in shown
    ]
    return Found(count, entries, served=tuple(shown))


def _record(actor, records) -> None:
    unique = list({record.pk: record for record in records}.values())
    selectors.out_of_school_served(actor=actor, records=unique, query="today")


ITEMS = [
    Item(
        "programmes.follow_ups_due",
        gettext_lazy("Children back in school due for a follow-up"),
        "programmes.record",
        30,
        _full_list,
        _follow_ups,
        record=_record,
    ),
]
