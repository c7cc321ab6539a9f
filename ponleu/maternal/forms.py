"""Forms of the pregnancy screens: they parse and show; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ponleu.common.numerals import to_ascii_digits
from ponleu.referrals.choices import ServiceType, Urgency
from ponleu.registry.choices import Sex

from .choices import BirthAttendant, BirthOutcome, BirthPlace, CarePlace, DangerSign, PlanningMethod

DANGER_SERVICE_CHOICES = [
    (ServiceType.PRIMARY_HEALTH.value, ServiceType.PRIMARY_HEALTH.label),
    (ServiceType.HOSPITAL_CARE.value, ServiceType.HOSPITAL_CARE.label),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, required=True):
    return forms.DateField(label=label, required=required, widget=DateInput())


def _with_none(choices, label=None):
    return [("", label or _("Not known"))] + list(choices)


class MaternalForm(forms.Form):
    """Khmer digits typed into dates are read as ASCII ones; a service's refusal is shown on
    the field it names, or above the form."""

    def __init__(self, data=None, *args, facilities=(), **kwargs):
        if data is not None:
            data = data.copy()
            for key in list(data.keys()):
                values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
                converted = [to_ascii_digits(v) if isinstance(v, str) else v for v in values]
                if hasattr(data, "setlist"):
                    data.setlist(key, converted)
                else:
                    data[key] = converted[0]
        super().__init__(data, *args, **kwargs)
        for name in ("facility", "planned_facility", "provider"):
            if name in self.fields:
                self.fields[name].choices = _with_none(facilities, _("None"))

    def apply_error(self, error) -> None:
        shown = False
        for field, messages in (error.errors or {}).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, str(message))
                shown = True
        if not shown:
            field = getattr(error, "field", None)
            self.add_error(field if field in self.fields else None, str(error.message))


class VersionedForm(MaternalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


def _facility_field(label):
    return forms.ChoiceField(label=label, required=False, choices=())


def _danger_field():
    return forms.MultipleChoiceField(
        label=_("Danger signs"),
        required=False,
        choices=DangerSign.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Any sign sends her to a health facility today."),
    )


def _note_field():
    return forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PregnancyForm(MaternalForm):
    last_period_on = date_field(_("First day of the last period"), required=False)
    due_on = date_field(_("Estimated due date"), required=False)
    planned_place = forms.ChoiceField(
        label=_("Planned place of birth"),
        required=False,
        choices=_with_none(BirthPlace.choices),
        widget=forms.RadioSelect,
    )
    planned_facility = _facility_field(_("Planned health facility"))
    note = _note_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].help_text = _("Give one of the two dates: the other is computed.")


class AncForm(VersionedForm):
    visited_on = date_field(_("Visit date"))
    place = forms.ChoiceField(label=_("Place"), choices=CarePlace.choices, widget=forms.RadioSelect)
    facility = _facility_field(_("Health facility"))
    danger_signs = _danger_field()
    note = _note_field()


class ReferForm(VersionedForm):
    provider = _facility_field(_("Health facility"))
    service = forms.ChoiceField(label=_("Service"), choices=DANGER_SERVICE_CHOICES)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.URGENT)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BirthForm(VersionedForm):
    born_on = date_field(_("Date of birth or loss"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=BirthOutcome.choices, widget=forms.RadioSelect)
    place = forms.ChoiceField(
        label=_("Place of birth"), required=False, choices=BirthPlace.choices, widget=forms.RadioSelect
    )
    facility = _facility_field(_("Health facility"))
    attendant = forms.ChoiceField(
        label=_("Birth attendant"), required=False, choices=_with_none(BirthAttendant.choices)
    )


class NewbornForm(VersionedForm):
    family_name_km = forms.CharField(label=_("Family name (Khmer)"), required=False, max_length=80)
    given_name_km = forms.CharField(label=_("Given name (Khmer)"), required=False, max_length=80)
    family_name_latin = forms.CharField(label=_("Family name (Latin letters)"), required=False, max_length=80)
    given_name_latin = forms.CharField(label=_("Given name (Latin letters)"), required=False, max_length=80)
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[(Sex.FEMALE.value, Sex.FEMALE.label), (Sex.MALE.value, Sex.MALE.label)],
        widget=forms.RadioSelect,
    )


class PncForm(VersionedForm):
    visited_on = date_field(_("Visit date"))
    place = forms.ChoiceField(label=_("Place"), choices=CarePlace.choices, widget=forms.RadioSelect)
    danger_signs = _danger_field()
    note = _note_field()


class PlanningForm(VersionedForm):
    counselled_on = date_field(_("Counselled on"))
    consent_given = forms.BooleanField(
        label=_("She agrees that the method she chose is recorded"), required=False
    )
    method = forms.ChoiceField(
        label=_("Method chosen"),
        required=False,
        choices=_with_none(PlanningMethod.choices, _("Not recorded")),
    )
    note = _note_field()
