"""API shapes. Input schemas refuse unknown fields, so protected attributes (organisation,
owner, version, merge state, audit fields) cannot be written through the API."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import ConfigDict, Field

from ponleu.common.schemas import Code, ErrorOut, PatchIn  # noqa: F401 - the apps' api modules import it from here


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


class PersonListItemOut(PersonOut):
    score: float | None = Field(None, description="Search only: how well the name matched (0–100).")
    why: list[str] = Field(default_factory=list, description="Search only: why this person matched.")


class PersonPageOut(Schema):
    items: list[PersonListItemOut]
    query: str = ""
    page: int
    per_page: int
    has_next: bool


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
    phones: list[PhoneOut]
    identifiers: list[IdentifierOut]
    households: list[MembershipOut]


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


class HouseholdOut(Schema):
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


class HouseholdPageOut(Schema):
    items: list[HouseholdOut]
    page: int
    per_page: int
    has_next: bool
