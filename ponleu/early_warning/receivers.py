"""Rescore a class as soon as its attendance changes (the education app announces it after commit).

The roll call has committed when this runs; the scores are written in their own transaction
by the system actor of the class's organisation, so a scoring failure never loses a roll call.
"""

from __future__ import annotations

import logging

from ponleu.access.actors import system_actor
from ponleu.education.models import SchoolClass

logger = logging.getLogger(__name__)


def rescore_class(sender, school_class_id, **kwargs) -> None:
    from ponleu.early_warning.services.scoring import risk_score  # receivers load with the app registry

    school_class = SchoolClass.objects.select_related("year").filter(pk=school_class_id).first()
    if school_class is None:
        return
    try:
        risk_score(
            actor=system_actor(school_class.organisation_id, name="early-warning"),
            year=school_class.year,
            class_ids=[school_class.pk],
        )
    except Exception:  # noqa: BLE001 - logged; scoring must never undo a saved roll call
        # The roll call is saved; the nightly `ponleu ews score` catches up. Say so in the logs.
        logger.exception("rescoring class %s after a roll call failed", school_class_id)
