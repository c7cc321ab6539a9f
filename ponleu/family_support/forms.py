"""Forms of the family support screens: they parse and show; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ponleu.common.numerals import to_ascii_digits
from ponleu.referrals.choices import DEFAULT_SHARED_FIELDS, ServiceType, SharedField, Urgency

from .choices import DOMAIN_SERVICES, NeedDomain, NeedLevel


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, required=True):
    return forms.DateField(label=label, required=required, widget=DateInput())


class SupportForm(forms.Form):
    """Khmer digits typed into dates are read as ASCII ones; a service's refusal is shown on
    the field it names, or above the form."""

    def __init__(self, data=None, *args, **kwargs):
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

    def _field(self, name):
        for candidate in (name, f"level_{name}"):
            if candidate in self.fields:
                return candidate
        return None

    def apply_error(self, error) -> None:
        shown = False
        for field, messages in (error.errors or {}).items():
            for message in messages:
                self.add_error(self._field(field), str(message))
                shown = True
        if not shown:
            self.add_error(self._field(getattr(error, "field", None)), str(error.message))


class VersionedForm(SupportForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AssessmentForm(SupportForm):
    """The needs assessment: a level in each of the six areas, and what the household needs."""

    assessed_on = date_field(_("Needs assessed on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for domain in NeedDomain.values:
            self.fields[f"level_{domain}"] = forms.ChoiceField(
                label=_("Level of need"), choices=NeedLevel.choices, initial=NeedLevel.NONE
            )
            self.fields[f"note_{domain}"] = forms.CharField(
                label=_("What the household needs"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["next_visit_on"] = date_field(_("Next follow-up visit"), required=False)

    def needs(self) -> dict:
        data = self.cleaned_data
        return {
            domain: {"level": data[f"level_{domain}"], "note": data[f"note_{domain}"]}
            for domain in NeedDomain.values
        }

    def pairs(self):
        """(area, level, note) per area, the last two bound fields, for the template."""
        return [
            (label, self[f"level_{domain}"], self[f"note_{domain}"]) for domain, label in NeedDomain.choices
        ]


class NeedForm(VersionedForm):
    """One need: its level, the directory service that answers it, whether it is met."""

    level = forms.ChoiceField(label=_("Level of need"), choices=NeedLevel.choices)
    note = forms.CharField(
        label=_("What the household needs"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    service = forms.ChoiceField(label=_("Service"), choices=(), required=False)
    provider = forms.ChoiceField(label=_("Service provider"), choices=(), required=False)
    met = forms.BooleanField(label=_("This need is met"), required=False)

    def __init__(self, *args, domain: str, providers=(), providers_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if providers_url:
            # Choosing the service lists the providers of it that serve the household's commune.
            self.fields["service"].widget.attrs.update(
                {"hx-get": providers_url, "hx-target": "#providers", "hx-swap": "outerHTML"}
            )
        suggested = DOMAIN_SERVICES.get(domain, ())
        others = [value for value in ServiceType.values if value not in suggested]
        self.fields["service"].choices = [
            ("", "—"),
            *[(value, ServiceType(value).label) for value in (*suggested, *others)],
        ]
        self.fields["provider"].choices = [("", "—"), *providers]


class ReferForm(VersionedForm):
    """Refer a member of the household to the need's service (a draft, sent from its page)."""

    person = forms.ChoiceField(label=_("Who is referred"), choices=())
    reason = forms.CharField(
        label=_("Reason for referral"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.ROUTINE)
    shared_fields = forms.MultipleChoiceField(
        label=_("What the receiving organisation will see"),
        choices=SharedField.choices,
        initial=list(DEFAULT_SHARED_FIELDS),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, people=(), **kwargs):
        # Beside the need's own form on one page: ids of its own.
        kwargs.setdefault("auto_id", "id_refer_%s")
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = list(people)


class VisitForm(VersionedForm):
    visited_on = date_field(_("Visited on"))
    note = forms.CharField(
        label=_("What was seen and said"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    met = forms.MultipleChoiceField(
        label=_("Needs met since the last visit"),
        choices=NeedDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    next_visit_on = date_field(_("Next follow-up visit"), required=False)

    def __init__(self, *args, open_domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        if open_domains:
            self.fields["met"].choices = [(d, NeedDomain(d).label) for d in open_domains]
        else:
            del self.fields["met"]


class GraduateForm(VersionedForm):
    note = forms.CharField(
        label=_("Why the household graduates"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
