"""Amounts as whole numbers of the smallest unit: riel (no subunit in use) or US cents. Never
floats: typed amounts are read as decimals and refused when they do not fit the unit."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .choices import Currency


def display_amount(amount: int, currency: str) -> str:
    """Riel as a whole number with thousands separators; dollars from cents, with two decimals."""
    if currency == Currency.USD:
        return f"${amount // 100:,}.{amount % 100:02d}"
    return f"{amount:,} ៛"


def parse_amount(text, currency: str) -> int | None:
    """An amount typed by a person, in the smallest unit; None when it is not one. No floats:
    "15.50" dollars is 1550 cents; riel take no decimals."""
    value = str(text or "").strip().replace(",", "").replace("$", "").replace("៛", "").strip()
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0:
        return None
    if currency == Currency.USD:
        cents = number * 100
        if cents != cents.to_integral_value():
            return None
        return int(cents)
    if number != number.to_integral_value():
        return None
    return int(number)
