"""Web forms of the directory search, a new referral and the referral's steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import (
    DEFAULT_SHARED_FIELDS,
    Accessibility,
    Cost,
    DeclineReason,
    ProviderKind,
    ServiceType,
    SharedField,
    Urgency,
)


class DirectorySearchForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=[("", "—"), *ServiceType.choices], required=False)
    commune = forms.ChoiceField(label=_("Commune"), choices=(), required=False)
    cost = forms.ChoiceField(label=_("Cost"), choices=[("", "—"), *Cost.choices], required=False)

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", "—"), *communes]


class ReferralForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=ServiceType.choices)
    reason = forms.CharField(
        label=_("Reason for referral"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE)
    shared_fields = forms.MultipleChoiceField(
        label=_("What the receiving organisation will see"),
        choices=SharedField.choices,
        initial=list(DEFAULT_SHARED_FIELDS),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decline_reason = forms.ChoiceField(
        label=_("Reason for declining"), choices=[("", "—"), *DeclineReason.choices], required=False
    )
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )
    family_said = forms.CharField(
        label=_("What the family said"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )
    withdrawal_reason = forms.CharField(label=_("Reason for withdrawal"), required=False, max_length=4000)


class SendForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    send_key = forms.UUIDField(widget=forms.HiddenInput)


class DirectoryImportForm(forms.Form):
    file = forms.FileField(label=_("Filled-in template (.xlsx)"))


def _codes(value: str) -> list[str]:
    return [code for code in value.replace(",", " ").split() if code]


class CodesField(forms.Field):
    """Gazetteer codes posted as several values (the place picker's ticked boxes); the service
    checks that each is a place and one the administrator looks after."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value or ""]
        return [code for item in values for code in _codes(str(item))]


class ProviderForm(forms.Form):
    """One provider of the directory, as an administrator keeps it: each service offered with
    its cost (blank: not offered), the places served chosen by name in the place picker (their
    gazetteer codes posted), or typed as codes where the picker cannot run."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ProviderKind.choices)
    name_km = forms.CharField(label=_("Name (Khmer)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    organisation = forms.ChoiceField(label=_("Organisation on Ponleu"), choices=(), required=False)
    location = forms.CharField(label=_("Where (village or commune code)"), max_length=10, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    languages = forms.CharField(
        label=_("Languages"), max_length=200, required=False, help_text=_("Separated by commas: km, en")
    )
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"),
        choices=Accessibility.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    areas = CodesField(label=_("Places served"), required=False)
    areas_typed = forms.CharField(
        label=_("Or type their codes (commune, district or province)"),
        max_length=400,
        required=False,
        help_text=_("Separated by spaces or commas, for example 020101 0202."),
    )
    is_active = forms.BooleanField(label=_("Still open"), required=False)
    is_employer = forms.BooleanField(label=_("An employer offering internships and jobs"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "—"), *organisations]
        for service, label in ServiceType.choices:
            self.fields[f"cost_{service}"] = forms.ChoiceField(
                label=label, choices=[("", _("Not offered")), *Cost.choices], required=False
            )

    @property
    def service_fields(self):
        return [self[f"cost_{service}"] for service in ServiceType.values]

    @property
    def main_fields(self):
        placed = {"version", "location", "areas", "areas_typed"}  # the place pickers show these
        return [self[name] for name in self.fields if not name.startswith("cost_") and name not in placed]

    @classmethod
    def initial_for(cls, provider) -> dict:
        initial = {
            "kind": provider.kind,
            "name_km": provider.name_km,
            "name_en": provider.name_en,
            "organisation": str(provider.organisation_id or ""),
            "location": provider.location_id or "",
            "address": provider.address,
            "phone": provider.phone,
            "hours": provider.hours,
            "languages": ", ".join(provider.languages or []),
            "accessibility": list(provider.accessibility or []),
            "areas": sorted(area.unit_id for area in provider.areas.all()),
            "is_active": provider.is_active,
            "is_employer": provider.is_employer,
            "version": provider.version,
        }
        for offered in provider.services.all():
            initial[f"cost_{offered.service}"] = offered.cost
        return initial

    def provider_data(self, notes: dict) -> dict:
        """What ``services.provider_save`` takes; a service still offered keeps its note."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "name_km": data["name_km"],
            "name_en": data["name_en"],
            "organisation": data["organisation"] or None,
            "location": data["location"].strip() or None,
            "address": data["address"],
            "phone": data["phone"],
            "hours": data["hours"],
            "languages": [x.strip() for x in data["languages"].split(",") if x.strip()],
            "accessibility": data["accessibility"],
            "areas": list(dict.fromkeys([*data["areas"], *_codes(data["areas_typed"])])),
            "is_active": data["is_active"],
            "is_employer": data["is_employer"],
            "services": [
                {"service": service, "cost": data[f"cost_{service}"], "note": notes.get(service, "")}
                for service in ServiceType.values
                if data.get(f"cost_{service}")
            ],
        }


class ProviderReportForm(forms.Form):
    note = forms.CharField(
        label=_("What is wrong in this entry?"),
        max_length=300,
        help_text=_("For example: closed, moved, another phone number. An administrator checks it."),
    )
