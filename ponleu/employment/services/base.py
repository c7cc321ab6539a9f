"""What the youth employment services share: money, skills and the young person's reach."""

from __future__ import annotations

import decimal

from django.utils.translation import gettext as _

from ponleu.common.errors import ValidationFailed
from ponleu.employment.choices import Currency, Skill

RECORD = "employment.record"
MANAGE = "employment.manage"
# Riel has no coins in use: a wage in riel is whole; a dollar wage may have cents.
_PLACES = {Currency.RIEL: decimal.Decimal("1"), Currency.DOLLAR: decimal.Decimal("0.01")}
_LIMIT = decimal.Decimal("1000000000")


def money(value, currency, *, field: str = "wage") -> tuple[decimal.Decimal, str]:
    """An amount in riel or dollars: not negative, whole riel or dollars and cents."""
    if currency not in Currency.values:
        raise ValidationFailed(_("Choose riel or dollars."), field="currency")
    try:
        amount = value if isinstance(value, decimal.Decimal) else decimal.Decimal(str(value).strip())
    except (decimal.InvalidOperation, ValueError, TypeError):
        raise ValidationFailed(_("Enter an amount, such as 250 or 250.50."), field=field) from None
    if not amount.is_finite() or amount < 0 or amount >= _LIMIT:
        raise ValidationFailed(_("Enter an amount, such as 250 or 250.50."), field=field)
    step = _PLACES[Currency(currency)]
    if amount != amount.quantize(step):
        if currency == Currency.RIEL:
            raise ValidationFailed(_("A wage in riel is a whole number."), field=field)
        raise ValidationFailed(_("A wage in dollars has at most two decimals."), field=field)
    return amount.quantize(step), currency


def skills(values, *, field: str = "skills") -> list[str]:
    """Skills from the controlled list, each once, in the list's order."""
    chosen = [str(v) for v in values or ()]
    if any(v not in Skill.values for v in chosen):
        raise ValidationFailed(_("Choose skills from the list."), field=field)
    return [s for s in Skill.values if s in chosen]


def free_words(values, *, field: str = "other_skills", limit: int = 10) -> list[str]:
    """Skills in the worker's own words: at most ``limit``, each at most 60 characters."""
    if isinstance(values, str):
        values = values.split(",")
    words = []
    for value in values or ():
        word = " ".join(str(value).replace("\x00", "").split())
        if word and word not in words:
            if len(word) > 60:
                raise ValidationFailed(_("Each skill in at most 60 characters."), field=field)
            words.append(word)
    if len(words) > limit:
        raise ValidationFailed(_("At most ten other skills."), field=field)
    return words
