"""Turning submitted values (forms, API, spreadsheet rows) into field values, or messages.

Every check collects its message under the field's name, so a form shows it on the field,
the API returns it under the field, and the import names row and column. Nothing is saved
here; the services save only when the whole set is clean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ponleu.common.khmer_text import fold
from ponleu.common.numerals import to_ascii_digits
from ponleu.geography.choices import AdminLevel
from ponleu.geography.models import AdminUnit
from ponleu.registry import validators
from ponleu.registry.choices import DatePrecision, IdentifierType, Language, PersonKind, PhoneOwner, Sex

NAME_FIELDS = ("family_name_km", "given_name_km", "family_name_latin", "given_name_latin", "nickname")
PERSON_FIELDS = (
    "kind",
    *NAME_FIELDS,
    "sex",
    "date_of_birth",
    "date_of_birth_precision",
    "village",
    "languages",
    "is_sensitive",
)
Errors = dict[str, list]


def add(errors: Errors, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def _messages(exc: ValidationError) -> list:
    return list(exc.messages)


def normalise_area_code(value) -> str:
    """NCDD codes as typed or exported by other systems: 'KH02010101', '2010101' → '02010101'."""
    text = to_ascii_digits(fold(str(value or ""))).upper().removeprefix("KH").strip()
    if text.endswith(".0"):  # a code that went through a spreadsheet as a number
        text = text[:-2]
    if not text.isdigit():
        return text
    return text.zfill(len(text) + len(text) % 2)


def village_lookup(codes: Iterable[str]) -> dict[str, AdminUnit]:
    """Active villages by code, in one query."""
    wanted = {normalise_area_code(c) for c in codes if c}
    units = AdminUnit.objects.active().filter(code__in=wanted, level=AdminLevel.VILLAGE)
    return {unit.code: unit for unit in units}


def parse_date(value) -> dt.date | None:
    """A date from a form, the API or a spreadsheet: 2015-03-09, 09/03/2015, ០៩/០៣/២០១៥."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = to_ascii_digits(fold(str(value)))
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValidationError(_("Write the date as day/month/year, for example 09/03/2015."), code="invalid_date")


def choice(value, choices, message) -> str:
    text = str(value or "").strip()
    if text in choices.values:
        return text
    for code, label in choices.choices:
        if text.casefold() == str(label).casefold():
            return code
    raise ValidationError(message, code="invalid_choice")


def clean_person(
    data: dict,
    *,
    today: dt.date,
    villages: Callable[[str], AdminUnit | None],
    current: dict | None = None,
) -> tuple[dict, Errors]:
    """Clean the person fields present in ``data``; ``current`` holds the stored values of an
    update so that rules over several fields (kind and age, at least one name) see both."""
    cleaned: dict = {}
    errors: Errors = {}
    for name in NAME_FIELDS:
        if name in data:
            value = validators.clean_name(data[name])
            if len(value) > 80:
                add(errors, name, _("At most 80 characters."))
            cleaned[name] = value
    if "kind" in data:
        try:
            cleaned["kind"] = choice(
                data["kind"] or PersonKind.CHILD, PersonKind, _("Choose child or adult.")
            )
        except ValidationError as exc:
            errors["kind"] = _messages(exc)
    if "sex" in data:
        try:
            cleaned["sex"] = choice(
                data["sex"] or Sex.UNKNOWN, Sex, _("Choose female, male, other or unknown.")
            )
        except ValidationError as exc:
            errors["sex"] = _messages(exc)
    if "date_of_birth_precision" in data:
        try:
            cleaned["date_of_birth_precision"] = choice(
                data["date_of_birth_precision"] or DatePrecision.DAY,
                DatePrecision,
                _("Choose how precisely the date of birth is known."),
            )
        except ValidationError as exc:
            errors["date_of_birth_precision"] = _messages(exc)
    if "date_of_birth" in data:
        try:
            cleaned["date_of_birth"] = parse_date(data["date_of_birth"])
        except ValidationError as exc:
            errors["date_of_birth"] = _messages(exc)
    if "village" in data:
        raw = data["village"]
        if isinstance(raw, AdminUnit):
            cleaned["village"] = raw
        elif raw in (None, ""):
            cleaned["village"] = None
        else:
            unit = villages(normalise_area_code(raw))
            if unit is None:
                add(errors, "village", _("There is no village with the code “%(code)s”.") % {"code": raw})
            else:
                cleaned["village"] = unit
    if "languages" in data:
        languages = data["languages"] or []
        if isinstance(languages, str):
            languages = [part.strip() for part in languages.replace(";", ",").split(",") if part.strip()]
        unknown = [code for code in languages if code not in Language.values]
        if unknown:
            add(errors, "languages", _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)})
        cleaned["languages"] = [code for code in dict.fromkeys(languages) if code in Language.values]
    if "is_sensitive" in data:
        cleaned["is_sensitive"] = bool(data["is_sensitive"])

    merged = {**(current or {}), **cleaned}
    if not errors.get("date_of_birth") and not errors.get("kind"):
        try:
            validators.validate_date_of_birth(
                merged.get("date_of_birth"), kind=merged.get("kind", PersonKind.CHILD), today=today
            )
        except ValidationError as exc:
            errors["date_of_birth"] = _messages(exc)
    if not any(merged.get(name) for name in NAME_FIELDS[:4]) and not any(e in errors for e in NAME_FIELDS):
        add(errors, "given_name_latin", _("Enter at least one name, in Khmer script or in Latin letters."))
    return cleaned, errors


def clean_phone(data: dict) -> tuple[dict, Errors]:
    errors: Errors = {}
    cleaned: dict = {}
    try:
        cleaned["number"] = validators.normalise_phone(str(data.get("number") or ""))
    except ValidationError as exc:
        errors["number"] = _messages(exc)
    try:
        cleaned["owner"] = choice(
            data.get("owner") or PhoneOwner.SELF, PhoneOwner, _("Choose whose phone it is.")
        )
    except ValidationError as exc:
        errors["owner"] = _messages(exc)
    cleaned["owner_name"] = validators.clean_name(data.get("owner_name"))[:120]
    return cleaned, errors


def clean_identifier(data: dict) -> tuple[dict, Errors]:
    errors: Errors = {}
    cleaned: dict = {}
    try:
        cleaned["type"] = choice(data.get("type"), IdentifierType, _("Choose the kind of document."))
    except ValidationError as exc:
        errors["type"] = _messages(exc)
        return cleaned, errors
    try:
        cleaned["value"] = validators.normalise_identifier(cleaned["type"], str(data.get("value") or ""))
    except ValidationError as exc:
        errors["value"] = _messages(exc)
    if data.get("issued_on"):
        try:
            cleaned["issued_on"] = parse_date(data["issued_on"])
        except ValidationError as exc:
            errors["issued_on"] = _messages(exc)
    return cleaned, errors


def prefixed(errors: Errors, prefix: str) -> Errors:
    return {f"{prefix}.{field}": messages for field, messages in errors.items()}
