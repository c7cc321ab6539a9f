"""API shapes. Input schemas refuse unknown fields, so protected attributes (organisation,
owner, version, merge state, audit fields) cannot be written through the API."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import translation
from ninja import Schema
from pydantic import ConfigDict, Field, ValidationInfo, model_validator

from ponleu.common.pagination import PageOut
from ponleu.common.schemas import Code, PatchIn, reader

from . import policies

NAME_FIELDS = ("family_name_km", "given_name_km", "family_name_latin", "given_name_latin", "nickname")


class PersonOut(Schema):
    id: uuid.UUID
    version: int
    kind: str
    display_name: str
    is_masked: bool = Field(
        description="Names are hidden: a sensitive record the caller may not see unmasked."
    )
    family_name_km: str
    given_name_km: str
    family_name_latin: str
    given_name_latin: str
    nickname: str
    sex: str
    date_of_birth: dt.date | None
    date_of_birth_precision: str
    village_code: str | None
    languages: list[str]
    is_child: bool
    is_sensitive: bool
    has_functional_difficulty: bool | None
    merged_into: uuid.UUID | None

    @staticmethod
    def resolve_display_name(person, context) -> str:
        return policies.shown_name(reader(context), person, translation.get_language())

    @staticmethod
    def resolve_is_masked(person, context) -> bool:
        return not policies.can_see_unmasked(reader(context), person)

    @staticmethod
    def resolve_village_code(person):
        return person.village_id

    @staticmethod
    def resolve_merged_into(person):
        return person.merged_into_id

    @model_validator(mode="after")
    def _mask_names(self, info: ValidationInfo):
        if self.is_masked:
            for name in NAME_FIELDS:
                setattr(self, name, "")
        return self


class PersonListItemOut(PersonOut):
    """A person of a list; a search hit also carries ``score`` and ``why`` (set by the search)."""

    score: float | None = Field(None, description="Search only: how well the name matched (0–100).")
    why: list[str] = Field(default_factory=list, description="Search only: why this person matched.")

    @staticmethod
    def resolve_score(person):
        return getattr(person, "score", None)

    @staticmethod
    def resolve_why(person) -> list[str]:
        return getattr(person, "why", [])


class PersonPageOut(PageOut):
    items: list[PersonListItemOut]
    query: str = ""


class PhoneOut(Schema):
    number: str
    owner: str


class IdentifierOut(Schema):
    type: Code
    value: str


class MembershipOut(Schema):
    household_id: uuid.UUID
    relationship: str
    is_primary_caregiver: bool


class PersonDetailOut(PersonOut):
    """A person read through ``selectors.person_detail``, its records as ``person.detail``;
    phones and documents only for those who may see the person unmasked."""

    phones: list[PhoneOut]
    identifiers: list[IdentifierOut]
    households: list[MembershipOut]

    @staticmethod
    def resolve_phones(person, context) -> list:
        shown = policies.can_see_unmasked(reader(context), person)
        return [{"number": str(p.number), "owner": p.owner} for p in person.detail.phones] if shown else []

    @staticmethod
    def resolve_identifiers(person, context) -> list:
        return person.detail.identifiers if policies.can_see_unmasked(reader(context), person) else []

    @staticmethod
    def resolve_households(person) -> list:
        return person.detail.memberships


class PersonPatchIn(PatchIn):
    """Fields a worker may change. Send the version you read in ``If-Match``."""

    model_config = ConfigDict(extra="forbid")

    kind: Code = None
    family_name_km: str = Field(None, max_length=200)
    given_name_km: str = Field(None, max_length=200)
    family_name_latin: str = Field(None, max_length=200)
    given_name_latin: str = Field(None, max_length=200)
    nickname: str = Field(None, max_length=200)
    sex: Code = None
    date_of_birth: Code | None = Field(None, description="dd/mm/yyyy or yyyy-mm-dd; Khmer digits accepted")
    date_of_birth_precision: Code = None
    village_code: Code | None = None
    languages: list[Code] = Field(None, max_length=10)
    is_sensitive: bool = None


class PhoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    number: str = Field(max_length=40)
    owner: Code = "self"


class IdentifierIn(Schema):
    model_config = ConfigDict(extra="forbid")

    type: Code
    value: str = Field(max_length=60)


class PersonCreateIn(PersonPatchIn):
    phones: list[PhoneIn] = Field(default_factory=list, max_length=5)
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=10)


class MemberOut(Schema):
    person_id: uuid.UUID
    relationship: str
    is_primary_caregiver: bool


def _address_shown(household, context) -> bool:
    return policies.can_see_household_address(reader(context), household, household.members.all())


class HouseholdOut(Schema):
    """A household read through the household selectors (``visible_member_ids`` set); members
    the caller may not see are counted in ``hidden_members``, never listed."""

    id: uuid.UUID
    version: int
    village_code: str | None
    address_detail: str
    idpoor_status: str
    equity_card_number: str
    parents_away: str
    is_single_parent: bool
    is_child_headed: bool
    income_sources: list[str]
    members: list[MemberOut] = Field(description="The members the caller may see.")
    hidden_members: int = Field(description="Members the caller may not see, counted only.")

    @staticmethod
    def resolve_village_code(household):
        return household.village_id

    @staticmethod
    def resolve_address_detail(household, context) -> str:
        return household.address_detail if _address_shown(household, context) else ""

    @staticmethod
    def resolve_equity_card_number(household, context) -> str:
        return household.equity_card_number if _address_shown(household, context) else ""

    @staticmethod
    def resolve_members(household) -> list:
        return [m for m in household.members.all() if m.person_id in household.visible_member_ids]

    @staticmethod
    def resolve_hidden_members(household) -> int:
        return len(household.members.all()) - len(HouseholdOut.resolve_members(household))


class HouseholdPageOut(PageOut):
    items: list[HouseholdOut]
