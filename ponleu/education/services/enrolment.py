"""Enrolling pupils and recording how their school year goes: transfer, dropout, return, year end."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.versions import claim_version
from ponleu.education import policies
from ponleu.education.choices import DropoutReason, EducationAction, EnrolmentEventKind, EnrolmentStatus
from ponleu.education.models import Enrolment, EnrolmentEvent, SchoolClass
from ponleu.registry.models import Person

from .base import Problems, require

UNKNOWN_CHILD = gettext_lazy("No child with this number in your areas.")

# What each change does: the event written and the status it leaves.
CHANGES = {
    EnrolmentEventKind.TRANSFERRED_OUT: EnrolmentStatus.TRANSFERRED,
    EnrolmentEventKind.DROPPED_OUT: EnrolmentStatus.DROPPED_OUT,
    EnrolmentEventKind.RETURNED: EnrolmentStatus.ENROLLED,
    EnrolmentEventKind.COMPLETED: EnrolmentStatus.COMPLETED,
    EnrolmentEventKind.REPEATED: EnrolmentStatus.REPEATED,
}


@transaction.atomic
def enrol(
    *,
    actor: Actor,
    school_class: SchoolClass,
    person: Person,
    enrolled_on: dt.date | None = None,
    is_repeating: bool = False,
    transferred_in: bool = False,
) -> Enrolment:
    """Put a child in a class: a registry person the actor may see (enrolling shows the child's
    name to the class's teacher, so it must not reach a child the actor cannot see)."""
    require(policies.can_manage_school(actor, school_class.school))
    problems = Problems()
    year = school_class.year
    enrolled_on = enrolled_on or max(year.starts_on, min(clock.today(), year.ends_on))
    seen = Person.objects.visible_to(actor).filter(pk=person.pk).exists()
    if not seen or person.organisation_id != school_class.organisation_id:
        problems.add("person", UNKNOWN_CHILD)
        problems.raise_if_any()
    if person.is_merged:
        problems.add("person", _("Choose a child registered by this organisation."))
    elif not person.is_child:
        problems.add("person", _("Only children can be enrolled."))
    if not year.contains(enrolled_on):
        problems.add("enrolled_on", _("The enrolment date must lie inside the school year."))
    if Enrolment.objects.filter(
        person=person, school_class__year=year, status=EnrolmentStatus.ENROLLED
    ).exists():
        problems.add("person", _("This child is already enrolled in a class this year."))
    elif Enrolment.objects.filter(person=person, school_class=school_class).exists():
        problems.add("person", _("This child was already enrolled in this class."))
    problems.raise_if_any()
    enrolment = Enrolment.objects.create(
        organisation_id=school_class.organisation_id,
        person=person,
        school_class=school_class,
        enrolled_on=enrolled_on,
        is_repeating=is_repeating,
    )
    kind = EnrolmentEventKind.TRANSFERRED_IN if transferred_in else EnrolmentEventKind.ENROLLED
    EnrolmentEvent.objects.create(
        enrolment=enrolment, kind=kind, date=enrolled_on, recorded_by_id=actor.user_id
    )
    audit.record(
        actor=actor,
        action=EducationAction.ENROLLED,
        target=enrolment,
        changes={
            "person": [None, str(person.pk)],
            "class": [None, str(school_class.pk)],
            "enrolled_on": [None, enrolled_on.isoformat()],
            "is_repeating": [None, is_repeating],
        },
    )
    return enrolment


@transaction.atomic
def enrolment_change(
    *,
    actor: Actor,
    enrolment: Enrolment,
    version,
    kind: str,
    date: dt.date,
    reason: str = "",
    note: str = "",
) -> Enrolment:
    """Transfer out, drop out (with date and reason), return, or end the year (promoted or repeating)."""
    school_class = enrolment.school_class
    require(policies.can_manage_school(actor, school_class.school))
    problems = Problems()
    if kind not in CHANGES:
        problems.add("kind", _("Choose what happened."))
    if date is None or not school_class.year.contains(date):
        problems.add("date", _("The date must lie inside the school year."))
    elif date < enrolment.enrolled_on:
        problems.add("date", _("The date is before the child was enrolled."))
    elif date > clock.today():
        problems.add("date", _("This date is in the future: give the day it happened."))
    if kind == EnrolmentEventKind.DROPPED_OUT and reason not in DropoutReason.values:
        problems.add("reason", _("Give the main reason the child left school."))
    if kind == EnrolmentEventKind.RETURNED and enrolment.status != EnrolmentStatus.DROPPED_OUT:
        problems.add("kind", _("Only a child who dropped out can return."))
    elif kind != EnrolmentEventKind.RETURNED and enrolment.status != EnrolmentStatus.ENROLLED:
        problems.add("kind", _("The child is no longer enrolled in this class."))
    problems.raise_if_any()
    claim_version(enrolment, version)
    before = {"status": enrolment.status, "left_on": enrolment.left_on, "left_reason": enrolment.left_reason}
    enrolment.status = CHANGES[kind]
    if kind in (EnrolmentEventKind.TRANSFERRED_OUT, EnrolmentEventKind.DROPPED_OUT):
        enrolment.left_on, enrolment.left_reason = date, reason if reason in DropoutReason.values else ""
    elif kind == EnrolmentEventKind.RETURNED:
        enrolment.left_on, enrolment.left_reason = None, ""
    enrolment.save(update_fields=["status", "left_on", "left_reason", "version"])
    EnrolmentEvent.objects.create(
        enrolment=enrolment,
        kind=kind,
        date=date,
        reason=reason if reason in DropoutReason.values else "",
        note=(note or "")[:300],
        recorded_by_id=actor.user_id,
    )
    after = {"status": enrolment.status, "left_on": enrolment.left_on, "left_reason": enrolment.left_reason}
    audit.record(
        actor=actor,
        action=EducationAction.ENROLMENT_CHANGED,
        target=enrolment,
        changes=audit.diff(before, after),
        reason=note or "",
    )
    return enrolment
