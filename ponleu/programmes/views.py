"""Screens of programme work, phone first: groups and the attendance of a session taken with one
tap a member, projects with their progress, trainings and awareness events with their crowds,
a committee's workplace visits and the step from a child seen at work to a case, out-of-school
children and a worker's calendar. Every id is looked up through ``visible_to``/``actionable_by``:
forbidden, missing and malformed look the same (404)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.access.policies import identity_label
from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.common import clock
from ponleu.common.errors import Conflict, DomainError
from ponleu.registry.selectors.search import person_search

from . import selectors
from .choices import GroupBase, OutOfSchoolStatus, ProgrammeAction
from .forms import (
    ChildSeenForm,
    EventForm,
    MemberForm,
    NewChildForm,
    SessionForm,
    VisitForm,
    count_grid,
    counted_from,
)
from .models import ChildSeen, Event, Group, MonitoringVisit, Project, Session
from .services import events as event_services
from .services import groups as group_services
from .services import monitoring

VIEW = "programmes.view"
RECORD = "programmes.record"
CALENDAR_DAYS = 28


def _not_found():
    return Http404(NOT_FOUND_MESSAGE)


def _found(getter, **kwargs):
    try:
        return getter(**kwargs)
    except (Group.DoesNotExist, Session.DoesNotExist, Project.DoesNotExist, Event.DoesNotExist) as error:
        raise _not_found() from error
    except (MonitoringVisit.DoesNotExist, ChildSeen.DoesNotExist) as error:
        raise _not_found() from error


def _day(value, default=None):
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return default


def _errors(error: DomainError) -> list[str]:
    shown = [str(m) for problems in (error.errors or {}).values() for m in problems]
    return shown or [str(error.message)]


# --- groups ----------------------------------------------------------------------------------


class GroupListView(AppView):
    """The groups in the worker's reach, by kind; the way into projects, events and the rest."""

    capability = VIEW

    def get(self, request):
        kind_id = request.GET.get("kind") or None
        context = {
            "groups": list(selectors.group_list(actor=self.actor, kind_id=kind_id)),
            "kinds": selectors.group_kinds(actor=self.actor),
            "kind_id": kind_id or "",
            "language": translation.get_language(),
        }
        return render(request, "programmes/group_list.html", context)


class GroupDetailView(AppView):
    capability = VIEW

    @transaction.atomic
    def get(self, request, group_id):
        detail = _found(selectors.group_detail, actor=self.actor, group_id=group_id)
        group = detail.group
        context = {
            "detail": detail,
            "group": group,
            "is_committee": group.kind.base == GroupBase.LABOUR_COMMITTEE,
            "visits": selectors.committee_visits(actor=self.actor, group=group)
            if group.kind.base == GroupBase.LABOUR_COMMITTEE
            else [],
            "can_record": self.actor.allows_object(RECORD, group),
        }
        return render(request, "programmes/group_detail.html", context)


class MemberAddView(AppView):
    """Find a child or adult in the registry and add them to the group."""

    capability = RECORD
    template = "programmes/member_add.html"

    def _context(self, group, query, form):
        hits = person_search(actor=self.actor, query=query) if query else []
        return {
            "group": group,
            "query": query,
            "hits": [(hit.person, identity_label(self.actor, hit.person)) for hit in hits],
            "form": form,
            "today": clock.today(),
        }

    @transaction.atomic
    def get(self, request, group_id):
        group = _found(selectors.group_get, actor=self.actor, group_id=group_id, capability=RECORD)
        selectors.record_read(actor=self.actor, obj=group)
        query = (request.GET.get("q") or "").strip()[:100]
        form = MemberForm(initial={"joined_on": clock.today()})
        return render(request, self.template, self._context(group, query, form))

    def post(self, request, group_id):
        group = _found(selectors.group_get, actor=self.actor, group_id=group_id, capability=RECORD)
        form = MemberForm(request.POST)
        if form.is_valid():
            try:
                group_services.member_add(
                    actor=self.actor,
                    group=group,
                    person_id=form.cleaned_data["person"],
                    joined_on=form.cleaned_data["joined_on"],
                    role=form.cleaned_data["role"],
                )
            except DomainError as error:
                form.apply_error(error)
            else:
                messages.success(request, _("Added to the group."))
                return redirect("programmes:group_detail", group_id=group.pk)
        with transaction.atomic():
            context = self._context(group, "", form)
        return render(request, self.template, context, status=400)


# --- sessions: the attendance, one tap a member ----------------------------------------------


class _AttendanceMixin:
    template = "programmes/session_attendance.html"

    def _render(self, request, context, status=200):
        template = self.template + "#sheet" if request.htmx else self.template
        return render(request, template, context, status=status)

    def _context(self, group, day, *, session=None, form=None, errors=(), submitted=None, counted=None):
        sheet = selectors.attendance_sheet(actor=self.actor, group=group, day=day, session=session)
        rows = [
            {
                "member": member,
                "label": label,
                "present": submitted.get(str(member.pk)) == "P" if submitted is not None else present,
            }
            for member, label, present in sheet.rows
        ]
        return {
            "group": group,
            "session": session,
            "sheet": sheet,
            "rows": rows,
            "present": sum(1 for r in rows if r["present"]),
            "absent": sum(1 for r in rows if not r["present"]),
            "form": form,
            "errors": list(errors),
            "grid": count_grid(counted if counted is not None else sheet.counted),
            "statuses": [("A", _("Absent")), ("P", _("Present"))],
        }


def _statuses(request) -> dict:
    return {k[2:]: v for k, v in request.POST.items() if k.startswith("m-")}


def _typed_counts(request) -> dict:
    return {(row["sex"], row["age_band"]): row["count"] for row in counted_from(request.POST)}


class SessionNewView(_AttendanceMixin, AppView):
    """A session of the group: day and topic, the members present (tap each one) and those who
    came without being registered, counted by sex and age."""

    capability = RECORD

    def get(self, request, group_id):
        group = _found(selectors.group_get, actor=self.actor, group_id=group_id, capability=RECORD)
        day = _day(request.GET.get("date"), clock.today())
        form = SessionForm(initial={"held_on": day})
        with transaction.atomic():
            selectors.record_read(actor=self.actor, obj=group)
            context = self._context(group, day, form=form)
        return self._render(request, context)

    def post(self, request, group_id):
        group = _found(selectors.group_get, actor=self.actor, group_id=group_id, capability=RECORD)
        form = SessionForm(request.POST)
        statuses = _statuses(request)
        day = _day(request.POST.get("held_on"), clock.today())
        if form.is_valid():
            try:
                session = group_services.session_record(
                    actor=self.actor,
                    group=group,
                    held_on=form.cleaned_data["held_on"],
                    topic=form.cleaned_data["topic"],
                    present_ids=[pk for pk, status in statuses.items() if status == "P"],
                    counted=counted_from(request.POST),
                )
            except DomainError as error:
                form.apply_error(error)
            else:
                messages.success(
                    request,
                    _("Saved: %(present)d members present, %(counted)d more counted.")
                    % {
                        "present": session.attendance.count(),
                        "counted": sum(h.count for h in session.headcounts.all()),
                    },
                )
                return redirect("programmes:group_detail", group_id=group.pk)
        with transaction.atomic():
            context = self._context(group, day, form=form, submitted=statuses, counted=_typed_counts(request))
        return self._render(request, context, status=400)


class SessionAttendanceView(_AttendanceMixin, AppView):
    """A session's attendance, open to correct."""

    capability = VIEW

    def get(self, request, session_id):
        session = _found(selectors.session_get, actor=self.actor, session_id=session_id)
        with transaction.atomic():
            selectors.record_read(actor=self.actor, obj=session, action=ProgrammeAction.SESSION_VIEWED)
            context = self._context(session.group, session.held_on, session=session)
        context["can_record"] = self.actor.allows_object(RECORD, session.group)
        return self._render(request, context)

    def post(self, request, session_id):
        session = _found(selectors.session_get, actor=self.actor, session_id=session_id, capability=RECORD)
        statuses = _statuses(request)
        try:
            group_services.attendance_save(
                actor=self.actor,
                session=session,
                present_ids=[pk for pk, status in statuses.items() if status == "P"],
                counted=counted_from(request.POST),
                version=request.POST.get("version"),
            )
        except DomainError as error:
            with transaction.atomic():
                context = self._context(
                    session.group,
                    session.held_on,
                    session=session,
                    errors=_errors(error),
                    submitted=statuses,
                    counted=_typed_counts(request),
                )
            context["can_record"] = True
            return self._render(request, context, status=409 if isinstance(error, Conflict) else 400)
        messages.success(request, _("Attendance saved."))
        return redirect("programmes:session_attendance", session_id=session.pk)


# --- projects --------------------------------------------------------------------------------


class ProjectListView(AppView):
    """The projects the worker works on, each with the children it counts (and how many of them
    another project counts too)."""

    capability = VIEW

    def get(self, request):
        report = selectors.project_reach(actor=self.actor)
        return render(request, "programmes/project_list.html", {"report": report})


class ProjectDetailView(AppView):
    capability = VIEW

    @transaction.atomic
    def get(self, request, project_id):
        detail = _found(selectors.project_detail, actor=self.actor, project_id=project_id)
        results = []
        for result in detail.results:
            indicators = []
            for indicator in result.indicators.all():
                targets = [
                    {
                        "target": target,
                        "achieved": detail.progress.get(target.pk),
                        "percent": round(100 * detail.progress[target.pk] / target.value)
                        if target.value and detail.progress.get(target.pk) is not None
                        else None,
                    }
                    for target in indicator.targets.all()
                ]
                indicators.append({"indicator": indicator, "targets": targets})
            results.append({"result": result, "indicators": indicators})
        return render(
            request,
            "programmes/project_detail.html",
            {"detail": detail, "project": detail.project, "results": results},
        )


# --- trainings and awareness events -------------------------------------------------------------


class EventListView(AppView):
    capability = VIEW

    def get(self, request):
        events = list(selectors.event_list(actor=self.actor)[: selectors.LIST_LIMIT])
        return render(request, "programmes/event_list.html", {"events": events})


class EventCreateView(AppView):
    """A training or an awareness event, its crowd counted by sex, age and disability."""

    capability = RECORD
    template = "programmes/event_new.html"

    def get(self, request):
        form = EventForm(initial={"held_on": clock.today(), "kind": "awareness"})
        return render(request, self.template, {"form": form, "grid": count_grid({}, with_disability=True)})

    def post(self, request):
        form = EventForm(request.POST)
        counted = counted_from(request.POST, with_disability=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                event = event_services.event_record(
                    actor=self.actor,
                    kind=data["kind"],
                    topic=data["topic"],
                    title=data["title"],
                    audience=data["audience"],
                    held_on=data["held_on"],
                    village_code=data["village"],
                    has_tests=data["has_tests"],
                    counted=counted,
                )
            except DomainError as error:
                form.apply_error(error)
            else:
                messages.success(request, _("The event is recorded."))
                return redirect("programmes:event_detail", event_id=event.pk)
        typed = {(r["sex"], r["age_band"], r["with_disability"]): r["count"] for r in counted}
        context = {"form": form, "grid": count_grid(typed, with_disability=True)}
        return render(request, self.template, context, status=400)


class EventDetailView(AppView):
    capability = VIEW

    @transaction.atomic
    def get(self, request, event_id):
        detail = _found(selectors.event_detail, actor=self.actor, event_id=event_id)
        return render(request, "programmes/event_detail.html", {"detail": detail, "event": detail.event})


# --- child labour monitoring -----------------------------------------------------------------


class VisitCreateView(AppView):
    """A committee's visit to a workplace, with the first child seen there."""

    capability = RECORD
    template = "programmes/visit_new.html"

    def _committee(self, group_id):
        group = _found(selectors.group_get, actor=self.actor, group_id=group_id, capability=RECORD)
        if group.kind.base != GroupBase.LABOUR_COMMITTEE:
            raise _not_found()
        return group

    @transaction.atomic
    def get(self, request, group_id):
        group = self._committee(group_id)
        selectors.record_read(actor=self.actor, obj=group)
        form = VisitForm(initial={"visited_on": clock.today(), "village": group.village_id})
        return render(
            request,
            self.template,
            {"group": group, "form": form, "child_form": ChildSeenForm(prefix="child")},
        )

    def post(self, request, group_id):
        group = self._committee(group_id)
        form = VisitForm(request.POST)
        child_form = ChildSeenForm(request.POST, prefix="child")
        child_given = bool(request.POST.get("child-sex"))
        if form.is_valid() and (not child_given or child_form.is_valid()):
            data = form.cleaned_data
            children = [child_form.cleaned_data] if child_given else []
            try:
                visit = monitoring.visit_record(
                    actor=self.actor,
                    committee=group,
                    visited_on=data["visited_on"],
                    workplace=data["workplace"],
                    workplace_name=data["workplace_name"],
                    village_code=data["village"],
                    note=data["note"],
                    children=children,
                )
            except DomainError as error:
                form.apply_error(error)
            else:
                messages.success(request, _("The visit is recorded."))
                return redirect("programmes:visit_detail", visit_id=visit.pk)
        context = {"group": group, "form": form, "child_form": child_form}
        return render(request, self.template, context, status=400)


class VisitDetailView(AppView):
    """The visit and the children seen; for each, the way to open a case."""

    capability = VIEW
    template = "programmes/visit_detail.html"

    def _context(self, visit, form):
        return {
            "visit": visit,
            "children": selectors.visit_children(actor=self.actor, visit=visit),
            "form": form,
            "can_record": self.actor.allows_object(RECORD, visit.committee),
        }

    @transaction.atomic
    def get(self, request, visit_id):
        visit = _found(selectors.visit_get, actor=self.actor, visit_id=visit_id)
        return render(request, self.template, self._context(visit, ChildSeenForm()))

    def post(self, request, visit_id):
        visit = _found(selectors.visit_get, actor=self.actor, visit_id=visit_id, capability=RECORD)
        form = ChildSeenForm(request.POST)
        if form.is_valid():
            try:
                monitoring.child_seen_add(actor=self.actor, visit=visit, **form.cleaned_data)
            except DomainError as error:
                form.apply_error(error)
            else:
                return redirect("programmes:visit_detail", visit_id=visit.pk)
        with transaction.atomic():
            context = self._context(visit, form)
        return render(request, self.template, context, status=400)


def _names_from_seen(seen: ChildSeen) -> dict:
    """The name given at the workplace, as the search's first guess."""
    name = seen.name.strip()
    if not name:
        return {}
    khmer = any("\u1780" <= ch <= "\u17ff" for ch in name)
    family, _, given = name.partition(" ")
    if not given:
        family, given = "", family
    suffix = "km" if khmer else "latin"
    return {f"family_name_{suffix}": family, f"given_name_{suffix}": given}


class ChildSeenCaseView(AppView):
    """From a child seen at work to a child-labour case in one step: search the registry by the
    name given, choose the child, or register them when none of the matches is them."""

    capability = RECORD
    template = "programmes/child_seen_case.html"

    def _seen(self, seen_id) -> ChildSeen:
        seen = _found(selectors.child_seen_get, actor=self.actor, seen_id=seen_id, capability=RECORD)
        if seen.case_id is not None:
            raise _not_found()
        return seen

    def _context(self, seen, names_form, errors=()):
        names = names_form.names() if names_form.is_valid() else {}
        matches = (
            selectors.child_seen_matches(actor=self.actor, seen=seen, names=names)
            if any(names.values())
            else None
        )
        candidates = (
            [(c.person, identity_label(self.actor, c.person)) for c in matches.candidates] if matches else []
        )
        return {
            "seen": seen,
            "visit": seen.visit,
            "names_form": names_form,
            "candidates": candidates,
            "hidden": matches.hidden if matches else 0,
            "searched": matches is not None,
            "errors": list(errors),
        }

    @transaction.atomic
    def get(self, request, seen_id):
        seen = self._seen(seen_id)
        selectors.record_read(actor=self.actor, obj=seen, action=ProgrammeAction.VISIT_VIEWED)
        data = (
            request.GET if any(k in request.GET for k in NewChildForm.base_fields) else _names_from_seen(seen)
        )
        return render(request, self.template, self._context(seen, NewChildForm(data)))

    def post(self, request, seen_id):
        seen = self._seen(seen_id)
        names_form = NewChildForm(request.POST)
        person_id = request.POST.get("person") or None
        try:
            if person_id:
                case = monitoring.child_seen_open_case(actor=self.actor, seen=seen, person_id=person_id)
            else:
                if not names_form.is_valid() or not any(names_form.names().values()):
                    with transaction.atomic():
                        context = self._context(seen, names_form, [_("Enter the child's name.")])
                    return render(request, self.template, context, status=400)
                case = monitoring.child_seen_open_case(
                    actor=self.actor,
                    seen=seen,
                    new_child=names_form.names(),
                    confirmed_new=request.POST.get("confirmed_new") == "1",
                )
        except DomainError as error:
            with transaction.atomic():
                context = self._context(seen, names_form, _errors(error))
            return render(request, self.template, context, status=400)
        messages.success(
            request, _("A child-labour case is open: %(reference)s.") % {"reference": case.short_id}
        )
        return redirect("cases:case_detail", case_id=case.pk)


# --- out-of-school children, the calendar ----------------------------------------------------


class OutOfSchoolListView(AppView):
    capability = VIEW

    @transaction.atomic
    def get(self, request):
        status = request.GET.get("status") or ""
        overdue = request.GET.get("overdue") == "1"
        rows = [
            (record, label, selectors.person_link_allowed(actor=self.actor, person=record.person))
            for record, label in selectors.out_of_school_list(
                actor=self.actor, status=status, overdue=overdue
            )
        ]
        context = {
            "rows": rows,
            "overdue": overdue,
            "status": status,
            "statuses": OutOfSchoolStatus.choices,
            "today": clock.today(),
        }
        return render(request, "programmes/out_of_school_list.html", context)


class CalendarView(AppView):
    """The worker's sessions and events over four weeks."""

    capability = VIEW

    def get(self, request):
        start = _day(request.GET.get("from"), clock.today())
        end = start + dt.timedelta(days=CALENDAR_DAYS - 1)
        rows = selectors.calendar(actor=self.actor, starts_on=start, ends_on=end)
        context = {
            "rows": rows,
            "start": start,
            "end": end,
            "previous": start - dt.timedelta(days=CALENDAR_DAYS),
            "next": end + dt.timedelta(days=1),
        }
        return render(request, "programmes/calendar.html", context)
