"""Placements, their end, and the follow-up visits after reunification."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from ponleu.access.views import NOT_FOUND_MESSAGE
from ponleu.cases import forms
from ponleu.cases.models import FollowUp, Placement
from ponleu.cases.services import care
from ponleu.common import clock

from .base import CaseFormView


class PlacementCreateView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.PlacementForm
    title = _("Placement in alternative care")
    anchor = "care"

    def initial(self):
        return {"started_on": clock.today()}

    def perform(self, form):
        _placement, warning = care.placement_start(actor=self.actor, case=self.case, **form.cleaned_data)
        self.done(_("Placement recorded."))
        if warning:
            messages.warning(self.request, warning)


class PlacementEndView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.PlacementEndForm
    title = _("End of the placement")
    anchor = "care"

    def dispatch(self, request, *args, **kwargs):
        self.placement_id = kwargs.get("placement_id")
        return super().dispatch(request, *args, **kwargs)

    def load(self):
        self.placement = Placement.objects.filter(case=self.case, pk=self.placement_id).first()
        if self.placement is None:
            raise Http404(NOT_FOUND_MESSAGE)
        self.placement.case = self.case

    def initial(self):
        return {"ended_on": clock.today()}

    def perform(self, form):
        care.placement_end(actor=self.actor, placement=self.placement, **form.cleaned_data)
        self.done(_("Placement ended."))


class FollowUpRecordView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.FollowUpForm
    title = _("Follow-up visit")
    anchor = "follow-up"

    def dispatch(self, request, *args, **kwargs):
        self.follow_up_id = kwargs.get("follow_up_id")
        return super().dispatch(request, *args, **kwargs)

    def load(self):
        self.follow_up = FollowUp.objects.filter(case=self.case, pk=self.follow_up_id).first()
        if self.follow_up is None:
            raise Http404(NOT_FOUND_MESSAGE)
        self.follow_up.case = self.case

    def initial(self):
        return {"done_on": clock.today()}

    def perform(self, form):
        care.follow_up_record(actor=self.actor, follow_up=self.follow_up, **form.cleaned_data)
        self.done(_("Follow-up visit recorded."))
