"""Forms of the education screens: they parse and label; the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from ponleu.common import number_fields

from .choices import (
    AssessmentKind,
    CalendarDayKind,
    DropoutReason,
    EnrolmentEventKind,
    IncidentSeverity,
    IncidentType,
    SchoolLevel,
    Subject,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


def apply_errors(form: forms.Form, error) -> None:
    """Put a service's problems on the form: on the field they name, or on the form."""
    if not error.errors:
        form.add_error(None, str(error.message))
        return
    for name, messages in error.errors.items():
        for message in messages:
            form.add_error(
                name if name in form.fields else None,
                message if name in form.fields else f"{name}: {message}",
            )


class SchoolForm(forms.Form):
    emis_code = forms.CharField(label=_("EMIS code"), max_length=20)
    name_km = forms.CharField(label=_("Name in Khmer"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=SchoolLevel.choices)
    village = forms.CharField(label=_("Village code (8 digits)"), max_length=8)
    version = number_fields.IntegerField(widget=forms.HiddenInput, required=False)

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        return {
            "emis_code": d["emis_code"],
            "name_km": d["name_km"],
            "name_en": d["name_en"],
            "level": d["level"],
            "village_id": d["village"],
        }


class YearForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40, help_text=_("For example 2026–2027."))
    starts_on = date_field(_("First day of the school year"))
    ends_on = date_field(_("Last day of the school year"))
    term1_name = forms.CharField(label=_("Term 1"), initial=_("Semester 1"), max_length=60)
    term1_start = date_field(_("Term 1: first day"))
    term1_end = date_field(_("Term 1: last day"))
    term2_name = forms.CharField(label=_("Term 2"), initial=_("Semester 2"), max_length=60, required=False)
    term2_start = date_field(_("Term 2: first day"), required=False)
    term2_end = date_field(_("Term 2: last day"), required=False)
    saturday = forms.BooleanField(label=_("Classes on Saturdays"), required=False)
    holiday_language = forms.ChoiceField(
        label=_("Holiday names in"), choices=[("km", _("Khmer")), ("en", _("English"))]
    )

    def terms(self) -> list[tuple[str, dt.date, dt.date]]:
        d = self.cleaned_data
        terms = [(d["term1_name"], d["term1_start"], d["term1_end"])]
        if d.get("term2_start") or d.get("term2_end"):
            terms.append((d.get("term2_name") or "", d.get("term2_start"), d.get("term2_end")))
        return terms


class TermsForm(forms.Form):
    version = number_fields.IntegerField(widget=forms.HiddenInput)
    term1_name = forms.CharField(label=_("Term 1"), max_length=60)
    term1_start = date_field(_("Term 1: first day"))
    term1_end = date_field(_("Term 1: last day"))
    term2_name = forms.CharField(label=_("Term 2"), max_length=60, required=False)
    term2_start = date_field(_("Term 2: first day"), required=False)
    term2_end = date_field(_("Term 2: last day"), required=False)

    terms = YearForm.terms


class CalendarDayForm(forms.Form):
    date = date_field(_("Date"))
    kind = forms.ChoiceField(label=_("Kind of day"), choices=CalendarDayKind.choices)
    name = forms.CharField(label=_("Name or reason"), max_length=120, required=False)


class ClassForm(forms.Form):
    grade = number_fields.IntegerField(label=_("Grade"), min_value=1, max_value=12)
    section = forms.CharField(
        label=_("Section"), max_length=10, required=False, help_text=_("For example A.")
    )
    homeroom_teacher = forms.ChoiceField(label=_("Homeroom teacher"), required=False)

    def __init__(self, *args, teachers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["homeroom_teacher"].choices = [("", _("Nobody yet"))] + [
            (str(m.pk), m.user.display_name if hasattr(m.user, "display_name") else m.user.username)
            for m in teachers
        ]


class EnrolForm(forms.Form):
    person = forms.UUIDField(
        label=_("Child's record number in Ponleu"),
        help_text=_("Open the child in People and copy the number from the address."),
    )
    enrolled_on = date_field(_("Enrolled on"), required=False)
    is_repeating = forms.BooleanField(label=_("Repeating this grade"), required=False)
    transferred_in = forms.BooleanField(label=_("Arrived from another school"), required=False)


class EnrolmentChangeForm(forms.Form):
    enrolment = forms.UUIDField(widget=forms.HiddenInput)
    version = number_fields.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (k.value, k.label)
            for k in EnrolmentEventKind
            if k not in (EnrolmentEventKind.ENROLLED, EnrolmentEventKind.TRANSFERRED_IN)
        ],
    )
    date = date_field(_("Date"))
    reason = forms.ChoiceField(
        label=_("Main reason (for a dropout)"), choices=[("", "—"), *DropoutReason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AssessmentForm(forms.Form):
    subject = forms.ChoiceField(label=_("Subject"), choices=Subject.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=AssessmentKind.choices)
    held_on = date_field(_("Date of the test"))
    max_score = number_fields.DecimalField(
        label=_("Maximum score"), min_value=0, max_digits=6, decimal_places=2, initial=50
    )


class IncidentForm(forms.Form):
    enrolment = forms.ChoiceField(label=_("Pupil"))
    occurred_on = date_field(_("Date"))
    type = forms.ChoiceField(label=_("What happened"), choices=IncidentType.choices)
    severity = forms.TypedChoiceField(label=_("How serious"), choices=IncidentSeverity.choices, coerce=int)
    note = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, pupils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].choices = [(str(p.enrolment.pk), f"{p.number}. {p.label}") for p in pupils]


class AttendanceImportForm(forms.Form):
    file = forms.FileField(label=_("Register (Excel .xlsx or CSV)"))
    month = forms.CharField(
        label=_("Month, when the header has day numbers"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    reason = forms.CharField(
        label=_("Reason, if the file changes days already recorded"), max_length=300, required=False
    )
    confirm = forms.BooleanField(label=_("Save (leave unticked to check the file first)"), required=False)

    def clean_month(self):
        value = self.cleaned_data.get("month") or ""
        if not value:
            return None
        try:
            return dt.date.fromisoformat(f"{value}-01")
        except ValueError:
            raise forms.ValidationError(_("Give the month as YYYY-MM.")) from None
