"""What cases ask of the person today: their own cases first, then (supervisors) the team's.

Every item counts and lists ``selectors.case_list`` with the filters its link carries, so
the number on the home page is the number of cases on the page behind it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ponleu.common import clock
from ponleu.common.today import Entry, Found, Item

from . import policies, selectors


def _cases_item(key, title, capability, urgency, filters, *, order, day=None) -> Item:
    query = urlencode({name: "1" if value is True else value for name, value in filters.items()})

    def full_list(actor) -> str:
        return f"{reverse('cases:case_list')}?{query}"

    def find(actor, limit) -> Found:
        cases = selectors.case_list(actor=actor, filters=filters)
        count = cases.count()
        if not count:
            return Found(0)
        shown = policies.label_children(actor, cases.order_by(*order)[:limit])
        today = clock.today()
        entries = []
        for case in shown:
            due = day(case) if day else None
            entries.append(
                Entry(
                    case.child_label,
                    reverse("cases:case_detail", kwargs={"case_id": case.pk}),
                    f"{case.case_type} · {case.short_id}",
                    day=due,
                    late=bool(due and due < today),
                )
            )
        return Found(count, entries, served=tuple(shown))

    return Item(key, title, capability, urgency, full_list, find, record=_record)


def _record(actor, cases) -> None:
    """One read for every case the page's items showed (and one for their children)."""
    unique = list({case.pk: case for case in cases}.values())
    selectors.cases_served(actor=actor, cases=unique, query="today")


def _visit_day(case):
    return case.next_visit_on


def _deadline_day(case):
    return case.urgent_deadline.date() if case.urgent_deadline else None


def _next_step_day(case):
    return selectors.next_step_due(case)


ITEMS = [
    # Own cases (caseworkers, and supervisors who hold cases themselves).
    _cases_item(
        "cases.urgent",
        _("Children in immediate danger: safety plan due"),
        "cases.edit",
        10,
        {"mine": True, "urgent": True},
        order=("urgent_deadline",),
        day=_deadline_day,
    ),
    _cases_item(
        "cases.visits",
        _("Home visits due today or overdue"),
        "cases.edit",
        20,
        {"mine": True, "visit_due": "today"},
        order=("next_visit_on", "pk"),
        day=_visit_day,
    ),
    _cases_item(
        "cases.overdue",
        _("My cases with overdue actions"),
        "cases.edit",
        30,
        {"mine": True, "overdue": True},
        order=("-status_changed_at", "pk"),
    ),
    _cases_item(
        "cases.stalled",
        _("My cases waiting too long for their next step"),
        "cases.edit",
        35,
        {"mine": True, "stalled": True},
        order=("status_changed_at", "pk"),
        day=_next_step_day,
    ),
    # The team's (supervisors).
    _cases_item(
        "cases.approvals",
        _("Case plans and closures waiting for your approval"),
        "cases.approve",
        15,
        {"approval": True},
        order=("status_changed_at", "pk"),
    ),
    _cases_item(
        "cases.team_overdue",
        _("Team cases with overdue actions"),
        "cases.approve",
        40,
        {"overdue": True},
        order=("-status_changed_at", "pk"),
    ),
    _cases_item(
        "cases.team_stalled",
        _("Team cases waiting too long for their next step"),
        "cases.approve",
        45,
        {"stalled": True},
        order=("status_changed_at", "pk"),
        day=_next_step_day,
    ),
    _cases_item(
        "cases.team_visits",
        _("Team home visits overdue"),
        "cases.approve",
        50,
        {"visit_due": "late"},
        order=("next_visit_on", "pk"),
        day=_visit_day,
    ),
]
