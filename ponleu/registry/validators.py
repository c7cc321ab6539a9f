"""Checks on single values, shared by forms, the API, the spreadsheet import and the services.

Each check returns the cleaned value or raises ``django.core.exceptions.ValidationError`` with
a translatable message. Nothing here touches the database (village codes and duplicate
identifiers are checked by the services, which can see the rows).

The age rule: a *child* (``Person.is_child``) is anyone under 18 on the day. Programmes also
follow young people after 18 (care leavers, scholarships), so a record registered as a child
or young person served (``PersonKind.CHILD``) may be up to 25 years old; older than 25 is
refused as a likely typing error in the year of birth.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ponleu.common.khmer_text import fold
from ponleu.common.numerals import to_ascii_digits

from .choices import IdentifierType, PersonKind

CHILD_AGE_LIMIT = 18  # under 18: a child
# From this age a child is asked to agree to sharing as well as their caregiver (CRC art. 12).
ASSENT_AGE = 12
YOUNG_PERSON_MAX_AGE = 25  # a record kept as "child or young person served" may be at most 25
OLDEST_AGE = 120
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


def age_on(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def clean_name(value: str | None) -> str:
    """Text as entered (NFC, invisible characters and doubled spaces removed)."""
    text = unicodedata.normalize("NFC", value or "").translate(_INVISIBLE)
    return " ".join(text.split())


def validate_date_of_birth(born: dt.date | None, *, kind: str, today: dt.date) -> None:
    if born is None:
        return
    if born > today:
        raise ValidationError(_("The date of birth is in the future."), code="future")
    age = age_on(born, today)
    if kind == PersonKind.CHILD and age > YOUNG_PERSON_MAX_AGE:
        raise ValidationError(
            _(
                "This date of birth makes the child %(age)s years old; a child or young person "
                "served can be at most %(limit)s. Check the year, or register them as an adult."
            ),
            code="too_old_for_child",
            params={"age": age, "limit": YOUNG_PERSON_MAX_AGE},
        )
    if age > OLDEST_AGE:
        raise ValidationError(_("This date of birth is more than 120 years ago."), code="too_old")


def normalise_phone(value: str) -> str:
    """A Cambodian or international number as E.164 (+855…); Khmer digits are accepted."""
    text = to_ascii_digits(fold(value)).replace(" ", "")
    if not text:
        raise ValidationError(_("Enter a phone number."), code="required")
    if text.startswith("00"):
        text = "+" + text[2:]
    elif text.startswith("855") and len(text) >= 11:
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "KH")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number. Write it as 012 345 678 or +855 12 345 678."),
            code="invalid_phone",
            params={"value": value},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Identifier formats. Where the official format is not published (see the domain notes) the
# rule only keeps out what cannot be a document number: wrong characters, absurd lengths.
_FORMATS: dict[str, tuple[re.Pattern, object]] = {
    IdentifierType.NATIONAL_ID: (
        re.compile(r"^\d{9,10}$"),
        _("A national ID number has 9 or 10 digits."),
    ),
    IdentifierType.PASSPORT: (
        re.compile(r"^[A-Z]{1,2}\d{6,8}$"),
        _("A passport number is one or two letters followed by 6 to 8 digits."),
    ),
    IdentifierType.EMIS_STUDENT: (
        re.compile(r"^\d{4,20}$"),
        _("An EMIS student ID has 4 to 20 digits."),
    ),
    IdentifierType.IDPOOR_HOUSEHOLD: (
        re.compile(r"^[0-9][0-9/-]{3,29}$"),
        _("An IDPoor household number has digits, with - or / between groups."),
    ),
    IdentifierType.OSCAR_CLIENT: (
        re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$"),
        _("An OSCaR client ID has letters and digits, with - between groups."),
    ),
    IdentifierType.MOSVY_CASE: (
        re.compile(r"^[A-Z0-9]+(?:[-/][A-Z0-9]+)*$"),
        _("A case number has letters and digits, with - or / between groups."),
    ),
}
_GENERIC = (
    re.compile(r"^[A-Z0-9\u1780-\u17ff]+(?:[ ./-][A-Z0-9\u1780-\u17ff]+)*$"),
    _("Use only letters, digits and - / . between groups."),
)


def normalise_identifier(kind: str, value: str) -> str:
    """The number as stored: Khmer digits as ASCII, upper case, single separators, no spaces
    around them. Raises ValidationError naming the expected format."""
    if kind not in IdentifierType.values:
        raise ValidationError(_("Choose the kind of document."), code="invalid_type")
    text = to_ascii_digits(fold(value)).upper()
    text = re.sub(r"\s*([./-])\s*", r"\1", text)
    if kind in (IdentifierType.NATIONAL_ID, IdentifierType.EMIS_STUDENT):
        text = text.replace(" ", "").replace("-", "")
    if not text:
        raise ValidationError(_("Enter the number."), code="required")
    if len(text) > 40:
        raise ValidationError(_("This number is too long (at most 40 characters)."), code="too_long")
    pattern, message = _FORMATS.get(kind, _GENERIC)
    if not pattern.match(text):
        raise ValidationError(message, code="invalid_format")
    return text
