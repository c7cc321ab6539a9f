"""Lists: all visible cases, my caseload by stage, the supervisor's team and approvals."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from ponleu.access.views import AppView
from ponleu.cases import policies, selectors
from ponleu.cases.choices import CaseStatus
from ponleu.cases.models import CaseType
from ponleu.common import clock

PAGE_SIZE = 25


class CaseListView(AppView):
    capability = "cases.view"

    def get(self, request):
        filters = {
            "status": request.GET.get("status", ""),
            "case_type": request.GET.get("case_type", ""),
            "mine": request.GET.get("mine") == "1",
            "urgent": request.GET.get("urgent") == "1",
            "overdue": request.GET.get("overdue") == "1",
            "visit_due": _visit_due(request.GET.get("visit_due")),
            "approval": request.GET.get("approval") == "1",
            "stalled": request.GET.get("stalled") == "1",
        }
        page = Paginator(selectors.case_list(actor=self.actor, filters=filters), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        cases = policies.label_children(self.actor, page.object_list)
        selectors.cases_served(actor=self.actor, cases=cases, query=request.GET.urlencode())
        context = {
            "page": page,
            "cases": cases,
            "filters": filters,
            "statuses": [("open", None), *CaseStatus.choices],
            "case_types": CaseType.objects.filter(organisation_id=self.actor.organisation_id, is_active=True),
            "can_open": self.actor.can("cases.open"),
            "perms_approve": self.actor.can("cases.approve"),
            "now": clock.now(),
            "query": _query_without_page(request),
        }
        template = "cases/case_list.html#rows" if request.htmx else "cases/case_list.html"
        return render(request, template, context)


def _visit_due(value) -> str | bool:
    """``1`` this week (the caseload's links), ``today`` due by today, ``late`` overdue."""
    if value in selectors.VISIT_DUE:
        return value
    return value == "1"


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class CaseloadView(AppView):
    """My cases by stage, overdue actions, visits and follow-ups due this week."""

    capability = "cases.view"

    def get(self, request):
        load = selectors.caseload(actor=self.actor)
        served = policies.label_children(self.actor, selectors.caseload_cases(load))
        selectors.cases_served(actor=self.actor, cases=served, query="caseload")
        labels = {case.pk: case.child_label for case in served}
        context = {
            "load": load,
            "labels": labels,
            "today": clock.today(),
            "week_end": selectors.week_end(clock.today()),
            "now": clock.now(),
        }
        return render(request, "cases/caseload_mine.html", context)


class TeamCaseloadView(AppView):
    """For supervisors: each caseworker's cases by stage, overdue actions, approvals waiting."""

    capability = "cases.approve"

    def get(self, request):
        team = selectors.team_caseload(actor=self.actor)
        cases = policies.label_children(self.actor, [a.case for a in team.approvals])
        selectors.cases_served(actor=self.actor, cases=cases, query="team caseload")
        return render(request, "cases/caseload_team.html", {"team": team, "now": clock.now()})
