"""The API's request parser: JSON bodies and query strings, refusing text with a NUL character.

PostgreSQL cannot store or compare text holding U+0000, so a NUL in a search box or a name
reached the database as a server error (SQLite took it). No field of Ponleu means a NUL, so it
is refused at the door with the field named.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja.errors import ValidationError
from ninja.parser import Parser

NUL = "\x00"


class TextWithNul(ValueError):
    """A body holding a NUL; Ninja turns any body-parsing error into a 400, so the API's
    handler recognises this one as the cause and answers 422 naming the field."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


def nul_message() -> str:
    return _("Text cannot contain the NUL character (U+0000).")


def nul_at(value, where: str = "") -> str | None:
    """The path of the first string (or key) holding a NUL, or None."""
    if isinstance(value, str):
        return (where or "body") if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if NUL in str(key):
                return path
            found = nul_at(item, path)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = nul_at(item, f"{where}.{index}" if where else str(index))
            if found:
                return found
    return None


class NulRefusingParser(Parser):
    def parse_body(self, request):
        data = super().parse_body(request)
        field = nul_at(data)
        if field:
            raise TextWithNul(field)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        for key, value in result.items():
            if nul_at(value) or NUL in key:
                raise ValidationError(
                    [{"loc": ("query", key), "msg": nul_message(), "type": "nul_character"}]
                )
        return result
