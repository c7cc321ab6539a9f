"""API shapes of pregnancies: what each step sends, and a pregnancy out. Sensitive by
default: a reader the identity rule does not clear gets the woman's initials, ``is_masked``
true and every health field null (dates, visits, birth, family planning)."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema
from pydantic import model_validator

from ponleu.common.numerals import to_ascii_digits
from ponleu.common.pagination import PageOut
from ponleu.common.schemas import Code, Line, PatchIn, Text


class In(Schema):
    """Input: Khmer digits typed into dates are read as ASCII ones."""

    @model_validator(mode="before")
    @classmethod
    def _ascii_digits(cls, data):
        # Ninja hands a schema's validators the body wrapped for attribute access.
        data = data if isinstance(data, dict) else getattr(data, "_obj", data)
        if isinstance(data, dict):
            return {
                key: to_ascii_digits(value) if isinstance(value, str) else value
                for key, value in data.items()
            }
        return data


class PregnancyIn(In):
    """Either date: ``last_period_on`` (first day of the last period) or ``due_on`` (the
    estimated due date, 280 days later); both only if they agree. ``planned_place``:
    ``facility`` or ``home``; ``planned_facility_id`` a directory provider."""

    last_period_on: dt.date | None = None
    due_on: dt.date | None = None
    planned_place: Code = ""
    planned_facility_id: uuid.UUID | None = None
    note: Text = ""


class PregnancyPatchIn(PatchIn):
    """Only the fields sent change; a new ``last_period_on`` or ``due_on`` moves the other."""

    last_period_on: dt.date = None
    due_on: dt.date = None
    planned_place: Code = None
    planned_facility_id: uuid.UUID | None = None
    note: Text = None


class AntenatalIn(In):
    """``place``: ``facility``, ``home`` or ``outreach``; ``danger_signs`` from the controlled
    list (``bleeding``, ``severe_headache``, ``blurred_vision``, ``convulsions``, ``fever``,
    ``reduced_movement``, ``swelling``, ``abdominal_pain``, ``breathing``, ``waters``)."""

    visited_on: dt.date
    place: Code
    facility_id: uuid.UUID | None = None
    danger_signs: list[Code] = []
    note: Text = ""


class DangerReferIn(Schema):
    """Refer her to a health facility of the directory: a draft referral, sent with
    ``POST /referrals/{id}/send`` once consent covers it."""

    provider_id: uuid.UUID
    service: Code = "primary_health"
    reason: Text = ""
    urgency: Code = "urgent"


class BirthIn(In):
    """``outcome``: ``live_birth``, ``stillbirth`` or ``miscarriage``; ``place`` and
    ``attendant`` are asked of every birth."""

    born_on: dt.date
    outcome: Code
    place: Code = ""
    facility_id: uuid.UUID | None = None
    attendant: Code = ""


class NewbornIn(Schema):
    family_name_km: Line = ""
    given_name_km: Line = ""
    family_name_latin: Line = ""
    given_name_latin: Line = ""
    sex: Code


class PostnatalIn(In):
    visited_on: dt.date
    place: Code
    danger_signs: list[Code] = []
    note: Text = ""


class PlanningIn(In):
    """``method`` is refused (422) unless ``consent_given`` is true."""

    counselled_on: dt.date
    consent_given: bool = False
    method: Code = ""
    note: Text = ""


class AntenatalOut(Schema):
    id: uuid.UUID
    number: int
    label: str
    visited_on: dt.date
    weeks: int
    place: str
    facility_id: uuid.UUID | None
    danger_signs: list[str]
    referral_id: uuid.UUID | None


class PostnatalOut(Schema):
    id: uuid.UUID
    visited_on: dt.date
    window: str
    place: str
    danger_signs: list[str]


class PlanningOut(Schema):
    id: uuid.UUID
    counselled_on: dt.date
    consent_given: bool
    method: str


class PregnancyOut(Schema):
    id: uuid.UUID
    version: int
    person_id: uuid.UUID | None = Field(
        None, description="null when her health details are masked to the reader"
    )
    woman_name: str
    is_masked: bool
    is_sensitive: bool
    status: str
    last_period_on: dt.date | None
    due_on: dt.date | None
    weeks: int | None
    next_anc_due_on: dt.date | None
    anc_count: int | None
    planned_place: str | None
    planned_facility_id: uuid.UUID | None
    born_on: dt.date | None
    outcome: str | None
    birth_place: str | None
    birth_facility_id: uuid.UUID | None
    attendant: str | None
    newborn_id: uuid.UUID | None


class PregnancyDetailOut(PregnancyOut):
    antenatal_visits: list[AntenatalOut] | None
    postnatal_visits: list[PostnatalOut] | None
    family_planning: list[PlanningOut] | None


class PregnancyPageOut(PageOut):
    items: list[PregnancyOut]
