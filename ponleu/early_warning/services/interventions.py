"""Changing an intervention (dates, provider, amount, conditions) and recording its outcome at term end."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied
from ponleu.common.versions import claim_version
from ponleu.early_warning.choices import EwsAction, Outcome
from ponleu.early_warning.models import Intervention
from ponleu.education.policies import class_relationship
from ponleu.education.services.base import Problems

from .review import check_intervention

FIELDS = (
    "starts_on",
    "ends_on",
    "provider",
    "amount",
    "currency",
    "schedule",
    "min_attendance_percent",
    "conditions",
)


def _may(actor: Actor, intervention: Intervention) -> bool:
    return actor.allows("ews.review", class_relationship(actor, intervention.school_class))


@transaction.atomic
def intervention_update(*, actor: Actor, intervention: Intervention, version, details: dict) -> Intervention:
    if not _may(actor, intervention):
        raise PermissionDenied()
    problems = Problems()
    clean = check_intervention({**{k: getattr(intervention, k) for k in FIELDS}, **details}, problems)
    problems.raise_if_any()
    claim_version(intervention, version)
    before = audit.snapshot(intervention, FIELDS)
    for name, value in clean.items():
        setattr(intervention, name, value)
    intervention.save()
    audit.record(
        actor=actor,
        action=EwsAction.INTERVENTION_UPDATED,
        target=intervention,
        changes=audit.diff(before, audit.snapshot(intervention, FIELDS)),
    )
    return intervention


@transaction.atomic
def outcome_record(
    *, actor: Actor, intervention: Intervention, version, outcome: str, on: dt.date | None = None
) -> Intervention:
    """Where the student was at the end of the term: stayed, returned after leaving, or dropped out."""
    if not _may(actor, intervention):
        raise PermissionDenied()
    problems = Problems()
    if outcome not in Outcome.values:
        problems.add("outcome", _("Choose where the student was at the end of the term."))
    on = on or clock.today()
    if on < intervention.starts_on:
        problems.add("outcome_on", _("The outcome cannot be before the intervention started."))
    if on > clock.today():
        problems.add("outcome_on", _("This date is in the future."))
    problems.raise_if_any()
    claim_version(intervention, version)
    before = intervention.outcome or None
    intervention.outcome, intervention.outcome_on, intervention.outcome_by_id = outcome, on, actor.user_id
    intervention.save()
    audit.record(
        actor=actor,
        action=EwsAction.OUTCOME_RECORDED,
        target=intervention,
        changes={"outcome": [before, outcome], "outcome_on": [None, on.isoformat()]},
    )
    return intervention
