"""Audit pages: who has seen a child, the organisation's audit trail, and break-the-glass.

Each page is itself a read of audited data, so each writes one AccessEvent before it renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ponleu.access.actors import Actor
from ponleu.access.policies import identity_label
from ponleu.access.scopes import Scope
from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.common import clock
from ponleu.common.errors import DomainError

from . import selectors, services
from .choices import AuditAction
from .forms import BreakGlassForm, EventFilterForm


def _person_or_404(lookup, *, actor: Actor, person_id):
    """Forbidden and missing look the same: both are a 404 with the same body."""
    try:
        return lookup(actor=actor, person_id=person_id)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND_MESSAGE) from exc


class PersonAccessView(AppView):
    """Who has seen this child: every read that returned the record, newest first."""

    capability = "audit.view"

    def get(self, request, person_id):
        person = _person_or_404(selectors.person_for_audit, actor=self.actor, person_id=person_id)
        before = _int_or_none(request.GET.get("before"))
        reads = list(
            selectors.reads_of(target_type=selectors.PERSON_LABEL, target_id=person.pk, before_id=before)
        )
        grants = list(selectors.grants_on(target_type=selectors.PERSON_LABEL, target_id=person.pk)[:20])
        services.record_access(
            actor=self.actor,
            action=AuditAction.PERSON_ACCESS_VIEWED,
            target_type=selectors.PERSON_LABEL,
            target_ids=[person.pk],
        )
        context = {
            "person_label": identity_label(self.actor, person, language=request.LANGUAGE_CODE),
            "person_id": person.pk,
            "reads": reads,
            "grants": grants,
            "now": clock.now(),
            "next_before": reads[-1].id if len(reads) == 100 else None,
        }
        return render(request, "audit/person_access.html", context)


class EventListView(AppView):
    """The organisation's audit trail: changes (and, organisation-wide, reads), newest first."""

    capability = "audit.view"

    def get(self, request):
        form = EventFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        page = selectors.audit_event_page(
            actor=self.actor,
            kind=filters.get("kind") or "changes",
            before_id=filters.get("before"),
            action=filters.get("action") or "",
            username=filters.get("user") or "",
            since=filters.get("since"),
        )
        kind = "reads" if page.rows and page.rows[0]._meta.model_name == "accessevent" else "changes"
        services.record_access(
            actor=self.actor,
            action=AuditAction.EVENT_LIST_VIEWED,
            target_type=page.rows[0]._meta.label_lower if page.rows else "audit.auditevent",
            target_ids=[row.id for row in page.rows],
            query=request.GET.urlencode(),
        )
        query = request.GET.copy()
        if page.next_before:
            query["before"] = page.next_before
        context = {
            "form": form,
            "rows": page.rows,
            "kind": kind,
            "whole_org": self.actor.scope_for("audit.view") >= Scope.ORG,
            "next_query": query.urlencode() if page.next_before else "",
        }
        return render(request, "audit/event_list.html", context)


class UnusualAccessView(AppView):
    """Members whose reading of people's records was unusual lately, with the rule that says so
    (``selectors.unusual_readers``); each links to their reads on the audit trail."""

    capability = "audit.view"

    def get(self, request):
        readers = selectors.unusual_readers(actor=self.actor, today=clock.today())
        services.record_access(
            actor=self.actor,
            action=AuditAction.EVENT_LIST_VIEWED,
            target_type="audit.accessevent",
            target_ids=[],
            query="unusual",
        )
        context = {
            "readers": readers,
            "whole_org": self.actor.scope_for("audit.view") >= Scope.ORG,
            "rule": {
                "recent": selectors.UNUSUAL_RECENT_DAYS,
                "baseline": selectors.UNUSUAL_BASELINE_DAYS,
                "floor": selectors.UNUSUAL_FLOOR,
                "times": selectors.UNUSUAL_TIMES,
            },
        }
        return render(request, "audit/unusual_access.html", context)


class BreakGlassView(AppView):
    """Ask for one hour of access to a record outside one's scope, with a written reason.

    The 404 page of a person's or a case's pages links here for holders of the capability
    (``emergency.break_glass_link``); a record of another organisation, or none, is a 404 here too.
    """

    capability = "access.break_glass"
    label = selectors.PERSON_LABEL
    record_kwarg = "person_id"
    record_route = "registry:person_detail"

    def get(self, request, **kwargs):
        record = self._record(kwargs[self.record_kwarg])
        self._record_form_view(record)
        return self._render(request, record, BreakGlassForm())

    def post(self, request, **kwargs):
        record = self._record(kwargs[self.record_kwarg])
        form = BreakGlassForm(request.POST)
        if form.is_valid():
            try:
                grant = services.break_glass_open(
                    actor=self.actor, target=record, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
            else:
                messages.warning(
                    request,
                    _("Emergency access is open until %(time)s. Every page you open is recorded.")
                    % {"time": formats.time_format(timezone.localtime(grant.expires_at), "TIME_FORMAT")},
                )
                return redirect(self._record_url(record))
        return self._render(request, record, form)

    def _record(self, record_id):
        """Forbidden and missing look the same: both are a 404 with the same body."""
        try:
            return selectors.record_in_organisation(actor=self.actor, label=self.label, record_id=record_id)
        except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
            raise Http404(NOT_FOUND_MESSAGE) from exc

    def _record_form_view(self, record) -> None:
        services.record_access(
            actor=self.actor,
            action=AuditAction.BREAK_GLASS_FORM_VIEWED,
            target_type=self.label,
            target_ids=[record.pk],
        )

    def _render(self, request, record, form):
        # No name here: the record is, by definition, outside the requester's scope.
        return render(request, "audit/break_glass.html", {"form": form, "record_id": record.pk})

    def _record_url(self, record) -> str:
        try:
            return reverse(self.record_route, kwargs={self.record_kwarg: record.pk})
        except NoReverseMatch:
            return reverse("web:home")


class CaseBreakGlassView(BreakGlassView):
    """The same, for a case: the grant opens the case (and not the child's other records)."""

    label = selectors.CASE_LABEL
    record_kwarg = "case_id"
    record_route = "cases:case_detail"


def _int_or_none(value):
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None
