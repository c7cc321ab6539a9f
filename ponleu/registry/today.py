"""What the registry asks of the data-protection officer today: the consents withdrawn in the
last week, each with what was withdrawn (the purpose, who it was shared with, what it covered).

The count and the short list are ``selectors.consents.consents_withdrawn_since``, the rows of the
list of withdrawals behind the link (``?since=``). Each entry leads to who has seen the person's
record; the short list names no person.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ponleu.common import clock
from ponleu.common.today import Entry, Found, Item

from .selectors.consents import consents_served, consents_withdrawn_since, withdrawn_what

REVIEW_DAYS = 7


def since() -> dt.date:
    return clock.today() - dt.timedelta(days=REVIEW_DAYS - 1)


def _full_list(actor) -> str:
    return f"{reverse('registry:consents_withdrawn')}?{urlencode({'since': since().isoformat()})}"


def _withdrawals(actor, limit) -> Found:
    consents = consents_withdrawn_since(actor=actor, since=since())
    count = consents.count()
    if not count:
        return Found(0)
    shown = list(consents[:limit])
    entries = []
    for consent in shown:
        label, covered = withdrawn_what(consent)
        url = reverse("audit:person_access", kwargs={"person_id": consent.person_id})
        entries.append(Entry(label, url, covered, day=consent.withdrawn_on))
    return Found(count, entries, served=tuple(shown))


def _record(actor, consents) -> None:
    consents_served(actor=actor, consents=consents, query="today")


ITEMS = [
    Item(
        "registry.consents_withdrawn",
        _("Consents withdrawn in the last 7 days: check that sharing ended"),
        "audit.view",
        21,
        _full_list,
        _withdrawals,
        record=_record,
    ),
]
