"""Configuration staff keep in the admin: the items, weights and thresholds of assessments.

An organisation's case types are edited on its own screen (``cases:case_type_list``); the
scored instruments are edited here, where a mistake in an item list is caught before it is
saved. Changes are audited.
"""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ponleu.audit import services as audit

from .choices import CaseAction, CSIDomain, InstrumentKind
from .models import AssessmentInstrument


class InstrumentForm(forms.ModelForm):
    class Meta:
        model = AssessmentInstrument
        fields = ("name_km", "name_en", "name_fr", "items", "thresholds", "reassess_after_days", "is_active")

    def clean_items(self):
        items = self.cleaned_data["items"]
        if not isinstance(items, list) or not items:
            raise forms.ValidationError(_("Give the items as a list."))
        codes = set()
        for index, item in enumerate(items, start=1):
            if (
                not isinstance(item, dict)
                or not item.get("code")
                or not (item.get("label_km") or item.get("label_en"))
            ):
                raise forms.ValidationError(_("Item %(n)d needs a code and a label.") % {"n": index})
            if item["code"] in codes:
                raise forms.ValidationError(_("Item code %(code)s is used twice.") % {"code": item["code"]})
            codes.add(item["code"])
            if not isinstance(item.get("weight", 1), int) or item.get("weight", 1) < 0:
                raise forms.ValidationError(
                    _("Item %(n)d: the weight is a whole number, 0 or more.") % {"n": index}
                )
        if self.instance.kind == InstrumentKind.CSI and codes != set(CSIDomain.values):
            raise forms.ValidationError(_("The Child Status Index keeps its twelve domains (1A … 6B)."))
        return items

    def clean_thresholds(self):
        thresholds = self.cleaned_data["thresholds"] or {}
        if self.instance.kind == InstrumentKind.CHECKLIST:
            try:
                medium, high = int(thresholds["medium"]), int(thresholds["high"])
            except (KeyError, TypeError, ValueError):
                raise forms.ValidationError(_('Give {"medium": points, "high": points}.')) from None
            if not 0 < medium <= high:
                raise forms.ValidationError(_("Medium must be above 0 and not above high."))
        return thresholds


@admin.register(AssessmentInstrument)
class AssessmentInstrumentAdmin(admin.ModelAdmin):
    form = InstrumentForm
    list_display = ("code", "name_en", "kind", "organisation", "is_active")
    list_filter = ("kind", "organisation")
    readonly_fields = ("code", "kind", "organisation")

    def has_add_permission(self, request):
        return False  # instruments come from the standard set; organisations adapt them

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.actor,
            action=CaseAction.INSTRUMENT_SAVED,
            target=obj,
            changes={name: [None, str(form.cleaned_data.get(name))] for name in form.changed_data},
        )

    def has_delete_permission(self, request, obj=None):
        return False  # assessments keep pointing at their instrument
