"""API shapes of youth employment: profiles and the path from course to job, offers and how
they match, placements, follow-ups, course results and the indicators."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from ninja import Schema
from pydantic import Field

from ponleu.common.schemas import Code, Line
from ponleu.programmes.schemas import In

# An amount as text ("250.50"): a wage in riel is whole, in dollars has at most two decimals.
Amount = Field(max_length=20, pattern=r"^[0-9]+(\.[0-9]{1,2})?$")


class ProfileIn(In):
    person_id: uuid.UUID
    education: Code
    skills: list[Code] = Field(default_factory=list, max_length=20)
    other_skills: list[Line] = Field(default_factory=list, max_length=10)
    interests: str = Field(default="", max_length=500)
    consent_on: dt.date


class ProfileOut(Schema):
    id: uuid.UUID
    # The person's id and name only for those who may see who they are (initials otherwise).
    person_id: uuid.UUID | None
    name: str
    sex: str
    age: int | None
    education: str
    skills: list[str]
    other_skills: list[str]
    interests: str
    consent_on: dt.date
    version: int


class CourseResultOut(Schema):
    course_id: uuid.UUID
    course: str
    outcome: str | None
    ended_on: dt.date | None
    certificate_number: str


class JobFollowUpOut(Schema):
    months: int
    followed_on: dt.date
    still_working: bool
    wage: decimal.Decimal | None
    currency: str
    satisfaction: str


class JobPlacementOut(Schema):
    id: uuid.UUID
    offer_id: uuid.UUID
    title: str
    employer: str
    starts_on: dt.date
    ends_on: dt.date | None
    wage: decimal.Decimal
    currency: str
    status: str
    follow_up_3_on: dt.date
    follow_up_6_on: dt.date
    follow_ups: list[JobFollowUpOut]
    version: int


class PathOut(ProfileOut):
    courses: list[CourseResultOut]
    placements: list[JobPlacementOut]


class OfferIn(In):
    employer_id: uuid.UUID
    kind: Code
    title: Line
    skills: list[Code] = Field(default_factory=list, max_length=20)
    place_code: Code
    wage: str = Amount
    currency: Code
    starts_on: dt.date
    ends_on: dt.date | None = None
    places: int = Field(ge=1, le=500)


class OfferOut(Schema):
    id: uuid.UUID
    employer_id: uuid.UUID
    employer: str
    kind: str
    title: str
    skills: list[str]
    place_code: str
    wage: decimal.Decimal
    currency: str
    starts_on: dt.date
    ends_on: dt.date | None
    places: int
    taken: int
    is_open: bool


class MatchOut(Schema):
    offer: OfferOut
    skills_matching: list[str]
    skills_lacking: list[str]
    # 1 same commune, 2 same district, 3 same province, 4 another province
    nearness: int
    nearness_label: str


class JobPlacementIn(In):
    profile_id: uuid.UUID
    offer_id: uuid.UUID
    starts_on: dt.date
    wage: str | None = Field(default=None, max_length=20, pattern=r"^[0-9]+(\.[0-9]{1,2})?$")
    currency: Code | None = None


class JobFollowUpIn(In):
    months: int
    followed_on: dt.date
    still_working: bool
    wage: str | None = Field(default=None, max_length=20, pattern=r"^[0-9]+(\.[0-9]{1,2})?$")
    currency: Code | None = None
    satisfaction: Code
    note: Line = ""


class CourseResultIn(In):
    person_id: uuid.UUID
    outcome: Code
    ended_on: dt.date
    certificate_number: str = Field(default="", max_length=60)


class IndicatorCellOut(Schema):
    sex: str
    age_band: str
    profiles: int
    completed: int
    placed: int
    employed_6: int


class IndicatorsOut(Schema):
    day: dt.date
    rows: list[IndicatorCellOut]
    total: IndicatorCellOut
