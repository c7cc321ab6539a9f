"""API shapes of early childhood work: nurseries and their days, a child's development with
the next check due, checks due, factories and the childcare they provide, the checklist."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from ponleu.common.schemas import Code, Line, Text
from ponleu.programmes.schemas import In


class NurseryOut(Schema):
    id: uuid.UUID
    group_id: uuid.UUID
    name: str
    kind: str
    village_code: str
    factory_id: uuid.UUID | None
    capacity: int | None
    parents_group_id: uuid.UUID | None
    children: int


class NurseryChildOut(Schema):
    """``person_id`` is null for a child the caller may not identify (``name``: initials)."""

    member_id: uuid.UUID
    person_id: uuid.UUID | None
    name: str
    joined_on: dt.date


class NurseryDetailOut(NurseryOut):
    child_list: list[NurseryChildOut]


class NurseryDayIn(In):
    """The day's roll call: the memberships present (ids of the nursery's children as listed).
    A correction of a day already taken sends the version read in ``If-Match``."""

    held_on: dt.date
    present: list[uuid.UUID] = []


class NurseryDayOut(Schema):
    session_id: uuid.UUID
    version: int
    held_on: dt.date
    present: list[uuid.UUID]


class DomainResultOut(Schema):
    domain: str
    achieved: int
    asked: int


class DevelopmentCheckOut(Schema):
    id: uuid.UUID
    checked_on: dt.date
    from_months: int
    to_months: int
    nursery_id: uuid.UUID | None
    domains: list[DomainResultOut]


class DevelopmentDueOut(Schema):
    from_months: int
    to_months: int
    due_on: dt.date
    late: bool


class DevelopmentOut(Schema):
    person_id: uuid.UUID
    name: str
    months: int | None
    next_check: DevelopmentDueOut | None
    checks: list[DevelopmentCheckOut]


class DevelopmentCheckIn(In):
    """Every item of the child's age band (on ``checked_on``) answered: item id → achieved."""

    checked_on: dt.date
    nursery_id: uuid.UUID | None = None
    results: dict[str, bool]


class CheckDueOut(Schema):
    person_id: uuid.UUID
    name: str
    nursery_id: uuid.UUID
    next_check: DevelopmentDueOut


class FactoryOut(Schema):
    id: uuid.UUID
    version: int
    name: str
    village_code: str
    women_workers: int
    childcare: str
    must_provide_childcare: bool
    falls_short: bool
    checked_on: dt.date
    notes: str


class FactoryIn(In):
    name: Line
    village_code: Code
    women_workers: int = Field(ge=0, le=100_000)
    childcare: Code
    checked_on: dt.date
    notes: Text = ""


class FactoryCheckIn(In):
    women_workers: int = Field(ge=0, le=100_000)
    childcare: Code
    checked_on: dt.date
    notes: Text | None = None


class ChecklistItemIn(Schema):
    domain: Code
    text_km: Line
    text_en: Line = ""


class ChecklistBandIn(Schema):
    from_months: int
    to_months: int
    items: list[ChecklistItemIn]


class ChecklistIn(Schema):
    name: Line
    source: Code
    bands: list[ChecklistBandIn]


class ChecklistItemOut(Schema):
    id: int
    domain: str
    text_km: str
    text_en: str


class ChecklistBandOut(Schema):
    from_months: int
    to_months: int
    items: list[ChecklistItemOut]


class ChecklistOut(Schema):
    id: uuid.UUID
    name: str
    source: str
    bands: list[ChecklistBandOut]


class ChecklistItemChangeIn(Schema):
    """An item reworded, or retired (``asked: false``): the checks that asked it keep it."""

    text_km: Line
    text_en: Line = ""
    asked: bool = True
