"""Consents withdrawn lately, for the data-protection officer: each withdrawal ended sharing at
once, and the officer checks that what rested on it ended too."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from ponleu.access.scopes import Scope
from ponleu.audit.selectors import AUDIT_CAPABILITY, start_of
from ponleu.registry.models import Consent


def consents_withdrawn_since(*, actor, since: dt.date) -> QuerySet:
    """The organisation's consents withdrawn since ``since``, newest first, through the consent's
    choke point; for readers of the whole organisation's audit trail only (the same rows as that
    trail filtered by the withdrawal and the day)."""
    if actor.scope_for(AUDIT_CAPABILITY) < Scope.ORG or actor.organisation_id is None:
        return Consent.objects.none()
    return (
        Consent.objects.visible_to(actor)
        .filter(organisation_id=actor.organisation_id, withdrawn_at__gte=start_of(since))
        .select_related("recipient")
        .order_by("-withdrawn_at", "pk")
    )
