"""API shapes of the directory, referrals and what the receiving side sees.

Output schemas resolve from the records; what a referral shows depends on who reads it (the
referring side or the receiving one), read from the request in the resolvers."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema

from ponleu.common.schemas import Code, Line, Text, reader

from . import selectors, workflow
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
    # A business that offers young people internships and jobs (youth employment's offers).
    is_employer: bool = False
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
    is_employer: bool
    services: list[ProviderServiceIn]
    areas: list[str]
    # The day an administrator last saved (checked) the entry; null: never checked.
    verified_on: dt.date | None

    @staticmethod
    def resolve_location(provider) -> str | None:
        return provider.location_id

    @staticmethod
    def resolve_services(provider):
        return provider.services.all()

    @staticmethod
    def resolve_areas(provider) -> list[str]:
        return [area.unit_id for area in provider.areas.all()]


class ProviderReportIn(Schema):
    """What is wrong in a directory entry (closed, moved, another phone), as a user saw it."""

    note: Text


class ReferralIn(Schema):
    person_id: uuid.UUID
    provider_id: uuid.UUID
    service: Code
    reason: Text
    urgency: Code = "routine"
    origin: Code = "registry"
    shared_fields: list[Code] = list(DEFAULT_SHARED_FIELDS)
    # Where the referral comes from (``origin``): the case, household or dropout-risk flag.
    case_id: uuid.UUID | None = None
    household_id: uuid.UUID | None = None
    risk_flag_id: uuid.UUID | None = None
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
    # The code of one of the receiving organisation's case types: also open a case for the child.
    case_type: Code = ""


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


def _receiving(referral, context) -> bool:
    return selectors.is_receiver(reader(context), referral)


def _referrer_only(referral, context, value):
    """A field of the referring side's record; the receiving side sees only what was shared."""
    return None if _receiving(referral, context) else value


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
    # The referring side only (the child's surviving record, when it was merged since):
    person_id: uuid.UUID | None = None
    # False when the provider does not list the child's commune among those it serves (a warning).
    serves_child_commune: bool | None = None
    origin: str | None = None
    case_id: uuid.UUID | None = None
    household_id: uuid.UUID | None = None
    risk_flag_id: uuid.UUID | None = None
    reason: str | None = None
    urgency: str | None = None
    shared_fields: list[str] | None = None
    legal_exception: str | None = None
    exception_approved: bool | None = None
    # The receiving side only:
    shared: SharedOut | None = None
    receiver_person_id: uuid.UUID | None = None
    receiver_case_id: uuid.UUID | None = None

    @staticmethod
    def resolve_provider_name(referral) -> str:
        return referral.provider.name_km

    @staticmethod
    def resolve_side(referral, context) -> str:
        return workflow.RECEIVER if _receiving(referral, context) else workflow.REFERRER

    @staticmethod
    def resolve_next_steps(referral, context) -> list[str]:
        receiving = _receiving(referral, context)
        side = workflow.RECEIVER if receiving else workflow.REFERRER
        # A provider that is no organisation on this installation has no receiving side: the
        # referring side records its steps for it.
        acts_for_receiver = receiving or referral.receiver_id is None
        return [
            move.event
            for move in workflow.events_from(referral.status)
            if move.side == side or (move.side == workflow.RECEIVER and acts_for_receiver)
        ]

    @staticmethod
    def resolve_person_id(referral, context):
        if _receiving(referral, context):
            return None
        return (
            selectors.surviving_record(referral.person).pk
            if referral.person.is_merged
            else referral.person_id
        )

    @staticmethod
    def resolve_serves_child_commune(referral, context):
        if _receiving(referral, context):
            return None
        return selectors.provider_serves(
            referral.provider, selectors.surviving_record(referral.person).area_code
        )

    @staticmethod
    def resolve_origin(referral, context):
        return _referrer_only(referral, context, referral.origin)

    @staticmethod
    def resolve_case_id(referral, context):
        return _referrer_only(referral, context, referral.case_id)

    @staticmethod
    def resolve_household_id(referral, context):
        return _referrer_only(referral, context, referral.household_id)

    @staticmethod
    def resolve_risk_flag_id(referral, context):
        return _referrer_only(referral, context, referral.risk_flag_id)

    @staticmethod
    def resolve_reason(referral, context):
        return _referrer_only(referral, context, referral.reason)

    @staticmethod
    def resolve_urgency(referral, context):
        return _referrer_only(referral, context, referral.urgency)

    @staticmethod
    def resolve_shared_fields(referral, context):
        return _referrer_only(referral, context, referral.shared_fields)

    @staticmethod
    def resolve_legal_exception(referral, context):
        return _referrer_only(referral, context, referral.legal_exception)

    @staticmethod
    def resolve_exception_approved(referral, context):
        return _referrer_only(referral, context, referral.exception_approved_at is not None)

    @staticmethod
    def resolve_shared(referral, context):
        if not _receiving(referral, context):
            return None
        shared = selectors.shared_record(actor=reader(context), referral=referral)
        if shared is None:
            return None
        chosen = set(referral.shared_fields)
        return {
            name: shared.village_id if name == "village" else getattr(shared, name)
            for name in SharedOut.model_fields
            if name in chosen
        }

    @staticmethod
    def resolve_receiver_person_id(referral, context):
        return referral.receiver_person_id if _receiving(referral, context) else None

    @staticmethod
    def resolve_receiver_case_id(referral, context):
        return referral.receiver_case_id if _receiving(referral, context) else None


class ReferralListOut(Schema):
    items: list[ReferralOut]
