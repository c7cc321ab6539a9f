"""Acting on flags: review and decide, then follow each intervention to its outcome."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.common import clock
from ponleu.common.errors import Conflict, DomainError
from ponleu.early_warning import selectors, texts
from ponleu.early_warning.choices import FlagStatus
from ponleu.early_warning.forms import DecisionForm, InterventionForm, OutcomeForm
from ponleu.early_warning.models import Flag, Intervention
from ponleu.early_warning.services import interventions, review
from ponleu.education.forms import apply_errors
from ponleu.education.policies import pupil_label


def _label(actor, enrolment, school_class) -> str:
    if enrolment.school_class_id == school_class.pk:
        enrolment.school_class = school_class
    return pupil_label(actor, enrolment, translation.get_language())


class FlagReviewView(AppView):
    """Why the student was flagged, and the decision: an intervention, a referral, or no action."""

    capability = "ews.review"
    template = "early_warning/flag_review.html"

    def _flag(self, flag_id) -> Flag:
        try:
            return selectors.flag_get(actor=self.actor, flag_id=flag_id)
        except (Flag.DoesNotExist, ValidationError, ValueError):
            raise Http404(NOT_FOUND_MESSAGE) from None

    def _context(self, flag, form):
        return {
            "flag": flag,
            "label": _label(self.actor, flag.enrolment, flag.school_class),
            "reasons": texts.factor_texts(flag.factors),
            "form": form,
            "awaiting": flag.status == FlagStatus.AWAITING_REVIEW,
            # A service in the directory may answer the flag too (the referral records it).
            "can_refer": self.actor.can("referrals.send"),
        }

    def get(self, request, flag_id):
        flag = self._flag(flag_id)
        form = DecisionForm(initial={"version": flag.version, "starts_on": clock.today()})
        return render(request, self.template, self._context(flag, form))

    def post(self, request, flag_id):
        flag = self._flag(flag_id)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                review.flag_decide(
                    actor=self.actor,
                    flag=flag,
                    version=form.cleaned_data["version"],
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    details=form.details(),
                )
            except DomainError as error:
                apply_errors(form, error)
                status = 409 if isinstance(error, Conflict) else 400
                return render(request, self.template, self._context(flag, form), status=status)
            messages.success(request, _("Decision recorded."))
            return redirect("early_warning:student_risk", enrolment_id=flag.enrolment_id)
        return render(request, self.template, self._context(flag, form), status=400)


class InterventionListView(AppView):
    """Interventions in reach, those still waiting for their outcome first."""

    capability = "ews.review"

    def get(self, request):
        rows = selectors.intervention_list(actor=self.actor)
        for row in rows:
            row.label = _label(self.actor, row.enrolment, row.school_class)
        return render(request, "early_warning/intervention_list.html", {"interventions": rows})


class InterventionDetailView(AppView):
    """Change an intervention's details, or record where the student was at the end of the term."""

    capability = "ews.review"
    template = "early_warning/intervention_detail.html"

    def _intervention(self, intervention_id) -> Intervention:
        try:
            return selectors.intervention_get(actor=self.actor, intervention_id=intervention_id)
        except (Intervention.DoesNotExist, ValidationError, ValueError):
            raise Http404(NOT_FOUND_MESSAGE) from None

    def _context(self, item, form=None, outcome_form=None):
        initial = {name: getattr(item, name) for name in InterventionForm.base_fields if name != "version"}
        return {
            "intervention": item,
            "label": _label(self.actor, item.enrolment, item.school_class),
            "form": form or InterventionForm(initial={**initial, "version": item.version}),
            "outcome_form": outcome_form
            or OutcomeForm(
                initial={
                    "version": item.version,
                    "outcome": item.outcome,
                    "outcome_on": item.outcome_on or clock.today(),
                }
            ),
        }

    def get(self, request, intervention_id):
        item = self._intervention(intervention_id)
        return render(request, self.template, self._context(item))

    def post(self, request, intervention_id):
        item = self._intervention(intervention_id)
        if request.POST.get("form") == "outcome":
            form = OutcomeForm(request.POST)
            if form.is_valid():
                try:
                    interventions.outcome_record(
                        actor=self.actor,
                        intervention=item,
                        version=form.cleaned_data["version"],
                        outcome=form.cleaned_data["outcome"],
                        on=form.cleaned_data["outcome_on"],
                    )
                except DomainError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, _("Outcome recorded."))
                    return redirect("early_warning:intervention_detail", intervention_id=item.pk)
            return render(request, self.template, self._context(item, outcome_form=form), status=400)
        form = InterventionForm(request.POST)
        if form.is_valid():
            try:
                interventions.intervention_update(
                    actor=self.actor,
                    intervention=item,
                    version=form.cleaned_data["version"],
                    details=form.details(),
                )
            except DomainError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("early_warning:intervention_detail", intervention_id=item.pk)
        return render(request, self.template, self._context(item, form=form), status=400)
