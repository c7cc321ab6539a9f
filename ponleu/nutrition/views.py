"""Screens of growth monitoring, Khmer first and phone first: the nutrition worker's lists, a
village's growth monitoring day (one child after the other, the z-scores shown while the numbers
are typed, a severe case referred on the spot) and a child's growth chart. Every id is looked up
through ``visible_to``/``actionable_by``: forbidden, missing and malformed look the same (404)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ponleu.access.policies import can_see_identity, identity_label
from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.common import clock
from ponleu.common.errors import Conflict, DomainError
from ponleu.geography.models import AdminUnit
from ponleu.registry.models import Person

from . import selectors
from .charts import TITLES, growth_chart
from .choices import Finding, Indicator
from .models import NUTRITION_RECORD, NUTRITION_VIEW, SamAlert
from .services import measurements, referral

FIELDS = ("measured_on", "weight_kg", "length_cm", "measured_lying", "muac_mm", "oedema", "village", "note")


def _not_found():
    return Http404(NOT_FOUND_MESSAGE)


def _child(actor, person_id, capability: str = NUTRITION_VIEW) -> Person:
    try:
        return selectors.child_get(actor=actor, person_id=person_id, capability=capability)
    except Person.DoesNotExist as error:
        raise _not_found() from error


def _village(code) -> AdminUnit:
    unit = AdminUnit.objects.filter(pk=str(code or ""), level="village").first()
    if unit is None:
        raise _not_found()
    return unit


def _errors(error: DomainError) -> list[str]:
    shown = [str(m) for problems in (error.errors or {}).values() for m in problems]
    return shown or [str(error.message)]


def _typed(request) -> dict:
    return {name: request.POST.get(name, "") for name in FIELDS}


def _scores(obj) -> list:
    """(indicator, label, z-score, flagged implausible) for an assessment or a measurement."""
    flagged = set(obj.implausible or ())
    return [(key, label, getattr(obj, key), key in flagged) for key, label in Indicator.choices]


def _findings(names) -> list:
    labels = dict(Finding.choices)
    order = list(Finding.values)
    return [
        (name, labels.get(name, name))
        for name in sorted(names, key=lambda n: order.index(n) if n in order else 99)
    ]


class HomeView(AppView):
    """The nutrition worker's lists: to refer, due for a measurement, in follow-up, referred;
    and the villages where a growth monitoring day can start."""

    capability = NUTRITION_VIEW

    def get(self, request):
        with transaction.atomic():
            lists = selectors.worker_lists(actor=self.actor)
        villages = selectors.villages_of(actor=self.actor)
        return render(
            request,
            "nutrition/home.html",
            {
                "lists": lists,
                "villages": villages,
                "can_record": self.actor.can(NUTRITION_RECORD),
            },
        )


class DayView(AppView):
    """A village's growth monitoring day: its children under five in a row, each with the day's
    measurement once taken; the first not yet measured is next."""

    capability = NUTRITION_RECORD

    def get(self, request, village_code):
        village = _village(village_code)
        today = clock.today()
        with transaction.atomic():
            children = selectors.village_children(actor=self.actor, village_code=village.code, on=today)
            latest = selectors.latest_by_child(actor=self.actor, people=[p for p, _label in children])
        rows = []
        for person, label in children:
            last = latest.get(person.pk)
            rows.append(
                {
                    "person": person,
                    "label": label,
                    "today": last if last is not None and last.measured_on == today else None,
                    "findings": _findings(last.findings)
                    if last is not None and last.measured_on == today
                    else [],
                }
            )
        first = next((row for row in rows if row["today"] is None), None)
        return render(
            request, "nutrition/day.html", {"village": village, "rows": rows, "first": first, "today": today}
        )


class MeasureView(AppView):
    """One child of the day: the numbers, the assessment as they are typed (``PreviewView``),
    save; a severe case's referral proposed here, before the worker moves on."""

    capability = NUTRITION_RECORD

    def _context(self, village, person, *, typed=None, errors=None, preview=None) -> dict:
        today = clock.today()
        with transaction.atomic():
            children = selectors.village_children(actor=self.actor, village_code=village.code, on=today)
            alert = selectors.open_alert_of(actor=self.actor, person=person)
            follow_up = selectors.open_follow_up_of(actor=self.actor, person=person)
            referred = selectors.referred_on(actor=self.actor, person=person, day=today)
            selectors.served(actor=self.actor, people=[person], query="growth monitoring")
        ids = [p.pk for p, _label in children]
        position = ids.index(person.pk) if person.pk in ids else None
        following = ids[position + 1] if position is not None and position + 1 < len(ids) else None
        return {
            "village": village,
            "person": person,
            "label": identity_label(self.actor, person),
            "shows_identity": can_see_identity(self.actor, person),
            "position": (position + 1) if position is not None else None,
            "count": len(ids),
            "next_url": reverse("nutrition:measure", args=[village.code, following]) if following else None,
            "typed": typed or {"measured_on": today.isoformat()},
            "errors": errors or [],
            "preview": preview,
            "alert": alert,
            "proposals": referral.providers_near(actor=self.actor, person=person) if alert else [],
            "can_refer": self.actor.allows_object("referrals.send", person),
            "follow_up": follow_up,
            "referred": referred,
            "today": today,
        }

    def get(self, request, village_code, person_id):
        village = _village(village_code)
        person = _child(self.actor, person_id, NUTRITION_RECORD)
        return render(request, "nutrition/measure.html", self._context(village, person))

    def post(self, request, village_code, person_id):
        village = _village(village_code)
        person = _child(self.actor, person_id, NUTRITION_RECORD)
        data = _typed(request)
        data["village"] = village.code
        try:
            measurement = measurements.measurement_record(actor=self.actor, person_id=person.pk, data=data)
        except DomainError as error:
            context = self._context(village, person, typed=data, errors=_errors(error))
            return render(request, "nutrition/measure.html", context, status=400)
        if measurement.sam:
            messages.warning(request, _("Saved. Severe acute malnutrition: refer the child now."))
            return redirect("nutrition:measure", village_code=village.code, person_id=person.pk)
        messages.success(request, _("Saved."))
        context = self._context(village, person)
        if context["next_url"]:
            return redirect(context["next_url"])
        return redirect("nutrition:day", village_code=village.code)


class PreviewView(AppView):
    """The assessment of the numbers typed so far (an HTMX partial); nothing is saved."""

    capability = NUTRITION_RECORD

    def post(self, request, person_id):
        person = _child(self.actor, person_id, NUTRITION_RECORD)
        try:
            preview = measurements.measurement_preview(
                actor=self.actor, person_id=person.pk, data=_typed(request)
            )
        except DomainError as error:
            return render(request, "nutrition/_assessment.html", {"errors": _errors(error)})
        return render(
            request,
            "nutrition/_assessment.html",
            {
                "preview": preview,
                "findings": _findings(preview.findings),
                "faltering": preview.faltering,
                "scores": _scores(preview.assessment),
                "months": int(preview.age_days / 30.4375),
            },
        )


class ReferView(AppView):
    """Refer a child with severe acute malnutrition to the service chosen among the nearest."""

    capability = NUTRITION_RECORD

    def post(self, request, alert_id):
        try:
            alert = selectors.alert_get(actor=self.actor, alert_id=alert_id, capability=NUTRITION_RECORD)
        except SamAlert.DoesNotExist as error:
            raise _not_found() from error
        back = request.POST.get("village") or ""
        try:
            alert = referral.sam_refer(
                actor=self.actor,
                alert=alert,
                version=request.POST.get("version"),
                provider_id=request.POST.get("provider"),
                reason=request.POST.get("reason", ""),
            )
        except DomainError as error:
            for problem in _errors(error):
                messages.error(request, problem)
            if isinstance(error, Conflict):
                messages.error(request, _("Reload the page and try again."))
        else:
            messages.success(
                request,
                _(
                    "Referral %(reference)s drafted: send it from the referral's page once consent is recorded."
                )
                % {"reference": alert.referral.reference},
            )
        if back and AdminUnit.objects.filter(pk=back, level="village").exists():
            return redirect("nutrition:measure", village_code=back, person_id=alert.person_id)
        return redirect("nutrition:child", person_id=alert.person_id)


class ChildView(AppView):
    """A child's growth: the chart with the WHO curves, the measurements, follow-up and alert."""

    capability = NUTRITION_VIEW

    def get(self, request, person_id):
        person = _child(self.actor, person_id)
        indicator = request.GET.get("indicator", "wfa")
        if indicator not in TITLES:
            indicator = "wfa"
        with transaction.atomic():
            rows = selectors.measurements_of(actor=self.actor, person=person)
            alert = selectors.open_alert_of(actor=self.actor, person=person)
            follow_up = selectors.open_follow_up_of(actor=self.actor, person=person)
            selectors.served(actor=self.actor, rows=rows, people=[person], query="child growth")
        return render(
            request,
            "nutrition/child.html",
            {
                "person": person,
                "label": identity_label(self.actor, person),
                "rows": [(row, _findings(row.findings), _scores(row)) for row in reversed(rows)],
                "chart": growth_chart(indicator, person.sex, rows),
                "indicators": list(TITLES.items()),
                "indicator": indicator,
                "alert": alert,
                "follow_up": follow_up,
                "proposals": referral.providers_near(actor=self.actor, person=person) if alert else [],
                "can_refer": alert is not None
                and self.actor.allows_object("referrals.send", person)
                and self.actor.allows_object(NUTRITION_RECORD, alert),
            },
        )
