"""Screens of early childhood work, phone first: the nurseries in a worker's reach, a nursery's
day (the roll call, one tap a child, saved as the group's session through the programme
services), a child's development with the next check due, a check taken item by item, the
checks due, and the factories that owe childcare. Every id is looked up through
``visible_to``/``actionable_by``: forbidden, missing and malformed look the same (404)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.access.scopes import Scope
from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.common import clock
from ponleu.common.errors import Conflict, DomainError
from ponleu.common.numerals import to_ascii_digits
from ponleu.registry.models import Person

from . import selectors
from .choices import Domain
from .models import Check, Factory, Nursery, months_old
from .services import checks as check_services
from .services import nurseries as nursery_services

VIEW = "programmes.view"
RECORD = "programmes.record"


def _found(getter, **kwargs):
    try:
        return getter(**kwargs)
    except (Nursery.DoesNotExist, Person.DoesNotExist, Check.DoesNotExist, Factory.DoesNotExist) as error:
        raise Http404(NOT_FOUND_MESSAGE) from error


def _day(value, default):
    try:
        return dt.date.fromisoformat(to_ascii_digits(str(value)))
    except (TypeError, ValueError):
        return default


def _errors(error: DomainError) -> list[str]:
    shown = [str(m) for problems in (error.errors or {}).values() for m in problems]
    return shown or [str(error.message)]


class NurseryListView(AppView):
    capability = VIEW

    def get(self, request):
        context = {"nurseries": selectors.nursery_list(actor=self.actor), "today": clock.today()}
        return render(request, "early_childhood/nursery_list.html", context)


class NurseryDetailView(AppView):
    """A nursery: its children (each linked to their development), its last days and the
    checks due in it."""

    capability = VIEW

    @transaction.atomic
    def get(self, request, nursery_id):
        nursery = _found(selectors.nursery_get, actor=self.actor, nursery_id=nursery_id)
        today = clock.today()
        children = selectors.nursery_children(actor=self.actor, nursery=nursery, day=today)
        due = selectors.checks_due(actor=self.actor, nursery=nursery)
        selectors.record_read(actor=self.actor, obj=nursery)
        selectors.people_read(actor=self.actor, people=[m.person for m, _label in children])
        context = {
            "nursery": nursery,
            "group": nursery.group,
            "children": children,
            "linked": selectors.people_seen(actor=self.actor, people=[m.person for m, _label in children]),
            "days": nursery.group.sessions.order_by("-held_on")[:10],
            "due": due,
            "today": today,
            "can_record": self.actor.allows_object(RECORD, nursery.group),
            "language": translation.get_language(),
        }
        return render(request, "early_childhood/nursery_detail.html", context)


class NurseryDayView(AppView):
    """The day's roll call: every child absent until tapped. The first save of the day records
    the nursery's session; later saves correct it (naming the version read)."""

    capability = RECORD
    template = "early_childhood/nursery_day.html"

    def _context(self, nursery, day, *, submitted=None, errors=()):
        session = nursery_services.day_session(nursery, day)
        present = set()
        if session is not None:
            present = set(session.attendance.values_list("member_id", flat=True))
        rows = [
            {
                "member": member,
                "label": label,
                "present": submitted.get(str(member.pk)) == "P"
                if submitted is not None
                else member.pk in present,
            }
            for member, label in selectors.nursery_children(actor=self.actor, nursery=nursery, day=day)
        ]
        selectors.people_read(actor=self.actor, people=[row["member"].person for row in rows])
        return {
            "nursery": nursery,
            "day": day,
            "session": session,
            "rows": rows,
            "present": sum(1 for r in rows if r["present"]),
            "absent": sum(1 for r in rows if not r["present"]),
            "errors": list(errors),
            "statuses": [("A", _("Absent")), ("P", _("Present"))],
        }

    def get(self, request, nursery_id):
        nursery = _found(selectors.nursery_get, actor=self.actor, nursery_id=nursery_id, capability=RECORD)
        day = _day(request.GET.get("date"), clock.today())
        with transaction.atomic():
            selectors.record_read(actor=self.actor, obj=nursery)
            context = self._context(nursery, day)
        return render(request, self.template, context)

    def post(self, request, nursery_id):
        nursery = _found(selectors.nursery_get, actor=self.actor, nursery_id=nursery_id, capability=RECORD)
        day = _day(request.POST.get("held_on"), None)
        statuses = {k[2:]: v for k, v in request.POST.items() if k.startswith("m-")}
        try:
            session = nursery_services.nursery_day_record(
                actor=self.actor,
                nursery=nursery,
                day=day,
                present_ids=[pk for pk, status in statuses.items() if status == "P"],
                version=request.POST.get("version") or None,
            )
        except DomainError as error:
            with transaction.atomic():
                context = self._context(
                    nursery, day or clock.today(), submitted=statuses, errors=_errors(error)
                )
            return render(request, self.template, context, status=409 if isinstance(error, Conflict) else 400)
        messages.success(
            request,
            _("Attendance saved: %(present)d children present.") % {"present": session.attendance.count()},
        )
        return redirect("early_childhood:nursery_detail", nursery_id=nursery.pk)


class ChildDevelopmentView(AppView):
    """A child's development: the latest check by domain, earlier checks, the next check due."""

    capability = VIEW

    @transaction.atomic
    def get(self, request, person_id):
        seen = _found(selectors.development, actor=self.actor, person_id=person_id)
        context = {
            "seen": seen,
            "today": clock.today(),
            "can_record": selectors.may_record_for(actor=self.actor, person=seen.person),
            "language": translation.get_language(),
        }
        return render(request, "early_childhood/child_development.html", context)


class CheckNewView(AppView):
    """A check of the child's age band: each item achieved or not yet."""

    capability = RECORD
    template = "early_childhood/check_new.html"

    def _nursery(self, value):
        if not value:
            return None
        return _found(selectors.nursery_get, actor=self.actor, nursery_id=value, capability=RECORD)

    def _context(self, person, nursery, day, *, answers=None, errors=()):
        instrument = selectors.instrument_in_use(organisation_id=self.actor.organisation_id)
        band = None
        if instrument is not None and person.date_of_birth and person.date_of_birth <= day:
            band = selectors.band_for(instrument, months_old(person.date_of_birth, day))
        language = translation.get_language()
        items = selectors.band_items(band=band) if band is not None else []
        domains = [
            {
                "label": label,
                "items": [
                    {"item": item, "text": item.text(language), "answer": (answers or {}).get(str(item.pk))}
                    for item in items
                    if item.domain == value
                ],
            }
            for value, label in Domain.choices
        ]
        return {
            "person": person,
            "label": selectors.identity_of(actor=self.actor, person=person),
            "nursery": nursery,
            "day": day,
            "band": band,
            "domains": [d for d in domains if d["items"]],
            "errors": list(errors),
        }

    def get(self, request, person_id):
        person = _found(selectors.child_get, actor=self.actor, person_id=person_id, capability=RECORD)
        nursery = self._nursery(request.GET.get("nursery"))
        with transaction.atomic():
            selectors.people_read(actor=self.actor, people=[person])
            context = self._context(person, nursery, clock.today())
        return render(request, self.template, context)

    def post(self, request, person_id):
        person = _found(selectors.child_get, actor=self.actor, person_id=person_id, capability=RECORD)
        nursery = self._nursery(request.POST.get("nursery"))
        day = _day(request.POST.get("checked_on"), None)
        answers = {k[2:]: v for k, v in request.POST.items() if k.startswith("i-")}
        try:
            check_services.check_record(
                actor=self.actor,
                person_id=person.pk,
                checked_on=day,
                results={pk: value == "1" if value in ("0", "1") else value for pk, value in answers.items()},
                nursery=nursery,
            )
        except DomainError as error:
            with transaction.atomic():
                selectors.people_read(actor=self.actor, people=[person])
                context = self._context(
                    person, nursery, day or clock.today(), answers=answers, errors=_errors(error)
                )
            return render(request, self.template, context, status=400)
        messages.success(request, _("Development check saved."))
        return redirect("early_childhood:child_development", person_id=person.pk)


class ChecksDueView(AppView):
    """The children in the worker's nurseries whose development check is due or late."""

    capability = VIEW

    @transaction.atomic
    def get(self, request):
        rows = selectors.checks_due(actor=self.actor)
        selectors.people_read(actor=self.actor, people=[row.person for row in rows], query="due")
        return render(request, "early_childhood/checks_due.html", {"rows": rows, "today": clock.today()})


class FactoryListView(AppView):
    """Factories and the childcare they provide; ``?short=1``: those the law asks childcare of
    that provide none, for advocacy."""

    capability = VIEW

    def get(self, request):
        short = request.GET.get("short") == "1"
        context = {
            "factories": selectors.factory_list(actor=self.actor, falls_short=short),
            "short": short,
            "threshold": selectors.WOMEN_WORKERS_REQUIRING_CHILDCARE,
        }
        return render(request, "early_childhood/factory_list.html", context)


class InstrumentView(AppView):
    """The development instrument in use: its age bands and items, in the reader's language."""

    capability = VIEW
    scope = Scope.OWN

    def get(self, request):
        instrument = selectors.instrument_in_use(organisation_id=self.actor.organisation_id)
        bands = selectors.instrument_bands(instrument=instrument) if instrument is not None else []
        language = translation.get_language()
        context = {
            "instrument": instrument,
            "bands": [
                {
                    "band": band,
                    "items": [
                        (item.get_domain_display(), item.text(language))
                        for item in band.items.all()
                        if item.is_active
                    ],
                }
                for band in bands
            ],
        }
        return render(request, "early_childhood/instrument.html", context)
