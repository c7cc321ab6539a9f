"""What early childhood work asks of a worker today: children in their nurseries whose
development check is due within two weeks or late. The count and the short list come from
``selectors.checks_due``, the rows behind the item's link."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.common.today import Entry, Found, Item

from . import selectors


def _full_list(actor) -> str:
    return reverse("early_childhood:checks_due")


def _checks_due(actor, limit) -> Found:
    rows = selectors.checks_due(actor=actor)
    if not rows:
        return Found(0)
    shown = rows[:limit]
    entries = [
        Entry(
            row.label,
            f"{reverse('early_childhood:check_new', kwargs={'person_id': row.person.pk})}?nursery={row.nursery.pk}",
            _("%(nursery)s · %(start)s–%(end)s months")
            % {
                "nursery": row.nursery.group.name,
                "start": row.due.band.from_months,
                "end": row.due.band.to_months,
            },
            day=row.due.due_on,
            late=row.late,
        )
        for row in shown
    ]
    return Found(len(rows), entries, served=tuple(row.person for row in shown))


def _record(actor, people) -> None:
    selectors.people_read(actor=actor, people=people, query="today")


ITEMS = [
    Item(
        "early_childhood.checks_due",
        gettext_lazy("Development checks due in your nurseries"),
        "programmes.record",
        40,
        _full_list,
        _checks_due,
        record=_record,
    ),
]
