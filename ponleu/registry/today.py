"""What the registry asks of the data-protection officer today: the consents withdrawn in the
last week, each with what was withdrawn (the purpose, who it was shared with, what it covered).

The count and the short list are ``selectors.consents.consents_withdrawn_since``; the link opens
the audit trail filtered by the withdrawal and the same first day, one row per withdrawal.
Each row leads to who has seen the person's record; the short list names no person.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ponleu.common import clock
from ponleu.common.today import Entry, Found, Item

from .choices import DEFAULT_DATA_CATEGORIES, DataCategory, PersonAction
from .selectors.consents import consents_withdrawn_since

REVIEW_DAYS = 7


def _since() -> dt.date:
    return clock.today() - dt.timedelta(days=REVIEW_DAYS - 1)


def _full_list(actor) -> str:
    query = urlencode({"action": PersonAction.CONSENT_WITHDRAWN.value, "since": _since().isoformat()})
    return f"{reverse('audit:event_list')}?{query}"


def withdrawn_what(consent) -> tuple[str, str]:
    """What a withdrawal took back: the purpose and recipient, and the data it covered."""
    label = str(consent.get_purpose_display())
    recipient = consent.recipient_label()
    if recipient:
        label = f"{label} · {recipient}"
    categories = consent.data_categories or [c.value for c in DEFAULT_DATA_CATEGORIES]
    labels = dict(DataCategory.choices)
    return label, ", ".join(str(labels.get(c, c)) for c in categories)


def _withdrawals(actor, limit) -> Found:
    consents = consents_withdrawn_since(actor=actor, since=_since())
    count = consents.count()
    if not count:
        return Found(0)
    entries = []
    for consent in consents[:limit]:
        label, covered = withdrawn_what(consent)
        url = reverse("audit:person_access", kwargs={"person_id": consent.person_id})
        entries.append(Entry(label, url, covered, day=consent.withdrawn_on))
    return Found(count, entries)


ITEMS = [
    Item(
        "registry.consents_withdrawn",
        _("Consents withdrawn in the last 7 days: check that sharing ended"),
        "audit.view",
        21,
        _full_list,
        _withdrawals,
    ),
]
