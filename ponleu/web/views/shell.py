from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt

from ponleu.access import policy
from ponleu.access.views import AppView
from ponleu.common import clock
from ponleu.organisations.choices import Role
from ponleu.organisations.models import Organisation
from ponleu.web import today


class HomeView(AppView):
    """Today: what each app asks of this person now, most urgent first (``web/today.py``)."""

    capability = "web.use"

    def get(self, request):
        actor = self.actor
        with transaction.atomic():  # the short lists' access events commit with the reads
            items = today.today_for(actor=actor)
        organisation = Organisation.objects.filter(pk=actor.organisation_id).first()
        context = {
            "organisation": organisation,
            "role_label": Role(actor.role).label if actor.role else "",
            "items": items,
            "first_steps": [] if items else today.first_steps(actor),
            "today": clock.today(),
        }
        return render(request, "web/home.html", context)


class PolicyView(AppView):
    """The policy table as a readable grid: what each role may do, and how far."""

    capability = "users.manage"

    def get(self, request):
        context = {"roles": [Role(r).label for r in policy.ROLE_COLUMNS], "rows": policy.grid()}
        return render(request, "web/policy.html", context)


class HealthView(AppView):
    public = True

    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})


@method_decorator(csrf_exempt, name="dispatch")
class CspReportView(AppView):
    """Browsers post policy violations here; they are logged, never stored with user data."""

    public = True

    def post(self, request):
        import logging

        logging.getLogger("ponleu.csp").warning(
            "CSP violation: %s", request.body[:2000].decode("utf-8", "replace")
        )
        return HttpResponse(status=204)
