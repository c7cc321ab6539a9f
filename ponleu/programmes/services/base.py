"""What the programme services share: checks of reach, dates and counts."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _

from ponleu.access.scopes import Scope
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.geography.models import AdminUnit
from ponleu.programmes.choices import AgeBand, Sex
from ponleu.registry.models import Person


def text(value, limit: int = 500) -> str:
    return str(value or "").replace("\x00", "").strip()[:limit]


def required_text(value, *, field: str, limit: int = 200) -> str:
    cleaned = text(value, limit)
    if not cleaned:
        raise ValidationFailed(_("This field is required."), field=field)
    return cleaned


def date(value, *, field: str, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(_("This field is required."), field=field)
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(_("Enter a valid date."), field=field) from None


def past(value, *, field: str) -> dt.date:
    """A day that has happened (today at the latest)."""
    day = date(value, field=field)
    if day > clock.today():
        raise ValidationFailed(_("This date is in the future: give the day it happened."), field=field)
    return day


def choice(value, choices, *, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(_("Choose one of the options."), field=field)
    return value


def acting(actor, queryset, obj, capability: str):
    """``obj`` as the actor reaches it with ``capability`` (locked), or PermissionDenied."""
    found = queryset.actionable_by(actor, capability).select_for_update().filter(pk=obj.pk).first()
    if found is None:
        raise PermissionDenied()
    return found


def require_place(actor, capability: str, area_code: str) -> None:
    """The actor may work with ``capability`` at ``area_code``: anywhere at organisation
    scope, otherwise in the areas they are assigned."""
    scope = actor.scope_for(capability)
    if scope == Scope.ORG:
        return
    if (
        scope == Scope.NONE
        or not area_code
        or not any(area_code.startswith(code) for code in actor.area_codes)
    ):
        raise PermissionDenied(_("Choose a place in the areas you work in."))


def village(code, *, field: str = "village") -> AdminUnit:
    unit = AdminUnit.objects.filter(pk=str(code or ""), is_active=True).first() if code else None
    if unit is None:
        raise ValidationFailed(_("Choose a village."), field=field)
    return unit


def visible_person(actor, person_id, *, field: str = "person") -> Person:
    """A registry person the actor sees (not merged away), or a refusal naming ``field``."""
    try:
        pk = person_id if isinstance(person_id, uuid.UUID) else uuid.UUID(str(person_id))
    except (TypeError, ValueError, AttributeError):
        pk = None
    person = Person.objects.visible_to(actor).filter(pk=pk, merged_into__isnull=True).first() if pk else None
    if person is None:
        raise ValidationFailed(_("Choose a person registered by this organisation."), field=field)
    return person


def visible_people(actor, person_ids) -> list[Person]:
    """The registry people among ``person_ids`` the actor sees (not merged away)."""
    ids = []
    for value in person_ids:
        try:
            ids.append(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except (TypeError, ValueError, AttributeError):
            continue
    return list(Person.objects.visible_to(actor).filter(pk__in=ids, merged_into__isnull=True))


def headcounts(rows, *, field: str = "headcounts") -> list[dict]:
    """Counted participants: one row per sex, age band and disability, counts above zero; the
    same group twice is refused."""
    cleaned, seen = [], set()
    for index, row in enumerate(rows or ()):
        where = f"{field}.{index}"
        sex = row.get("sex")
        band = row.get("age_band")
        disability = bool(row.get("with_disability", False))
        if sex not in Sex.values or band not in AgeBand.values:
            raise ValidationFailed(_("Choose the sex and age of the people counted."), field=where)
        try:
            count = int(row.get("count") or 0)
        except (TypeError, ValueError):
            raise ValidationFailed(_("Enter a whole number."), field=where) from None
        if count < 0 or count > 100000:
            raise ValidationFailed(_("Enter a number between 0 and 100,000."), field=where)
        key = (sex, band, disability)
        if key in seen:
            raise ValidationFailed(_("These people are counted twice."), field=where)
        seen.add(key)
        if count:
            cleaned.append({"sex": sex, "age_band": band, "with_disability": disability, "count": count})
    return cleaned
