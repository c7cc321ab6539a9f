"""A person reviews each flag and decides what to do; every decision is an intervention or a reason.

Deciding "referral to case management" opens a school-dropout case through the cases app's
``case_open`` (which checks the reviewer may open cases for this child) in the same transaction:
if the case cannot be opened, the decision is not recorded either.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.cases.choices import IdentificationSource
from ponleu.cases.services.cases import case_open
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.early_warning import policies
from ponleu.early_warning.choices import Currency, Decision, EwsAction, FlagStatus, PaymentSchedule
from ponleu.early_warning.models import Flag, Intervention
from ponleu.early_warning.signals import scholarship_decided
from ponleu.education.services.base import Problems

DROPOUT_CASE_TYPE = "school_dropout"


def check_intervention(details: dict, problems: Problems, *, starts_floor: dt.date | None = None) -> dict:
    """Clean the fields of an intervention (dates, provider, amount, schedule, conditions)."""
    clean = {}
    starts_on = details.get("starts_on") or clock.today()
    ends_on = details.get("ends_on")
    if ends_on is not None and ends_on < starts_on:
        problems.add("ends_on", _("The intervention ends before it starts."))
    if starts_floor is not None and starts_on < starts_floor:
        problems.add("starts_on", _("The intervention cannot start before the student was flagged."))
    clean["starts_on"], clean["ends_on"] = starts_on, ends_on
    clean["provider"] = (details.get("provider") or "").strip()[:200]
    amount = details.get("amount")
    if amount in (None, ""):
        clean["amount"] = None
    else:
        try:
            clean["amount"] = Decimal(str(amount).replace(",", ""))
            if not clean["amount"].is_finite() or clean["amount"] < 0:
                raise InvalidOperation
        except InvalidOperation:
            problems.add("amount", _("Give the amount as a number, zero or more."))
            clean["amount"] = None
    currency = details.get("currency") or ""
    if clean.get("amount") is not None and currency not in Currency.values:
        problems.add("currency", _("Choose the currency of the amount."))
    clean["currency"] = currency if currency in Currency.values else ""
    schedule = details.get("schedule") or ""
    if schedule and schedule not in PaymentSchedule.values:
        problems.add("schedule", _("Choose how often it is paid."))
    clean["schedule"] = schedule
    percent = details.get("min_attendance_percent")
    if percent in (None, ""):
        clean["min_attendance_percent"] = None
    else:
        try:
            clean["min_attendance_percent"] = int(percent)
            if not 0 <= clean["min_attendance_percent"] <= 100:
                raise ValueError
        except (TypeError, ValueError):
            problems.add(
                "min_attendance_percent", _("Give the attendance condition as a percentage, 0 to 100.")
            )
            clean["min_attendance_percent"] = None
    clean["conditions"] = (details.get("conditions") or "").strip()[:300]
    return clean


@transaction.atomic
def flag_decide(
    *, actor: Actor, flag: Flag, version, decision: str, reason: str = "", details: dict | None = None
) -> Intervention | None:
    """Record the decision on a flag: an intervention (returned), or no action with a reason."""
    if not policies.can_review(actor, flag):
        raise PermissionDenied()
    problems = Problems()
    if flag.status != FlagStatus.AWAITING_REVIEW:
        problems.add("decision", _("This flag was already decided."))
    if decision not in Decision.values:
        problems.add("decision", _("Choose what to do for this student."))
    reason = (reason or "").strip()
    if decision == Decision.NO_ACTION and not reason:
        problems.add("reason", _("Say why no action is taken."))
    clean = check_intervention(details or {}, problems, starts_floor=flag.opened_on)
    problems.raise_if_any()
    claim_version(flag, version)
    enrolment = flag.enrolment
    intervention = None
    case = None
    if decision == Decision.CASE_REFERRAL:
        try:
            case = case_open(
                actor=actor,
                person=enrolment.person,
                witness=enrolment,
                case_type_code=DROPOUT_CASE_TYPE,
                source=IdentificationSource.EARLY_WARNING,
                identified_on=clock.today(),
                summary=reason[:500],
            )
        except PermissionDenied:
            raise ValidationFailed(
                _(
                    "You cannot open a case for this child. Ask a caseworker or supervisor of the child's area."
                ),
                field="decision",
            ) from None
    if decision != Decision.NO_ACTION:
        intervention = Intervention.objects.create(
            organisation_id=flag.organisation_id,
            enrolment=enrolment,
            school_class_id=flag.school_class_id,
            flag=flag,
            type=decision,
            case=case,
            created_by_id=actor.user_id,
            **clean,
        )
    if intervention is not None and decision == Decision.SCHOLARSHIP:
        intervention_id = intervention.pk
        transaction.on_commit(
            lambda: scholarship_decided.send(
                sender=Intervention, intervention_id=intervention_id, actor=actor
            )
        )
    flag.status, flag.decision, flag.decision_reason = FlagStatus.DECIDED, decision, reason
    flag.decided_by_id, flag.decided_at = actor.user_id, clock.now()
    flag.save(update_fields=["status", "decision", "decision_reason", "decided_by", "decided_at", "version"])
    audit.record(
        actor=actor,
        action=EwsAction.FLAG_DECIDED,
        target=flag,
        changes={
            "decision": [None, decision],
            "intervention": [None, str(intervention.pk) if intervention else None],
            "case": [None, str(case.pk) if case else None],
        },
        reason=reason,
    )
    return intervention
