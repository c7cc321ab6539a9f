"""The organisation's case types: what each needs, which forms, assessments and services apply."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.cases import forms
from ponleu.cases.models import AssessmentInstrument, CaseType
from ponleu.cases.services import configuration
from ponleu.common.errors import DomainError
from ponleu.organisations.models import Organisation


class CaseTypeListView(AppView):
    capability = "organisation.manage"

    def get(self, request):
        types = CaseType.objects.filter(organisation_id=self.actor.organisation_id)
        return render(request, "cases/casetype_list.html", {"case_types": types})

    def post(self, request):
        organisation = Organisation.objects.get(pk=self.actor.organisation_id)
        with transaction.atomic():
            added = configuration.configuration_seed(actor=self.actor, organisation=organisation)
        messages.success(request, _("%(count)d standard items added.") % {"count": added})
        return redirect("cases:case_type_list")


class CaseTypeEditView(AppView):
    capability = "organisation.manage"

    def _load(self, case_type_id):
        case_type = CaseType.objects.filter(
            organisation_id=self.actor.organisation_id, pk=case_type_id
        ).first()
        if case_type is None:
            raise Http404(NOT_FOUND_MESSAGE)
        return case_type

    def _form(self, case_type, data=None):
        instruments = AssessmentInstrument.objects.filter(organisation_id=self.actor.organisation_id)
        initial = {
            name: getattr(case_type, name)
            for name in (
                "name_km",
                "name_en",
                "name_fr",
                "is_sensitive_default",
                "requires_safety_plan",
                "is_active",
            )
        }
        initial |= {
            "mosvy_forms": case_type.forms,
            "instruments": case_type.instruments,
            "service_types": case_type.service_types,
        }
        return forms.CaseTypeForm(data=data, initial=initial, instruments=instruments)

    def get(self, request, case_type_id):
        case_type = self._load(case_type_id)
        return render(
            request, "cases/casetype_form.html", {"case_type": case_type, "form": self._form(case_type)}
        )

    def post(self, request, case_type_id):
        case_type = self._load(case_type_id)
        form = self._form(case_type, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["forms"] = data.pop("mosvy_forms")
            try:
                configuration.case_type_save(actor=self.actor, case_type=case_type, data=data)
            except DomainError as error:
                form.apply_error(error)
            else:
                messages.success(request, _("Saved."))
                return redirect("cases:case_type_list")
        context = {"case_type": case_type, "form": form}
        return render(request, "cases/casetype_form.html", context, status=400)
