"""Out-of-school children: the register (a child of school age not enrolled, found by outreach,
from the registry's ages or from a school's roll), the plan to bring them back, their return
(into a school class through the education service, or a non-formal class), and the follow-up
of their schooling for years afterwards."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common.errors import ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.education.models import Enrolment, SchoolClass
from ponleu.education.services import enrolment as education
from ponleu.programmes.choices import (
    FoundBy,
    GroupBase,
    OutOfSchoolReason,
    OutOfSchoolStatus,
    ProgrammeAction,
    ReturnPlan,
)
from ponleu.programmes.models import Group, GroupMember, OutOfSchool, SchoolingFollowUp
from ponleu.registry.models import Person

from .base import acting, choice, past, text, visible_person
from .groups import members_add
from .projects import RECORD

# After a child is back, their schooling is followed up this often.
FOLLOW_UP_MONTHS = 6
SCHOOL_AGES = (6, 17)


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


@transaction.atomic
def out_of_school_record(
    *, actor, person_id, identified_on, found_by: str, reason: str, plan: str
) -> OutOfSchool:
    person = visible_person(actor, person_id)
    identified_on = past(identified_on, field="identified_on")
    age = person.age_on(identified_on)
    if age is not None and not SCHOOL_AGES[0] <= age <= SCHOOL_AGES[1]:
        raise ValidationFailed(_("This child is not of school age."), field="person")
    if Enrolment.objects.filter(person=person, status="enrolled").exists():
        raise ValidationFailed(_("This child is enrolled in a school."), field="person")
    if OutOfSchool.objects.filter(person=person, status=OutOfSchoolStatus.OUT).exists():
        raise ValidationFailed(_("This child is already on the register."), field="person")
    record = OutOfSchool(
        organisation_id=actor.organisation_id,
        owner_id=actor.user_id,
        team_id=actor.team_ids[0] if actor.team_ids else None,
        person=person,
        identified_on=identified_on,
        found_by=choice(found_by, FoundBy, field="found_by"),
        reason=choice(reason, OutOfSchoolReason, field="reason"),
        plan=choice(plan, ReturnPlan, field="plan"),
    )
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        raise ValidationFailed(_("This child is already on the register."), field="person") from None
    audit.record(
        actor=actor,
        action=ProgrammeAction.OUT_OF_SCHOOL_RECORDED,
        target=record,
        changes={
            "person": [None, str(person.pk)],
            "reason": [None, record.reason],
            "plan": [None, record.plan],
        },
    )
    return record


@transaction.atomic
def out_of_school_return(
    *,
    actor,
    record: OutOfSchool,
    returned_on,
    version,
    school_class: SchoolClass | None = None,
    group: Group | None = None,
) -> OutOfSchool:
    """The child is back: enrolled in a school class (the education service's enrolment) or a
    member of a non-formal class."""
    record = acting(actor, OutOfSchool.objects, record, RECORD)
    claim_version(record, version)
    if record.status != OutOfSchoolStatus.OUT:
        raise ValidationFailed(_("This child is already back in school."), field="status")
    returned_on = past(returned_on, field="returned_on")
    if returned_on < record.identified_on:
        raise ValidationFailed(_("The child cannot be back before being found."), field="returned_on")
    if bool(school_class) == bool(group):
        raise ValidationFailed(_("Choose the school class or the non-formal class."), field="school_class")
    person = Person.objects.get(pk=record.person_id)
    if school_class is not None:
        record.enrolment = education.enrol(
            actor=actor, school_class=school_class, person=person, enrolled_on=returned_on
        )
    else:
        group = Group.objects.actionable_by(actor, RECORD).select_related("kind").filter(pk=group.pk).first()
        if group is None or group.kind.base not in (GroupBase.NON_FORMAL_CLASS, GroupBase.REMEDIAL_CLASS):
            raise ValidationFailed(_("Choose a non-formal class you work with."), field="group")
        if not GroupMember.objects.filter(group=group, person=person, left_on__isnull=True).exists():
            # Joining the class is the groups' own write: checked and audited as any member's.
            members_add(actor=actor, group=group, person_ids=[person.pk], joined_on=returned_on)
        record.group = group
    record.status = OutOfSchoolStatus.RETURNED
    record.returned_on = returned_on
    record.next_follow_up_on = _months_later(returned_on, FOLLOW_UP_MONTHS)
    record.save()
    audit.record(
        actor=actor,
        action=ProgrammeAction.OUT_OF_SCHOOL_RETURNED,
        target=record,
        changes={
            "status": [OutOfSchoolStatus.OUT, OutOfSchoolStatus.RETURNED],
            "returned_on": [None, returned_on.isoformat()],
            "enrolment": [None, str(record.enrolment_id) if record.enrolment_id else None],
        },
    )
    return record


@transaction.atomic
def out_of_school_follow_up(
    *, actor, record: OutOfSchool, followed_on, in_school: bool, version, grade=None, note: str = ""
) -> SchoolingFollowUp:
    """A follow-up of a child back in school; a child found out of school again is marked so."""
    record = acting(actor, OutOfSchool.objects, record, RECORD)
    claim_version(record, version)
    if record.status == OutOfSchoolStatus.OUT:
        raise ValidationFailed(_("Follow-up starts once the child is back in school."), field="status")
    followed_on = past(followed_on, field="followed_on")
    if followed_on < record.returned_on:
        raise ValidationFailed(_("The follow-up cannot be before the child's return."), field="followed_on")
    if grade not in (None, ""):
        try:
            grade = int(grade)
        except (TypeError, ValueError):
            raise ValidationFailed(_("Enter a grade from 1 to 12."), field="grade") from None
        if not 1 <= grade <= 12:
            raise ValidationFailed(_("Enter a grade from 1 to 12."), field="grade")
    else:
        grade = None
    follow_up = SchoolingFollowUp.objects.create(
        record=record,
        followed_on=followed_on,
        in_school=bool(in_school),
        grade=grade,
        note=text(note, 500),
        recorded_by_id=actor.user_id,
    )
    before = record.status
    record.status = OutOfSchoolStatus.RETURNED if in_school else OutOfSchoolStatus.LEFT_AGAIN
    record.next_follow_up_on = _months_later(followed_on, FOLLOW_UP_MONTHS) if in_school else None
    record.save()
    audit.record(
        actor=actor,
        action=ProgrammeAction.OUT_OF_SCHOOL_FOLLOWED,
        target=record,
        changes={"status": [before, record.status], "followed_on": [None, followed_on.isoformat()]},
    )
    return follow_up
