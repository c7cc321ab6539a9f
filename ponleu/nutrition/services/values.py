"""Checks of what a worker typed at a measurement: numbers within what a child can measure, a
day that has happened, a child the actor sees with a sex and a date of birth."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ponleu.common import clock
from ponleu.common.errors import ValidationFailed
from ponleu.common.numerals import to_ascii_digits
from ponleu.geography.models import AdminUnit
from ponleu.registry.models import Person

# The engine's tables stop at 19 years (WHO 2007 references); older people are not assessed.
OLDEST_DAYS = 19 * 365 + 5
# What a child from birth to 19 can measure, with room for the extremes; anything outside is a
# typing mistake (a weight in grams, a height in metres) and is refused naming the field.
WEIGHT_KG = (Decimal("0.5"), Decimal("180"))
LENGTH_CM = (Decimal("35"), Decimal("230"))
MUAC_MM = (60, 400)


def number(value, *, field: str, low: Decimal, high: Decimal, places: int) -> Decimal | None:
    # Khmer digits typed on a phone keyboard read as ASCII ones; a decimal comma as a point.
    text = to_ascii_digits(str(value if value is not None else "")).strip().replace(",", ".")
    if not text:
        return None
    try:
        parsed = Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(_("Enter a number."), field=field) from None
    if not parsed.is_finite() or not low <= parsed <= high:
        raise ValidationFailed(
            _("Enter a number between %(low)s and %(high)s.") % {"low": low, "high": high}, field=field
        )
    return parsed.quantize(Decimal(1).scaleb(-places))


def whole(value, *, field: str, low: int, high: int) -> int | None:
    found = number(value, field=field, low=Decimal(low), high=Decimal(high), places=0)
    return None if found is None else int(found)


def position(value) -> bool | None:
    """ "lying" / "standing" (a form), a boolean (the API), or unknown."""
    if isinstance(value, bool) or value is None:
        return value
    return {"lying": True, "standing": False}.get(str(value).strip().lower())


def flag(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "on", "yes")


def day(value, *, field: str = "measured_on") -> dt.date:
    if value in (None, ""):
        raise ValidationFailed(_("This field is required."), field=field)
    if isinstance(value, dt.date):
        found = value
    else:
        try:
            found = dt.date.fromisoformat(to_ascii_digits(str(value)).strip())
        except ValueError:
            raise ValidationFailed(_("Enter a valid date."), field=field) from None
    if found > clock.today():
        raise ValidationFailed(_("This date is in the future: give the day it happened."), field=field)
    return found


def measured(data: dict) -> dict:
    """The measurement fields of ``data``, checked; at least one of them given."""
    values = {
        "weight_kg": number(
            data.get("weight_kg"), field="weight_kg", low=WEIGHT_KG[0], high=WEIGHT_KG[1], places=2
        ),
        "length_cm": number(
            data.get("length_cm"), field="length_cm", low=LENGTH_CM[0], high=LENGTH_CM[1], places=1
        ),
        "measured_lying": position(data.get("measured_lying")),
        "muac_mm": whole(data.get("muac_mm"), field="muac_mm", low=MUAC_MM[0], high=MUAC_MM[1]),
        "oedema": flag(data.get("oedema")),
    }
    nothing = values["weight_kg"] is None and values["length_cm"] is None and values["muac_mm"] is None
    if nothing and not values["oedema"]:
        raise ValidationFailed(_("Enter the weight, the length or height, or the MUAC."), field="weight_kg")
    return values


def child(actor, person_id, *, field: str = "person") -> Person:
    """A registry person the actor sees (not merged away), or a refusal naming ``field``."""
    try:
        pk = person_id if isinstance(person_id, uuid.UUID) else uuid.UUID(str(person_id))
    except (TypeError, ValueError, AttributeError):
        pk = None
    person = Person.objects.visible_to(actor).filter(pk=pk, merged_into__isnull=True).first() if pk else None
    if person is None:
        raise ValidationFailed(_("Choose a child registered by this organisation."), field=field)
    return person


def age_days(person: Person, measured_on: dt.date) -> int:
    if person.date_of_birth is None:
        raise ValidationFailed(
            _("The child's date of birth is not recorded: add it to the child's record first."),
            field="person",
        )
    days = (measured_on - person.date_of_birth).days
    if days < 0:
        raise ValidationFailed(_("The child was not born on this day."), field="measured_on")
    if days > OLDEST_DAYS:
        raise ValidationFailed(_("Growth is assessed up to 19 years of age."), field="person")
    return days


def sex(person: Person) -> str:
    if person.sex not in ("M", "F"):
        raise ValidationFailed(
            _("The child's sex is not recorded: the growth standards differ for girls and boys."),
            field="person",
        )
    return person.sex


def village(code, *, fallback: str = "", field: str = "village") -> AdminUnit | None:
    """The village chosen, or the child's own when none is; a code that is not a village is refused."""
    code = str(code or "").strip() or fallback
    if not code:
        return None
    unit = AdminUnit.objects.filter(pk=code, level="village", is_active=True).first()
    if unit is None:
        raise ValidationFailed(_("Choose a village."), field=field)
    return unit
