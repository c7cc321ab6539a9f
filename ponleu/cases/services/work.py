"""Assessments, the case plan (goals per domain, actions with owner and due date), services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.cases import policies, scoring
from ponleu.cases.choices import (
    ActionStatus,
    CaseAction,
    CSIDomain,
    Currency,
    GoalStatus,
    InstrumentKind,
    ServiceType,
)
from ponleu.cases.models import Action, Assessment, AssessmentInstrument, Case, Goal, ServiceDelivery
from ponleu.common.errors import ValidationFailed
from ponleu.organisations.models import Membership

from .base import not_before, not_in_future, require_active, require_text
from .contact import next_visit_after


def _work_check(actor: Actor, case: Case) -> None:
    policies.require(actor, "cases.edit", case)
    require_active(case)


@transaction.atomic
def assessment_record(
    *, actor: Actor, case: Case, instrument_code: str, assessed_on: dt.date, answers: dict, note: str = ""
) -> Assessment:
    _work_check(actor, case)
    instrument = AssessmentInstrument.objects.filter(
        organisation_id=case.organisation_id, code=instrument_code, is_active=True
    ).first()
    if instrument is None or instrument.code not in case.case_type.instruments:
        raise ValidationFailed(_("This assessment does not apply to this type of case."), field="instrument")
    if assessed_on is None:
        raise ValidationFailed(_("This field is required."), field="assessed_on")
    not_in_future(assessed_on, field="assessed_on")
    not_before(assessed_on, case.identified_on, field="assessed_on")
    scored = scoring.score(instrument.kind, instrument.items, instrument.thresholds, answers)
    if instrument.kind == InstrumentKind.CSI:
        stored = scoring.csi_scores(answers)
    else:
        stored = {
            code: True
            for code in (item["code"] for item in instrument.items)
            if scoring.is_ticked(answers.get(code))
        }
    assessment = Assessment.objects.create(
        case=case,
        instrument=instrument,
        assessed_on=assessed_on,
        assessed_by_id=actor.user_id,
        answers=stored,
        score=scored.score,
        result=scored.result,
        reasons=scored.reasons,
        next_due_on=(
            assessed_on + dt.timedelta(days=instrument.reassess_after_days)
            if instrument.reassess_after_days
            else None
        ),
        note=note.strip(),
    )
    if instrument.kind == InstrumentKind.CHECKLIST:
        before = case.risk_level
        case.risk_level = scored.result
        if case.next_visit_on is None:
            case.next_visit_on = next_visit_after(assessed_on, case.risk_level)
        case.save(update_fields=["risk_level", "next_visit_on"])
        if before != case.risk_level:
            audit.record(
                actor=actor,
                action=CaseAction.UPDATED,
                target=case,
                changes={"risk_level": [before, case.risk_level]},
            )
    audit.record(
        actor=actor,
        action=CaseAction.ASSESSMENT_RECORDED,
        target=assessment,
        changes={
            "instrument": [None, instrument.code],
            "score": [None, scored.score],
            "result": [None, scored.result],
        },
    )
    return assessment


@transaction.atomic
def goal_add(*, actor: Actor, case: Case, domain: str, description: str) -> Goal:
    _work_check(actor, case)
    if domain not in CSIDomain.values:
        raise ValidationFailed(_("Choose the domain of the goal."), field="domain")
    goal = Goal.objects.create(
        case=case,
        domain=domain,
        description=require_text(description, field="description"),
        created_by_id=actor.user_id,
    )
    audit.record(actor=actor, action=CaseAction.GOAL_ADDED, target=goal, changes={"domain": [None, domain]})
    return goal


@transaction.atomic
def goal_update(*, actor: Actor, goal: Goal, status: str) -> Goal:
    _work_check(actor, goal.case)
    if status not in GoalStatus.values:
        raise ValidationFailed(_("Choose a status."), field="status")
    before = goal.status
    goal.status = status
    goal.save(update_fields=["status"])
    audit.record(
        actor=actor, action=CaseAction.GOAL_UPDATED, target=goal, changes={"status": [before, status]}
    )
    return goal


def _action_owner(case: Case, owner_id):
    if owner_id is None:
        return None
    if not Membership.objects.filter(
        organisation_id=case.organisation_id, user_id=owner_id, is_active=True
    ).exists():
        raise ValidationFailed(_("Choose someone of this organisation."), field="owner")
    return owner_id


@transaction.atomic
def action_add(
    *, actor: Actor, case: Case, goal: Goal, description: str, due_on: dt.date, owner_id=None
) -> Action:
    _work_check(actor, case)
    if goal.case_id != case.pk:
        raise ValidationFailed(_("Choose a goal of this case."), field="goal")
    if due_on is None:
        raise ValidationFailed(_("This field is required."), field="due_on")
    not_before(due_on, case.identified_on, field="due_on")
    action = Action.objects.create(
        case=case,
        goal=goal,
        description=require_text(description, field="description"),
        owner_id=_action_owner(case, owner_id),
        due_on=due_on,
    )
    audit.record(
        actor=actor,
        action=CaseAction.ACTION_ADDED,
        target=action,
        changes={"due_on": [None, due_on.isoformat()], "owner": [None, str(owner_id) if owner_id else None]},
    )
    return action


@transaction.atomic
def action_update(
    *,
    actor: Actor,
    action: Action,
    status: str,
    done_on: dt.date | None = None,
    due_on: dt.date | None = None,
) -> Action:
    _work_check(actor, action.case)
    if status not in ActionStatus.values:
        raise ValidationFailed(_("Choose a status."), field="status")
    before = audit.snapshot(action, ("status", "done_on", "due_on"))
    if status == ActionStatus.DONE:
        if done_on is None:
            raise ValidationFailed(_("Give the day it was done."), field="done_on")
        not_in_future(done_on, field="done_on")
        not_before(done_on, action.case.identified_on, field="done_on")
    else:
        done_on = None
    action.status = status
    action.done_on = done_on
    if due_on is not None:
        action.due_on = due_on
    action.save(update_fields=["status", "done_on", "due_on"])
    changes = audit.diff(before, audit.snapshot(action, ("status", "done_on", "due_on")))
    audit.record(actor=actor, action=CaseAction.ACTION_UPDATED, target=action, changes=changes)
    return action


@transaction.atomic
def service_record(
    *,
    actor: Actor,
    case: Case,
    service_type: str,
    provider: str,
    delivered_on: dt.date,
    cost=None,
    currency: str = Currency.KHR,
    outcome: str = "",
    goal_id=None,
) -> ServiceDelivery:
    _work_check(actor, case)
    if service_type not in ServiceType.values or service_type not in case.case_type.service_types:
        raise ValidationFailed(_("This service is not offered for this type of case."), field="service_type")
    if delivered_on is None:
        raise ValidationFailed(_("This field is required."), field="delivered_on")
    not_in_future(delivered_on, field="delivered_on")
    not_before(delivered_on, case.identified_on, field="delivered_on")
    if cost not in (None, ""):
        try:
            cost = Decimal(str(cost))
        except InvalidOperation:
            raise ValidationFailed(_("Give the cost as a number."), field="cost") from None
        if cost < 0:
            raise ValidationFailed(_("The cost cannot be negative."), field="cost")
    else:
        cost = None
    if currency not in Currency.values:
        raise ValidationFailed(_("Choose a currency."), field="currency")
    if goal_id is not None and not Goal.objects.filter(pk=goal_id, case=case).exists():
        raise ValidationFailed(_("Choose a goal of this case."), field="goal")
    service = ServiceDelivery.objects.create(
        case=case,
        goal_id=goal_id,
        service_type=service_type,
        provider=require_text(provider, field="provider"),
        delivered_on=delivered_on,
        cost=cost,
        currency=currency,
        outcome=(outcome or "").strip(),
        recorded_by_id=actor.user_id,
    )
    audit.record(
        actor=actor,
        action=CaseAction.SERVICE_RECORDED,
        target=service,
        changes={"service_type": [None, service_type], "delivered_on": [None, delivered_on.isoformat()]},
    )
    return service
