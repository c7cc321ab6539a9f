"""What growth monitoring asks of a worker today: children with severe acute malnutrition not
yet referred (most urgent), and children in follow-up for moderate malnutrition whose next
measurement is due. Counts and short lists come from the same querysets as the lists behind
their links."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.access.policies import identity_label
from ponleu.common import clock
from ponleu.common.today import Entry, Found, Item

from . import selectors
from .choices import NutritionAction
from .models import SamAlert


def _home(actor) -> str:
    return reverse("nutrition:home")


def _to_refer(actor, limit) -> Found:
    alerts = SamAlert.objects.visible_to(actor).open().select_related("person").order_by("raised_on", "id")
    count = alerts.count()
    if not count:
        return Found(0)
    shown = list(alerts[:limit])
    entries = [
        Entry(
            identity_label(actor, alert.person),
            reverse("nutrition:child", args=[alert.person_id]),
            _("Severe acute malnutrition found on %(day)s") % {"day": alert.raised_on.isoformat()},
            day=alert.raised_on,
            late=alert.raised_on < clock.today(),
            action=_("Refer"),
        )
        for alert in shown
    ]
    return Found(count, entries, served=tuple(shown))


def _due(actor, limit) -> Found:
    follow_ups = selectors.due_follow_ups(actor=actor)
    count = follow_ups.count()
    if not count:
        return Found(0)
    shown = list(follow_ups[:limit])
    today = clock.today()
    entries = [
        Entry(
            identity_label(actor, follow_up.person),
            reverse("nutrition:child", args=[follow_up.person_id]),
            _("Moderate acute malnutrition: measure again"),
            day=follow_up.next_due_on,
            late=follow_up.next_due_on < today,
        )
        for follow_up in shown
    ]
    return Found(count, entries, served=tuple(shown))


def _record(actor, rows) -> None:
    unique = list({row.pk: row for row in rows}.values())
    selectors.served(
        actor=actor,
        action=NutritionAction.MEASUREMENTS_VIEWED,
        rows=unique,
        people=[r.person for r in unique],
        query="today",
    )


ITEMS = [
    Item(
        "nutrition.sam_to_refer",
        gettext_lazy("Children with severe acute malnutrition to refer"),
        "nutrition.record",
        5,
        _home,
        _to_refer,
        record=_record,
    ),
    Item(
        "nutrition.follow_ups_due",
        gettext_lazy("Children due for a nutrition follow-up measurement"),
        "nutrition.view",
        30,
        _home,
        _due,
        record=_record,
    ),
]
