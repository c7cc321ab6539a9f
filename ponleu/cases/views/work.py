"""Assessments, goals and actions of the case plan, services delivered."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.access.views import NOT_FOUND_MESSAGE
from ponleu.cases import forms, selectors
from ponleu.cases.models import Action, AssessmentInstrument, Goal
from ponleu.cases.services import work
from ponleu.common import clock

from .base import CaseFormView


class AssessmentCreateView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.AssessmentForm
    submit_label = gettext_lazy("Save the assessment")
    anchor = "assessments"

    def dispatch(self, request, *args, **kwargs):
        self.instrument_code = kwargs.get("instrument", "")
        return super().dispatch(request, *args, **kwargs)

    @property
    def instrument(self):
        if not hasattr(self, "_instrument"):
            self._instrument = AssessmentInstrument.objects.filter(
                organisation_id=self.case.organisation_id, code=self.instrument_code, is_active=True
            ).first()
            if self._instrument is None or self._instrument.code not in self.case.case_type.instruments:
                raise Http404(NOT_FOUND_MESSAGE)
        return self._instrument

    @property
    def title(self):
        return self.instrument.display_name()

    def form_kwargs(self):
        return {"instrument": self.instrument}

    def initial(self):
        return {"assessed_on": clock.today()}

    def perform(self, form):
        assessment = work.assessment_record(
            actor=self.actor,
            case=self.case,
            instrument_code=self.instrument.code,
            assessed_on=form.cleaned_data["assessed_on"],
            answers=form.answers(),
            note=form.cleaned_data["note"],
        )
        self.done(_("Assessment recorded: %(result)s.") % {"result": assessment.get_result_display()})


class GoalCreateView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.GoalForm
    title = _("New goal of the case plan")
    anchor = "plan"

    def perform(self, form):
        work.goal_add(actor=self.actor, case=self.case, **form.cleaned_data)
        self.done(_("Goal added."))


class GoalStatusView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.GoalStatusForm
    title = _("Goal status")
    anchor = "plan"

    def dispatch(self, request, *args, **kwargs):
        self.goal_id = kwargs.get("goal_id")
        return super().dispatch(request, *args, **kwargs)

    def load(self):
        self.goal = Goal.objects.filter(case=self.case, pk=self.goal_id).first()
        if self.goal is None:
            raise Http404(NOT_FOUND_MESSAGE)
        self.goal.case = self.case

    def initial(self):
        return {"status": self.goal.status}

    def perform(self, form):
        work.goal_update(actor=self.actor, goal=self.goal, status=form.cleaned_data["status"])
        self.done(_("Goal updated."))


class ActionCreateView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.ActionForm
    title = _("New action")
    anchor = "plan"

    def form_kwargs(self):
        return {
            "goals": Goal.objects.filter(case=self.case).open(),
            "people": selectors.caseworkers(self.case.organisation_id),
        }

    def initial(self):
        return {"goal": self.request.GET.get("goal", ""), "owner": str(self.case.owner_id or "")}

    def perform(self, form):
        data = form.cleaned_data
        goal = Goal.objects.filter(case=self.case, pk=data["goal"]).first()
        if goal is None:
            form.add_error("goal", _("Choose a goal of this case."))
            return self.render_form(self.request, form, status=400)
        work.action_add(
            actor=self.actor,
            case=self.case,
            goal=goal,
            description=data["description"],
            due_on=data["due_on"],
            owner_id=data["owner"] or None,
        )
        self.done(_("Action added."))
        return None


class ActionUpdateView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.ActionUpdateForm
    title = _("Action")
    anchor = "plan"

    def dispatch(self, request, *args, **kwargs):
        self.action_id = kwargs.get("action_id")
        return super().dispatch(request, *args, **kwargs)

    def load(self):
        self.action = Action.objects.filter(case=self.case, pk=self.action_id).first()
        if self.action is None:
            raise Http404(NOT_FOUND_MESSAGE)
        self.action.case = self.case

    def initial(self):
        action = self.action
        return {"status": action.status, "done_on": action.done_on or clock.today()}

    def context(self, form):
        context = super().context(form)
        context["subtitle"] = self.action.description
        return context

    def perform(self, form):
        data = form.cleaned_data
        work.action_update(
            actor=self.actor, action=self.action, status=data["status"], done_on=data["done_on"]
        )
        self.done(_("Action updated."))


class ServiceCreateView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.ServiceForm
    title = _("Service delivered")
    anchor = "services"

    def form_kwargs(self):
        return {
            "service_types": self.case.case_type.service_types,
            "goals": Goal.objects.filter(case=self.case),
        }

    def initial(self):
        return {"delivered_on": clock.today()}

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["goal_id"] = data.pop("goal") or None
        work.service_record(actor=self.actor, case=self.case, **data)
        self.done(_("Service recorded."))
