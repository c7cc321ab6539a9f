"""Web forms of the directory search, a new referral and the referral's steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import DEFAULT_SHARED_FIELDS, Cost, DeclineReason, ServiceType, SharedField, Urgency


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
