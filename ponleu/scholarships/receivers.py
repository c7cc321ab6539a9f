"""A scholarship decided on an early-warning flag becomes an award (after the decision commits).

The early-warning app sits below scholarships and cannot call it; it announces the decision
(``early_warning.signals.scholarship_decided``) and this receiver calls the one service that
makes awards. The reviewer's right to decide comes from ``ews.review``; the award that follows
is made by the organisation's system actor, named after the reviewer in the audit trail. A
decision never fails because no scheme takes it: the intervention stands.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def award_from_early_warning(sender, intervention_id, actor, **kwargs) -> None:
    from ponleu.access.actors import system_actor  # receivers load with the app registry
    from ponleu.early_warning.models import Intervention
    from ponleu.scholarships.services.awards import award_from_intervention

    intervention = Intervention.objects.filter(pk=intervention_id).first()
    if intervention is None:
        return
    maker = system_actor(intervention.organisation_id, name=f"early-warning decision by {actor.username}")
    try:
        award_from_intervention(actor=maker, intervention=intervention)
    except Exception:  # noqa: BLE001 - logged; the flag's decision is saved and stands
        logger.exception("making a scholarship award for intervention %s failed", intervention_id)
