"""Forms of the case screens: they parse and show; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ponleu.common import number_fields
from ponleu.common.numerals import to_ascii_digits

from .choices import (
    ActionStatus,
    ClosureReason,
    CSIDomain,
    Currency,
    Destination,
    FollowUpOutcome,
    GoalStatus,
    Hazard,
    IdentificationSource,
    InstrumentKind,
    InteractionType,
    LegalCaseStatus,
    MosvyForm,
    PlacementType,
    ServiceType,
    WorkplaceType,
)
from .models import bilingual


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


def text_area(label, required=True, rows=3):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class CaseForm(forms.Form):
    """Khmer digits typed into dates and numbers are read as ASCII ones."""

    def __init__(self, *args, **kwargs):
        data = kwargs.get("data", args[0] if args else None)
        if data is not None:
            data = data.copy()
            for key in list(data.keys()):
                values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
                converted = [to_ascii_digits(v) if isinstance(v, str) else v for v in values]
                if hasattr(data, "setlist"):
                    data.setlist(key, converted)
                else:
                    data[key] = converted[0]
            if "data" in kwargs:
                kwargs["data"] = data
            else:
                args = (data, *args[1:])
        super().__init__(*args, **kwargs)

    def apply_error(self, error) -> None:
        """Show a service's refusal on the field it names, or above the form."""
        field = getattr(error, "field", None)
        self.add_error(field if field in self.fields else None, str(error.message))


class VersionedForm(CaseForm):
    version = number_fields.IntegerField(widget=forms.HiddenInput)


class CaseOpenForm(CaseForm):
    case_type = forms.ChoiceField(label=_("Type of case"))
    subtype = forms.ChoiceField(label=_("Kind"), required=False)
    source = forms.ChoiceField(label=_("Identified by"), choices=IdentificationSource.choices)
    source_detail = forms.CharField(
        label=_("Referrer (name, organisation, phone)"), required=False, max_length=200
    )
    identified_on = date_field(_("Identified on"))
    summary = text_area(_("Reason for the case (what happened, what the child needs)"), required=False)
    immediate_danger = forms.BooleanField(
        label=_("The child is in immediate danger"),
        required=False,
        help_text=_("A safety plan will be due within 24 hours."),
    )
    owner = forms.ChoiceField(label=_("Caseworker"), required=False)

    def __init__(self, *args, case_types=(), caseworkers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = [(t.code, t.display_name()) for t in case_types]
        subtypes = [("", "—")]
        for case_type in case_types:
            if case_type.subtypes:
                subtypes.append((case_type.display_name(), case_type.subtype_choices()))
        self.fields["subtype"].choices = subtypes
        if caseworkers is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].choices = [("", _("Not assigned yet"))] + [
                (str(u.pk), u.display_name) for u in caseworkers
            ]


class CaseEditForm(VersionedForm):
    subtype = forms.ChoiceField(label=_("Kind"), required=False)
    source = forms.ChoiceField(label=_("Identified by"), choices=IdentificationSource.choices)
    source_detail = forms.CharField(
        label=_("Referrer (name, organisation, phone)"), required=False, max_length=200
    )
    identified_on = date_field(_("Identified on"))
    summary = text_area(_("Reason for the case"), required=False)
    is_sensitive = forms.BooleanField(
        label=_("Sensitive case (names hidden from colleagues)"), required=False
    )
    mosvy_number = forms.CharField(label=_("MoSVY case number"), required=False, max_length=40)
    primero_case_id = forms.CharField(label=_("Primero case id"), required=False, max_length=64)
    oscar_global_id = forms.CharField(label=_("OSCaR global id"), required=False, max_length=64)

    def __init__(self, *args, case_type=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subtype"].choices = [("", "—"), *(case_type.subtype_choices() if case_type else [])]


class TransitionForm(VersionedForm):
    closure_reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=[("", "—"), *ClosureReason.choices]
    )
    open_actions_reason = text_area(_("Why close while actions are still open?"), required=False)
    reason = text_area(_("Comment"), required=False)

    def __init__(self, *args, event=None, open_actions=0, **kwargs):
        super().__init__(*args, **kwargs)
        if event != "request_closure":
            del self.fields["closure_reason"]
            del self.fields["open_actions_reason"]
        elif not open_actions:
            del self.fields["open_actions_reason"]
        labels = {
            "request_closure": _("Closing summary"),
            "return_plan": _("What must change (required)"),
            "return_closure": _("Why the case cannot close yet (required)"),
            "reopen": _("Why the case is reopened (required)"),
        }
        if event in labels:
            self.fields["reason"].label = labels[event]


class AssignForm(VersionedForm):
    owner = forms.ChoiceField(label=_("Caseworker"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    reason = text_area(_("Reason for the transfer"), required=False)

    def __init__(self, *args, caseworkers=(), teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Nobody yet"))] + [
            (str(u.pk), u.display_name) for u in caseworkers
        ]
        self.fields["team"].choices = [("", _("Keep the caseworker's team"))] + [
            (str(t.pk), t.name) for t in teams
        ]


class SafetyPlanForm(CaseForm):
    dangers = text_area(_("What the danger is and who poses it"))
    safe_place = text_area(_("Where the child will be safe"), rows=2)
    trusted_adults = text_area(_("Trusted adults the child can call"), required=False, rows=2)
    warning_signs = text_area(_("Warning signs to watch for"), required=False, rows=2)
    steps = text_area(_("Steps agreed with the child"))
    review_on = date_field(_("Review the plan on"), required=False)


class LabourForm(CaseForm):
    workplace_type = forms.ChoiceField(label=_("Workplace"), choices=WorkplaceType.choices)
    workplace = forms.CharField(label=_("Workplace name and place"), required=False, max_length=200)
    hazards = forms.MultipleChoiceField(
        label=_("Hazards"), choices=Hazard.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    hours_per_week = number_fields.IntegerField(
        label=_("Hours worked per week"), required=False, min_value=0, max_value=168
    )
    is_paid = forms.BooleanField(label=_("The child is paid"), required=False)


class TraffickingForm(CaseForm):
    destination = forms.ChoiceField(label=_("Destination"), choices=Destination.choices)
    destination_place = forms.CharField(label=_("Destination place"), required=False, max_length=200)
    route = text_area(_("Route (places passed through)"), required=False, rows=2)
    returned_on = date_field(_("Returned on"), required=False)
    legal_status = forms.ChoiceField(label=_("Legal case"), choices=LegalCaseStatus.choices)
    legal_aid = forms.BooleanField(label=_("Legal aid provided"), required=False)
    legal_aid_provider = forms.CharField(label=_("Legal aid provider"), required=False, max_length=200)


class ReintegrationForm(VersionedForm):
    reunified_on = date_field(_("Reunified with the family on"))
    reunified_with = forms.CharField(label=_("Reunified with (who cares for the child now)"), max_length=200)


class AssessmentForm(CaseForm):
    assessed_on = date_field(_("Assessed on"))
    note = text_area(_("Note"), required=False, rows=2)

    def __init__(self, *args, instrument=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        scores = [(1, _("1: very poor")), (2, _("2: poor")), (3, _("3: fair")), (4, _("4: good"))]
        for item in instrument.items:
            label = bilingual(item.get("label_km", ""), item.get("label_en", ""), fr=item.get("label_fr", ""))
            name = f"item_{item['code']}"
            if instrument.kind == InstrumentKind.CSI:
                self.fields[name] = forms.TypedChoiceField(
                    label=f"{item['code']} · {label}",
                    choices=scores,
                    coerce=int,
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[name] = forms.BooleanField(label=label, required=False)

    def answers(self) -> dict:
        return {
            item["code"]: self.cleaned_data.get(f"item_{item['code']}")
            for item in self.instrument.items
            if self.cleaned_data.get(f"item_{item['code']}") not in (None, "")
        }

    def item_fields(self):
        return [self[name] for name in self.fields if name.startswith("item_")]

    def apply_error(self, error) -> None:
        field = getattr(error, "field", None)
        if field and f"item_{field}" in self.fields:
            self.add_error(f"item_{field}", str(error.message))
        else:
            super().apply_error(error)


class GoalForm(CaseForm):
    domain = forms.ChoiceField(label=_("Domain"), choices=CSIDomain.choices)
    description = text_area(_("Goal"), rows=2)


class GoalStatusForm(CaseForm):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)


class ActionForm(CaseForm):
    goal = forms.ChoiceField(label=_("Goal"))
    description = text_area(_("Action"), rows=2)
    owner = forms.ChoiceField(label=_("Who does it"), required=False)
    due_on = date_field(_("Due on"))

    def __init__(self, *args, goals=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [(str(g.pk), f"{g.domain} · {g.description[:60]}") for g in goals]
        self.fields["owner"].choices = [("", "—")] + [(str(u.pk), u.display_name) for u in people]


class ActionUpdateForm(CaseForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    done_on = date_field(_("Done on"), required=False)


class ServiceForm(CaseForm):
    service_type = forms.ChoiceField(label=_("Service"))
    provider = forms.CharField(label=_("Provider"), max_length=200)
    delivered_on = date_field(_("Delivered on"))
    cost = number_fields.DecimalField(
        label=_("Cost"), required=False, min_value=0, decimal_places=2, max_digits=12
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    outcome = text_area(_("Outcome"), required=False, rows=2)
    goal = forms.ChoiceField(label=_("Goal it serves"), required=False)

    def __init__(self, *args, service_types=(), goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].choices = [(code, ServiceType(code).label) for code in service_types]
        self.fields["goal"].choices = [("", "—")] + [
            (str(g.pk), f"{g.domain} · {g.description[:60]}") for g in goals
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class NoteForm(CaseForm):
    interaction = forms.ChoiceField(label=_("Contact"), choices=InteractionType.choices)
    happened_on = date_field(_("Date"))
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    present = forms.CharField(label=_("Who was present"), required=False, max_length=500)
    observations = text_area(_("Observations"), rows=5)
    goals = forms.MultipleChoiceField(
        label=_("Goals worked on"), required=False, widget=forms.CheckboxSelectMultiple
    )
    attachments = MultipleFileField(
        label=_("Attachments (PDF, photos, audio, Word; 10 MB each)"), required=False
    )

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].choices = [(str(g.pk), f"{g.domain} · {g.description[:60]}") for g in goals]


class ConferenceForm(CaseForm):
    held_on = date_field(_("Held on"))
    participants = text_area(_("Participants"), rows=2)
    decisions = text_area(_("Decisions"), rows=4)
    next_review_on = date_field(_("Next review on"), required=False)


class PlacementForm(CaseForm):
    placement_type = forms.ChoiceField(label=_("Type of care"), choices=PlacementType.choices)
    carer = forms.CharField(label=_("Carer or facility"), max_length=200)
    carer_relationship = forms.CharField(
        label=_("Carer's relationship to the child"), required=False, max_length=100
    )
    place = forms.CharField(label=_("Address"), required=False, max_length=200)
    started_on = date_field(_("From"))
    ended_on = date_field(_("Until (leave empty if it goes on)"), required=False)


class PlacementEndForm(CaseForm):
    ended_on = date_field(_("Ended on"))
    end_reason = forms.CharField(label=_("Why it ended"), required=False, max_length=200)


class FollowUpForm(CaseForm):
    done_on = date_field(_("Visited on"))
    outcome = forms.ChoiceField(label=_("How the child is"), choices=FollowUpOutcome.choices)
    observations = text_area(_("Observations"), required=False)


class CaseTypeForm(CaseForm):
    name_km = forms.CharField(label=_("Name in Khmer"), max_length=120)
    name_en = forms.CharField(label=_("Name in English"), max_length=120)
    name_fr = forms.CharField(label=_("Name in French"), max_length=120, required=False)
    is_sensitive_default = forms.BooleanField(label=_("Cases are sensitive by default"), required=False)
    requires_safety_plan = forms.BooleanField(label=_("A safety plan is required"), required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False)
    mosvy_forms = forms.TypedMultipleChoiceField(
        label=_("MoSVY forms"),
        choices=MosvyForm.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    instruments = forms.MultipleChoiceField(
        label=_("Assessments"), required=False, widget=forms.CheckboxSelectMultiple
    )
    service_types = forms.MultipleChoiceField(
        label=_("Services"), choices=ServiceType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, instruments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instruments"].choices = [(i.code, i.display_name()) for i in instruments]
