"""API shapes of the early-warning app (read-only: scores are computed, never written by clients)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from ponleu.common.schemas import ErrorOut  # noqa: F401 - the api module imports it from here


class ScoreOut(Schema):
    scored_on: dt.date
    method: str
    model_version: int | None
    probability: float | None = Field(description="Calibrated risk of dropping out by the end of the year.")
    index_score: float = Field(description="The organisation's rule index.")
    flagged: bool
    reasons: list[str] = Field(description="Why, in the caller's language, most important first.")


class RiskRowOut(Schema):
    rank: int
    enrolment_id: str
    person_id: str | None
    name: str = Field(description="The pupil's name, or initials when the caller may not see it.")
    school_id: str
    class_id: str
    flag_id: str | None
    flag_status: str
    score: ScoreOut


class RiskListOut(Schema):
    capacity_per_school: int
    items: list[RiskRowOut]


class StudentRiskOut(Schema):
    enrolment_id: str
    person_id: str | None
    name: str
    class_id: str
    school_id: str
    status: str
    scores: list[ScoreOut]
