"""What schools ask of a teacher today: the roll calls not yet taken, each one tap away."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.common import clock
from ponleu.common.today import Entry, Found, Item

from . import selectors


def _full_list(actor) -> str:
    return f"{reverse('education:school_list')}?pending=1"


def _roll_calls(actor, limit) -> Found:
    classes = selectors.roll_calls_due(actor=actor)
    count = classes.count()
    if not count:
        return Found(0)
    today = clock.today().isoformat()
    entries = [
        Entry(
            _("Class %(label)s") % {"label": school_class.label},
            f"{reverse('education:class_roll_call', kwargs={'class_id': school_class.pk})}?date={today}",
            str(school_class.school),
            action=_("Take the roll call"),
        )
        for school_class in classes[:limit]
    ]
    return Found(count, entries)


ITEMS = [
    Item(
        "education.roll_calls",
        gettext_lazy("Today's roll calls to take"),
        "education.take_attendance",
        10,
        _full_list,
        _roll_calls,
    ),
]
