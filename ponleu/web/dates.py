"""Dates and numbers shown in the user's language, with Babel (Django's km locale is partial)."""

from __future__ import annotations

import datetime as dt

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.utils import timezone, translation

from ponleu.common.numerals import to_khmer_digits

_BABEL_LOCALE = {"km": "km_KH", "en": "en_GB", "fr": "fr_FR"}


def _locale(language: str | None) -> str:
    language = language or translation.get_language() or "km"
    return _BABEL_LOCALE.get(language.split("-")[0], "en_GB")


def format_date(
    value: dt.date | dt.datetime | None, style: str = "medium", language: str | None = None
) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    locale = _locale(language)
    text = babel_dates.format_date(value, format=style, locale=locale)
    return to_khmer_digits(text) if locale.startswith("km") else text


def format_datetime(value: dt.datetime | None, language: str | None = None) -> str:
    if value is None:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    locale = _locale(language)
    text = babel_dates.format_datetime(value, format="medium", locale=locale)
    return to_khmer_digits(text) if locale.startswith("km") else text


def format_number(value, language: str | None = None) -> str:
    if value is None:
        return ""
    locale = _locale(language)
    text = babel_numbers.format_decimal(value, locale=locale)
    return to_khmer_digits(text) if locale.startswith("km") else text
