from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Binding


class FormUploadForm(forms.Form):
    xlsform = forms.FileField(label=_("XLSForm (.xlsx)"))
    binding = forms.ChoiceField(
        label=_("What its submissions become"), choices=Binding.choices, required=False
    )


class PublishForm(forms.Form):
    teams = forms.MultipleChoiceField(
        label=_("Teams that fill it"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].choices = [(str(team.pk), team.name) for team in teams]


class DeviceForm(forms.Form):
    name = forms.CharField(label=_("Phone's name"), max_length=80)
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)
