"""What pregnancies ask of the worker today: antenatal visits overdue, and newborns
registered without a birth certificate (a reminder until the certificate's number is on the
child's record), in the pregnancies the worker may record on.

The counts and short lists come from the selectors behind the list's links (``?anc=overdue``,
``?certificate=missing``). The short lists name the woman's village, never a person.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ponleu.common import clock
from ponleu.common.today import Entry, Found, Item

from . import policies, selectors

CAPABILITY = "maternal.record"


def _entries(actor, pregnancies, *, what: str, day_of, late) -> list[Entry]:
    language = translation.get_language()
    entries = []
    for pregnancy in pregnancies:
        village = pregnancy.person.village
        place = village.name(language) if village else ""
        # The day (next antenatal visit, birth) is a health field: masked like on her page.
        unmasked = policies.can_see_health(actor, pregnancy)
        entries.append(
            Entry(
                gettext("Pregnancy") + (f" · {place}" if place else ""),
                reverse("maternal:pregnancy_detail", kwargs={"pregnancy_id": pregnancy.pk}),
                what,
                day=day_of(pregnancy) if unmasked else None,
                late=late(pregnancy),
            )
        )
    return entries


def _anc_list(actor) -> str:
    return f"{reverse('maternal:pregnancy_list')}?anc=overdue"


def _anc_overdue(actor, limit) -> Found:
    pregnancies = selectors.pregnancy_queryset(actor=actor, anc_overdue=True, capability=CAPABILITY)
    count = pregnancies.count()
    if not count:
        return Found(0)
    shown = list(pregnancies[:limit])
    entries = _entries(
        actor,
        shown,
        what=gettext("Antenatal visit"),
        day_of=lambda p: p.next_anc_due_on,
        late=lambda p: p.next_anc_due_on < clock.today(),
    )
    return Found(count, entries, served=tuple(shown))


def _certificate_list(actor) -> str:
    return f"{reverse('maternal:pregnancy_list')}?certificate=missing"


def _certificate_missing(actor, limit) -> Found:
    pregnancies = selectors.certificate_missing_queryset(actor=actor, capability=CAPABILITY)
    count = pregnancies.count()
    if not count:
        return Found(0)
    shown = list(pregnancies[:limit])
    entries = _entries(
        actor, shown, what=gettext("Birth certificate"), day_of=lambda p: p.born_on, late=lambda p: False
    )
    return Found(count, entries, served=tuple(shown))


def _record(actor, pregnancies) -> None:
    selectors.pregnancies_served(actor=actor, pregnancies=pregnancies, query="today")


ITEMS = [
    Item(
        "maternal.anc_overdue",
        _("Antenatal visits overdue"),
        CAPABILITY,
        14,
        _anc_list,
        _anc_overdue,
        record=_record,
    ),
    Item(
        "maternal.birth_certificate",
        _("Newborns without a birth certificate yet"),
        CAPABILITY,
        40,
        _certificate_list,
        _certificate_missing,
        record=_record,
    ),
]
