"""API shapes of programme work: projects with their reach and log-frame, groups with members
and sessions, attendance (members present and people counted), events, distributions,
workplace visits and out-of-school children."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field, model_validator

from ponleu.common.numerals import to_ascii_digits
from ponleu.common.schemas import Code, Line, Text


class In(Schema):
    """Input: Khmer digits typed into dates and numbers are read as ASCII ones."""

    @model_validator(mode="before")
    @classmethod
    def _ascii_digits(cls, data):
        if isinstance(data, dict):
            return {
                key: to_ascii_digits(value) if isinstance(value, str) else value
                for key, value in data.items()
            }
        return data


class HeadcountIn(Schema):
    """People counted without registration: how many of one sex (``F``, ``M``) and age band
    (``0-5``, ``6-11``, ``12-14``, ``15-17``, ``18+``), with a disability or not."""

    sex: Code
    age_band: Code
    with_disability: bool = False
    count: int = Field(ge=0, le=100000)


class HeadcountOut(Schema):
    sex: str
    age_band: str
    with_disability: bool
    count: int


# --- projects --------------------------------------------------------------------------------


class ProjectIn(In):
    name: Line
    code: Code
    starts_on: dt.date
    ends_on: dt.date
    donors: list[Line]
    grant_reference: Line = ""
    programme: Line = ""
    area_codes: list[Code] = []
    partners: list[Line] = []
    staff_ids: list[uuid.UUID] = []


class ProjectOut(Schema):
    id: uuid.UUID
    version: int
    code: str
    name: str
    programme: str
    grant_reference: str
    starts_on: dt.date
    ends_on: dt.date
    donors: list[str]
    area_codes: list[str]
    partners: list[str]
    children: int
    children_also_counted_by_another_project: int


class TargetOut(Schema):
    period: str
    starts_on: dt.date
    ends_on: dt.date
    target: int
    achieved: int | None


class IndicatorOut(Schema):
    code: str
    statement: str
    source: str
    targets: list[TargetOut]


class ResultOut(Schema):
    code: str
    level: str
    statement: str
    parent_code: str | None
    indicators: list[IndicatorOut]


class StockOut(Schema):
    place_code: str
    item: str
    received: int
    stock: int


class ProjectDetailOut(ProjectOut):
    results: list[ResultOut]
    stock: list[StockOut]
    groups: int
    sessions: int
    events: int
    distributions: int
    cases: int


class TagIn(Schema):
    """Count one record in the project: exactly one of ``person_id`` (with ``since``),
    ``group_id``, ``event_id`` or ``case_id``."""

    person_id: uuid.UUID | None = None
    since: dt.date | None = None
    group_id: uuid.UUID | None = None
    event_id: uuid.UUID | None = None
    case_id: uuid.UUID | None = None


class StockIn(In):
    place_code: Code
    item: Code
    quantity: int = Field(gt=0, le=100000)
    received_on: dt.date


class DistributionIn(In):
    """Items given from the project's store at ``place_code`` to one recipient: exactly one of
    ``person_id``, ``household_id``, ``school_id`` or ``group_id``."""

    place_code: Code
    item: Code
    quantity: int = Field(gt=0, le=100000)
    given_on: dt.date
    signed_by: Line
    person_id: uuid.UUID | None = None
    household_id: uuid.UUID | None = None
    school_id: uuid.UUID | None = None
    group_id: uuid.UUID | None = None


class DistributionOut(Schema):
    id: uuid.UUID
    item: str
    quantity: int
    given_on: dt.date
    stock_left: int
    warnings: list[str]


# --- groups and sessions -------------------------------------------------------------------


class GroupOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    kind_name: str
    village_code: str
    schedule: str
    starts_on: dt.date
    members: int


class GroupMemberOut(Schema):
    """``person_id`` is null for a member the caller may not identify (``name``: initials)."""

    id: uuid.UUID
    person_id: uuid.UUID | None
    name: str
    role: str
    joined_on: dt.date
    left_on: dt.date | None


class SessionSummaryOut(Schema):
    id: uuid.UUID
    held_on: dt.date
    topic: str
    present: int
    counted: int
    expected: int


class GroupDetailOut(GroupOut):
    version: int
    attendance_rate: int | None
    project_ids: list[uuid.UUID]
    member_list: list[GroupMemberOut]
    sessions: list[SessionSummaryOut]


class MemberIn(In):
    person_id: uuid.UUID
    joined_on: dt.date
    role: Code = "member"


class SessionIn(In):
    """A session and its attendance: the memberships present (``present``: ids of the group's
    members, as listed on the group) and the people counted without registration."""

    held_on: dt.date
    topic: Line
    present: list[uuid.UUID] = []
    counted: list[HeadcountIn] = []


class AttendanceIn(Schema):
    present: list[uuid.UUID] = []
    counted: list[HeadcountIn] = []


class SessionOut(Schema):
    id: uuid.UUID
    version: int
    group_id: uuid.UUID
    held_on: dt.date
    topic: str
    present: list[uuid.UUID]
    counted: list[HeadcountOut]


# --- events ----------------------------------------------------------------------------------


class ParticipantIn(Schema):
    """A registered participant: ``person_id`` (the registry) or ``user_id`` (staff)."""

    person_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    pre_score: int | None = Field(default=None, ge=0, le=100)
    post_score: int | None = Field(default=None, ge=0, le=100)


class EventIn(In):
    kind: Code
    topic: Code
    title: Line
    audience: Code
    held_on: dt.date
    village_code: Code
    has_tests: bool = False
    participants: list[ParticipantIn] = []
    counted: list[HeadcountIn] = []
    project_ids: list[uuid.UUID] = []


class ParticipantOut(Schema):
    person_id: uuid.UUID | None
    user_id: uuid.UUID | None
    name: str
    pre_score: int | None
    post_score: int | None


class EventOut(Schema):
    id: uuid.UUID
    version: int
    kind: str
    topic: str
    title: str
    audience: str
    held_on: dt.date
    village_code: str
    has_tests: bool
    participants: list[ParticipantOut]
    counted: list[HeadcountOut]
    project_ids: list[uuid.UUID]


class EventSummaryOut(Schema):
    id: uuid.UUID
    kind: str
    topic: str
    title: str
    held_on: dt.date
    village_code: str
    registered: int
    counted: int


# --- monitoring ----------------------------------------------------------------------------


class ChildSeenIn(Schema):
    name: Line = ""
    sex: Code
    age: int | None = Field(default=None, ge=0, le=24)
    work: Line = ""


class WorkplaceVisitIn(In):
    visited_on: dt.date
    workplace: Code
    workplace_name: Line = ""
    village_code: Code
    note: Text = ""
    children: list[ChildSeenIn] = []


class ChildSeenOut(Schema):
    id: uuid.UUID
    name: str
    sex: str
    age: int | None
    work: str
    person_id: uuid.UUID | None
    case_id: uuid.UUID | None


class WorkplaceVisitOut(Schema):
    id: uuid.UUID
    committee_id: uuid.UUID
    visited_on: dt.date
    workplace: str
    workplace_name: str
    village_code: str
    note: str
    children: list[ChildSeenOut]


class SeenCaseIn(Schema):
    """Open the child-labour case: ``person_id`` names the child found by the search; or
    ``new_child`` (name fields) registers them, refused (422) while the registry holds likely
    matches unless ``confirmed_new`` is true."""

    person_id: uuid.UUID | None = None
    new_child: dict[str, Line] | None = None
    confirmed_new: bool = False


class CaseOpenedOut(Schema):
    case_id: uuid.UUID
    person_id: uuid.UUID


# --- out-of-school -------------------------------------------------------------------------


class OutOfSchoolIn(In):
    person_id: uuid.UUID
    identified_on: dt.date
    found_by: Code
    reason: Code
    plan: Code


class ReturnIn(In):
    """Back in school: ``class_id`` (enrolled through the schools) or ``group_id`` (a
    non-formal or remedial class)."""

    returned_on: dt.date
    class_id: uuid.UUID | None = None
    group_id: uuid.UUID | None = None


class SchoolingFollowUpIn(In):
    followed_on: dt.date
    in_school: bool
    grade: int | None = Field(default=None, ge=1, le=12)
    note: Line = ""


class SchoolingFollowUpOut(Schema):
    followed_on: dt.date
    in_school: bool
    grade: int | None
    note: str


class OutOfSchoolOut(Schema):
    id: uuid.UUID
    version: int
    person_id: uuid.UUID | None
    name: str
    identified_on: dt.date
    found_by: str
    reason: str
    plan: str
    status: str
    returned_on: dt.date | None
    enrolment_id: uuid.UUID | None
    group_id: uuid.UUID | None
    next_follow_up_on: dt.date | None
    follow_ups: list[SchoolingFollowUpOut]
