"""API shapes of cases, notes, services, placements and the rest."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field, create_model, model_validator

from ponleu.common import clock
from ponleu.common.declared_fields import output_fields, patch_fields
from ponleu.common.numerals import to_ascii_digits
from ponleu.common.pagination import PageOut
from ponleu.common.schemas import Code, Line, PatchIn, Text, reader

from . import policies, workflow
from .models import CASE_EDITABLE_FIELDS, Case


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
    child_name: str = Field(description="The child's name, or initials when the caller may not see it.")
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

    @staticmethod
    def resolve_case_type(case) -> str:
        return case.case_type.code

    @staticmethod
    def resolve_child_id(case):
        return case.person_id

    @staticmethod
    def resolve_child_name(case, context) -> str:
        return policies.child_label(reader(context), case)

    @staticmethod
    def resolve_is_masked(case, context) -> bool:
        return not policies.can_see_identity(reader(context), case)


class CasePageOut(PageOut):
    items: list[CaseOut]


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

    @staticmethod
    def resolve_is_overdue(action) -> bool:
        return action.is_overdue(clock.today())


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

    @staticmethod
    def resolve_instrument(assessment) -> str:
        return assessment.instrument.code


class FollowUpOut(Schema):
    id: uuid.UUID
    months: int
    due_on: dt.date
    done_on: dt.date | None
    outcome: str


class _CaseDetailOut(CaseOut):
    """A case read through ``selectors.case_bundle`` (its plan, assessments and the rest)."""

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

    @staticmethod
    def resolve_next_steps(case, context) -> list[str]:
        actor = reader(context)
        return [t.event for t in workflow.events_from(case.status) if policies.can(actor, t.capability, case)]

    @staticmethod
    def resolve_has_safety_plan(case) -> bool:
        return case.safety_plan_obj is not None

    @staticmethod
    def resolve_approvals(case):
        return case.approval_list

    @staticmethod
    def resolve_goals(case):
        return case.goal_list

    @staticmethod
    def resolve_assessments(case):
        return case.assessment_list

    @staticmethod
    def resolve_follow_ups(case):
        return case.follow_up_list


# The case in full: the fields above and each field of CASE_EDITABLE_FIELDS.
CaseDetailOut = create_model(
    "CaseDetailOut",
    __base__=_CaseDetailOut,
    __doc__=_CaseDetailOut.__doc__,
    __module__=__name__,
    **output_fields(Case, CASE_EDITABLE_FIELDS, skip=CaseOut.model_fields),
)


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


# Input of PATCH /cases/{id}: each field of CASE_EDITABLE_FIELDS, typed and bounded by the model.
CasePatchIn = create_model(
    "CasePatchIn",
    __base__=(In, PatchIn),
    __module__=__name__,
    **patch_fields(Case, CASE_EDITABLE_FIELDS),
)


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

    @staticmethod
    def resolve_goal_ids(note) -> list:
        return [goal.pk for goal in note.goals.all()]

    @staticmethod
    def resolve_attachments(note) -> list[str]:
        return [attachment.name for attachment in note.attachments.all()]


class NotePageOut(PageOut):
    items: list[NoteOut]


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


class ServicePageOut(PageOut):
    items: list[ServiceOut]


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
    warning: str = Field("", description="Set when the placement leaves siblings apart.")

    @staticmethod
    def resolve_warning(placement) -> str:
        return getattr(placement, "warning", "")


class PlacementPageOut(PageOut):
    items: list[PlacementOut]


class ReintegrationIn(In):
    reunified_on: dt.date
    reunified_with: Line


class FollowUpIn(In):
    done_on: dt.date
    outcome: Code
    observations: Text = ""
