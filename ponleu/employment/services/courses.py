"""Vocational courses are programmes groups of the vocational kind, with their members and
sessions kept by the programmes services; here, each participant's result: completed (with
the certificate) or dropped out."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.access.policies import can_see_identity
from ponleu.audit import services as audit
from ponleu.common.errors import ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.employment.choices import CourseOutcome, EmploymentAction
from ponleu.employment.models import CourseResult
from ponleu.programmes.choices import GroupBase
from ponleu.programmes.models import Group, GroupKind, GroupMember
from ponleu.programmes.services import groups as group_services
from ponleu.programmes.services.base import acting, choice, past, text

from .base import RECORD


def course_kind(*, organisation_id) -> GroupKind:
    """The organisation's kind for vocational courses; an organisation whose kinds were set up
    before courses existed gets it now."""
    group_services.group_kinds_seed(organisation_id=organisation_id)
    kind = GroupKind.objects.filter(organisation_id=organisation_id, base=GroupBase.VOCATIONAL_COURSE).first()
    if kind is None:
        label = GroupBase.VOCATIONAL_COURSE.label
        with translation.override("km"):
            name_km = str(label)
        with translation.override("en"):
            name_en = str(label)
        kind = GroupKind.objects.create(
            organisation_id=organisation_id,
            base=GroupBase.VOCATIONAL_COURSE,
            name_km=name_km,
            name_en=name_en,
        )
    return kind


@transaction.atomic
def course_create(
    *, actor, name: str, village_code: str, starts_on, schedule="", facilitator_id=None
) -> Group:
    """A course: a group of the vocational kind (the trainer is its facilitator)."""
    course = group_services.group_create(
        actor=actor,
        kind=course_kind(organisation_id=actor.organisation_id),
        name=name,
        village_code=village_code,
        starts_on=starts_on,
        schedule=schedule,
        facilitator_id=facilitator_id,
    )
    audit.record(
        actor=actor, action=EmploymentAction.COURSE_CREATED, target=course, changes={"name": [None, name]}
    )
    return course


@transaction.atomic
def course_result_record(
    *, actor, course: Group, person_id, outcome, ended_on, certificate_number="", version=None
) -> CourseResult:
    """A participant's result; recorded again (a correction) with the version read."""
    course = acting(actor, Group.objects, course, RECORD)
    if course.kind.base != GroupBase.VOCATIONAL_COURSE:
        raise ValidationFailed(_("Choose a vocational course."), field="course")
    member = (
        GroupMember.objects.filter(group=course, person_id=_uuid_or_none(person_id))
        .select_related("person")
        .first()
    )
    if member is None:
        raise ValidationFailed(_("Choose a participant of this course."), field="person")
    outcome = choice(outcome, CourseOutcome, field="outcome")
    ended_on = past(ended_on, field="ended_on")
    if ended_on < course.starts_on or ended_on < member.joined_on:
        raise ValidationFailed(_("The course had not started on this day."), field="ended_on")
    certificate = text(certificate_number, 60)
    if certificate and outcome != CourseOutcome.COMPLETED:
        raise ValidationFailed(
            _("Only a participant who completed the course has a certificate."), field="certificate_number"
        )
    # The certificate number is a document number: only a worker who may see who the
    # participant is reads or writes it (the others' form has no such field).
    seen = can_see_identity(actor, member.person)
    if certificate and not seen:
        raise ValidationFailed(
            _("Only a worker who may see who this young person is can record their certificate."),
            field="certificate_number",
        )
    result = (
        CourseResult.objects.select_for_update().filter(course=course, person_id=member.person_id).first()
    )
    if not seen and result is not None and outcome == CourseOutcome.COMPLETED:
        certificate = result.certificate_number  # kept as it was, not wiped by a form without it
    before = {}
    if result is None:
        result = CourseResult(course=course, person_id=member.person_id)
    else:
        claim_version(result, version)
        before = {"outcome": result.outcome, "ended_on": result.ended_on.isoformat()}
    result.outcome, result.ended_on, result.certificate_number = outcome, ended_on, certificate
    result.recorded_by_id = actor.user_id
    try:
        with transaction.atomic():
            result.save()
    except IntegrityError:
        raise ValidationFailed(
            _("This participant's result is already recorded: reload the page."), field="person"
        ) from None
    audit.record(
        actor=actor,
        action=EmploymentAction.COURSE_RESULT,
        target=course,
        changes={
            "person": [None, str(member.person_id)],
            "outcome": [before.get("outcome"), outcome],
            "ended_on": [before.get("ended_on"), ended_on.isoformat()],
        },
    )
    return result


def _uuid_or_none(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None
