"""Consents withdrawn lately, for the data-protection officer: each withdrawal ended sharing at
once, and the officer checks that what rested on it ended too."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from ponleu.access.scopes import Scope
from ponleu.audit import services as audit
from ponleu.audit.selectors import AUDIT_CAPABILITY, start_of
from ponleu.registry.choices import DEFAULT_DATA_CATEGORIES, DataCategory
from ponleu.registry.models import Consent

CONSENT_TARGET = "registry.consent"
LIST_LIMIT = 200


def consents_withdrawn_since(*, actor, since: dt.date) -> QuerySet:
    """The organisation's consents withdrawn since ``since``, newest first, through the consent's
    choke point; for readers of the whole organisation's audit trail only (the officer)."""
    if actor.scope_for(AUDIT_CAPABILITY) < Scope.ORG or actor.organisation_id is None:
        return Consent.objects.none()
    return (
        Consent.objects.visible_to(actor)
        .filter(organisation_id=actor.organisation_id, withdrawn_at__gte=start_of(since))
        .select_related("recipient")
        .order_by("-withdrawn_at", "pk")
    )


def consents_served(*, actor, consents, query: str = "") -> None:
    """One access event naming the consents a page showed."""
    audit.record_access(
        actor=actor,
        action="consent.listed",
        target_type=CONSENT_TARGET,
        target_ids=[c.pk for c in consents],
        query=query,
    )


def withdrawn_what(consent: Consent) -> tuple[str, str]:
    """What a withdrawal took back: the purpose and who it was shared with, and the data it
    covered (a consent naming none covered the default categories)."""
    label = str(consent.get_purpose_display())
    recipient = consent.recipient_label()
    if recipient:
        label = f"{label} · {recipient}"
    categories = consent.data_categories or [c.value for c in DEFAULT_DATA_CATEGORIES]
    labels = dict(DataCategory.choices)
    return label, ", ".join(str(labels.get(c, c)) for c in categories)
