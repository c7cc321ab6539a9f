"""What youth employment asks of a worker today: placements whose 3- or 6-month follow-up is
due. The count and the short list come from ``selectors.follow_ups_due``, the query behind
the full list the item links to, so the number is the number of rows behind it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.access.policies import identity_label
from ponleu.common import clock
from ponleu.common.today import Entry, Found, Item

from . import selectors


def _full_list(actor) -> str:
    return reverse("employment:follow_ups_due")


def _follow_ups(actor, limit) -> Found:
    placements = selectors.follow_ups_due(actor=actor)
    count = placements.count()
    if not count:
        return Found(0)
    shown = list(placements[:limit])
    today = clock.today()
    entries = []
    for placement in shown:
        months = selectors.due_months(placement, today)
        day = placement.follow_up_3_on if months == 3 else placement.follow_up_6_on
        entries.append(
            Entry(
                identity_label(actor, placement.person),
                reverse("employment:follow_up", args=[placement.pk, months]),
                _("%(months)s-month follow-up") % {"months": months},
                day=day,
                late=day < today,
                action=_("Record the follow-up"),
            )
        )
    return Found(count, entries, served=tuple(shown))


def _record(actor, placements) -> None:
    selectors.people_read(actor=actor, people=[p.person for p in placements], query="today")


ITEMS = [
    Item(
        "employment.follow_ups_due",
        gettext_lazy("Young people in work due for a follow-up"),
        "employment.record",
        30,
        _full_list,
        _follow_ups,
        record=_record,
    ),
]
