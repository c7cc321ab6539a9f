"""Opening, editing, moving and assigning cases; safety plans and details by type."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.access import policies as access_policies
from ponleu.access.actors import Actor, system_actor
from ponleu.audit import services as audit
from ponleu.cases import policies, workflow
from ponleu.cases.choices import (
    ActionStatus,
    ApprovalStatus,
    AssessmentResult,
    CaseAction,
    CaseEvent,
    CaseStatus,
    ClosureReason,
    Destination,
    Hazard,
    IdentificationSource,
    InstrumentKind,
    LegalCaseStatus,
    WorkplaceType,
)
from ponleu.cases.models import (
    CASE_EDITABLE_FIELDS,
    Action,
    Assessment,
    Case,
    CaseApproval,
    CaseType,
    ChildLabourDetail,
    FollowUp,
    Goal,
    SafetyPlan,
    TraffickingDetail,
)
from ponleu.cases.models.fields import ProtectedTextField
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.notifications.choices import NotificationKind
from ponleu.organisations.models import Membership, Organisation, Team
from ponleu.registry import policies as registry_policies
from ponleu.registry.services import people as person_services

from .base import (
    add_months,
    caseworker_membership,
    not_in_future,
    require_active,
    require_text,
    tell,
)
from .configuration import configuration_seed

OPEN_FIELDS = (
    "case_type",
    "subtype",
    "person",
    "status",
    "owner",
    "team",
    "is_sensitive",
    "source",
    "identified_on",
)
EDITABLE_FIELDS = CASE_EDITABLE_FIELDS
# Encrypted text never reaches an audit row: its change is recorded, not its words.
SECRET_FIELDS = tuple(f.name for f in Case._meta.get_fields() if isinstance(f, ProtectedTextField))


def _case_type(organisation_id, code: str, actor: Actor) -> CaseType:
    types = CaseType.objects.filter(organisation_id=organisation_id)
    if not types.exists():
        # An organisation starts with the standard types the first time it opens a case.
        configuration_seed(actor=actor, organisation=Organisation.objects.get(pk=organisation_id))
    case_type = types.filter(code=code, is_active=True).first()
    if case_type is None:
        raise ValidationFailed(_("Choose a type of case."), field="case_type")
    return case_type


def _check_subtype(case_type: CaseType, subtype: str) -> str:
    subtype = subtype or ""
    if subtype and subtype not in {item["code"] for item in case_type.subtypes}:
        raise ValidationFailed(_("Choose one of the kinds of this case type."), field="subtype")
    return subtype


def _default_team(organisation_id, owner_id, person) -> Team | None:
    if owner_id:
        team = Team.objects.filter(organisation_id=organisation_id, members__user_id=owner_id).first()
        if team is not None:
            return team
    if person.team_id:
        return person.team
    return None


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    person,
    case_type_code: str,
    source: str = IdentificationSource.OTHER,
    identified_on: dt.date | None = None,
    subtype: str = "",
    source_detail: str = "",
    summary: str = "",
    owner_id=None,
    team_id=None,
    immediate_danger: bool = False,
    is_sensitive: bool | None = None,
    witness=None,
) -> Case:
    """Open a case for a child. Also the entry point for early warning (school dropout cases).

    The opener must see the child in full first (``witness``: the record that led them to the
    child, e.g. the pupil's enrolment): becoming a case's caseworker clears one for the child's
    identity, so a case opened on a child one may only see masked would lift the mask."""
    if person.organisation_id != actor.organisation_id or not policies.can_open_case_for(actor, person):
        raise PermissionDenied()
    if not access_policies.can_see_identity(actor, person, witness=witness):
        raise PermissionDenied(
            _(
                "This child's record is protected. A supervisor of the child's area can open the case"
                " and assign it."
            )
        )
    case_type = _case_type(person.organisation_id, case_type_code, actor)
    subtype = _check_subtype(case_type, subtype)
    if source not in IdentificationSource.values:
        raise ValidationFailed(_("Choose who identified the child."), field="source")
    identified_on = identified_on or clock.today()
    not_in_future(identified_on, field="identified_on")
    if owner_id is None and actor.user_id is not None and actor.can("cases.edit"):
        owner_id = actor.user_id
    if owner_id is not None:
        caseworker_membership(person.organisation_id, owner_id)
    if team_id is not None:
        team = Team.objects.filter(pk=team_id, organisation_id=person.organisation_id).first()
        if team is None:
            raise ValidationFailed(_("Choose a team of this organisation."), field="team")
    else:
        team = _default_team(person.organisation_id, owner_id, person)
    now = clock.now()
    case = Case(
        organisation_id=person.organisation_id,
        case_type=case_type,
        subtype=subtype,
        person=person,
        area_code=person.area_code,
        team=team,
        owner_id=owner_id,
        opened_by_id=actor.user_id,
        status=CaseStatus.IDENTIFIED,
        status_changed_at=now,
        is_sensitive=case_type.is_sensitive_default if is_sensitive is None else bool(is_sensitive),
        source=source,
        source_detail=source_detail.strip(),
        identified_on=identified_on,
        summary=summary.strip(),
    )
    if immediate_danger:
        _mark_urgent(case, now)
    case.save(force_insert=True)
    if case.is_sensitive and not person.is_sensitive:
        _protect_person(actor, person)
    opened = {name: getattr(case, case._meta.get_field(name).attname) for name in OPEN_FIELDS}
    changes = audit.diff({}, {**opened, "urgent": immediate_danger})
    audit.record(actor=actor, action=CaseAction.OPENED, target=case, changes=changes)
    if immediate_danger:
        _tell_urgent(case)
    return case


def _protect_person(actor: Actor, person) -> None:
    """A trafficking, exploitation or violence case makes the child's record sensitive too.

    Raising protection is never an escalation, so when the opener may not edit the record
    (a field worker) the change is made in the system's name, with the opener named.
    """
    editor = actor
    if not registry_policies.can_edit_person(actor, person):
        editor = system_actor(person.organisation_id, name=f"{actor.username or 'system'} (case protection)")
    person_services.person_update(
        actor=editor,
        person=person,
        version=person.version,
        data={"is_sensitive": True},
        reason="A sensitive case was opened for this child.",
    )
    person.refresh_from_db()


def _mark_urgent(case: Case, now: dt.datetime) -> None:
    # A new danger needs a new or revised safety plan, even if one exists: the clock restarts.
    case.urgent_since = now
    case.urgent_deadline = now + dt.timedelta(hours=workflow.URGENT_DEADLINE_HOURS)
    case.urgency_met_at = None


def _tell_urgent(case: Case) -> None:
    recipients = [m.user for m in supervisors_of(case)]
    if case.owner_id:
        recipients.append(case.owner)
    tell(
        recipients,
        lambda: gettext_lazy("A child is in immediate danger: a safety plan is due within 24 hours."),
        case=case,
    )


def supervisors_of(case: Case):
    memberships = Membership.objects.filter(
        organisation_id=case.organisation_id, role="supervisor", is_active=True
    ).select_related("user")
    if case.team_id:
        memberships = memberships.filter(teams=case.team_id)
    return list(memberships)


@transaction.atomic
def case_update(*, actor: Actor, case: Case, expected_version, data: dict) -> Case:
    policies.require(actor, "cases.edit", case)
    require_active(case)
    claim_version(case, expected_version)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(_("This field cannot be changed here."), field=sorted(unknown)[0])
    before = audit.snapshot(case, EDITABLE_FIELDS)
    if "subtype" in data:
        data["subtype"] = _check_subtype(case.case_type, data["subtype"])
    if "source" in data and data["source"] not in IdentificationSource.values:
        raise ValidationFailed(_("Choose who identified the child."), field="source")
    if "identified_on" in data:
        if data["identified_on"] is None:
            raise ValidationFailed(_("This field is required."), field="identified_on")
        not_in_future(data["identified_on"], field="identified_on")
    # Lifting the protection of a trafficking or violence case is a supervisor's decision, the
    # same rule and capability as lifting it on the child's record.
    lifting = "is_sensitive" in data and not data["is_sensitive"] and case.is_sensitive
    if lifting and not registry_policies.can_lift_protection(actor, case):
        raise ValidationFailed(
            _("Only a supervisor can lift the protection of this case."), field="is_sensitive"
        )
    protecting = bool(data.get("is_sensitive")) and not case.is_sensitive
    for name, value in data.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    case.save()
    if protecting and not case.person.is_sensitive:
        _protect_person(actor, case.person)
    changes = audit.diff(before, audit.snapshot(case, EDITABLE_FIELDS), secret_fields=SECRET_FIELDS)
    audit.record(actor=actor, action=CaseAction.UPDATED, target=case, changes=changes)
    return case


def gather_facts(
    case: Case,
    *,
    actor: Actor,
    event: str,
    reason: str = "",
    open_actions_reason: str = "",
    closure_reason: str = "",
) -> workflow.CaseFacts:
    pending = None
    decision = workflow.APPROVAL_DECISIONS.get(event)
    if decision is not None:
        pending = CaseApproval.objects.filter(
            case=case, kind=decision[0], status=ApprovalStatus.PENDING
        ).first()
    actions = Action.objects.filter(case=case).exclude(status=ActionStatus.CANCELLED)
    return workflow.CaseFacts(
        urgent_pending=case.urgency_pending,
        has_safety_plan=SafetyPlan.objects.filter(case=case).exists(),
        type_requires_safety_plan=case.case_type.requires_safety_plan,
        has_risk_assessment=Assessment.objects.filter(
            case=case, instrument__kind=InstrumentKind.CHECKLIST
        ).exists(),
        goals=Goal.objects.filter(case=case).count(),
        actions=actions.count(),
        open_actions=actions.filter(status=ActionStatus.OPEN).count(),
        reintegrated=case.reintegrated_on is not None,
        follow_ups_pending=FollowUp.objects.filter(case=case, done_on__isnull=True).count(),
        actor_is_requester=pending is not None
        and actor.user_id is not None
        and pending.requested_by_id == actor.user_id,
        reason=reason or "",
        open_actions_reason=open_actions_reason or "",
        closure_reason=closure_reason or "",
    )


@transaction.atomic
def case_transition(
    *,
    actor: Actor,
    case: Case,
    event: str,
    expected_version,
    reason: str = "",
    open_actions_reason: str = "",
    closure_reason: str = "",
) -> Case:
    """Move the case along the workflow table, or refuse with the reason; nothing half-done."""
    transition = workflow.transition_for(case.status, event)
    policies.require(actor, transition.capability, case)
    if closure_reason and closure_reason not in ClosureReason.values:
        raise ValidationFailed(_("Choose the reason for closing the case."), field="closure_reason")
    claim_version(case, expected_version)
    facts = gather_facts(
        case,
        actor=actor,
        event=event,
        reason=reason,
        open_actions_reason=open_actions_reason,
        closure_reason=closure_reason,
    )
    workflow.check(case.status, event, facts)
    before = case.status
    now = clock.now()
    changes: dict = {}
    audit_reason = reason or open_actions_reason
    if event == CaseEvent.MARK_URGENT:
        _mark_urgent(case, now)
        changes["urgent_deadline"] = [None, case.urgent_deadline.isoformat()]
    elif event in workflow.APPROVAL_REQUESTS:
        closing = event == CaseEvent.REQUEST_CLOSURE
        # The closing summary is the case's encrypted closure_note and is kept there only: not in
        # the approval's plain note, not in the audit row (which records that it changed).
        CaseApproval.objects.create(
            case=case,
            kind=workflow.APPROVAL_REQUESTS[event],
            requested_by_id=actor.user_id,
            requested_at=now,
            request_note=(open_actions_reason if closing else open_actions_reason or reason).strip(),
        )
        if closing:
            changes["closure_reason"] = [case.closure_reason, closure_reason]
            before_note = case.closure_note
            case.closure_reason = closure_reason
            case.closure_note = reason.strip()
            changes.update(
                audit.diff(
                    {"closure_note": before_note},
                    {"closure_note": case.closure_note},
                    secret_fields=SECRET_FIELDS,
                )
            )
            audit_reason = open_actions_reason
        tell(
            [m.user for m in supervisors_of(case)],
            lambda: gettext_lazy("A case waits for your approval."),
            case=case,
            kind=NotificationKind.APPROVAL_ASKED,
        )
    elif event in workflow.APPROVAL_DECISIONS:
        _decide(case, actor, event, reason, now)
    elif event == CaseEvent.REOPEN:
        changes["closed_on"] = [case.closed_on.isoformat() if case.closed_on else None, None]
        case.closed_on = None
        case.closure_reason = ""
    case.status = workflow.target(transition, facts)
    if case.status != before:
        case.status_changed_at = now
    if event == CaseEvent.APPROVE_CLOSURE:
        case.closed_on = clock.today()
        Action.objects.filter(case=case, status=ActionStatus.OPEN).update(status=ActionStatus.CANCELLED)
        if case.status == CaseStatus.FOLLOW_UP:
            _schedule_follow_ups(case)
    case.save()
    changes["status"] = [before, case.status]
    changes["event"] = [None, str(event)]
    audit.record(
        actor=actor,
        action=CaseAction.TRANSITIONED,
        target=case,
        changes=changes,
        reason=audit_reason.strip(),
    )
    return case


def _decide(case: Case, actor: Actor, event: str, comment: str, now) -> None:
    kind, approved = workflow.APPROVAL_DECISIONS[event]
    approval = CaseApproval.objects.filter(case=case, kind=kind, status=ApprovalStatus.PENDING).first()
    if approval is None:
        # Cases moved into the approval stage outside this service (imports) get their record now.
        approval = CaseApproval(case=case, kind=kind, requested_at=now)
    approval.status = ApprovalStatus.APPROVED if approved else ApprovalStatus.RETURNED
    approval.decided_by_id = actor.user_id
    approval.decided_at = now
    approval.comment = comment.strip()
    approval.save()
    audit.record(
        actor=actor,
        action=CaseAction.APPROVAL_DECIDED,
        target=approval,
        changes={"status": [ApprovalStatus.PENDING, approval.status]},
        reason=approval.comment,
    )
    tell(
        [approval.requested_by] if approval.requested_by_id else [],
        (lambda: gettext_lazy("Your request was approved."))
        if approved
        else (lambda: gettext_lazy("Your request was returned with a comment.")),
        case=case,
    )


def _schedule_follow_ups(case: Case) -> None:
    have = set(FollowUp.objects.filter(case=case).values_list("months", flat=True))
    FollowUp.objects.bulk_create(
        [
            FollowUp(case=case, months=months, due_on=add_months(case.reintegrated_on, months))
            for months in workflow.FOLLOW_UP_MONTHS
            if months not in have
        ]
    )


@transaction.atomic
def case_assign(
    *, actor: Actor, case: Case, expected_version, owner_id=None, team_id=None, reason: str = ""
) -> Case:
    """Assign the case to a caseworker, or transfer it to another team (and caseworker)."""
    policies.require(actor, "cases.assign", case)
    claim_version(case, expected_version)
    before = {"owner": case.owner_id, "team": case.team_id}
    if owner_id is not None:
        caseworker_membership(case.organisation_id, owner_id)
    if team_id is not None:
        if not Team.objects.filter(pk=team_id, organisation_id=case.organisation_id).exists():
            raise ValidationFailed(_("Choose a team of this organisation."), field="team")
    elif owner_id is not None:
        team = Team.objects.filter(organisation_id=case.organisation_id, members__user_id=owner_id).first()
        team_id = team.pk if team else case.team_id
    case.owner_id = owner_id
    case.team_id = team_id
    case.save()
    after = {"owner": case.owner_id, "team": case.team_id}
    audit.record(
        actor=actor,
        action=CaseAction.ASSIGNED,
        target=case,
        changes=audit.diff(before, after),
        reason=reason.strip(),
    )
    if owner_id is not None and owner_id != before["owner"]:
        tell(
            [case.owner],
            lambda: gettext_lazy("A case was assigned to you."),
            case=case,
            kind=NotificationKind.CASE_ASSIGNED,
        )
    return case


SAFETY_PLAN_FIELDS = ("dangers", "safe_place", "trusted_adults", "warning_signs", "steps", "review_on")


@transaction.atomic
def safety_plan_save(*, actor: Actor, case: Case, data: dict) -> SafetyPlan:
    """Record or revise the safety plan; it meets a pending 24-hour urgency deadline."""
    policies.require(actor, "cases.edit", case)
    require_active(case)
    for field in ("dangers", "safe_place", "steps"):
        require_text(data.get(field, ""), field=field)
    review_on = data.get("review_on")
    if review_on is not None and review_on < clock.today():
        raise ValidationFailed(_("The review date must be today or later."), field="review_on")
    plan = SafetyPlan.objects.filter(case=case).first() or SafetyPlan(case=case)
    created = plan._state.adding
    for field in SAFETY_PLAN_FIELDS:
        value = data.get(field, "" if field != "review_on" else None)
        setattr(plan, field, value.strip() if isinstance(value, str) else value)
    plan.recorded_by_id = actor.user_id
    plan.save()
    changes = {"safety_plan": [None if created else "[encrypted]", "[encrypted]"]}
    if case.urgency_pending:
        case.urgency_met_at = clock.now()
        case.save(update_fields=["urgency_met_at"])
        changes["urgency_met_at"] = [None, case.urgency_met_at.isoformat()]
    audit.record(actor=actor, action=CaseAction.SAFETY_PLAN_SAVED, target=case, changes=changes)
    return plan


@transaction.atomic
def labour_details_save(*, actor: Actor, case: Case, data: dict) -> ChildLabourDetail:
    policies.require(actor, "cases.edit", case)
    require_active(case)
    if data.get("workplace_type") not in WorkplaceType.values:
        raise ValidationFailed(_("Choose the kind of workplace."), field="workplace_type")
    hazards = list(data.get("hazards") or [])
    if set(hazards) - set(Hazard.values):
        raise ValidationFailed(_("Unknown hazard."), field="hazards")
    hours = data.get("hours_per_week")
    if hours is not None and not 0 <= int(hours) <= 168:
        raise ValidationFailed(
            _("A week has 168 hours: give the hours worked per week."), field="hours_per_week"
        )
    detail = ChildLabourDetail.objects.filter(case=case).first() or ChildLabourDetail(case=case)
    before = audit.snapshot(detail, ("workplace_type", "workplace", "hazards", "hours_per_week", "is_paid"))
    detail.workplace_type = data["workplace_type"]
    detail.workplace = (data.get("workplace") or "").strip()
    detail.hazards = hazards
    detail.hours_per_week = hours
    detail.is_paid = bool(data.get("is_paid"))
    detail.save()
    after = audit.snapshot(detail, ("workplace_type", "workplace", "hazards", "hours_per_week", "is_paid"))
    audit.record(
        actor=actor, action=CaseAction.SPECIFICS_SAVED, target=case, changes=audit.diff(before, after)
    )
    return detail


TRAFFICKING_FIELDS = (
    "route",
    "destination",
    "destination_place",
    "returned_on",
    "legal_status",
    "legal_aid",
    "legal_aid_provider",
)


@transaction.atomic
def trafficking_details_save(*, actor: Actor, case: Case, data: dict) -> TraffickingDetail:
    policies.require(actor, "cases.edit", case)
    require_active(case)
    if data.get("destination") not in Destination.values:
        raise ValidationFailed(_("Choose the destination."), field="destination")
    if data.get("legal_status", LegalCaseStatus.NONE) not in LegalCaseStatus.values:
        raise ValidationFailed(_("Choose the state of the legal case."), field="legal_status")
    not_in_future(data.get("returned_on"), field="returned_on")
    if data.get("legal_aid") and not (data.get("legal_aid_provider") or "").strip():
        raise ValidationFailed(_("Name who provides the legal aid."), field="legal_aid_provider")
    detail = TraffickingDetail.objects.filter(case=case).first() or TraffickingDetail(case=case)
    before = audit.snapshot(detail, TRAFFICKING_FIELDS)
    detail.route = (data.get("route") or "").strip()
    detail.destination = data["destination"]
    detail.destination_place = (data.get("destination_place") or "").strip()
    detail.returned_on = data.get("returned_on")
    detail.legal_status = data.get("legal_status") or LegalCaseStatus.NONE
    detail.legal_aid = bool(data.get("legal_aid"))
    detail.legal_aid_provider = (data.get("legal_aid_provider") or "").strip()
    detail.save()
    changes = audit.diff(before, audit.snapshot(detail, TRAFFICKING_FIELDS), secret_fields=("route",))
    audit.record(actor=actor, action=CaseAction.SPECIFICS_SAVED, target=case, changes=changes)
    return detail


def latest_readiness(case: Case) -> Assessment | None:
    return (
        Assessment.objects.filter(case=case, instrument__kind=InstrumentKind.READINESS)
        .order_by("-assessed_on", "-created_at")
        .first()
    )


def readiness_is_ready(case: Case) -> bool:
    latest = latest_readiness(case)
    return latest is not None and latest.result == AssessmentResult.READY
