"""API shapes of the directory, referrals and what the receiving side sees."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema

from ponleu.common.schemas import Code, ErrorOut, Line, Text  # noqa: F401 - api.py imports ErrorOut from here

from .choices import DEFAULT_SHARED_FIELDS


class ProviderServiceIn(Schema):
    service: Code
    cost: Code = "free"
    note: Line = ""


class ProviderIn(Schema):
    kind: Code
    name_km: Line
    name_en: Line = ""
    organisation_id: uuid.UUID | None = None
    location: Code = ""
    address: Line = ""
    phone: Code = ""
    hours: Line = ""
    languages: list[Code] = []
    accessibility: list[Code] = []
    is_active: bool = True
    services: list[ProviderServiceIn]
    areas: list[Code]


class ProviderOut(Schema):
    id: uuid.UUID
    version: int
    kind: str
    name_km: str
    name_en: str
    organisation_id: uuid.UUID | None
    location: str | None
    address: str
    phone: str
    hours: str
    languages: list[str]
    accessibility: list[str]
    is_active: bool
    services: list[ProviderServiceIn]
    areas: list[str]


class ReferralIn(Schema):
    person_id: uuid.UUID
    provider_id: uuid.UUID
    service: Code
    reason: Text
    urgency: Code = "routine"
    origin: Code = "registry"
    shared_fields: list[Code] = list(DEFAULT_SHARED_FIELDS)
    case_id: uuid.UUID | None = None
    household_id: uuid.UUID | None = None
    legal_exception: Code = ""
    legal_exception_note: Text = ""


class SendIn(Schema):
    send_key: uuid.UUID


class StepIn(Schema):
    event: Code
    decline_reason: Code = ""
    decline_note: Text = ""
    outcome: Text = ""
    family_said: Text = ""
    withdrawal_reason: Text = ""


class AcceptIn(Schema):
    person_id: uuid.UUID | None = None
    create_new: bool = False


class WithdrawConsentIn(Schema):
    reason: Text


class SharedOut(Schema):
    """Exactly the chosen fields; the others are null."""

    name: str | None = None
    sex: str | None = None
    age: int | None = None
    village: str | None = None
    reason: str | None = None
    urgency: str | None = None
    referrer_contact: str | None = None
    phone: str | None = None
    notes: str | None = None
    health: str | None = None
    sensitive: str | None = None


class ReferralOut(Schema):
    id: uuid.UUID
    reference: str
    version: int
    status: str
    service: str
    provider_id: uuid.UUID
    provider_name: str
    due_on: dt.date | None
    sent_at: dt.datetime | None
    decline_reason: str
    outcome: str
    family_said: str
    side: str  # "referrer" or "receiver"
    next_steps: list[str]
    # The referring side only:
    person_id: uuid.UUID | None = None
    reason: str | None = None
    urgency: str | None = None
    shared_fields: list[str] | None = None
    legal_exception: str | None = None
    exception_approved: bool | None = None
    # The receiving side only:
    shared: SharedOut | None = None
    receiver_person_id: uuid.UUID | None = None


class ReferralListOut(Schema):
    items: list[ReferralOut]
