"""Alternative care: placements (no overlaps; siblings apart is flagged), reunification, follow-up."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.cases import policies, standard
from ponleu.cases.choices import (
    AssessmentResult,
    CaseAction,
    CaseStatus,
    FollowUpOutcome,
    InstrumentKind,
    PlacementType,
)
from ponleu.cases.models import Assessment, Case, FollowUp, Placement
from ponleu.common.errors import ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.geography.models import AdminUnit
from ponleu.registry.choices import Relationship
from ponleu.registry.models import HouseholdMember, Person

from .base import not_before, not_in_future, require_active, require_text

CHILD_RELATIONSHIPS = (Relationship.CHILD, Relationship.SIBLING)


def sibling_ids(person_id) -> list:
    """Other children of the child's households (children of the head, or siblings)."""
    households = HouseholdMember.objects.filter(person_id=person_id).values("household_id")
    return list(
        HouseholdMember.objects.filter(household_id__in=households, relationship__in=CHILD_RELATIONSHIPS)
        .exclude(person_id=person_id)
        .values_list("person_id", flat=True)
        .distinct()
    )


def siblings_placed_elsewhere(
    person_id, *, carer: str, started_on: dt.date, ended_on: dt.date | None
) -> list[Placement]:
    siblings = sibling_ids(person_id)
    if not siblings:
        return []
    same = carer.strip().casefold()
    return [
        placement
        for placement in Placement.objects.filter(person_id__in=siblings).overlapping(started_on, ended_on)
        if placement.carer.strip().casefold() != same
    ]


def siblings_warning(apart: list[Placement]) -> str:
    if not apart:
        return ""
    kinds = sorted({str(p.get_placement_type_display()) for p in apart})
    return ngettext(
        "A sibling of this child is placed elsewhere (%(kinds)s): keep siblings together unless it is unsafe.",
        "%(count)d siblings of this child are placed elsewhere (%(kinds)s): keep siblings together unless it is unsafe.",
        len(apart),
    ) % {"count": len(apart), "kinds": ", ".join(kinds)}


@transaction.atomic
def placement_start(
    *,
    actor: Actor,
    case: Case,
    placement_type: str,
    carer: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    carer_relationship: str = "",
    place: str = "",
    village_code: str | None = None,
) -> tuple[Placement, str]:
    """Record a placement. Returns it with a warning text when siblings end up apart."""
    policies.require(actor, "cases.edit", case)
    require_active(case)
    if placement_type not in PlacementType.values:
        raise ValidationFailed(_("Choose the type of care."), field="placement_type")
    carer = require_text(carer, field="carer")
    if started_on is None:
        raise ValidationFailed(_("This field is required."), field="started_on")
    not_in_future(started_on, field="started_on")
    not_in_future(ended_on, field="ended_on")
    not_before(ended_on, started_on, field="ended_on")
    village = None
    if village_code:
        village = AdminUnit.objects.filter(code=village_code, level="village").first()
        if village is None:
            raise ValidationFailed(_("Unknown village."), field="village")
    # Placements of one child are written one at a time: lock the child's row (PostgreSQL);
    # SQLite's IMMEDIATE transactions already serialise writers.
    Person.objects.select_for_update().filter(pk=case.person_id).first()
    clash = Placement.objects.filter(person_id=case.person_id).overlapping(started_on, ended_on).first()
    if clash is not None:
        raise ValidationFailed(
            _(
                "This child is already placed (%(kind)s, from %(start)s%(end)s): end that placement first or change the dates."
            )
            % {
                "kind": clash.get_placement_type_display(),
                "start": clash.started_on.isoformat(),
                "end": _(" until %(date)s") % {"date": clash.ended_on.isoformat()} if clash.ended_on else "",
            },
            field="started_on",
        )
    apart = siblings_placed_elsewhere(case.person_id, carer=carer, started_on=started_on, ended_on=ended_on)
    placement = Placement.objects.create(
        case=case,
        person_id=case.person_id,
        placement_type=placement_type,
        carer=carer,
        carer_relationship=(carer_relationship or "").strip(),
        place=(place or "").strip(),
        village=village,
        started_on=started_on,
        ended_on=ended_on,
        siblings_apart=bool(apart),
        recorded_by_id=actor.user_id,
    )
    audit.record(
        actor=actor,
        action=CaseAction.PLACEMENT_STARTED,
        target=placement,
        changes={
            "placement_type": [None, placement_type],
            "started_on": [None, started_on.isoformat()],
            "siblings_apart": [None, bool(apart)],
        },
    )
    return placement, siblings_warning(apart)


@transaction.atomic
def placement_end(
    *, actor: Actor, placement: Placement, ended_on: dt.date, end_reason: str = ""
) -> Placement:
    policies.require(actor, "cases.edit", placement.case)
    require_active(placement.case)
    if placement.ended_on is not None:
        raise ValidationFailed(_("This placement has already ended."), field="ended_on")
    if ended_on is None:
        raise ValidationFailed(_("This field is required."), field="ended_on")
    not_in_future(ended_on, field="ended_on")
    not_before(ended_on, placement.started_on, field="ended_on")
    placement.ended_on = ended_on
    placement.end_reason = (end_reason or "").strip()
    placement.save(update_fields=["ended_on", "end_reason"])
    audit.record(
        actor=actor,
        action=CaseAction.PLACEMENT_ENDED,
        target=placement,
        changes={"ended_on": [None, ended_on.isoformat()]},
    )
    return placement


@transaction.atomic
def case_reintegrate(
    *, actor: Actor, case: Case, expected_version, reunified_on: dt.date, reunified_with: str
) -> Case:
    """The child returns to the family: needs a 'ready' readiness assessment; ends the placement."""
    policies.require(actor, "cases.edit", case)
    if standard.READINESS not in case.case_type.instruments:
        raise ValidationFailed(_("This type of case has no reintegration."), field="reunified_on")
    if case.status not in (CaseStatus.IMPLEMENTATION, CaseStatus.REVIEW):
        raise ValidationFailed(
            _("Reunification is recorded while the case plan is carried out or reviewed."),
            field="reunified_on",
        )
    claim_version(case, expected_version)
    reunified_with = require_text(reunified_with, field="reunified_with")
    if reunified_on is None:
        raise ValidationFailed(_("This field is required."), field="reunified_on")
    not_in_future(reunified_on, field="reunified_on")
    not_before(reunified_on, case.identified_on, field="reunified_on")
    readiness = (
        Assessment.objects.filter(case=case, instrument__kind=InstrumentKind.READINESS)
        .order_by("-assessed_on", "-created_at")
        .first()
    )
    if readiness is None or readiness.result != AssessmentResult.READY:
        raise ValidationFailed(
            _("The last reintegration readiness assessment must show the child ready to return."),
            field="reunified_on",
        )
    current = Placement.objects.filter(case=case, ended_on__isnull=True).first()
    if current is not None:
        not_before(reunified_on, current.started_on, field="reunified_on")
        current.ended_on = reunified_on
        current.end_reason = _("Reunified with family")
        current.save(update_fields=["ended_on", "end_reason"])
    before = case.reintegrated_on
    case.reintegrated_on = reunified_on
    case.reintegrated_with = reunified_with
    case.save()
    audit.record(
        actor=actor,
        action=CaseAction.REINTEGRATED,
        target=case,
        changes={
            "reintegrated_on": [before.isoformat() if before else None, reunified_on.isoformat()],
            "placement_ended": [None, str(current.pk) if current else None],
        },
    )
    return case


@transaction.atomic
def follow_up_record(
    *, actor: Actor, follow_up: FollowUp, done_on: dt.date, outcome: str, observations: str = ""
) -> FollowUp:
    case = follow_up.case
    policies.require(actor, "cases.edit", case)
    if case.status != CaseStatus.FOLLOW_UP:
        raise ValidationFailed(_("Follow-up visits are recorded after the case is closed."), field="done_on")
    if outcome not in FollowUpOutcome.values:
        raise ValidationFailed(_("Choose how the child is."), field="outcome")
    if done_on is None:
        raise ValidationFailed(_("This field is required."), field="done_on")
    not_in_future(done_on, field="done_on")
    not_before(done_on, case.reintegrated_on, field="done_on")
    before = audit.snapshot(follow_up, ("done_on", "outcome"))
    follow_up.done_on = done_on
    follow_up.outcome = outcome
    follow_up.observations = (observations or "").strip()
    follow_up.done_by_id = actor.user_id
    follow_up.save(update_fields=["done_on", "outcome", "observations", "done_by"])
    changes = audit.diff(before, audit.snapshot(follow_up, ("done_on", "outcome")))
    audit.record(actor=actor, action=CaseAction.FOLLOW_UP_RECORDED, target=follow_up, changes=changes)
    return follow_up
