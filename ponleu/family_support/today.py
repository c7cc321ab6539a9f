"""What family support asks of the worker today: the households whose follow-up visit is due
today or overdue, in the plans the worker may record a visit on.

The count and the short list are ``selectors.plan_queryset(due=True)``, the rows of the plan
list behind the link (``?due=1``). The short list names the household's village, never a person.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ponleu.common import clock
from ponleu.common.today import Entry, Found, Item

from . import selectors

CAPABILITY = "family_support.edit"


def _full_list(actor) -> str:
    return f"{reverse('family_support:plan_list')}?due=1"


def _visits_due(actor, limit) -> Found:
    plans = selectors.plan_queryset(actor=actor, due=True, capability=CAPABILITY)
    count = plans.count()
    if not count:
        return Found(0)
    shown = list(plans[:limit])
    today = clock.today()
    language = translation.get_language()
    entries = []
    for plan in shown:
        village = plan.household.village
        place = village.name(language) if village else ""
        entries.append(
            Entry(
                gettext("Household") + (f" · {place}" if place else ""),
                reverse("family_support:plan_detail", kwargs={"plan_id": plan.pk}),
                gettext("Follow-up visit"),
                day=plan.next_visit_on,
                late=plan.next_visit_on < today,
            )
        )
    return Found(count, entries, served=tuple(shown))


def _record(actor, plans) -> None:
    selectors.plans_served(actor=actor, plans=plans, query="today")


ITEMS = [
    Item(
        "family_support.visits_due",
        _("Family support visits due today or overdue"),
        CAPABILITY,
        16,
        _full_list,
        _visits_due,
        record=_record,
    ),
]
