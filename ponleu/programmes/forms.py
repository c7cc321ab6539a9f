"""Forms of the programme screens: they parse and show; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ponleu.common.numerals import to_ascii_digits

from .choices import (
    AgeBand,
    Audience,
    EventKind,
    EventTopic,
    FoundBy,
    MemberRole,
    OutOfSchoolReason,
    ReturnPlan,
    Sex,
    Workplace,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, required=True):
    return forms.DateField(label=label, required=required, widget=DateInput())


def ascii_digits(data):
    """Khmer digits typed into numbers and dates are read as ASCII ones."""
    if data is None:
        return None
    data = data.copy()
    for key in list(data.keys()):
        values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
        converted = [to_ascii_digits(v) if isinstance(v, str) else v for v in values]
        if hasattr(data, "setlist"):
            data.setlist(key, converted)
        else:
            data[key] = converted[0]
    return data


class ProgrammeForm(forms.Form):
    def __init__(self, data=None, *args, **kwargs):
        super().__init__(ascii_digits(data), *args, **kwargs)

    def apply_error(self, error) -> None:
        shown = False
        for field, messages in (error.errors or {}).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, str(message))
                shown = True
        if not shown:
            self.add_error(None, str(error.message))


# The grid of people counted without registration: one number per sex and age band.
COUNT_BANDS = [(band.value, band.label) for band in AgeBand]
COUNT_SEXES = [(sex.value, sex.label) for sex in Sex]


def count_key(sex: str, band: str, disability: bool = False) -> str:
    return f"c-{sex}-{band}{'-d' if disability else ''}"


def counted_from(data, *, with_disability: bool = False) -> list[dict]:
    """The counts typed in the grid, as rows for the services (empty cells are zero)."""
    rows = []
    flags = (False, True) if with_disability else (False,)
    for sex, _label in COUNT_SEXES:
        for band, _band_label in COUNT_BANDS:
            for disability in flags:
                raw = to_ascii_digits(str(data.get(count_key(sex, band, disability)) or "")).strip()
                if raw:
                    rows.append({"sex": sex, "age_band": band, "with_disability": disability, "count": raw})
    return rows


def count_grid(counted: dict, *, with_disability: bool = False) -> list[dict]:
    """Rows for the template: an age band with an input per sex (and disability)."""
    flags = (False, True) if with_disability else (False,)
    return [
        {
            "label": band_label,
            "cells": [
                {
                    "name": count_key(sex, band, disability),
                    "sex": sex_label,
                    "disability": disability,
                    "value": counted.get(
                        (sex, band, disability), counted.get((sex, band)) if not disability else None
                    )
                    or "",
                }
                for sex, sex_label in COUNT_SEXES
                for disability in flags
            ],
        }
        for band, band_label in COUNT_BANDS
    ]


class SessionForm(ProgrammeForm):
    held_on = date_field(_("Date"))
    topic = forms.CharField(label=_("Topic"), max_length=200)


class MemberForm(ProgrammeForm):
    person = forms.UUIDField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    joined_on = date_field(_("Joined on"))


class EventForm(ProgrammeForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices, widget=forms.RadioSelect)
    topic = forms.ChoiceField(label=_("Topic"), choices=EventTopic.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    held_on = date_field(_("Date"))
    village = forms.CharField(label=_("Village code"), max_length=8)
    has_tests = forms.BooleanField(label=_("With pre- and post-tests"), required=False)


class VisitForm(ProgrammeForm):
    visited_on = date_field(_("Visited on"))
    workplace = forms.ChoiceField(label=_("Workplace"), choices=Workplace.choices)
    workplace_name = forms.CharField(label=_("Name of the workplace"), max_length=200, required=False)
    village = forms.CharField(label=_("Village code"), max_length=8)
    note = forms.CharField(
        label=_("What the committee saw"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ChildSeenForm(ProgrammeForm):
    name = forms.CharField(label=_("Name as given"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    age = forms.IntegerField(
        label=_("Age (about)"),
        min_value=0,
        max_value=24,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
    )
    work = forms.CharField(label=_("Work seen"), max_length=300, required=False)


class NewChildForm(ProgrammeForm):
    family_name_km = forms.CharField(label=_("Family name (Khmer)"), max_length=80, required=False)
    given_name_km = forms.CharField(label=_("Given name (Khmer)"), max_length=80, required=False)
    family_name_latin = forms.CharField(label=_("Family name (Latin letters)"), max_length=80, required=False)
    given_name_latin = forms.CharField(label=_("Given name (Latin letters)"), max_length=80, required=False)

    def names(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


class OutOfSchoolForm(ProgrammeForm):
    person = forms.UUIDField(widget=forms.HiddenInput)
    identified_on = date_field(_("Found on"))
    found_by = forms.ChoiceField(label=_("Found by"), choices=FoundBy.choices)
    reason = forms.ChoiceField(label=_("Reason"), choices=OutOfSchoolReason.choices)
    plan = forms.ChoiceField(label=_("Plan to bring them back"), choices=ReturnPlan.choices)
