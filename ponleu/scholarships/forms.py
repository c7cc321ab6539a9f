"""The forms of the scholarship screens: only shapes; ids are looked up by the views through
``visible_to``/``actionable_by`` and everything else is checked by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Channel


class RunForm(forms.Form):
    year = forms.UUIDField(label=_("School year"))
    term = forms.IntegerField(label=_("Term"), min_value=1, max_value=6)  # its number in the year


class OverrideForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why pay anyway"), max_length=500)


class PayForm(forms.Form):
    payments = forms.TypedMultipleChoiceField(label=_("Payments"), coerce=str, choices=())
    channel = forms.ChoiceField(label=_("Paid by"), choices=Channel.choices)
    paid_on = forms.DateField(label=_("Paid on"))
    reference = forms.CharField(label=_("Bank or mobile money reference"), max_length=100, required=False)
    received_by = forms.CharField(label=_("Received by (caregiver)"), max_length=200, required=False)
    proof = forms.ImageField(label=_("Photo of the signature or thumbprint"), required=False)

    def __init__(self, *args, payment_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payments"].choices = [(str(pk), str(pk)) for pk in payment_ids]


class AwardChangeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Change"),
        choices=[("suspended", _("Suspend")), ("resumed", _("Resume")), ("graduated", _("Graduate"))],
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)


class DecideForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Do not approve"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Committee's reasons"), max_length=500)
    starts_on = forms.DateField(label=_("Starts on"), required=False)
    ends_on = forms.DateField(label=_("Ends on"), required=False)
