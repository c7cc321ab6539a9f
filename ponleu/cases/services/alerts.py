"""Alerts for what is late: overdue plan actions, and safety plans past their 24-hour deadline.

Each is told once (the row remembers when), in the recipient's language, as an in-app notice
that names no child (the link opens the case, through the usual checks).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.cases.choices import CaseAction
from ponleu.cases.models import Action, Case
from ponleu.common import clock

from .base import tell
from .cases import supervisors_of


@transaction.atomic
def alerts_send(*, actor: Actor) -> dict[str, int]:
    """Tell owners of newly overdue actions, and supervisors of missed urgency deadlines."""
    now, today = clock.now(), clock.today()
    actions = list(
        Action.objects.overdue(today)
        .filter(case__organisation_id=actor.organisation_id, overdue_alerted_at__isnull=True)
        .select_related("owner", "case__owner")
    )
    for action in actions:
        tell(
            [action.owner or action.case.owner],
            lambda: gettext_lazy("An action of a case plan is overdue."),
            case=action.case,
        )
    Action.objects.filter(pk__in=[a.pk for a in actions]).update(overdue_alerted_at=now)
    urgent = list(
        Case.objects.urgent_overdue(now)
        .filter(organisation_id=actor.organisation_id, urgency_alerted_at__isnull=True)
        .select_related("owner")
    )
    for case in urgent:
        tell(
            [*(m.user for m in supervisors_of(case)), case.owner],
            lambda: gettext_lazy("A child in immediate danger still has no safety plan after 24 hours."),
            case=case,
        )
    Case.objects.filter(pk__in=[c.pk for c in urgent]).update(urgency_alerted_at=now)
    sent = {"actions": len(actions), "urgent": len(urgent)}
    if actions or urgent:
        audit.record(
            actor=actor,
            action=CaseAction.ALERTS_SENT,
            target=("organisations.organisation", str(actor.organisation_id)),
            changes={"sent": [None, sent]},
        )
    return sent
