"""Forms of the early-warning screens: they parse and label; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ponleu.common import number_fields
from ponleu.education.forms import DateInput

from .choices import Currency, Decision, Outcome, PaymentSchedule
from .rulebook import NUMERIC_RANGES, PERCENT_FEATURES, RULE_LABELS


def _date(label, required=False):
    return forms.DateField(label=label, required=required, widget=DateInput())


class InterventionFields(forms.Form):
    starts_on = _date(_("Starts on"))
    ends_on = _date(_("Ends on"))
    provider = forms.CharField(label=_("Provided by"), max_length=200, required=False)
    amount = number_fields.DecimalField(
        label=_("Amount (scholarship)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=[("", "—"), *Currency.choices], required=False)
    schedule = forms.ChoiceField(
        label=_("Paid"), choices=[("", "—"), *PaymentSchedule.choices], required=False
    )
    min_attendance_percent = number_fields.IntegerField(
        label=_("Condition: attendance at least (%)"), min_value=0, max_value=100, required=False
    )
    conditions = forms.CharField(label=_("Other conditions"), max_length=300, required=False)

    def details(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in InterventionFields.base_fields}


class DecisionForm(InterventionFields):
    version = number_fields.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason or notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required for no action."),
    )
    field_order = ["version", "decision", "reason"]


class InterventionForm(InterventionFields):
    version = number_fields.IntegerField(widget=forms.HiddenInput)


class OutcomeForm(forms.Form):
    version = number_fields.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("At the end of the term the student had"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    outcome_on = _date(_("Term end (or the day checked)"))


class SettingsForm(forms.Form):
    """One threshold and one weight per rule, the flag level and the review capacity."""

    version = number_fields.IntegerField(widget=forms.HiddenInput, required=False)
    flag_at = number_fields.FloatField(label=_("Flag a student when the index reaches"), min_value=0.01)
    capacity_per_school = number_fields.IntegerField(
        label=_("Students reviewed per school"), min_value=1, max_value=1000
    )

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = list(rules)
        for rule in self.rules:
            label = RULE_LABELS.get(rule.code, rule.code)
            if rule.code in NUMERIC_RANGES:
                low, high = NUMERIC_RANGES[rule.code]
                percent = rule.feature in PERCENT_FEATURES or rule.feature in (
                    "attendance_rate_30d",
                    "mean_score_pct",
                )
                self.fields[f"{rule.code}__threshold"] = number_fields.FloatField(
                    label=label,
                    min_value=low,
                    max_value=high,
                    help_text=_("A share from 0 to 1 (0.8 is 80%).") if percent else None,
                )
            self.fields[f"{rule.code}__weight"] = number_fields.FloatField(
                label=_("Weight: %(rule)s") % {"rule": label}, min_value=0, max_value=10
            )

    def rule_changes(self) -> dict:
        out = {}
        for rule in self.rules:
            change = {"weight": self.cleaned_data.get(f"{rule.code}__weight")}
            if f"{rule.code}__threshold" in self.cleaned_data:
                change["threshold"] = self.cleaned_data[f"{rule.code}__threshold"]
            out[rule.code] = change
        return out
