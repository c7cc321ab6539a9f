"""API shapes of family support plans: the needs assessment in, a plan with its needs and
visits out. A need's referral is shown only to those who may see that referral."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import model_validator

from ponleu.common.numerals import to_ascii_digits
from ponleu.common.pagination import PageOut
from ponleu.common.schemas import Code, PatchIn, Text
from ponleu.referrals.choices import DEFAULT_SHARED_FIELDS


class In(Schema):
    """Input: Khmer digits typed into dates are read as ASCII ones."""

    @model_validator(mode="before")
    @classmethod
    def _ascii_digits(cls, data):
        if isinstance(data, dict):
            return {
                key: to_ascii_digits(value) if isinstance(value, str) else value
                for key, value in data.items()
            }
        return data


class NeedIn(Schema):
    domain: Code
    level: Code
    note: Text = ""


class PlanStartIn(In):
    """The needs assessment: one entry for each of the six areas (``health``, ``documents``,
    ``schooling``, ``income``, ``housing``, ``safety``), each with its level (``none``,
    ``some``, ``serious``, ``urgent``)."""

    assessed_on: dt.date
    next_visit_on: dt.date | None = None
    needs: list[NeedIn]


class NeedPatchIn(PatchIn):
    """Only the fields sent change. ``provider_id`` names a directory provider offering
    ``service``; null unlinks it. ``met`` true marks the need met today."""

    level: Code = None
    note: Text = None
    service: Code = None
    provider_id: uuid.UUID | None = None
    met: bool = None


class ReferIn(Schema):
    """Refer a member of the household to the need's service: a draft referral, sent with
    ``POST /referrals/{id}/send`` once consent covers it."""

    person_id: uuid.UUID
    reason: Text
    urgency: Code = "routine"
    shared_fields: list[Code] = list(DEFAULT_SHARED_FIELDS)


class VisitIn(In):
    visited_on: dt.date
    note: Text = ""
    met: list[Code] = []
    next_visit_on: dt.date | None = None


class GraduateIn(Schema):
    note: Text = ""


class NeedOut(Schema):
    domain: str
    level: str
    note: str
    service: str
    provider_id: uuid.UUID | None
    met_on: dt.date | None
    referral_id: uuid.UUID | None
    referral_reference: str | None
    referral_status: str | None


class VisitOut(Schema):
    id: uuid.UUID
    visited_on: dt.date
    note: str
    needs_met: list[str]


class PlanOut(Schema):
    id: uuid.UUID
    version: int
    household_id: uuid.UUID
    status: str
    assessed_on: dt.date
    next_visit_on: dt.date | None
    graduated_on: dt.date | None


class PlanDetailOut(PlanOut):
    needs: list[NeedOut]
    visits: list[VisitOut]


class PlanPageOut(PageOut):
    items: list[PlanOut]
