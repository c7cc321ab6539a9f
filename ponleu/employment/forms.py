"""Forms of the youth employment screens: they parse and show; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ponleu.programmes.forms import DateInput, ProgrammeForm, date_field

from .choices import CourseOutcome, Currency, DocumentKind, EducationLevel, OfferKind, Satisfaction, Skill


class ProfileForm(ProgrammeForm):
    education = forms.ChoiceField(label=_("Schooling reached"), choices=EducationLevel.choices)
    skills = forms.MultipleChoiceField(
        label=_("Skills"), choices=Skill.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    other_skills = forms.CharField(
        label=_("Other skills (separated by commas)"), required=False, max_length=700
    )
    interests = forms.CharField(label=_("Interests"), required=False, max_length=500)
    consent_on = date_field(_("Consent given on"))


class PlacementForm(ProgrammeForm):
    offer = forms.UUIDField(widget=forms.HiddenInput)
    starts_on = date_field(_("Starts on"))
    wage = forms.CharField(label=_("Wage a month"), max_length=20)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)


class FollowUpForm(ProgrammeForm):
    followed_on = date_field(_("Date of the follow-up"))
    still_working = forms.TypedChoiceField(
        label=_("Still working there?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    wage = forms.CharField(label=_("Wage a month now"), max_length=20, required=False)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class CourseResultForm(ProgrammeForm):
    person = forms.UUIDField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Result"), choices=CourseOutcome.choices)
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput())
    certificate_number = forms.CharField(label=_("Certificate number"), required=False, max_length=60)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class OfferForm(ProgrammeForm):
    """An employer's offer; the employers are the directory's (``employers``: (id, name))."""

    employer = forms.ChoiceField(label=_("Employer"))
    kind = forms.ChoiceField(label=_("Kind"), choices=OfferKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    skills = forms.MultipleChoiceField(
        label=_("Skills wanted"), choices=Skill.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    place_code = forms.CharField(
        label=_("Place (commune, district or province code)"),
        max_length=8,
        help_text=_("For example 020101 for a commune, 0201 for a district."),
    )
    wage = forms.CharField(label=_("Wage a month"), max_length=20)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    starts_on = date_field(_("From"))
    ends_on = date_field(_("Until"), required=False)
    places = forms.IntegerField(label=_("Places available"), min_value=1, max_value=500)

    def __init__(self, *args, employers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = [("", "—"), *employers]


class DocumentForm(ProgrammeForm):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    number = forms.CharField(label=_("Number"), required=False, max_length=60)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    issued_on = date_field(_("Issued on"), required=False)
