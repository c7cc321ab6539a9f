from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ponleu.access.models import BREAK_GLASS_MIN_REASON


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need this record now?"),
        help_text=_(
            "Write what is happening and why it cannot wait. The data-protection officer reads this."
        ),
        min_length=BREAK_GLASS_MIN_REASON,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("changes", _("Changes to records")), ("reads", _("Reads of records"))],
    )
    action = forms.CharField(label=_("Action"), required=False, max_length=100)
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # From "Today": the emergency accesses of the last days.
    since = forms.DateField(required=False, widget=forms.HiddenInput)
