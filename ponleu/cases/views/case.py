"""One case: open, see, edit, move along the workflow, assign; safety plan and details by type."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ponleu.access.policies import can_see_identity, identity_label
from ponleu.access.views import NOT_FOUND_MESSAGE, AppView, get_visible_or_404
from ponleu.cases import charts, forms, mosvy, policies, selectors, standard, workflow
from ponleu.cases.choices import CaseAction, CaseEvent, CaseStatus, DetailsKind, InstrumentKind, MosvyForm
from ponleu.cases.models import CASE_EDITABLE_FIELDS, AssessmentInstrument, CaseType, bilingual
from ponleu.cases.services import care
from ponleu.cases.services import cases as case_services
from ponleu.common import clock
from ponleu.common.declared_fields import shown_fields
from ponleu.common.errors import DomainError
from ponleu.organisations.models import Team
from ponleu.registry.models import Person
from ponleu.registry.selectors import people as person_selectors
from ponleu.registry.selectors.search import person_search

from .base import CaseFormView, CaseView


def _openable_people(actor):
    """Children the actor may see and open a case for (the services check both again)."""
    return Person.objects.visible_to(actor).active().actionable_by(actor, "cases.open")


class CaseOpenView(AppView):
    capability = "cases.open"
    id_parameters = {"person": "registry.person"}

    def _person(self, request):
        """The child named by ``person`` (query string or form): visible, openable and shown in
        full to this actor, or the same 404 as a missing id; the read is recorded."""
        person_id = request.GET.get("person") or request.POST.get("person")
        if not person_id:
            return None
        person = get_visible_or_404(_openable_people(self.actor), pk=person_id)
        if not can_see_identity(self.actor, person):
            raise Http404(NOT_FOUND_MESSAGE)
        person_selectors.person_read(actor=self.actor, person=person, query="case open")
        return person

    def _form(self, data=None):
        case_types = list(CaseType.objects.filter(organisation_id=self.actor.organisation_id, is_active=True))
        if not case_types:
            # The organisation's first case: offer the standard types, which opening it will copy.
            case_types = [
                CaseType(organisation_id=self.actor.organisation_id, **spec)
                for spec in standard.standard_case_types()
            ]
        workers = (
            selectors.caseworkers(self.actor.organisation_id) if self.actor.can("cases.assign") else None
        )
        return forms.CaseOpenForm(
            data=data,
            case_types=list(case_types),
            caseworkers=workers,
            initial={"identified_on": clock.today()},
        )

    def _render(self, request, person, form=None, status=200):
        matches = []
        query = request.GET.get("q", "").strip()
        if person is None and query:
            # The registry's Khmer-aware search (which records the access), narrowed to the
            # children this actor may open a case for; sensitive records show initials.
            with transaction.atomic():
                hits = person_search(actor=self.actor, query=query, limit=20)
            openable = set(
                _openable_people(self.actor)
                .filter(pk__in=[h.person.pk for h in hits])
                .values_list("pk", flat=True)
            )
            matches = [
                {"pk": h.person.pk, "label": identity_label(self.actor, h.person), "person": h.person}
                for h in hits
                if h.person.pk in openable and can_see_identity(self.actor, h.person)
            ]
        context = {"person": person, "form": form or self._form(), "query": query, "matches": matches}
        return render(request, "cases/case_open.html", context, status=status)

    def get(self, request):
        with transaction.atomic():
            return self._render(request, self._person(request))

    @transaction.atomic
    def post(self, request):
        person = self._person(request)
        if person is None:
            raise Http404(NOT_FOUND_MESSAGE)
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(request, person, form, status=400)
        data = form.cleaned_data
        try:
            case = case_services.case_open(
                actor=self.actor,
                person=person,
                case_type_code=data["case_type"],
                subtype=data["subtype"],
                source=data["source"],
                source_detail=data["source_detail"],
                identified_on=data["identified_on"],
                summary=data["summary"],
                immediate_danger=data["immediate_danger"],
                owner_id=data.get("owner") or None,
            )
        except DomainError as error:
            form.apply_error(error)
            return self._render(request, person, form, status=400)
        messages.success(request, _("The case is open."))
        if policies.can(self.actor, "cases.view", case):
            return redirect("cases:case_detail", case_id=case.pk)
        return redirect("web:home")


# The editable fields the case card lays out itself; it lists the others that hold a value.
LAID_OUT = ("subtype", "source", "source_detail", "identified_on", "summary", "is_sensitive", "mosvy_number")


class CaseDetailView(CaseView):
    capability = "cases.view"

    def get(self, request, case_id):
        case = self.case
        selectors.case_bundle(case)
        policies.label_children(self.actor, [case])
        today = clock.today()
        steps = [t for t in workflow.events_from(case.status) if policies.can(self.actor, t.capability, case)]
        csi = selectors.csi_series(case)
        instruments = {a.instrument.code: a.instrument for a in case.assessment_list}
        context = {
            "case": case,
            "today": today,
            "now": clock.now(),
            "steps": steps,
            "can_edit": policies.can(self.actor, "cases.edit", case) and case.status != "closed",
            "can_assign": policies.can(self.actor, "cases.assign", case),
            # Referring the child to a service starts from the directory, with the case.
            "can_refer": case.status != "closed" and self.actor.allows_object("referrals.send", case.person),
            "csi_chart": _chart(case, csi),
            "csi_due": selectors.next_csi_due(case),
            "latest_csi": next(
                (a for a in case.assessment_list if a.instrument.kind == InstrumentKind.CSI), None
            ),
            "instruments": instruments,
            "forms": [MosvyForm(n) for n in case.case_type.forms if n in MosvyForm.values],
            "open_actions": sum(1 for g in case.goal_list for a in g.actions.all() if a.status == "open"),
            "sibling_warning": any(p.siblings_apart and p.ended_on is None for p in case.placement_list),
            "can_reintegrate": "reintegration_readiness" in case.case_type.instruments
            and case.status in (CaseStatus.IMPLEMENTATION, CaseStatus.REVIEW),
            "subtype_label": case.case_type.subtype_name(case.subtype) if case.subtype else "",
            "more_facts": shown_fields(case, CASE_EDITABLE_FIELDS, laid_out=LAID_OUT),
            "applicable_instruments": AssessmentInstrument.objects.filter(
                organisation_id=case.organisation_id, code__in=case.case_type.instruments, is_active=True
            ),
        }
        template = (
            "cases/case_detail.html#notes"
            if request.htmx and request.GET.get("part") == "notes"
            else "cases/case_detail.html"
        )
        return render(request, template, context)


class CaseEditView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.CaseEditForm
    title = _("Edit the case")

    def form_kwargs(self):
        return {"case_type": self.case.case_type}

    def initial(self):
        return {name: getattr(self.case, name) for name in case_services.EDITABLE_FIELDS} | {
            "version": self.case.version
        }

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        case_services.case_update(
            actor=self.actor, case=self.case, expected_version=form.cleaned_data["version"], data=data
        )
        self.done(_("The case is saved."))


class CaseTransitionView(CaseFormView):
    """One workflow step: the form asks only what the step needs (reason, closure reason)."""

    capability = "cases.view"
    form_class = forms.TransitionForm
    template_name = "cases/case_transition.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("event") not in CaseEvent.values:
            raise Http404(NOT_FOUND_MESSAGE)
        self.event = CaseEvent(kwargs["event"])
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self):
        return {"event": self.event, "open_actions": selectors.open_action_count(self.case)}

    def initial(self):
        return {"version": self.case.version}

    def context(self, form):
        context = super().context(form)
        context["event"] = self.event
        context["title"] = self.event.label
        context["submit_label"] = self.event.label
        try:
            context["transition"] = workflow.transition_for(self.case.status, self.event)
        except workflow.IllegalTransition as error:
            context["illegal"] = error.message
        return context

    def perform(self, form):
        data = form.cleaned_data
        case_services.case_transition(
            actor=self.actor,
            case=self.case,
            event=self.event,
            expected_version=data["version"],
            reason=data.get("reason", ""),
            open_actions_reason=data.get("open_actions_reason", ""),
            closure_reason=data.get("closure_reason", ""),
        )
        self.done(_("Done: %(step)s.") % {"step": self.event.label})


class CaseAssignView(CaseFormView):
    capability = "cases.assign"
    form_class = forms.AssignForm
    title = _("Assign or transfer the case")

    def form_kwargs(self):
        return {
            "caseworkers": selectors.caseworkers(self.case.organisation_id),
            "teams": Team.objects.filter(organisation_id=self.case.organisation_id),
        }

    def initial(self):
        return {"version": self.case.version, "owner": str(self.case.owner_id or ""), "team": ""}

    def perform(self, form):
        data = form.cleaned_data
        case_services.case_assign(
            actor=self.actor,
            case=self.case,
            expected_version=data["version"],
            owner_id=data["owner"] or None,
            team_id=data["team"] or None,
            reason=data["reason"],
        )
        self.done(_("The case is assigned."))


class SafetyPlanView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.SafetyPlanForm
    title = _("Safety plan")
    anchor = "safety"

    def initial(self):
        plan = selectors.case_bundle(self.case).safety_plan_obj
        if plan is None:
            return {}
        return {name: getattr(plan, name) for name in case_services.SAFETY_PLAN_FIELDS}

    def perform(self, form):
        case_services.safety_plan_save(actor=self.actor, case=self.case, data=form.cleaned_data)
        self.done(_("The safety plan is saved."))


class SpecificsView(CaseFormView):
    """Child labour: workplace, hazards, hours. Trafficking: route, destination, legal case."""

    capability = "cases.edit"
    anchor = "specifics"

    @property
    def kind(self):
        return self.case.case_type.details_kind

    def get(self, request, **kwargs):
        self._choose()
        return super().get(request, **kwargs)

    def post(self, request, **kwargs):
        self._choose()
        return super().post(request, **kwargs)

    def _choose(self):
        if self.kind == DetailsKind.CHILD_LABOUR:
            self.form_class, self.title = forms.LabourForm, _("Child labour: workplace, hazards, hours")
        elif self.kind == DetailsKind.TRAFFICKING:
            self.form_class, self.title = forms.TraffickingForm, _("Trafficking and migration")
        else:
            raise Http404(NOT_FOUND_MESSAGE)

    def initial(self):
        bundle = selectors.case_bundle(self.case)
        detail = bundle.labour_obj if self.kind == DetailsKind.CHILD_LABOUR else bundle.trafficking_obj
        if detail is None:
            return {}
        return {name: getattr(detail, name) for name in self.form_class.base_fields}

    def perform(self, form):
        save = (
            case_services.labour_details_save
            if self.kind == DetailsKind.CHILD_LABOUR
            else case_services.trafficking_details_save
        )
        save(actor=self.actor, case=self.case, data=form.cleaned_data)
        self.done(_("Saved."))


class ReintegrationView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.ReintegrationForm
    title = _("Reunification with the family")
    anchor = "care"

    def initial(self):
        return {"version": self.case.version, "reunified_on": clock.today()}

    def perform(self, form):
        data = form.cleaned_data
        care.case_reintegrate(
            actor=self.actor,
            case=self.case,
            expected_version=data["version"],
            reunified_on=data["reunified_on"],
            reunified_with=data["reunified_with"],
        )
        self.done(_("Reunification recorded; follow-up visits will be scheduled when the case closes."))


class MosvyFormView(CaseView):
    """One of the six MoSVY forms as a Khmer PDF (the access event says it was printed)."""

    capability = "cases.view"
    access_action = CaseAction.PRINTED

    def get(self, request, case_id, form_number):
        if form_number not in MosvyForm.values or form_number not in self.case.case_type.forms:
            raise Http404(NOT_FOUND_MESSAGE)
        document = mosvy.render_form_pdf(self.case, form_number)
        response = HttpResponse(document, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="mosvy-form-{form_number}-{self.case.short_id}.pdf"'
        )
        return response


def _chart(case, points):
    """The CSI chart with the domain names of the organisation's instrument, in the reader's language."""
    csi = next((a for a in case.assessment_list if a.instrument.kind == InstrumentKind.CSI), None)
    if csi is None:
        return ""
    labels = {
        item["code"]: bilingual(
            item.get("label_km", ""), item.get("label_en", ""), fr=item.get("label_fr", "")
        )
        for item in csi.instrument.items
    }
    return charts.csi_chart(points, labels=labels)
