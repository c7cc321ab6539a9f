"""Loading a school's past in bulk (a school history): classes, enrolments and their records.

The loader (``early_warning`` for a school-history folder) plans unsaved rows and hands them
here; these services check that each row belongs to the actor's organisation and hangs off rows
of it, write with bulk inserts and record one audit event per load. Years and schools are few
and go through ``year_create`` and ``school_create`` like any other.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from ponleu.access.actors import Actor
from ponleu.access.scopes import Scope
from ponleu.audit import services as audit
from ponleu.education.choices import EducationAction
from ponleu.education.models import (
    AcademicYear,
    Assessment,
    AttendanceMonth,
    BehaviourIncident,
    Enrolment,
    SchoolClass,
)

from .base import require

BATCH = 2000


def _may_load(actor: Actor) -> None:
    require(
        actor.organisation_id is not None
        and (actor.is_system or actor.scope_for("education.manage") >= Scope.ORG)
    )


def _own(actor: Actor, organisation_ids) -> None:
    require(all(org == actor.organisation_id for org in organisation_ids))


@transaction.atomic
def classes_load(*, actor: Actor, classes: Sequence[SchoolClass]) -> list[SchoolClass]:
    """Classes of the organisation's own schools and years."""
    _may_load(actor)
    _own(actor, {c.school.organisation_id for c in classes} | {c.year.organisation_id for c in classes})
    for school_class in classes:
        school_class.organisation_id = school_class.school.organisation_id
        school_class.area_code = school_class.school.area_code
    made = SchoolClass.objects.bulk_create(classes, batch_size=BATCH)
    audit.record(
        actor=actor,
        action=EducationAction.CLASS_CREATED,
        target=None,
        changes={"classes": [None, [str(c.pk) for c in made]]},
    )
    return made


@transaction.atomic
def enrolments_load(
    *, actor: Actor, year: AcademicYear | None, enrolments: Sequence[Enrolment]
) -> list[Enrolment]:
    """Enrolments of the organisation's people in its classes, with how each year ended."""
    _may_load(actor)
    _own(
        actor,
        {e.person.organisation_id for e in enrolments} | {e.school_class.organisation_id for e in enrolments},
    )
    for enrolment in enrolments:
        enrolment.organisation_id = enrolment.school_class.organisation_id
    made = Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    audit.record(
        actor=actor,
        action=EducationAction.ENROLLED,
        target=year,
        changes={"enrolments": [None, len(made)]},
    )
    return made


@transaction.atomic
def records_load(
    *,
    actor: Actor,
    year: AcademicYear | None,
    attendance: Sequence[AttendanceMonth] = (),
    assessments: Sequence[Assessment] = (),
    incidents: Sequence[BehaviourIncident] = (),
) -> None:
    """Monthly registers, test sheets and behaviour incidents of enrolments and classes loaded
    before (one audit event for each kind of record)."""
    _may_load(actor)
    _own(
        actor,
        {a.enrolment.organisation_id for a in attendance}
        | {a.school_class.organisation_id for a in assessments}
        | {i.enrolment.organisation_id for i in incidents},
    )
    loads = (
        (AttendanceMonth, attendance, EducationAction.ATTENDANCE_IMPORTED, "attendance_months"),
        (Assessment, assessments, EducationAction.ASSESSMENT_SAVED, "assessments"),
        (BehaviourIncident, incidents, EducationAction.INCIDENT_RECORDED, "incidents"),
    )
    for model, rows, action, name in loads:
        if rows:
            model.objects.bulk_create(rows, batch_size=BATCH)
            audit.record(actor=actor, action=action, target=year, changes={name: [None, len(rows)]})
