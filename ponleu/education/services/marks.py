"""Test and exam scores of a class, and behaviour incidents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.versions import claim_version
from ponleu.education import policies
from ponleu.education.choices import AssessmentKind, EducationAction, IncidentSeverity, IncidentType, Subject
from ponleu.education.models import Assessment, BehaviourIncident, Enrolment, SchoolClass

from .base import Problems, require


def _number(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


@transaction.atomic
def assessment_save(
    *,
    actor: Actor,
    school_class: SchoolClass,
    subject: str,
    kind: str,
    held_on: dt.date,
    max_score,
    scores: dict,
    assessment: Assessment | None = None,
    version=None,
) -> Assessment:
    """Save one test's scores. ``scores`` maps enrolment id to a score; an empty score means the
    pupil did not sit the test. A score below zero or above the maximum is refused, with every
    such pupil listed, and nothing is stored."""
    require(policies.can_take_attendance(actor, school_class))
    problems = Problems()
    if subject not in Subject.values:
        problems.add("subject", _("Choose the subject."))
    if kind not in AssessmentKind.values:
        problems.add("kind", _("Choose whether this is a monthly test or a semester exam."))
    year = school_class.year
    if held_on is None or not year.contains(held_on):
        problems.add("held_on", _("The test date must lie inside the school year."))
    elif held_on > clock.today():
        problems.add("held_on", _("The test date is in the future."))
    try:
        maximum = _number(max_score)
    except ValueError:
        maximum = None
    if maximum is None or maximum <= 0:
        problems.add("max_score", _("Give the maximum score, a number above zero."))
    pupils = {str(e.pk): e for e in Enrolment.objects.filter(school_class=school_class)}
    clean: dict[str, float] = {}
    for key, raw in scores.items():
        where = f"score {key}"
        enrolment = pupils.get(str(key))
        if enrolment is None:
            problems.add(where, _("This pupil is not in this class."))
            continue
        try:
            value = _number(raw)
        except ValueError:
            problems.add(where, _("%(value)r is not a number.") % {"value": raw})
            continue
        if value is None:
            continue
        if held_on is not None and not enrolment.is_enrolled_on(held_on):
            problems.add(
                where, _("This pupil was not in the class on %(date)s.") % {"date": held_on.isoformat()}
            )
        if value < 0:
            problems.add(where, _("A score cannot be below zero."))
        elif maximum is not None and value > maximum:
            problems.add(
                where, _("%(score)s is above the maximum of %(max)s.") % {"score": value, "max": maximum}
            )
        clean[str(key)] = float(value)
    if assessment is None and not problems:
        duplicate = Assessment.objects.filter(
            school_class=school_class, subject=subject, kind=kind, held_on=held_on
        )
        if duplicate.exists():
            problems.add("held_on", _("Scores for this test are already recorded; open them to change them."))
    problems.raise_if_any()
    if assessment is None:
        assessment = Assessment.objects.create(
            school_class=school_class,
            subject=subject,
            kind=kind,
            held_on=held_on,
            max_score=maximum,
            scores=clean,
            recorded_by_id=actor.user_id,
        )
        before = {}
    else:
        claim_version(assessment, version)
        before = dict(assessment.scores)
        assessment.subject, assessment.kind, assessment.held_on = subject, kind, held_on
        assessment.max_score, assessment.scores = maximum, clean
        assessment.save()
    changed = {
        k: [before.get(k), clean.get(k)]
        for k in sorted(set(before) | set(clean))
        if before.get(k) != clean.get(k)
    }
    audit.record(
        actor=actor,
        action=EducationAction.ASSESSMENT_SAVED,
        target=assessment,
        changes={"test": [None, f"{subject} {kind} {held_on.isoformat()} /{maximum}"], "scores": changed},
    )
    return assessment


@transaction.atomic
def incident_record(
    *, actor: Actor, enrolment: Enrolment, occurred_on: dt.date, type: str, severity, note: str = ""
) -> BehaviourIncident:
    require(policies.can_take_attendance(actor, enrolment.school_class))
    problems = Problems()
    if type not in IncidentType.values:
        problems.add("type", _("Choose what kind of incident it was."))
    try:
        severity = int(severity)
    except (TypeError, ValueError):
        severity = 0
    if severity not in IncidentSeverity.values:
        problems.add("severity", _("Choose how serious it was."))
    if occurred_on is None or occurred_on > clock.today():
        problems.add("occurred_on", _("Give the day it happened (not in the future)."))
    elif not enrolment.is_enrolled_on(occurred_on):
        problems.add("occurred_on", _("The pupil was not in this class on that day."))
    problems.raise_if_any()
    incident = BehaviourIncident.objects.create(
        enrolment=enrolment,
        occurred_on=occurred_on,
        type=type,
        severity=severity,
        note=(note or "").strip(),
        recorded_by_id=actor.user_id,
    )
    audit.record(
        actor=actor,
        action=EducationAction.INCIDENT_RECORDED,
        target=incident,
        changes={
            "type": [None, type],
            "severity": [None, severity],
            "occurred_on": [None, occurred_on.isoformat()],
        },
    )
    return incident
