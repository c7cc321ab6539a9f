"""API shapes of cases, notes, services, placements and the rest."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field, model_validator

from ponleu.common.numerals import to_ascii_digits
from ponleu.common.schemas import Code, ErrorOut, Line, PatchIn, Text  # noqa: F401 - the apps' api modules import it from here


class In(Schema):
    """Input: Khmer digits typed into dates and numbers are read as ASCII ones."""

    @model_validator(mode="before")
    @classmethod
    def _ascii_digits(cls, data):
        if isinstance(data, dict):
            return {
                key: to_ascii_digits(value)
                if isinstance(value, str) and key.endswith(("_on", "cost", "hours_per_week"))
                else value
                for key, value in data.items()
            }
        return data


class CaseOut(Schema):
    id: uuid.UUID
    short_id: str
    version: int
    case_type: str
    subtype: str
    status: str
    child_id: uuid.UUID
    child_name: str
    is_masked: bool
    is_sensitive: bool
    owner_id: uuid.UUID | None
    team_id: uuid.UUID | None
    identified_on: dt.date
    risk_level: str
    urgent_deadline: dt.datetime | None
    urgency_met_at: dt.datetime | None
    next_visit_on: dt.date | None
    closed_on: dt.date | None


class CasePageOut(Schema):
    items: list[CaseOut]
    page: int
    per_page: int
    has_next: bool


class ApprovalOut(Schema):
    kind: str
    status: str
    requested_by_id: uuid.UUID | None
    requested_at: dt.datetime
    decided_by_id: uuid.UUID | None
    decided_at: dt.datetime | None
    comment: str


class ActionOut(Schema):
    id: uuid.UUID
    goal_id: uuid.UUID
    description: str
    owner_id: uuid.UUID | None
    due_on: dt.date
    status: str
    done_on: dt.date | None
    is_overdue: bool


class GoalOut(Schema):
    id: uuid.UUID
    domain: str
    description: str
    status: str
    actions: list[ActionOut]


class AssessmentOut(Schema):
    id: uuid.UUID
    instrument: str
    assessed_on: dt.date
    score: int
    result: str
    reasons: list[str]
    answers: dict
    next_due_on: dt.date | None


class FollowUpOut(Schema):
    id: uuid.UUID
    months: int
    due_on: dt.date
    done_on: dt.date | None
    outcome: str


class CaseDetailOut(CaseOut):
    source: str
    source_detail: str
    summary: str
    mosvy_number: str
    primero_case_id: str
    oscar_global_id: str
    reintegrated_on: dt.date | None
    reintegrated_with: str
    closure_reason: str
    closure_note: str
    next_steps: list[str]
    has_safety_plan: bool
    approvals: list[ApprovalOut]
    goals: list[GoalOut]
    assessments: list[AssessmentOut]
    follow_ups: list[FollowUpOut]


class CaseOpenIn(In):
    child_id: uuid.UUID
    case_type: Code
    subtype: Code = ""
    source: Code = "other"
    source_detail: Line = ""
    identified_on: dt.date | None = None
    summary: Text = ""
    immediate_danger: bool = False
    owner_id: uuid.UUID | None = None


class CasePatchIn(In, PatchIn):
    subtype: Code = None
    source: Code = None
    source_detail: Line = None
    identified_on: dt.date = None
    summary: Text = None
    is_sensitive: bool = None
    mosvy_number: Code = None
    primero_case_id: Annotated[str, Field(max_length=64)] = None
    oscar_global_id: Annotated[str, Field(max_length=64)] = None


class TransitionIn(In):
    event: Code
    reason: Text = ""
    open_actions_reason: Text = ""
    closure_reason: Code = ""


class AssignIn(In):
    owner_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    reason: Text = ""


class SafetyPlanIn(In):
    dangers: Text
    safe_place: Text
    steps: Text
    trusted_adults: Text = ""
    warning_signs: Text = ""
    review_on: dt.date | None = None


class TraffickingIn(In):
    destination: Code
    destination_place: Line = ""
    route: Text = ""
    returned_on: dt.date | None = None
    legal_status: Code = "none"
    legal_aid: bool = False
    legal_aid_provider: Line = ""


class LabourIn(In):
    workplace_type: Code
    workplace: Line = ""
    hazards: list[Code] = Field([], max_length=50)
    hours_per_week: int | None = None
    is_paid: bool = False


class AssessmentIn(In):
    instrument: Code
    assessed_on: dt.date
    answers: dict
    note: Text = ""


class GoalIn(In):
    domain: Code
    description: Text


class ActionIn(In):
    goal_id: uuid.UUID
    description: Text
    due_on: dt.date
    owner_id: uuid.UUID | None = None


class ActionPatchIn(In):
    status: Code
    done_on: dt.date | None = None


class NoteIn(In):
    interaction: Code
    happened_on: dt.date
    observations: Text
    place: Line = ""
    present: Text = ""
    goal_ids: list[uuid.UUID] = Field([], max_length=50)


class NoteOut(Schema):
    id: uuid.UUID
    interaction: str
    happened_on: dt.date
    place: str
    present: str
    observations: str
    author_id: uuid.UUID | None
    goal_ids: list[uuid.UUID]
    attachments: list[str]


class NotePageOut(Schema):
    items: list[NoteOut]
    page: int
    per_page: int
    has_next: bool


class ServiceIn(In):
    service_type: Code
    provider: Line
    delivered_on: dt.date
    cost: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    currency: Code = "KHR"
    outcome: Text = ""
    goal_id: uuid.UUID | None = None


class ServiceOut(Schema):
    id: uuid.UUID
    service_type: str
    provider: str
    delivered_on: dt.date
    cost: Decimal | None
    currency: str
    outcome: str
    goal_id: uuid.UUID | None


class ServicePageOut(Schema):
    items: list[ServiceOut]
    page: int
    per_page: int
    has_next: bool


class PlacementIn(In):
    placement_type: Code
    carer: Line
    started_on: dt.date
    ended_on: dt.date | None = None
    carer_relationship: Annotated[str, Field(max_length=100)] = ""
    place: Line = ""
    village_code: Code | None = None


class PlacementEndIn(In):
    ended_on: dt.date
    end_reason: Line = ""


class PlacementOut(Schema):
    id: uuid.UUID
    placement_type: str
    carer: str
    carer_relationship: str
    place: str
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: str
    siblings_apart: bool
    warning: str = ""


class PlacementPageOut(Schema):
    items: list[PlacementOut]
    page: int
    per_page: int
    has_next: bool


class ReintegrationIn(In):
    reunified_on: dt.date
    reunified_with: Line


class FollowUpIn(In):
    done_on: dt.date
    outcome: Code
    observations: Text = ""
