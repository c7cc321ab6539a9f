"""Forms: parse and show. Rules live in the services; their messages come back onto the fields."""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ponleu.common.errors import DomainError
from ponleu.organisations.models import Organisation

from . import functioning
from .choices import (
    DEFAULT_DATA_CATEGORIES,
    AgeBand,
    AliasSource,
    ChildAssent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    DataCategory,
    DatePrecision,
    FunctioningModule,
    FunctioningRespondent,
    IdentifierType,
    IDPoorSource,
    IDPoorStatus,
    IncomeSource,
    Language,
    MigrationDestination,
    PersonKind,
    PhoneOwner,
    ProviderKind,
    Relationship,
    Sex,
)

DATE_HELP = _("Day/month/year, for example 09/03/2015. Khmer digits are fine.")
BLANK = [("", "—")]


class DateInput(forms.CharField):
    """Dates stay text until the service parses them (Khmer digits, dd/mm/yyyy, ISO)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", DATE_HELP)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)


def apply_errors(form: forms.Form, error: DomainError, field_map: dict | None = None) -> None:
    """Put a service's messages on the form's fields (unknown names go to the top of the form)."""
    field_map = field_map or {}
    if not error.errors:
        form.add_error(None, error.message)
        return
    for name, messages in error.errors.items():
        target = field_map.get(name, name)
        if target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)


class FilterForm(forms.Form):
    """The list's filters; the area comes from the village picker (any level)."""

    q = forms.CharField(label=_("Name, phone or document number"), required=False, max_length=100)
    area = forms.CharField(required=False, max_length=8, widget=forms.HiddenInput)
    age_band = forms.ChoiceField(label=_("Age"), required=False, choices=BLANK + AgeBand.choices)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=BLANK + Sex.choices)
    disability = forms.ChoiceField(
        label=_("Functional difficulty"),
        required=False,
        choices=BLANK + [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not assessed"))],
    )
    idpoor = forms.ChoiceField(label=_("IDPoor"), required=False, choices=BLANK + IDPoorStatus.choices)
    kind = forms.ChoiceField(label=_("Registered as"), required=False, choices=BLANK + PersonKind.choices)


class MatchForm(forms.Form):
    """Step one of registering: enough to look for the same child already registered."""

    family_name_km = forms.CharField(label=_("Family name (Khmer)"), required=False, max_length=80)
    given_name_km = forms.CharField(label=_("Given name (Khmer)"), required=False, max_length=80)
    family_name_latin = forms.CharField(label=_("Family name (Latin letters)"), required=False, max_length=80)
    given_name_latin = forms.CharField(label=_("Given name (Latin letters)"), required=False, max_length=80)
    date_of_birth = DateInput(label=_("Date of birth"))
    village = forms.CharField(label=_("Village code"), required=False, max_length=10)
    caregiver_phone = forms.CharField(
        label=_("Caregiver's phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        names = ("family_name_km", "given_name_km", "family_name_latin", "given_name_latin")
        if not any(data.get(n) for n in names):
            raise forms.ValidationError(_("Enter at least one name, in Khmer script or in Latin letters."))
        return data


class PersonForm(forms.Form):
    kind = forms.ChoiceField(label=_("Registered as"), choices=PersonKind.choices, initial=PersonKind.CHILD)
    family_name_km = forms.CharField(label=_("Family name (Khmer)"), required=False, max_length=80)
    given_name_km = forms.CharField(label=_("Given name (Khmer)"), required=False, max_length=80)
    family_name_latin = forms.CharField(label=_("Family name (Latin letters)"), required=False, max_length=80)
    given_name_latin = forms.CharField(label=_("Given name (Latin letters)"), required=False, max_length=80)
    nickname = forms.CharField(label=_("Nickname"), required=False, max_length=80)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    date_of_birth = DateInput(label=_("Date of birth"))
    date_of_birth_precision = forms.ChoiceField(
        label=_("The date of birth is"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    village = forms.CharField(label=_("Village code"), required=False, max_length=10)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )
    is_sensitive = forms.BooleanField(
        label=_("Sensitive record (names hidden from those who may not see sensitive records)"),
        required=False,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    person_fields = (
        "kind",
        "family_name_km",
        "given_name_km",
        "family_name_latin",
        "given_name_latin",
        "nickname",
        "sex",
        "date_of_birth",
        "date_of_birth_precision",
        "village",
        "languages",
        "is_sensitive",
    )

    def person_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.person_fields}


class PersonCreateForm(PersonForm):
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    phone_owner = forms.ChoiceField(label=_("Whose phone"), choices=PhoneOwner.choices, required=False)
    identifier_type = forms.ChoiceField(
        label=_("Document"), required=False, choices=BLANK + IdentifierType.choices
    )
    identifier_value = forms.CharField(label=_("Document number"), required=False, max_length=60)
    household = forms.UUIDField(required=False, widget=forms.HiddenInput)
    relationship = forms.ChoiceField(
        label=_("Relationship in the household"), required=False, choices=BLANK + Relationship.choices
    )
    is_primary_caregiver = forms.BooleanField(label=_("Primary caregiver of the household"), required=False)

    # Where each service error lands on this form.
    field_map = {
        "phones.0.number": "phone",
        "phones.0.owner": "phone_owner",
        "identifiers.0.type": "identifier_type",
        "identifiers.0.value": "identifier_value",
    }

    def phones(self) -> list[dict]:
        number = self.cleaned_data.get("phone")
        return [{"number": number, "owner": self.cleaned_data.get("phone_owner")}] if number else []

    def identifiers(self) -> list[dict]:
        kind, value = self.cleaned_data.get("identifier_type"), self.cleaned_data.get("identifier_value")
        return [{"type": kind, "value": value}] if kind or value else []


class PhoneForm(forms.Form):
    number = forms.CharField(
        label=_("Phone number"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    owner = forms.ChoiceField(label=_("Whose phone"), choices=PhoneOwner.choices)
    owner_name = forms.CharField(label=_("Owner's name"), required=False, max_length=120)


class IdentifierForm(forms.Form):
    type = forms.ChoiceField(label=_("Document"), choices=IdentifierType.choices)
    value = forms.CharField(label=_("Number"), max_length=60)
    issued_on = DateInput(label=_("Issued on"))


class AliasForm(forms.Form):
    name = forms.CharField(label=_("Other name or spelling"), max_length=160)
    source = forms.ChoiceField(label=_("Where it comes from"), choices=AliasSource.choices)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Consent to"), choices=ConsentPurpose.choices)
    # For sharing: an organisation on Ponleu, every service of one kind, or one outside by name.
    recipient = forms.ChoiceField(
        label=_("Organisation on Ponleu it may be shared with"), required=False, choices=()
    )
    recipient_kind = forms.ChoiceField(
        label=_("Or every service of this kind"), required=False, choices=BLANK + list(ProviderKind.choices)
    )
    recipient_name = forms.CharField(
        label=_("Organisation the information may be shared with"), required=False, max_length=200
    )
    data_categories = forms.MultipleChoiceField(
        label=_("What may be shared"),
        choices=DataCategory.choices,
        initial=list(DEFAULT_DATA_CATEGORIES),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    given_by_name = forms.CharField(
        label=_("Name of the person giving consent"), required=False, max_length=160
    )
    child_assent = forms.ChoiceField(
        label=_("The child's own agreement (from 12 years old)"),
        choices=ChildAssent.choices,
        initial=ChildAssent.NOT_ASKED,
        required=False,
    )
    given_on = DateInput(label=_("Date given"), required=True)
    valid_until = DateInput(label=_("Valid until (optional)"))
    method = forms.ChoiceField(label=_("How it was recorded"), choices=ConsentMethod.choices)
    witness_name = forms.CharField(label=_("Witness (for verbal consent)"), required=False, max_length=160)
    form_file = forms.FileField(label=_("Signed form (PDF or photo)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = translation.get_language()
        self.fields["recipient"].choices = BLANK + [
            (str(organisation.pk), organisation.display_name(language))
            for organisation in Organisation.objects.filter(is_active=True)
        ]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class MergeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are these the same person?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    duplicate_version = forms.IntegerField(widget=forms.HiddenInput)
    kept_version = forms.IntegerField(widget=forms.HiddenInput)


class HouseholdForm(forms.Form):
    village = forms.CharField(label=_("Village code"), required=False, max_length=10)
    address_detail = forms.CharField(label=_("House, street or group"), required=False, max_length=200)
    parents_away = forms.ChoiceField(
        label=_("Parents working away"), required=False, choices=MigrationDestination.choices
    )
    is_single_parent = forms.BooleanField(label=_("Single-parent household"), required=False)
    is_child_headed = forms.BooleanField(label=_("Child-headed household"), required=False)
    income_sources = forms.MultipleChoiceField(
        label=_("Income sources"),
        required=False,
        choices=IncomeSource.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    household_fields = (
        "village",
        "address_detail",
        "parents_away",
        "is_single_parent",
        "is_child_headed",
        "income_sources",
    )

    def household_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.household_fields}


class HouseholdStartForm(HouseholdForm):
    relationship = forms.ChoiceField(label=_("This person's relationship"), choices=Relationship.choices)
    is_primary_caregiver = forms.BooleanField(label=_("This person is the primary caregiver"), required=False)


class MemberForm(forms.Form):
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Relationship.choices)
    is_primary_caregiver = forms.BooleanField(label=_("Primary caregiver"), required=False)


class IDPoorForm(forms.Form):
    status = forms.ChoiceField(label=_("IDPoor status"), choices=IDPoorStatus.choices)
    card_number = forms.CharField(label=_("Equity card number"), required=False, max_length=40)
    assessed_on = DateInput(label=_("Assessed on"))
    valid_until = DateInput(label=_("Valid until"))
    source = forms.ChoiceField(label=_("Source"), choices=IDPoorSource.choices)
    is_card_seen = forms.BooleanField(label=_("I saw the card"), required=False)


class FunctioningForm(forms.Form):
    """One question per item of the chosen module, answered from the module's scale."""

    assessed_on = DateInput(label=_("Date of the interview"), required=True)
    respondent = forms.ChoiceField(label=_("Answered by"), choices=FunctioningRespondent.choices)
    module = forms.ChoiceField(choices=FunctioningModule.choices, widget=forms.HiddenInput)

    def __init__(self, *args, module: str, texts: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].initial = module
        self.module = module
        texts = texts or {}
        for item in functioning.ITEMS[module]:
            self.fields[f"item_{item.code}"] = forms.ChoiceField(
                label=texts.get(item.code) or item.label,
                choices=item.choices,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict:
        return {
            item.code: self.cleaned_data.get(f"item_{item.code}") for item in functioning.ITEMS[self.module]
        }

    @property
    def field_map(self) -> dict:
        return {f"answers.{item.code}": f"item_{item.code}" for item in functioning.ITEMS[self.module]}


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo (JPEG, PNG or WebP, at most 5 MB)"))


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Filled-in template (.xlsx)"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
