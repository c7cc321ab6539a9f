"""Shapes of the nutrition API."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field, model_validator

from ponleu.common.numerals import to_ascii_digits
from ponleu.common.schemas import Line


class MeasurementIn(Schema):
    """One measurement of the child. ``measured_lying``: true for a length taken lying down,
    false for a height standing, null when taken as WHO recommends for the age (lying under two
    years). At least one of ``weight_kg``, ``length_cm``, ``muac_mm`` (or ``oedema``)."""

    measured_on: dt.date
    weight_kg: float | None = Field(default=None, description="kilograms, 0.5 to 180")
    length_cm: float | None = Field(default=None, description="centimetres, 35 to 230")
    measured_lying: bool | None = None
    muac_mm: int | None = Field(default=None, description="mid-upper arm circumference, 60 to 400 mm")
    oedema: bool = False
    village_code: str = Field(
        default="", max_length=8, description="where measured; the child's village without it"
    )
    note: Line = ""

    @model_validator(mode="before")
    @classmethod
    def _ascii_digits(cls, data):
        if isinstance(data, dict):
            return {
                key: to_ascii_digits(value) if isinstance(value, str) else value
                for key, value in data.items()
            }
        return data


class MeasurementOut(Schema):
    id: uuid.UUID
    version: int
    person_id: uuid.UUID | None = Field(description="null where the caller may not see who the child is")
    measured_on: dt.date
    age_days: int
    weight_kg: float | None
    length_cm: float | None
    measured_lying: bool | None
    muac_mm: int | None
    oedema: bool
    village_code: str | None
    wfa: float | None
    lhfa: float | None
    wflh: float | None
    bmifa: float | None
    muacfa: float | None
    implausible: list[str]
    findings: list[str]
    faltering: bool


class SamAlertOut(Schema):
    id: uuid.UUID
    version: int
    raised_on: dt.date
    status: str
    proposed_provider_id: uuid.UUID | None
    referral_id: uuid.UUID | None
    referred_on: dt.date | None


class NutritionFollowUpOut(Schema):
    id: uuid.UUID
    started_on: dt.date
    every_days: int
    next_due_on: dt.date | None
    status: str


class GrowthOut(Schema):
    """A child's assessments, newest first, with what they started."""

    person_id: uuid.UUID | None
    name: str
    sex: str
    latest_findings: list[str]
    sam_alert: SamAlertOut | None
    follow_up: NutritionFollowUpOut | None
    assessments: list[MeasurementOut]
